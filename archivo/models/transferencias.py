"""Transferencia primaria: a batch of closed expedientes whose term in the archivo de
gestión has elapsed, handed to the Archivo Central with its inventory and acta; states
borrador → solicitada → revisada (cotejo, item by item) → aceptada or rechazada. A requested
transfer is not edited. archivo.services.transferencias."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from ._comun import usuario, usuario_opcional
from .cierre import Soporte


class EstadoTransferencia(models.TextChoices):
    BORRADOR = "borrador", _("Borrador")
    SOLICITADA = "solicitada", _("Solicitada")
    REVISADA = "revisada", _("Revisada (cotejo terminado)")
    ACEPTADA = "aceptada", _("Aceptada")
    RECHAZADA = "rechazada", _("Rechazada")


class ResultadoCotejo(models.TextChoices):
    PENDIENTE = "pendiente", _("Por cotejar")
    CONFORME = "conforme", _("Conforme")
    RECHAZADO = "rechazado", _("Con discrepancias (no se recibe)")


class Transferencia(models.Model):
    numero = models.CharField(_("número"), max_length=30, unique=True)
    estado = models.CharField(_("estado"), max_length=12, choices=EstadoTransferencia.choices,
                              default=EstadoTransferencia.BORRADOR, db_index=True)
    observaciones = models.TextField(_("observaciones"), blank=True)
    creada_en = models.DateTimeField(_("creada el"), auto_now_add=True)
    creada_por = usuario(_("preparada por"))
    solicitada_en = models.DateTimeField(_("solicitada el"), null=True, blank=True)
    solicitada_por = usuario_opcional(_("solicitada por"))
    revisada_en = models.DateTimeField(_("cotejo terminado el"), null=True, blank=True)
    revisada_por = usuario_opcional(_("cotejada por"))
    resuelta_en = models.DateTimeField(_("resuelta el"), null=True, blank=True)
    resuelta_por = usuario_opcional(_("resuelta por"))
    motivo_rechazo = models.TextField(_("motivo del rechazo"), blank=True)
    # the SHA-256 of every object version transferred (also stored as a DocumentoArchivo)
    manifiesto = models.JSONField(_("manifiesto"), encoder=DjangoJSONEncoder, default=dict, blank=True)

    class Meta:
        verbose_name = _("transferencia primaria")
        verbose_name_plural = _("transferencias primarias")
        permissions = [
            ("solicitar_transferencia", _("Puede preparar y solicitar transferencias al Archivo Central")),
            ("cotejar_transferencia", _("Puede cotejar, aceptar o rechazar transferencias (Archivo Central)")),
        ]
        ordering = ["-creada_en"]

    def __str__(self):
        return f"Transferencia {self.numero}"


class TransferenciaItem(models.Model):
    """One row of the inventory: the expediente as it was handed over."""

    transferencia = models.ForeignKey(Transferencia, verbose_name=_("transferencia"), on_delete=models.PROTECT,
                                      related_name="items")
    expediente = models.ForeignKey("expedientes.ExpedientePage", verbose_name=_("expediente"),
                                   on_delete=models.PROTECT, related_name="transferencias")
    orden = models.PositiveIntegerField(_("n.º"))
    cierre = models.ForeignKey("archivo.Cierre", verbose_name=_("cierre"), on_delete=models.PROTECT,
                               related_name="+")
    codigo = models.CharField(_("código"), max_length=40)
    titulo = models.CharField(_("título"), max_length=255)
    fecha_inicial = models.DateField(_("fecha inicial"))
    fecha_final = models.DateField(_("fecha final"))
    folios = models.PositiveIntegerField(_("folios"))
    caja = models.CharField(_("caja"), max_length=30, blank=True)
    soporte = models.CharField(_("soporte"), max_length=10, choices=Soporte.choices)
    cotejo = models.CharField(_("cotejo"), max_length=10, choices=ResultadoCotejo.choices,
                              default=ResultadoCotejo.PENDIENTE)
    discrepancias = models.TextField(_("discrepancias"), blank=True)
    cotejado_en = models.DateTimeField(_("cotejado el"), null=True, blank=True)
    cotejado_por = usuario_opcional(_("cotejado por"))

    class Meta:
        verbose_name = _("expediente de la transferencia")
        verbose_name_plural = _("expedientes de la transferencia")
        ordering = ["transferencia", "orden"]
        constraints = [
            models.UniqueConstraint(fields=["transferencia", "expediente"], name="transferencia_expediente_unico"),
            models.UniqueConstraint(fields=["transferencia", "orden"], name="transferencia_orden_unico"),
        ]
