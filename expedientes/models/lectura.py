"""The reading room (issue 12): the text of every page of a file version, and the searchable
PDF derived from a scan. Rows are written only by expedientes/services/texto.py (in the
background, on the queue); the search (expedientes/busqueda_texto.py) reads them filtered by
the permission policy inside the query."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func
from django.utils.translation import gettext_lazy as _

from .adjunto import ObjetoCustodiado


CONFIGURACION_BUSQUEDA = "coactivas_es"  # text search configuration (migration 0024)
NIVELES_FRECUENCIA = (2, 3, 5, 8)  # coactivas_vector's markers (migration 0026)


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
    # The page's words for the full-text search, kept by PostgreSQL itself (a stored generated
    # column: no writer can forget it). CONFIGURACION_BUSQUEDA is Spanish stemming after
    # unaccent (migration 0024): "credito" and "CRÉDITOS" meet. The SQL function adds a marker
    # «palabra n» for each word on the page n times or more (NIVELES_FRECUENCIA, migration
    # 0026). Its index (RUM when the extension is there, else GIN) is made by the migrations,
    # not declared here.
    busqueda = models.GeneratedField(
        expression=Func(F("texto"), function="coactivas_vector", output_field=SearchVectorField()),
        output_field=SearchVectorField(), db_persist=True, editable=False)

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


class BusquedaGuardada(models.Model):
    """A search of the documents a user keeps to run again (expedientes/busqueda_texto.py).
    Only the words and filters are kept: the hits are computed anew, as the user may see
    them then."""

    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.CASCADE,
                                related_name="busquedas_guardadas")
    nombre = models.CharField(_("nombre"), max_length=120)
    consulta = models.CharField(_("consulta"), max_length=500)
    filtros = models.JSONField(_("filtros"), default=dict, blank=True)
    creada_en = models.DateTimeField(_("creada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("búsqueda guardada")
        verbose_name_plural = _("búsquedas guardadas")
        ordering = ["-creada_en"]

    def __str__(self):
        return self.nombre
