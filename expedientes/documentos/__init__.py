"""Documents rendered from HTML templates to PDF with WeasyPrint (a maintained HTML/CSS
to PDF engine: the templates stay ordinary Django templates the unit can edit)."""

import logging
import mimetypes
import os
import posixpath
import re
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Variables that do not exist render as this marker, so they can be named to the user
# instead of silently printing nothing in a legal document.
_INEXISTENTE = "⟦variable inexistente: %s⟧"
_PATRON_INEXISTENTE = re.compile(r"⟦variable inexistente: (.*?)⟧")

# An engine of its own for the unit's editable templates: only the built-in tags and our
# filters, no template loading or inclusion from disk.
_motor = Engine(
    libraries={"coactivas": "expedientes.templatetags.coactivas"},
    builtins=["expedientes.templatetags.coactivas"],
    string_if_invalid=_INEXISTENTE,
    autoescape=True,
)


# The documents' base URL: a reserved name that resolves nowhere (RFC 2606 «.invalid»). It
# makes relative references absolute ({% static %} gives "/static/..."), and the fetcher
# below reads those from disk: nothing is ever asked of this host.
BASE_URL = "https://portal-coactivas.invalid/"


def _estatico_ruta(url: str) -> str | None:
    """The file on disk of one of the portal's static assets, or None for anything else."""
    prefijo = urlsplit(urljoin(BASE_URL, settings.STATIC_URL))
    partes = urlsplit(url)  # query and fragment (cache busters) are dropped
    if (partes.scheme, partes.netloc) != (prefijo.scheme, prefijo.netloc):
        return None
    if not partes.path.startswith(prefijo.path):
        return None
    relativa = unquote(partes.path[len(prefijo.path):])
    if (not relativa or "\x00" in relativa or relativa.startswith(("/", ".."))
            or posixpath.normpath(relativa) != relativa):
        return None  # no "..", no "//", no absolute paths, even percent-encoded
    try:
        ruta = finders.find(relativa)  # the apps' and STATICFILES_DIRS' sources
        if not ruta:
            # Collected files (hashed names under STATIC_ROOT in production).
            ruta = staticfiles_storage.path(relativa)
    except (SuspiciousFileOperation, NotImplementedError):
        return None
    return ruta if ruta and os.path.isfile(ruta) else None


class RecursosEstaticos(URLFetcher):
    """WeasyPrint's URL fetcher, narrowed to the portal's own static assets, read from disk.

    The templates are edited by users, and WeasyPrint follows images, stylesheets, @import,
    fonts and attachments (<a rel="attachment">, <link rel="attachment">): with the default
    fetcher a template could embed /etc/passwd in a PDF or make the server call internal
    http:// services. Everything else is refused here; WeasyPrint then leaves that resource
    out (with a warning) and the document still renders. data: URLs are inline bytes the
    template already carries, so they stay allowed (nothing is fetched)."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        ruta = _estatico_ruta(url)
        if ruta is None:
            logger.warning("Documento: recurso externo rechazado: %.200s", url)
            raise ValueError(f"Recurso no permitido en un documento: {url[:200]}")
        with open(ruta, "rb") as archivo:
            cuerpo = archivo.read()
        tipo = mimetypes.guess_type(ruta)[0] or "application/octet-stream"
        return URLFetcherResponse(url, cuerpo, {"Content-Type": tipo})


def pdf_renderizar(plantilla: str, contexto: dict) -> bytes:
    html = render_to_string(plantilla, contexto)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=RecursosEstaticos()).write_pdf()


def plantilla_renderizar(cuerpo: str, contexto: dict) -> str:
    """The HTML of an editable template, or a ValidationError naming what is wrong."""
    try:
        plantilla = _motor.from_string(cuerpo)
    except TemplateSyntaxError as error:
        raise ValidationError(f"La plantilla tiene un error de sintaxis: {error}") from None
    html = plantilla.render(Context(contexto))
    inexistentes = sorted(set(_PATRON_INEXISTENTE.findall(html)))
    if inexistentes:
        raise ValidationError(
            "La plantilla usa variables que no existen: "
            + ", ".join("{{ " + nombre + " }}" for nombre in inexistentes)
            + ". Revise la lista de variables disponibles."
        )
    return html


def documento_pdf(cuerpo: str, contexto: dict, *, vista_previa: bool = False) -> bytes:
    """An editable template inside the institutional letterhead, as PDF (a preview is marked
    «Vista previa» on every page)."""
    html = plantilla_renderizar(cuerpo, contexto)
    return pdf_renderizar("expedientes/documentos/base_documento.html",
                          {**contexto, "cuerpo": mark_safe(html),  # noqa: S308 (escaped above)
                           "vista_previa": vista_previa})
