"""6. Bienes embargados: Bienes y fondos embargados, su valor y su situación."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Bienes(Informe):
    clave = "bienes"
    numero = 6
    titulo = "Bienes embargados"
    descripcion = "Bienes y fondos embargados, su valor y su situación."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
