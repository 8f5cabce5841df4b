"""The archive's own records (inventories, actas, manifests, fichas, destruction records):
files that belong to the archive, not to one expediente, taken into custody through the same
pipeline as every file (expedientes.custodia.custodiar) and served only through the
permission-checked view. Never overwritten: re-issuing makes a new row."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from expedientes.models.adjunto import ObjetoCustodiado

from ._comun import usuario


class TipoDocumentoArchivo(models.TextChoices):
    INVENTARIO_XLSX = "inventario_xlsx", _("Inventario de transferencia (XLSX)")
    INVENTARIO_PDF = "inventario_pdf", _("Inventario de transferencia (PDF)")
    ACTA_ENTREGA = "acta_entrega", _("Acta de entrega-recepción")
    MANIFIESTO = "manifiesto", _("Manifiesto SHA-256 de la transferencia")
    FICHA_PREVALORACION = "ficha_prevaloracion", _("Ficha de prevaloración")
    ACTA_BAJA = "acta_baja", _("Acta de baja documental")
    INFORME_FIJEZA = "informe_fijeza", _("Informe de auditoría de integridad")
    OTRO = "otro", _("Otro")


class DocumentoArchivo(ObjetoCustodiado):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tipo = models.CharField(_("tipo"), max_length=30, choices=TipoDocumentoArchivo.choices)
    titulo = models.CharField(_("título"), max_length=255)
    transferencia = models.ForeignKey("archivo.Transferencia", verbose_name=_("transferencia"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="documentos")
    baja = models.ForeignKey("archivo.BajaDocumental", verbose_name=_("baja documental"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="documentos")
    creado_en = models.DateTimeField(_("creado el"), auto_now_add=True)
    creado_por = usuario(_("creado por"))

    class Meta:
        verbose_name = _("documento del archivo")
        verbose_name_plural = _("documentos del archivo")
        ordering = ["-creado_en", "-pk"]

    def __str__(self):
        return self.titulo
