"""11. Cartera pendiente: Capital, intereses y costas por cobrar a una fecha, antigüedad y proyección de la recaudación del año siguiente."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Cartera(Informe):
    clave = "cartera"
    numero = 11
    titulo = "Cartera pendiente"
    descripcion = "Capital, intereses y costas por cobrar a una fecha, antigüedad y proyección de la recaudación del año siguiente."
    a_fecha = True

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
