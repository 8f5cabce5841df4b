import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EstadoTexto(models.TextChoices):
    PENDIENTE = "pendiente", _("Pendiente")
    EN_CURSO = "en_curso", _("En proceso")
    OCR = "ocr", _("Texto reconocido (OCR)")
    NATIVO = "nativo", _("Texto propio del documento")
    SIN_TEXTO = "sin_texto", _("Sin texto legible")
    FALLIDO = "fallido", _("No se pudo leer")
    NO_APLICA = "no_aplica", _("No corresponde (no es PDF ni imagen)")


class EstadoFirma(models.TextChoices):
    PENDIENTE = "pendiente", _("Pendiente de verificar")
    SIN_FIRMA = "sin_firma", _("Sin firma electrónica")
    VALIDA = "valida", _("Firma íntegra")
    ALTERADA = "alterada", _("Modificado después de firmar")
    INVALIDA = "invalida", _("Firma no válida")
    ERROR = "error", _("No se pudo verificar")
    NO_APLICA = "no_aplica", _("No corresponde (no es PDF)")


class ObjetoCustodiado(models.Model):
    """The custody facts of one stored object version, gathered by the pipeline when it came in
    (expedientes.custodia: ArchivoCustodiado.campos() fills exactly these): an expediente's
    file version, and the unit's and the archive's own records."""

    clave = models.CharField(_("clave del objeto"), max_length=200, unique=True)
    version_s3 = models.CharField(_("versión del objeto"), max_length=200)
    nombre_original = models.CharField(_("nombre original"), max_length=255)
    tamano = models.BigIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    tipo_mime = models.CharField(_("tipo (detectado)"), max_length=120)
    antivirus_resultado = models.CharField(_("resultado del antivirus"), max_length=120)
    antivirus_motor = models.CharField(_("motor y firmas del antivirus"), max_length=200)
    macros = models.BooleanField(
        _("contiene macros"), default=False,
        help_text=_("Documento de oficina con macros, guardado y marcado (CUSTODIA «marcar»)."),
    )

    class Meta:
        abstract = True


class Adjunto(models.Model):
    """A file of an actuación (e.g. «Auto de pago firmado»). Its content lives in its
    versions; nothing is ever overwritten."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    actuacion = models.ForeignKey(
        "expedientes.ActuacionPage", verbose_name=_("actuación"), on_delete=models.PROTECT,
        related_name="adjuntos",
    )
    titulo = models.CharField(_("título"), max_length=255)
    creado_en = models.DateTimeField(_("creado el"), auto_now_add=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("creado por"), null=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("adjunto")
        verbose_name_plural = _("adjuntos")
        ordering = ["creado_en", "pk"]

    def __str__(self):
        return self.titulo


class AdjuntoVersion(ObjetoCustodiado):
    """One stored version: where its bytes are (S3 key + VersionId) and the custody facts
    gathered by the pipeline when it came in."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    adjunto = models.ForeignKey(
        Adjunto, verbose_name=_("adjunto"), on_delete=models.PROTECT, related_name="versiones"
    )
    numero = models.PositiveIntegerField(_("versión"))
    firmante = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("firmante"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    generado_con = models.CharField(
        _("generado con"), max_length=200, blank=True,
        help_text=_("Plantilla y revisión, cuando el sistema generó el documento."),
    )
    # Set by the execution of a baja documental (archivo.services.bajas): the object version is
    # gone from the store; the row stays as the record of what existed.
    destruida_en = models.DateTimeField(_("destruida el"), null=True, blank=True, editable=False)
    subido_en = models.DateTimeField(_("subido el"), auto_now_add=True)
    subido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("subido por"), null=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # What the reading room learns of the version, in the background (issue 12): its text per
    # page (PaginaTexto; OCR for scans, the PDF's own text for born-digital ones) and its
    # electronic signatures. Written only by their services (expedientes/services/texto.py,
    # expedientes/services/firmas.py), never by an editor.
    paginas = models.PositiveIntegerField(_("páginas"), null=True, blank=True, editable=False)
    texto_estado = models.CharField(_("texto"), max_length=12, choices=EstadoTexto.choices,
                                    default=EstadoTexto.PENDIENTE, editable=False)
    texto_detalle = models.TextField(_("detalle del texto"), blank=True, editable=False,
                                     help_text=_("Por qué no tiene texto, o cómo se obtuvo."))
    firma_estado = models.CharField(_("firma electrónica"), max_length=12, choices=EstadoFirma.choices,
                                    default=EstadoFirma.PENDIENTE, editable=False)
    firma_detalle = models.JSONField(_("detalle de las firmas"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("versión de adjunto")
        verbose_name_plural = _("versiones de adjuntos")
        ordering = ["adjunto", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["adjunto", "numero"], name="adjunto_version_unica"),
        ]

    def __str__(self):
        return f"{self.adjunto} (v{self.numero})"
