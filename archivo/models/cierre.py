"""The closing (cierre) of an expediente: from a final state, its documents ordered and
foliated across every file, with the índice, the carátula and the box label produced as
PDFs through the custody pipeline (archivo.services.cierre). While a cierre is `vigente`
the expediente is read-only (ExpedientePage.archivo_fase); a reopening, authorised and with
its reason, ends it and is kept on the same row."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ._comun import usuario, usuario_opcional


class Soporte(models.TextChoices):
    PAPEL = "papel", _("Papel")
    DIGITAL = "digital", _("Electrónico")
    HIBRIDO = "hibrido", _("Híbrido (papel y electrónico)")


class Cierre(models.Model):
    expediente = models.ForeignKey("expedientes.ExpedientePage", verbose_name=_("expediente"),
                                   on_delete=models.PROTECT, related_name="cierres")
    numero = models.PositiveSmallIntegerField(_("cierre n.º"), default=1)
    fecha = models.DateField(_("fecha de cierre"))
    cerrado_en = models.DateTimeField(_("cerrado el"), auto_now_add=True)
    cerrado_por = usuario(_("cerrado por"))
    # the actuación «Cierre del expediente» holding índice, carátula, rótulo and foliated copy
    actuacion = models.OneToOneField("expedientes.ActuacionPage", verbose_name=_("actuación de cierre"),
                                     null=True, blank=True, on_delete=models.PROTECT, related_name="cierre")
    folios = models.PositiveIntegerField(_("folios"))
    fecha_inicial = models.DateField(_("fecha extrema inicial"))
    fecha_final = models.DateField(_("fecha extrema final"))
    soporte = models.CharField(_("soporte"), max_length=10, choices=Soporte.choices, default=Soporte.HIBRIDO)
    # every document in folio order: actuación, file, version, SHA-256, pages, folio range
    # empty for a file with no digitised document (a paper-only file of the past)
    manifiesto = models.JSONField(_("documentos foliados"), encoder=DjangoJSONEncoder, default=list, blank=True)
    vigente = models.BooleanField(_("vigente"), default=True)
    reabierto_en = models.DateTimeField(_("reabierto el"), null=True, blank=True)
    reabierto_por = usuario_opcional(_("reabierto por"))
    reapertura_autorizada_por = usuario_opcional(_("reapertura autorizada por"))
    reapertura_motivo = models.TextField(_("motivo de la reapertura"), blank=True)

    class Meta:
        verbose_name = _("cierre de expediente")
        verbose_name_plural = _("cierres de expedientes")
        permissions = [
            ("cerrar_expediente", _("Puede cerrar expedientes (foliación, índice, carátula)")),
            ("reabrir_expediente", _("Puede autorizar la reapertura de un expediente cerrado")),
        ]
        ordering = ["-cerrado_en"]
        constraints = [
            models.UniqueConstraint(fields=["expediente"], condition=Q(vigente=True), name="cierre_vigente_unico"),
            models.UniqueConstraint(fields=["expediente", "numero"], name="cierre_numero_unico"),
        ]

    def __str__(self):
        return f"Cierre {self.numero} de {self.expediente}"
