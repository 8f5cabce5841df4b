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


def _campo_archivo():
    limite = filesizeformat(settings.CUSTODIA["TAMANO_MAXIMO"])
    return forms.FileField(
        label="Archivo",
        help_text=f"PDF, imagen (JPEG, PNG, TIFF) o documento de oficina; hasta {limite}.",
    )


class ArchivoFormMixin:
    """A file stopped by the upload handler for its size never reaches the form: say why
    instead of «this field is required»."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.excedido = bool(request and self.add_prefix("archivo") in getattr(request, "custodia_excedidos", ()))

    def full_clean(self):
        super().full_clean()
        if self.excedido:
            limite = filesizeformat(settings.CUSTODIA["TAMANO_MAXIMO"])
            self.errors["archivo"] = self.error_class(
                [f"El archivo supera el tamaño máximo permitido ({limite})."]
            )


class AdjuntoForm(ArchivoFormMixin, forms.Form):
    titulo = forms.CharField(
        label="Título del adjunto", max_length=255, required=False,
        help_text="Ej.: «Auto de pago firmado». Si lo deja vacío, se usa el nombre del archivo.",
    )
    archivo = _campo_archivo()


class AdjuntoVersionForm(ArchivoFormMixin, forms.Form):
    archivo = _campo_archivo()


class ExpedienteAbrirForm(ArchivoFormMixin, forms.Form):
    """What the orden de cobro says: its number and date, the título de crédito (number,
    date, amount), who owes and where to cite them; and, optionally, its scan."""

    orden_cobro_numero = forms.CharField(label="Número de la orden de cobro", max_length=60)
    fecha_recepcion = forms.DateField(
        label="Fecha de recepción de la orden de cobro", widget=AdminDateInput, help_text="dd/mm/aaaa",
    )
    titulo_numero = forms.CharField(label="Número del título de crédito", max_length=60)
    titulo_fecha = forms.DateField(label="Fecha de emisión del título de crédito", widget=AdminDateInput,
                                   help_text="dd/mm/aaaa")
    monto_titulo = MontoField(label="Monto del título de crédito (USD)")
    identificacion = forms.CharField(
        label="Cédula o RUC del coactivado", max_length=20,
        help_text="10 dígitos (cédula) o 13 dígitos (RUC).",
    )
    nombre = forms.CharField(label="Nombres o razón social", max_length=255)
    provincia = forms.ChoiceField(label="Provincia")
    domicilio = forms.CharField(label="Domicilio del coactivado", max_length=300, required=False,
                                help_text="Dirección para la citación, según la orden de cobro.")
    telefono = forms.CharField(label="Teléfono", max_length=40, required=False)
    correo = forms.EmailField(label="Correo electrónico", required=False,
                              error_messages={"invalid": "Escriba un correo electrónico válido, p. ej. nombre@dominio.ec."})
    casillero_judicial = forms.CharField(label="Casillero judicial o electrónico", max_length=60, required=False)
    abogado = AbogadoField()
    archivo = forms.FileField(
        label="Escaneo de la orden de cobro", required=False,
        help_text=f"Opcional. PDF o imagen (JPEG, PNG, TIFF); hasta "
                  f"{filesizeformat(settings.CUSTODIA['TAMANO_MAXIMO'])}. Pasa por el antivirus antes de abrir el expediente.",
    )

    GRUPOS = (
        ("Orden de cobro y título de crédito",
         ("orden_cobro_numero", "fecha_recepcion", "titulo_numero", "titulo_fecha", "monto_titulo")),
        ("Coactivado", ("identificacion", "nombre", "provincia", "domicilio", "telefono", "correo",
                        "casillero_judicial")),
        ("Trámite", ("abogado", "archivo")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        jurisdiccion = set(settings.PROVINCIAS_JURISDICCION)
        self.fields["provincia"].choices = [("", "Elija la provincia")] + [
            (codigo, nombre) for codigo, nombre in Provincia.choices if codigo in jurisdiccion
        ]

    def grupos(self):
        return [(titulo, [self[c] for c in campos]) for titulo, campos in self.GRUPOS]

    def clean_identificacion(self):
        # checked here to mark the field; its warnings come from expediente_abrir
        return identificacion_validar(self.cleaned_data["identificacion"]).numero

    def clean(self):
        datos = super().clean()
        emitido, recibido = datos.get("titulo_fecha"), datos.get("fecha_recepcion")
        if emitido and recibido and emitido > recibido:
            self.add_error("titulo_fecha", "El título de crédito no puede haberse emitido después de recibir "
                                           "la orden de cobro.")
        return datos

    def contacto(self) -> dict:
        return {campo: self.cleaned_data.get(campo, "") for campo in
                ("domicilio", "telefono", "correo", "casillero_judicial")}
