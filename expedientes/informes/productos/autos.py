"""3. Autos emitidos: Autos de pago, autos de embargo y otros autos dictados en el periodo."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Autos(Informe):
    clave = "autos"
    numero = 3
    titulo = "Autos emitidos"
    descripcion = "Autos de pago, autos de embargo y otros autos dictados en el periodo."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
