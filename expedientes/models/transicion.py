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


class Correccion(models.Model):
    """A correction of the expediente's own data (the título's amount, the reception date,
    the province) or its assignment: what it was, what it became, who, when and why."""

    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="correcciones")
    campo = models.CharField(_("dato"), max_length=60)
    anterior = models.CharField(_("valor anterior"), max_length=255, blank=True)
    nuevo = models.CharField(_("valor nuevo"), max_length=255, blank=True)
    motivo = models.TextField(_("motivo"))
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("usuario"))
    registrada_en = models.DateTimeField(_("registrada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("corrección")
        verbose_name_plural = _("correcciones")
        ordering = ["registrada_en", "pk"]

    def __str__(self):
        return f"{self.campo}: {self.anterior} → {self.nuevo}"


class EnvioFormulario(models.Model):
    """A form of the process screen, sent once: a double click or two tabs with the same form
    record the act once (the token's unique index decides, in the database)."""

    clave = models.CharField(max_length=120, unique=True)  # token:acción:objeto
    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.CASCADE, related_name="+")
    accion = models.CharField(max_length=30)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enviado_en = models.DateTimeField(auto_now_add=True)
