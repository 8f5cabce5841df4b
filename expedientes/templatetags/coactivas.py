import re
from decimal import Decimal

from django import template
from num2words import num2words

from expedientes import formato
from expedientes.calendario import MESES

register = template.Library()


@register.filter
def usd(valor):
    """USD 140.714,68 — the Ecuadorian way (DOMAIN.md): the portal's one formatter."""
    return formato.usd(valor)


@register.filter
def porcentaje(valor):
    """8,75 %"""
    return formato.porcentaje(valor)


# Amounts and dates in words for legal documents, with num2words (maintained, handles
# Spanish apocope and gender: «mil un dólares con un centavo»), not hand-made tables.



_MILLON_SUSTANTIVO = re.compile(r"\b((?:mill|bill)(?:ón|ones)) (dólar)")


@register.filter
def letras(valor):
    """140714.68 → «CIENTO CUARENTA MIL SETECIENTOS CATORCE DÓLARES CON SESENTA Y OCHO CENTAVOS»."""
    if valor in (None, ""):
        return ""
    cantidad = Decimal(valor).quantize(Decimal("0.01"))
    texto = num2words(cantidad, lang="es", to="currency", currency="USD")
    # num2words writes «un millón dólares»: before a noun a round million takes «de»
    texto = _MILLON_SUSTANTIVO.sub(r"\1 de \2", texto)
    return texto.upper()


@register.filter
def fecha_larga(fecha):
    """13 de marzo de 2025"""
    return f"{fecha.day} de {MESES[fecha.month - 1]} de {fecha.year}" if fecha else ""


@register.filter
def fecha_letras(fecha):
    """trece de marzo de dos mil veinticinco"""
    if not fecha:
        return ""
    dia = "primero" if fecha.day == 1 else num2words(fecha.day, lang="es")
    return f"{dia} de {MESES[fecha.month - 1]} de {num2words(fecha.year, lang='es')}"


@register.filter
def firma_resumen(version):
    """The signature status of a file version in one Spanish line (expedientes/firmas.py)."""
    from expedientes.firmas import firma_resumen as resumen

    return resumen(version) if version else ""


@register.filter
def legible(version) -> bool:
    """The reader (expedientes/views/lector.py) can show this version in the browser."""
    from expedientes.lector import IMAGENES, PDF

    if version.destruida_en:
        return False
    if version.tipo_mime in (PDF, *IMAGENES):
        return True
    return version.tipo_mime == "image/tiff" and version.texto_estado == "ocr"  # through its OCR PDF
