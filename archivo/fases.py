"""Where an expediente is in the archive's life cycle (DOMAIN.md «Archives»), stored on the
expediente (ExpedientePage.archivo_fase) so the permission policy, the listings and the
dashboards read it with SQL. Written only by the archive's services (cierre, reapertura,
transferencia, baja), on the locked row."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FaseArchivo(models.TextChoices):
    TRAMITE = "tramite", _("En trámite")
    CERRADO = "cerrado", _("Cerrado (archivo de gestión)")
    CENTRAL = "central", _("Transferido al Archivo Central")
    ELIMINADO = "eliminado", _("Eliminado (baja documental)")


# The file is read-only in every phase but the first: no versions, edits or actions.
SOLO_LECTURA = (FaseArchivo.CERRADO, FaseArchivo.CENTRAL, FaseArchivo.ELIMINADO)


def solo_lectura(expediente) -> bool:
    return expediente.archivo_fase in SOLO_LECTURA


def abierto_exigir(expediente) -> None:
    """Refuse any change to a closed, transferred or eliminated expediente (call it on the
    locked row)."""
    from django.core.exceptions import ValidationError

    if solo_lectura(expediente):
        raise ValidationError(
            f"El expediente {expediente.numero} está «{FaseArchivo(expediente.archivo_fase).label}»: es de solo "
            "lectura (no admite actuaciones, archivos, pagos ni cambios). Para modificarlo, el jefe de coactivas "
            "debe reabrirlo, con el motivo.")
