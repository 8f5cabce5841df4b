"""Form fields shared by the unit's own forms and the Wagtail page editor."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

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
        super().__init__(queryset=None, **kwargs)

    def __deepcopy__(self, memo):
        # Every form instance deep-copies its fields: the queryset is set there, because
        # the class is declared at import time, before the user model is loaded.
        copia = super().__deepcopy__(memo)
        copia.queryset = abogados()
        return copia


class MontoField(forms.DecimalField):
    """USD with the Ecuadorian decimal comma (1250,75), exact Decimal."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("localize", True)
        kwargs.setdefault("help_text", "Ej.: 1250,75")
        kwargs.setdefault("error_messages", {"min_value": "El monto debe ser mayor que cero."})
        super().__init__(**kwargs)
