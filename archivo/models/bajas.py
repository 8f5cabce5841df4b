"""Baja documental (disposal): expedientes whose TPCD term is over, with no hold, valued in a
ficha de prevaloración, authorised on record, then executed. What was destroyed, when, by
whom and on whose authority stays here forever, after the objects are gone
(archivo.services.bajas)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from ._comun import usuario, usuario_opcional


class EstadoBaja(models.TextChoices):
    BORRADOR = "borrador", _("Borrador (ficha de prevaloración)")
    AUTORIZADA = "autorizada", _("Autorizada")
    EJECUTADA = "ejecutada", _("Ejecutada")
    ANULADA = "anulada", _("Anulada")


class BajaDocumental(models.Model):
    numero = models.CharField(_("número"), max_length=30, unique=True)
    estado = models.CharField(_("estado"), max_length=12, choices=EstadoBaja.choices,
                              default=EstadoBaja.BORRADOR, db_index=True)
    # ficha de prevaloración: why these records have no further value
    valores_primarios = models.TextField(_("valores primarios (administrativo, legal, fiscal)"))
    valores_secundarios = models.TextField(_("valores secundarios (histórico, informativo)"))
    justificacion = models.TextField(_("justificación de la eliminación"))
    creada_en = models.DateTimeField(_("creada el"), auto_now_add=True)
    creada_por = usuario(_("preparada por"))
    autorizacion_referencia = models.CharField(
        _("autorización (resolución / acta del comité)"), max_length=200, blank=True)
    autorizada_en = models.DateTimeField(_("autorizada el"), null=True, blank=True)
    autorizada_por = usuario_opcional(_("autorizada por"))
    ejecutada_en = models.DateTimeField(_("ejecutada el"), null=True, blank=True)
    ejecutada_por = usuario_opcional(_("ejecutada por"))

    class Meta:
        verbose_name = _("baja documental")
        verbose_name_plural = _("bajas documentales")
        permissions = [
            ("autorizar_baja", _("Puede autorizar una baja documental")),
            ("ejecutar_baja", _("Puede ejecutar una baja documental autorizada")),
        ]
        ordering = ["-creada_en"]

    def __str__(self):
        return f"Baja documental {self.numero}"


class BajaItem(models.Model):
    """One expediente of the disposal and, once executed, exactly what was destroyed (every
    object version with its key and SHA-256): kept forever."""

    baja = models.ForeignKey(BajaDocumental, verbose_name=_("baja"), on_delete=models.PROTECT, related_name="items")
    expediente = models.ForeignKey("expedientes.ExpedientePage", verbose_name=_("expediente"),
                                   on_delete=models.PROTECT, related_name="bajas_documentales")
    codigo = models.CharField(_("código"), max_length=40)
    titulo = models.CharField(_("título"), max_length=255)
    serie = models.CharField(_("serie"), max_length=255)
    fecha_inicial = models.DateField(_("fecha inicial"))
    fecha_final = models.DateField(_("fecha final"))
    folios = models.PositiveIntegerField(_("folios"))
    plazo_cumplido_el = models.DateField(_("plazo de conservación cumplido el"))
    destruido = models.JSONField(_("versiones destruidas"), encoder=DjangoJSONEncoder, default=list, blank=True)

    class Meta:
        verbose_name = _("expediente dado de baja")
        verbose_name_plural = _("expedientes dados de baja")
        ordering = ["baja", "codigo"]
        constraints = [models.UniqueConstraint(fields=["baja", "expediente"], name="baja_expediente_unico")]
