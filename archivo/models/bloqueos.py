"""Legal hold (bloqueo legal): while an expediente has an active hold it cannot be disposed
of, and every object version of its files carries an S3 legal hold. Placing and lifting it
are authorised and logged (archivo.services.bloqueos)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ._comun import usuario, usuario_opcional


class MotivoBloqueo(models.TextChoices):
    IMPUGNACION = "impugnacion", _("Impugnación ante el TCA")
    INSOLVENCIA = "insolvencia", _("Juicio de insolvencia")
    AUDITORIA = "auditoria", _("Auditoría / control")
    OTRO = "otro", _("Otro")


class BloqueoLegal(models.Model):
    expediente = models.ForeignKey("expedientes.ExpedientePage", verbose_name=_("expediente"),
                                   on_delete=models.PROTECT, related_name="bloqueos")
    motivo = models.CharField(_("motivo"), max_length=20, choices=MotivoBloqueo.choices)
    detalle = models.TextField(_("detalle"))
    desde = models.DateTimeField(_("desde"), auto_now_add=True)
    puesto_por = usuario(_("puesto por"))
    levantado_en = models.DateTimeField(_("levantado el"), null=True, blank=True)
    levantado_por = usuario_opcional(_("levantado por"))
    motivo_levantamiento = models.TextField(_("motivo del levantamiento"), blank=True)

    class Meta:
        verbose_name = _("bloqueo legal")
        verbose_name_plural = _("bloqueos legales")
        permissions = [
            ("poner_bloqueo", _("Puede poner un bloqueo legal")),
            ("levantar_bloqueo", _("Puede autorizar el levantamiento de un bloqueo legal")),
        ]
        ordering = ["-desde"]
        indexes = [models.Index(fields=["expediente"], condition=Q(levantado_en__isnull=True),
                                name="bloqueo_activo_idx")]

    @property
    def activo(self) -> bool:
        return self.levantado_en is None
