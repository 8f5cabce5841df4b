"""1. Matriz de procesos coactivos: El registro mensual: cada proceso con su número, coactivado, cédula/RUC, provincia, fechas, montos, estado, última actuación y abogado."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Matriz(Informe):
    clave = "matriz"
    numero = 1
    titulo = "Matriz de procesos coactivos"
    descripcion = "El registro mensual: cada proceso con su número, coactivado, cédula/RUC, provincia, fechas, montos, estado, última actuación y abogado."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
