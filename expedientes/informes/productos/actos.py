"""4. Actos procesales: Los actos procesales registrados en el periodo, por tipo."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Actos(Informe):
    clave = "actos"
    numero = 4
    titulo = "Actos procesales"
    descripcion = "Los actos procesales registrados en el periodo, por tipo."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
