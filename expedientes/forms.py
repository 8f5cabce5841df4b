from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from wagtail.admin.widgets import AdminDateInput

from expedientes.campos import AbogadoField, MontoField
from expedientes.identificacion import identificacion_validar
from expedientes.models import Provincia


def errores_al_formulario(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: on its field when the form has it."""
    por_campo = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for campo, mensajes in por_campo.items():
        for mensaje in mensajes:
            form.add_error(campo if campo in form.fields else None, mensaje)


class ExpedienteAbrirForm(forms.Form):
    identificacion = forms.CharField(
        label="Cédula o RUC del coactivado", max_length=20,
        help_text="10 dígitos (cédula) o 13 dígitos (RUC).",
    )
    nombre = forms.CharField(label="Nombres o razón social", max_length=255)
    provincia = forms.ChoiceField(label="Provincia")
    fecha_recepcion = forms.DateField(
        label="Fecha de recepción de la orden de cobro", widget=AdminDateInput,
        help_text="dd/mm/aaaa",
    )
    monto_titulo = MontoField(label="Monto del título de crédito (USD)")
    abogado = AbogadoField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        jurisdiccion = set(settings.PROVINCIAS_JURISDICCION)
        self.fields["provincia"].choices = [("", "---------")] + [
            (codigo, nombre) for codigo, nombre in Provincia.choices if codigo in jurisdiccion
        ]

    def clean_identificacion(self):
        # checked here to mark the field; its warnings come from expediente_abrir
        return identificacion_validar(self.cleaned_data["identificacion"]).numero


def _campo_archivo():
    limite = filesizeformat(settings.CUSTODIA["TAMANO_MAXIMO"])
    return forms.FileField(
        label="Archivo",
        help_text=f"PDF, imagen (JPEG, PNG, TIFF) o documento de oficina; hasta {limite}.",
    )


class _ArchivoFormMixin:
    """A file stopped by the upload handler for its size never reaches the form: say why
    instead of «this field is required»."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.excedido = bool(request and "archivo" in getattr(request, "custodia_excedidos", ()))

    def full_clean(self):
        super().full_clean()
        if self.excedido:
            limite = filesizeformat(settings.CUSTODIA["TAMANO_MAXIMO"])
            self.errors["archivo"] = self.error_class(
                [f"El archivo supera el tamaño máximo permitido ({limite})."]
            )


class AdjuntoForm(_ArchivoFormMixin, forms.Form):
    titulo = forms.CharField(
        label="Título del adjunto", max_length=255, required=False,
        help_text="Ej.: «Auto de pago firmado». Si lo deja vacío, se usa el nombre del archivo.",
    )
    archivo = _campo_archivo()


class AdjuntoVersionForm(_ArchivoFormMixin, forms.Form):
    archivo = _campo_archivo()
