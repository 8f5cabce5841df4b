"""The unit's own records: files that belong to the Juzgado, not to one expediente (an issued
report, a historical matrix that was imported), and the register of issued reports. Taken
into custody through the same pipeline as every file (expedientes.custodia.custodiar),
served only through the permission-checked view, never overwritten: re-issuing makes a new
row."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .adjunto import ObjetoCustodiado


class TipoDocumentoUnidad(models.TextChoices):
    INFORME_PDF = "informe_pdf", _("Informe emitido (PDF)")
    INFORME_XLSX = "informe_xlsx", _("Informe emitido (XLSX)")
    INFORME_DOCX = "informe_docx", _("Informe de gestión (DOCX)")
    MATRIZ_IMPORTADA = "matriz_importada", _("Matriz histórica importada (XLSX)")


class DocumentoUnidad(ObjetoCustodiado):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tipo = models.CharField(_("tipo"), max_length=30, choices=TipoDocumentoUnidad.choices)
    titulo = models.CharField(_("título"), max_length=255)
    creado_en = models.DateTimeField(_("creado el"), auto_now_add=True)
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("creado por"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("documento de la unidad")
        verbose_name_plural = _("documentos de la unidad")
        ordering = ["-creado_en", "-pk"]
        permissions = [("importar_matriz", _("Puede importar las matrices históricas de procesos"))]

    def __str__(self):
        return self.titulo


class InformeEmitido(models.Model):
    """A report frozen when issued: its files in custody with their SHA-256 and the headline
    figures as they were. Never recomputed in place: issuing the same report (same product,
    period and province) again makes version n + 1."""

    clave = models.CharField(_("informe"), max_length=40, db_index=True)
    titulo = models.CharField(_("título"), max_length=255)
    desde = models.DateField(_("desde"))
    hasta = models.DateField(_("hasta"))
    provincia = models.CharField(_("provincia"), max_length=2, blank=True, default="")
    parametros = models.JSONField(_("parámetros"), default=dict)
    version = models.PositiveIntegerField(_("versión"))
    cifras = models.JSONField(_("cifras emitidas"), default=dict)
    # the same figures as the issued document wrote them: [[clave, label, value as shown], ...]
    presentacion = models.JSONField(_("cifras emitidas, como se mostraron"), default=list, blank=True)
    motivo = models.TextField(_("motivo de la nueva emisión"), blank=True)
    emitido_por = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("emitido por"),
                                    on_delete=models.PROTECT, related_name="+")
    emitido_en = models.DateTimeField(_("emitido el"))
    pdf = models.OneToOneField(DocumentoUnidad, verbose_name=_("PDF"), on_delete=models.PROTECT,
                               related_name="informe_pdf")
    xlsx = models.OneToOneField(DocumentoUnidad, verbose_name=_("XLSX"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="informe_xlsx")
    docx = models.OneToOneField(DocumentoUnidad, verbose_name=_("DOCX"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="informe_docx")

    class Meta:
        verbose_name = _("informe emitido")
        verbose_name_plural = _("informes emitidos")
        ordering = ["-emitido_en", "-pk"]
        permissions = [
            ("ver_informes", _("Puede consultar los informes de la unidad (sobre los expedientes que ve)")),
            ("emitir_informe", _("Puede emitir (congelar) un informe")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["clave", "desde", "hasta", "provincia", "version"],
                                    name="informe_emitido_version_unica"),
        ]

    def __str__(self):
        return f"{self.titulo} (v{self.version})"
