from decimal import Decimal

from django import template
from django.utils.numberformat import format as number_format

register = template.Library()


@register.filter
def usd(valor):
    """USD 140.714,68 — the Ecuadorian way (DOMAIN.md), from an exact Decimal."""
    if valor in (None, ""):
        return ""
    cantidad = Decimal(valor).quantize(Decimal("0.01"))
    return "USD " + number_format(
        cantidad, decimal_sep=",", decimal_pos=2, grouping=3, thousand_sep=".", force_grouping=True
    )
