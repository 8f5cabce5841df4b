"""Numbers and dates as Ecuador writes them: the one formatter and the one parser of the
portal. Forms (expedientes/campos.py), messages, documents (the `usd` template filter) and
exports print with these functions; every amount field reads with `monto_interpretar`.

    usd(Decimal("1850.4"))        → "USD 1.850,40"
    porcentaje(Decimal("8.75"))   → "8,75 %"
    fecha(date(2025, 3, 13))      → "13/03/2025"
    monto_interpretar("1.850,40") → Decimal("1850.40")

Why not a library for this: Babel (parse_decimal/format_decimal, locale es_EC, strict mode)
was tried. It reads "1.000" as a thousand and refuses "1.85", but it still takes "12,345"
as 12,345 (three decimals in an amount), refuses "1 850,40", knows no "USD 1.850,40"
(its es_EC currency format is "$1.850,40"), and Django's lax localized parsing turns "1.85"
into 185. The grammar here is one regular expression; the output is Django's own
`numberformat.format` with explicit separators (independent of the active language). One
more dependency (the whole CLDR) for that was not worth it.

Pure functions, no database: unit-tested in tests/expedientes/test_formato.py."""

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.numberformat import format as _numero_formatear

MENSAJE_MONTO = "Escriba el monto así: 1.850,40"
MENSAJE_PORCENTAJE = "Escriba el porcentaje así: 8,75"

# An integer part either grouped by thousands with dots (or a space, as printed documents
# do), each group exactly three digits, or not grouped at all; then a comma and the
# decimals. "1.85" and "1,850.40" fit neither: they are refused rather than guessed.
_NUMERO = re.compile(r"(?P<entero>\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:,(?P<decimales>\d+))?")
_ESPACIOS = re.compile(r"[\s\u00a0\u202f]+")
_PREFIJO_USD = re.compile(r"^(?:USD|US\$|\$)", re.IGNORECASE)


def _decimales_propios(valor: Decimal, minimo: int = 2) -> int:
    """9.5000 → 2, 8.8575 → 4: the value's own decimals, at least `minimo`."""
    exponente = valor.normalize().as_tuple().exponent
    return max(minimo, -exponente if isinstance(exponente, int) else 0)


def numero(valor, decimales: int | None = 2) -> str:
    """1850.4 → "1.850,40" (the figure alone). `decimales=None`: the value's own decimals,
    at least two (a rate 8.8575 keeps its four). None or "" → ""."""
    if valor in (None, ""):
        return ""
    cantidad = Decimal(valor)
    if decimales is None:
        decimales = _decimales_propios(cantidad)
    cantidad = cantidad.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)  # as liquidacion.centavos
    return _numero_formatear(cantidad, decimal_sep=",", decimal_pos=decimales, grouping=3,
                             thousand_sep=".", force_grouping=True, use_l10n=False)


def usd(valor) -> str:
    """An amount (Decimal, int or its text "1850.40") → "USD 1.850,40"; None or "" → ""."""
    texto = numero(valor)
    return f"USD {texto}" if texto else ""


def porcentaje(valor) -> str:
    """8.75 → "8,75 %"; a rate with more decimals keeps them (8.8575 → "8,8575 %")."""
    texto = numero(valor, decimales=None)
    return f"{texto} %" if texto else ""


def fecha(valor) -> str:
    """A date (or an aware datetime, read in the portal's time zone) → "dd/mm/aaaa"."""
    if not valor:
        return ""
    if isinstance(valor, datetime):
        valor = timezone.localtime(valor) if timezone.is_aware(valor) else valor
        valor = valor.date()
    return f"{valor.day:02d}/{valor.month:02d}/{valor.year:04d}"


def numero_interpretar(texto, *, decimales: int = 2, mensaje: str = MENSAJE_MONTO,
                       sufijo: str = "") -> Decimal:
    """Text as a clerk types it → exact Decimal, or a ValidationError saying how to write it.
    Accepts "1.850,40", "1850,40", "1.000" (a thousand), "1850", surrounding spaces and the
    `sufijo` (e.g. "%"); refuses signs, letters, "1,850.40", "1.85", and more than `decimales`
    decimals (so "12,345" is refused, not read as twelve)."""
    if isinstance(texto, Decimal | int) and not isinstance(texto, bool):
        return Decimal(texto)
    if not isinstance(texto, str):
        raise ValidationError(mensaje, code="invalid")
    limpio = _ESPACIOS.sub(" ", texto).strip()
    if sufijo and limpio.endswith(sufijo):
        limpio = limpio[: -len(sufijo)].rstrip()
    coincidencia = _NUMERO.fullmatch(limpio)
    if coincidencia is None or len(coincidencia["decimales"] or "") > decimales:
        raise ValidationError(mensaje, code="invalid")
    entero = coincidencia["entero"].replace(".", "").replace(" ", "")
    return Decimal(f"{entero}.{coincidencia['decimales']}" if coincidencia["decimales"] else entero)


def monto_interpretar(texto) -> Decimal:
    """"USD 1.850,40", "1.850,40", "1850,40", "1.000", "1850" → Decimal; else ValidationError
    «Escriba el monto así: 1.850,40»."""
    if isinstance(texto, str):
        texto = _PREFIJO_USD.sub("", texto.strip())
    return numero_interpretar(texto, decimales=2, mensaje=MENSAJE_MONTO)


def porcentaje_interpretar(texto, *, decimales: int = 4) -> Decimal:
    """"8,75", "8,75 %", "9,5", "8,8575" → Decimal; else «Escriba el porcentaje así: 8,75»."""
    return numero_interpretar(texto, decimales=decimales, mensaje=MENSAJE_PORCENTAJE, sufijo="%")
