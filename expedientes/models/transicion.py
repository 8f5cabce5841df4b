from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from expedientes.estados import Estado


class Transicion(models.Model):
    """Every change of state of an expediente: who, when, why and the actuación behind it."""

    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="transiciones")
    desde = models.CharField(_("desde"), max_length=20, choices=Estado.choices)
    hasta = models.CharField(_("hasta"), max_length=20, choices=Estado.choices)
    fecha = models.DateField(_("fecha"))
    motivo = models.TextField(_("motivo"))
    actuacion = models.ForeignKey("expedientes.ActuacionPage", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("actuación"))
    # empty when the system did it (e.g. the daily review of payment plans)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", verbose_name=_("usuario"))
    registrada_en = models.DateTimeField(_("registrada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("cambios de estado")
        ordering = ["registrada_en", "pk"]

    def __str__(self):
        return f"{self.get_desde_display()} → {self.get_hasta_display()}"
