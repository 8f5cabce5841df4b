"""The clean-up of the processes contested before the Tribunal Contencioso Administrativo
(the unit's 2026 plan): each selected expediente with its court case, the ruling, and what
the unit decided (reactivate enforcement or close). archivo.services.impugnados."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ._comun import usuario, usuario_opcional


class EstadoCausa(models.TextChoices):
    EN_TRAMITE = "en_tramite", _("En trámite")
    SENTENCIA = "sentencia", _("Con sentencia")
    ARCHIVADA = "archivada", _("Archivada / abandonada")
    DESCONOCIDO = "desconocido", _("Sin información")


class ResultadoDepuracion(models.TextChoices):
    PENDIENTE = "pendiente", _("Por revisar")
    REVISADO = "revisado", _("Revisado, sin decisión")
    REACTIVADO = "reactivado", _("Reactivado (continúa la ejecución)")
    CERRADO = "cerrado", _("Cerrado (archivado)")


class ProcesoImpugnado(models.Model):
    expediente = models.OneToOneField("expedientes.ExpedientePage", verbose_name=_("expediente"),
                                      on_delete=models.PROTECT, related_name="impugnacion")
    numero_causa = models.CharField(_("número de causa"), max_length=60, blank=True)
    tribunal = models.CharField(_("tribunal"), max_length=200, blank=True)
    estado_causa = models.CharField(_("estado de la causa"), max_length=20, choices=EstadoCausa.choices,
                                    default=EstadoCausa.DESCONOCIDO)
    fecha_sentencia = models.DateField(_("fecha de la sentencia"), null=True, blank=True)
    sentencia = models.TextField(_("sentencia / resolución"), blank=True)
    resultado = models.CharField(_("resultado de la depuración"), max_length=20,
                                 choices=ResultadoDepuracion.choices, default=ResultadoDepuracion.PENDIENTE)
    observaciones = models.TextField(_("observaciones"), blank=True)
    seleccionado_en = models.DateTimeField(_("seleccionado el"), auto_now_add=True)
    seleccionado_por = usuario(_("seleccionado por"))
    revisado_en = models.DateTimeField(_("revisado el"), null=True, blank=True)
    revisado_por = usuario_opcional(_("revisado por"))
    # the jefe's decision (reactivate or close) is a change of state: who, when, why
    decision = models.OneToOneField("expedientes.Transicion", verbose_name=_("decisión"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("proceso impugnado")
        verbose_name_plural = _("procesos impugnados")
        permissions = [
            ("depurar_impugnados", _("Puede seleccionar y resolver procesos impugnados (depuración)")),
        ]
        ordering = ["seleccionado_en"]
