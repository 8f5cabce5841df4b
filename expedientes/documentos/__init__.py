"""Documents rendered from HTML templates to PDF with WeasyPrint (a maintained HTML/CSS
to PDF engine: the templates stay ordinary Django templates the unit can edit)."""

import re

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML

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


def pdf_renderizar(plantilla: str, contexto: dict) -> bytes:
    html = render_to_string(plantilla, contexto)
    return HTML(string=html).write_pdf()


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


def documento_pdf(cuerpo: str, contexto: dict) -> bytes:
    """An editable template inside the institutional letterhead, as PDF."""
    html = plantilla_renderizar(cuerpo, contexto)
    return pdf_renderizar("expedientes/documentos/base_documento.html",
                          {"cuerpo": mark_safe(html), **contexto})  # noqa: S308 (escaped above)
