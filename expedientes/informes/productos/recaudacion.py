"""5. Recaudación: Pagos por mes: voluntarios, de fondos retenidos (con la medida de la que vienen), de remates y de convenios, conciliados con los comprobantes."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Recaudacion(Informe):
    clave = "recaudacion"
    numero = 5
    titulo = "Recaudación"
    descripcion = "Pagos por mes: voluntarios, de fondos retenidos (con la medida de la que vienen), de remates y de convenios, conciliados con los comprobantes."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
