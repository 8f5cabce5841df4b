"""The reading room (issue 12): the text of every page of a file version, and the searchable
PDF derived from a scan. Rows are written only by expedientes/services/texto.py (in the
background, on the queue); the search (expedientes/busqueda_texto.py) reads them filtered by
the permission policy inside the query."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .adjunto import ObjetoCustodiado


class OrigenTexto(models.TextChoices):
    OCR = "ocr", _("OCR")
    NATIVO = "nativo", _("Texto propio del PDF")


class PaginaTexto(models.Model):
    """One page of one file version and its text, in reading order. `expediente` is stored
    (not joined through actuación → adjunto) so the permission filter and the facets of a
    search stay inside one indexed query."""

    version = models.ForeignKey("expedientes.AdjuntoVersion", verbose_name=_("versión"), on_delete=models.CASCADE,
                                related_name="paginas_texto")
    expediente = models.ForeignKey("expedientes.ExpedientePage", verbose_name=_("expediente"),
                                   on_delete=models.CASCADE, related_name="+")
    numero = models.PositiveIntegerField(_("página"))  # 1-based, within the version
    texto = models.TextField(_("texto"), blank=True)
    origen = models.CharField(_("origen"), max_length=8, choices=OrigenTexto.choices)

    class Meta:
        verbose_name = _("texto de página")
        verbose_name_plural = _("textos de páginas")
        ordering = ["version", "numero"]
        constraints = [models.UniqueConstraint(fields=["version", "numero"], name="pagina_texto_unica")]

    def __str__(self):
        return f"{self.version} p. {self.numero}"


class RendicionOCR(ObjetoCustodiado):
    """The searchable PDF made from a scanned version (OCRmyPDF): a derived object, taken into
    custody like any file, with its own SHA-256. The original version is never touched."""

    version = models.OneToOneField("expedientes.AdjuntoVersion", verbose_name=_("versión original"),
                                   on_delete=models.PROTECT, related_name="rendicion")
    motor = models.CharField(_("motor"), max_length=200)  # e.g. "ocrmypdf 17.13.0, tesseract 5.3.0 (spa)"
    creado_en = models.DateTimeField(_("creado el"), auto_now_add=True)

    class Meta:
        verbose_name = _("PDF con texto (OCR)")
        verbose_name_plural = _("PDF con texto (OCR)")

    def __str__(self):
        return f"OCR de {self.version}"
