"""9. Insolvencias: Procesos declarados en insolvencia y dossiers enviados a Asesoría Jurídica."""

from expedientes.informes.base import Informe, Resultado, informe_registrar


@informe_registrar
class Insolvencias(Informe):
    clave = "insolvencias"
    numero = 9
    titulo = "Insolvencias"
    descripcion = "Procesos declarados en insolvencia y dossiers enviados a Asesoría Jurídica."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        return Resultado(self, parametros)  # to be written (issue 11)
