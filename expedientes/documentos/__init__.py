"""Documents rendered from HTML templates to PDF with WeasyPrint (a maintained HTML/CSS
to PDF engine: the templates stay ordinary Django templates the unit can edit)."""

from django.template.loader import render_to_string
from weasyprint import HTML


def pdf_renderizar(plantilla: str, contexto: dict) -> bytes:
    html = render_to_string(plantilla, contexto)
    return HTML(string=html).write_pdf()
