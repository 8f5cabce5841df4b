"""10. Coactivados ilocalizables: Búsquedas en registros públicos, publicaciones por la prensa y su costo."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Ilocalizables(Informe):
    clave = "ilocalizables"
    numero = 10
    titulo = "Coactivados ilocalizables"
    descripcion = "Búsquedas en registros públicos, publicaciones por la prensa y su costo."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
