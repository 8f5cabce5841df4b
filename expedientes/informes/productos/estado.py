"""8. Estado de los procedimientos: Cada proceso y su estado a una fecha de corte."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Estado(Informe):
    clave = "estado"
    numero = 8
    titulo = "Estado de los procedimientos"
    descripcion = "Cada proceso y su estado a una fecha de corte."
    a_fecha = True

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
