from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from .actuacion import TipoActuacion


class ClaveDocumento(models.TextChoices):
    AUTO_PAGO = "auto_pago", _("Auto de pago / orden de pago inmediato")
    PROVIDENCIA_IMPULSO = "providencia_impulso", _("Providencia de impulso")
    OFICIO_RETENCION = "oficio_retencion", _("Oficio de retención de fondos")
    OFICIO_LEVANTAMIENTO = "oficio_levantamiento", _("Oficio de levantamiento de medidas")
    AUTO_EMBARGO = "auto_embargo", _("Auto de embargo")
    RAZON_CITACION = "razon_citacion", _("Razón de citación / notificación")
    INFORME_INSOLVENCIA = "informe_insolvencia", _("Informe de insolvencia")


class PlantillaDocumento(RevisionMixin, models.Model):
    """An editable document template (Django template language, HTML). Every edit is a
    Wagtail revision: which wording produced which document stays provable."""

    clave = models.CharField(_("documento"), max_length=40, choices=ClaveDocumento.choices, unique=True)
    nombre = models.CharField(_("nombre"), max_length=160)
    tipo_actuacion = models.CharField(_("actuación que genera"), max_length=30, choices=TipoActuacion.choices)
    cuerpo = models.TextField(
        _("texto de la plantilla"),
        help_text=_("HTML con variables como {{ coactivado.nombre }}, {{ cuenta.saldo|usd }}, "
                    "{{ cuenta.saldo|letras }}, {{ fecha|fecha_letras }}. Una variable inexistente "
                    "impide guardar."),
    )
    actualizada_en = models.DateTimeField(_("actualizada el"), auto_now=True)

    class Meta:
        verbose_name = _("plantilla de documento")
        verbose_name_plural = _("plantillas de documentos")
        ordering = ["clave"]

    def __str__(self):
        return self.nombre


class DocumentoEmitido(models.Model):
    """The figures and deadlines a generated document printed, kept as printed: later edits of
    the rate table or the calendar recompute the ledger, never what was notified."""

    version = models.OneToOneField("expedientes.AdjuntoVersion", on_delete=models.PROTECT,
                                   related_name="emitido")
    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="documentos_emitidos")
    clave = models.CharField(_("documento"), max_length=40, choices=ClaveDocumento.choices)
    fecha = models.DateField(_("fecha del documento"))
    cifras = models.JSONField(_("cifras y plazos impresos"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("documento emitido")
        verbose_name_plural = _("documentos emitidos")
        ordering = ["fecha", "pk"]
