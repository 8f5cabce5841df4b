"""Wagtail panels written the portal's way."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from wagtail.admin.panels import FieldPanel

from expedientes import formato


class DatoPanel(FieldPanel):
    """A read-only datum in the Wagtail editor as the unit reads it: an amount «USD 1.850,40»,
    a date dd/mm/aaaa, a user by name, and nothing as «—» (Wagtail would print «None»)."""

    def __init__(self, field_name, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(field_name, **kwargs)

    def format_value_for_display(self, value):
        if value is None or value == "":
            return "—"
        if isinstance(value, Decimal):
            return formato.usd(value)
        if isinstance(value, date):
            return formato.fecha(value)
        if isinstance(value, AbstractBaseUser):
            return value.get_full_name() or value.get_username()
        return super().format_value_for_display(value)
