"""7. Remates: Remates señalados y realizados, adjudicaciones y su producto."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Remates(Informe):
    clave = "remates"
    numero = 7
    titulo = "Remates"
    descripcion = "Remates señalados y realizados, adjudicaciones y su producto."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
