"""The states of the proceso coactivo, as a small explicit table (DOMAIN.md «The life of a
proceso coactivo»). A table rather than a state-machine library: the whole procedure fits on
one screen, the Juzgado can read it, and every transition is a database row (who, when, why,
which actuación) that a library would only wrap."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Estado(models.TextChoices):
    INICIADO = "iniciado", _("Iniciado")
    CITADO = "citado", _("Citado")
    MEDIDAS_CAUTELARES = "medidas_cautelares", _("Medidas cautelares")
    EMBARGO = "embargo", _("Embargo")
    REMATE = "remate", _("Remate")
    CONVENIO_PAGO = "convenio_pago", _("Convenio de pago")
    ILOCALIZABLE = "ilocalizable", _("Ilocalizable")
    IMPUGNADO = "impugnado", _("Impugnado")
    INSOLVENCIA = "insolvencia", _("Insolvencia")
    PAGADO = "pagado", _("Pagado")
    ARCHIVADO = "archivado", _("Archivado")
    BAJA = "baja", _("Baja")


E = Estado
# Enforcement may go on only while the debt is neither suspended nor ended.
EJECUCION = (E.INICIADO, E.CITADO, E.MEDIDAS_CAUTELARES, E.EMBARGO, E.REMATE)
# States that suspend enforcement; leaving them goes back to where enforcement was.
SUSPENSIVOS = (E.CONVENIO_PAGO, E.IMPUGNADO)
FINALES = (E.PAGADO, E.ARCHIVADO, E.BAJA)

TRANSICIONES: dict[str, tuple[str, ...]] = {
    # the auto de pago may order precautionary measures before the citation (COA art. 281)
    E.INICIADO: (E.CITADO, E.ILOCALIZABLE, E.MEDIDAS_CAUTELARES, E.CONVENIO_PAGO,
                 E.IMPUGNADO, E.PAGADO, E.BAJA),
    E.ILOCALIZABLE: (E.CITADO, E.MEDIDAS_CAUTELARES, E.INSOLVENCIA, E.PAGADO, E.BAJA),
    E.CITADO: (E.MEDIDAS_CAUTELARES, E.EMBARGO, E.CONVENIO_PAGO, E.IMPUGNADO,
               E.INSOLVENCIA, E.PAGADO, E.BAJA),
    E.MEDIDAS_CAUTELARES: (E.CITADO, E.EMBARGO, E.CONVENIO_PAGO, E.IMPUGNADO,
                           E.INSOLVENCIA, E.PAGADO, E.BAJA),
    E.EMBARGO: (E.REMATE, E.CONVENIO_PAGO, E.IMPUGNADO, E.INSOLVENCIA, E.PAGADO, E.BAJA),
    E.REMATE: (E.EMBARGO, E.INSOLVENCIA, E.PAGADO, E.BAJA),
    # a current plan suspends enforcement; default resumes it (COA arts. 274-275)
    E.CONVENIO_PAGO: (E.PAGADO, *EJECUCION),
    # excepciones before the Tribunal Contencioso Administrativo (COA arts. 328-329)
    E.IMPUGNADO: (*EJECUCION, E.ARCHIVADO, E.BAJA),
    E.INSOLVENCIA: (E.ARCHIVADO, E.PAGADO, E.BAJA),
    E.PAGADO: (E.ARCHIVADO,),
    E.ARCHIVADO: (),
    E.BAJA: (),
}


def transicion_permitida(desde: str, hasta: str) -> bool:
    return hasta in TRANSICIONES.get(desde, ())


def siguientes(desde: str) -> list[Estado]:
    return [Estado(e) for e in TRANSICIONES.get(desde, ())]
