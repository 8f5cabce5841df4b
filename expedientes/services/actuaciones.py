from datetime import date

from django.db import transaction

from expedientes.models import ActuacionPage, ExpedientePage

from .arbol import pagina_publicar_nueva


def actuacion_registrar(
    *, expediente: ExpedientePage, tipo: str, fecha: date, usuario, numero: str = "", resumen: str = ""
) -> ActuacionPage:
    actuacion = ActuacionPage(tipo=tipo, fecha=fecha, numero=numero, resumen=resumen)
    from .proceso import expediente_bloquear

    with transaction.atomic():
        expediente_bloquear(expediente)  # a closed expediente takes no new act
        return pagina_publicar_nueva(padre=expediente, pagina=actuacion, usuario=usuario)
