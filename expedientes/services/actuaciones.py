from datetime import date

from django.db import transaction
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from expedientes.models import ActuacionPage, ExpedientePage

from .arbol import pagina_publicar_nueva


def actuacion_registrar(
    *, expediente: ExpedientePage, tipo: str, fecha: date, usuario, numero: str = "", resumen: str = ""
) -> ActuacionPage:
    # the expediente is set here and again from the parent on save (every creation path);
    # saving the page also writes the expediente's last act (ultima_actuacion_anotar)
    actuacion = ActuacionPage(tipo=tipo, fecha=fecha, numero=numero, resumen=resumen, expediente_id=expediente.pk)
    from .proceso import expediente_bloquear

    with transaction.atomic():
        expediente_bloquear(expediente)  # a closed expediente takes no new act
        return pagina_publicar_nueva(padre=expediente, pagina=actuacion, usuario=usuario)


def ultima_actuacion_anotar(expediente_id: int) -> None:
    """Store the expediente's last act (the latest live actuación by date; the same day: the
    one recorded last) in one UPDATE. Called by ActuacionPage.save when an act is born or
    published, so no path of creation leaves it stale."""
    ultima = (ActuacionPage.objects.filter(expediente_id=expediente_id, live=True)
              .order_by("-fecha", "-path"))
    ExpedientePage.objects.filter(pk=expediente_id).update(
        ultima_actuacion_fecha=Subquery(ultima.values("fecha")[:1]),
        ultima_actuacion_tipo=Coalesce(Subquery(ultima.values("tipo")[:1]), Value("")),
    )
