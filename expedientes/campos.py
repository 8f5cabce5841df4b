"""Form fields shared by the unit's own forms and the Wagtail page editor."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from expedientes import formato
from permisos.roles import ROL_ABOGADO


def abogados():
    return get_user_model().objects.filter(
        groups__name=ROL_ABOGADO, is_active=True
    ).order_by("first_name", "last_name")


class UsuarioPorNombreField(forms.ModelChoiceField):
    def label_from_instance(self, usuario):
        return usuario.get_full_name() or usuario.username


class AbogadoField(UsuarioPorNombreField):
    """Active users of the Abogado role, shown by name (not by username)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Abogado impulsor")
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "Sin asignar")
        super().__init__(queryset=None, **kwargs)

    def __deepcopy__(self, memo):
        # Every form instance deep-copies its fields: the queryset is set there, because
        # the class is declared at import time, before the user model is loaded.
        copia = super().__deepcopy__(memo)
        copia.queryset = abogados()
        return copia


class NumeroField(forms.DecimalField):
    """A decimal number as Ecuador writes it («1.850,40»), read by the portal's one parser
    (expedientes/formato.py) and shown the same way. Django's own localized DecimalField
    reads "1.85" as 185 (it drops every dot) and renders 1850.40 as "1850,40": not used."""

    mensaje = formato.MENSAJE_MONTO
    predeterminados: dict = {}  # a subclass's defaults (digits, minimum, help, messages)
    decimales_propios = False  # shown with its own decimals (a rate 8,8575 / 9,50), not padded

    def __init__(self, **kwargs):
        for clave, valor in self.predeterminados.items():
            kwargs.setdefault(clave, valor)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = self.mensaje

    def interpretar(self, texto):
        return formato.numero_interpretar(texto, decimales=self.decimal_places or 2, mensaje=self.mensaje)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.interpretar(value)
        except ValidationError as error:
            if error.code == "min_value":  # "-1" for a rate: say it may not be negative
                raise
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        # a value from the database or an initial: "1.850,40"; what the user typed stays as typed
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return formato.numero(value, decimales=None if self.decimales_propios else self.decimal_places)
        return value

    def widget_attrs(self, widget):
        # no step/min/max HTML attributes: the field is text, the parser decides
        return {}


class MontoField(NumeroField):
    """USD with the Ecuadorian decimal comma and thousands dot (1.850,40), exact Decimal."""

    predeterminados = {
        "max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01"), "help_text": "Ej.: 1.850,40",
        "error_messages": {"min_value": "El monto debe ser mayor que cero."},
    }

    def interpretar(self, texto):
        return formato.monto_interpretar(texto)  # also "USD 1.850,40"


class PorcentajeField(NumeroField):
    """A rate in percent: «8,75» or «8,75 %» (up to its decimal places, 4 by default)."""

    mensaje = formato.MENSAJE_PORCENTAJE
    decimales_propios = True
    predeterminados = {
        "max_digits": 7, "decimal_places": 4, "min_value": Decimal("0"),
        "help_text": "Con coma decimal, p. ej. 8,75 o 8,8575.",
        "error_messages": {"min_value": "La tasa no puede ser negativa."},
    }

    def interpretar(self, texto):
        if isinstance(texto, str) and texto.strip().startswith("-"):
            formato.porcentaje_interpretar(texto.strip()[1:], decimales=self.decimal_places)
            raise ValidationError(self.error_messages["min_value"], code="min_value")
        return formato.porcentaje_interpretar(texto, decimales=self.decimal_places)
