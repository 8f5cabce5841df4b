from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormaCitacion(models.TextChoices):
    """How the debtor was cited (COA arts. 164-165 and 279): each manner is a different act."""

    PERSONAL = "personal", _("En persona")
    BOLETAS = "boletas", _("Por boletas")
    CASILLERO = "casillero", _("En casillero judicial")
    CORREO = "correo", _("Por correo electrónico")
    PRENSA = "prensa", _("Por la prensa")


class Citacion(models.Model):
    """A citation as the unit records it: its date, its manner, the razón (a file of its
    actuación «Citación») and observations. The date is the one the deadlines count from
    (plazos.py)."""

    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="citaciones", verbose_name=_("expediente"))
    actuacion = models.OneToOneField("expedientes.ActuacionPage", on_delete=models.PROTECT,
                                     related_name="citacion", verbose_name=_("actuación"))
    fecha = models.DateField(_("fecha de la citación"))
    forma = models.CharField(_("forma de citación"), max_length=12, choices=FormaCitacion.choices)
    observaciones = models.TextField(_("observaciones"), blank=True)
    registrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("registrada por"))
    registrada_en = models.DateTimeField(_("registrada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("citación")
        verbose_name_plural = _("citaciones")
        ordering = ["fecha", "pk"]

    def __str__(self):
        return f"Citación {self.get_forma_display().lower()} del {self.fecha:%d/%m/%Y}"
