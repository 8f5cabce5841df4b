"""2. Providencias emitidas: Las providencias dictadas y notificadas en el periodo."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Providencias(Informe):
    clave = "providencias"
    numero = 2
    titulo = "Providencias emitidas"
    descripcion = "Las providencias dictadas y notificadas en el periodo."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
