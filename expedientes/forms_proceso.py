"""The small forms of the process screen; each one feeds one service."""

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput

from expedientes.campos import AbogadoField, MontoField, UsuarioPorNombreField
from expedientes.estados import Estado, siguientes
from expedientes.formato import usd
from expedientes.forms import ArchivoFormMixin
from expedientes.models import (
    ClaveDocumento, Entidad, FormaCitacion, MedidaCautelar, ObjetoBusqueda, OrigenPago, Provincia, RegistroPublico,
    Remate, ResultadoRemate, TipoBien,
)
from expedientes.services.firmantes import firmante_predeterminado, firmantes_posibles


def _fecha(label="Fecha"):
    return forms.DateField(label=label, widget=AdminDateInput, initial=timezone.localdate)


class AccionForm(forms.Form):
    """A token per rendered form: the view records each one once (EnvioFormulario), so a
    double click records the act once."""

    envio = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["envio"].initial = uuid.uuid4()


class PagoForm(AccionForm):
    fecha = _fecha()
    monto = MontoField(label="Monto (USD)")
    origen = forms.ChoiceField(label="Origen", choices=OrigenPago.choices)
    recibo = forms.CharField(label="Número de comprobante", max_length=60)
    # where the money came from, when the origen asks for it (services/cuenta.py decides)
    medida = forms.ModelChoiceField(label="Oficio que retuvo los fondos", queryset=MedidaCautelar.objects.none(),
                                    required=False, empty_label="—",
                                    help_text="Solo para «Fondos retenidos».")
    remate = forms.ModelChoiceField(label="Remate adjudicado", queryset=Remate.objects.none(), required=False,
                                    empty_label="—", help_text="Solo para «Producto del remate».")

    def __init__(self, *args, expediente=None, **kwargs):
        super().__init__(*args, **kwargs)
        if expediente is not None:
            self.fields["medida"].queryset = expediente.medidas.filter(monto_retenido__gt=0)
            self.fields["medida"].label_from_instance = (
                lambda m: f"{m.oficio_numero} — {m.entidad_nombre} ({usd(m.monto_retenido)})")
            self.fields["remate"].queryset = Remate.objects.filter(
                bien__expediente=expediente, resultado=ResultadoRemate.ADJUDICADO).select_related("bien")
            self.fields["remate"].label_from_instance = (
                lambda r: f"{r.bien.descripcion} — {usd(r.valor_adjudicado)} ({r.fecha_resultado:%d/%m/%Y})")


class AnulacionForm(AccionForm):
    motivo = forms.CharField(label="Motivo de la anulación", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Escriba el motivo de la anulación."})


class CostaForm(AccionForm):
    fecha = _fecha()
    concepto = forms.CharField(label="Concepto", max_length=200)
    monto = MontoField(label="Monto (USD)")


class TransicionForm(AccionForm):
    hasta = forms.ChoiceField(label="Nuevo estado")
    fecha = _fecha()
    motivo = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, estado, **kwargs):
        super().__init__(*args, **kwargs)
        # a citation is an act with its razón (CitacionForm), not a bare change of state
        self.fields["hasta"].choices = [(e.value, e.label) for e in siguientes(estado) if e != Estado.CITADO]


class CitacionForm(ArchivoFormMixin, AccionForm):
    fecha = _fecha("Fecha de la citación")
    forma = forms.ChoiceField(label="Forma de citación", choices=FormaCitacion.choices)
    archivo = forms.FileField(label="Razón de citación",
                              help_text="El escaneo de la razón firmada (PDF o imagen).")
    observaciones = forms.CharField(label="Observaciones", required=False, max_length=1000,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class FirmanteField(UsuarioPorNombreField):
    """Who signs the document: active users with a signing role (services/firmantes.py)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Firma")
        kwargs.setdefault("help_text", "Quien firma el documento; su nombre y cargo se imprimen al pie.")
        # left empty, the document's default signer (services/firmantes.py), never who clicks
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "El predeterminado del documento")
        super().__init__(queryset=firmantes_posibles(), **kwargs)


class FirmaMixin:
    """A form that generates a document: its signer is chosen, the default one preselected
    (the funcionario ejecutor; the secretaría for oficios)."""

    firma_de = ClaveDocumento.AUTO_PAGO  # the document whose default signer is preselected

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firmante"] = FirmanteField()
        predeterminado = firmante_predeterminado(self.firma_de)
        self.fields["firmante"].initial = predeterminado.pk if predeterminado else None


class MedidaForm(FirmaMixin, AccionForm):
    firma_de = ClaveDocumento.OFICIO_RETENCION
    entidad = forms.ChoiceField(label="Entidad", choices=Entidad.choices)
    entidad_detalle = forms.CharField(label="Detalle de la entidad", max_length=160, required=False,
                                      help_text="Solo si eligió «Otra entidad».")
    fecha = _fecha("Fecha del oficio")


class RespuestaForm(AccionForm):
    fecha = _fecha("Fecha de la respuesta")
    monto_retenido = MontoField(label="Monto retenido (USD)", min_value=Decimal("0"),
                                help_text="Ej.: 1.850,40; 0 si no se retuvo nada.")
    observaciones = forms.CharField(label="Observaciones", required=False, max_length=500)


class FechaForm(AccionForm):
    fecha = _fecha()


class EmbargoForm(FirmaMixin, FechaForm):
    firma_de = ClaveDocumento.AUTO_EMBARGO


class LevantarForm(FirmaMixin, FechaForm):
    firma_de = ClaveDocumento.OFICIO_LEVANTAMIENTO


class BienForm(FirmaMixin, AccionForm):
    """A vehicle, a property or another asset (retained funds are seized from their oficio)."""

    firma_de = ClaveDocumento.AUTO_EMBARGO
    tipo = forms.ChoiceField(label="Tipo de bien", choices=[c for c in TipoBien.choices if c[0] != TipoBien.FONDOS])
    descripcion = forms.CharField(label="Descripción", max_length=300,
                                  help_text="Placa, matrícula inmobiliaria, ubicación, clave catastral…")
    fecha = _fecha("Fecha del embargo")
    avaluo = MontoField(label="Avalúo (USD)", required=False, help_text="Si ya se conoce; puede registrarse después.")


class AvaluoForm(AccionForm):
    avaluo = MontoField(label="Avalúo (USD)")
    fecha = _fecha("Fecha del avalúo")
    perito = forms.CharField(label="Perito", max_length=160, required=False)


class RemateForm(AccionForm):
    fecha = _fecha("Fecha de la providencia")
    fecha_senalada = forms.DateField(label="Fecha señalada para el remate", widget=AdminDateInput)
    base = MontoField(label="Base del remate (USD)")


RESULTADOS_REMATE = [(r.value, r.label) for r in ResultadoRemate if r != ResultadoRemate.SENALADO]


class ResultadoRemateForm(AccionForm):
    resultado = forms.ChoiceField(label="Resultado", choices=RESULTADOS_REMATE)
    fecha = _fecha("Fecha")
    valor_adjudicado = MontoField(label="Valor adjudicado (USD)", required=False, help_text="Solo si se adjudicó.")
    adjudicatario = forms.CharField(label="Adjudicatario", max_length=200, required=False,
                                    help_text="Nombre e identificación; solo si se adjudicó.")
    observaciones = forms.CharField(label="Observaciones", max_length=500, required=False)


class LevantarBienForm(AccionForm):
    fecha = _fecha("Fecha del levantamiento")
    motivo = forms.CharField(label="Motivo", max_length=300)


class InsolvenciaForm(FirmaMixin, FechaForm):
    firma_de = ClaveDocumento.INFORME_INSOLVENCIA


class BusquedaForm(AccionForm):
    registro = forms.ChoiceField(label="Registro consultado", choices=RegistroPublico.choices)
    objeto = forms.ChoiceField(label="Se buscó", choices=ObjetoBusqueda.choices)
    fecha = _fecha()
    resultado = forms.CharField(label="Resultado", max_length=300)
    encontrado = forms.BooleanField(label="Se encontró lo buscado", required=False)


class PublicacionForm(AccionForm):
    periodico = forms.CharField(label="Periódico", max_length=120)
    fecha = _fecha("Fecha de publicación")
    costo = MontoField(label="Costo (USD)")


# Documents that need nothing but the expediente (oficios are generated with their measure).
DOCUMENTOS_LIBRES = [ClaveDocumento.AUTO_PAGO, ClaveDocumento.PROVIDENCIA_IMPULSO,
                     ClaveDocumento.RAZON_CITACION, ClaveDocumento.AUTO_EMBARGO]


class DocumentoForm(FirmaMixin, AccionForm):
    clave = forms.ChoiceField(label="Documento", choices=[(c.value, c.label) for c in DOCUMENTOS_LIBRES])
    fecha = _fecha()


class ConvenioForm(AccionForm):
    fecha = _fecha("Fecha de aceptación")
    cuotas = forms.IntegerField(label="Número de cuotas mensuales", min_value=1, max_value=60)
    primera = forms.DateField(label="Vence la primera cuota", widget=AdminDateInput)
    dias_gracia = forms.IntegerField(label="Días de gracia", min_value=0, max_value=60, initial=5)
    resolucion = forms.CharField(label="Resolución", max_length=120, required=False)


class TituloForm(AccionForm):
    titulo = forms.ChoiceField(label="Título de crédito")
    capital = MontoField(label="Capital correcto (USD)")
    motivo = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, titulos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["titulo"].choices = [(t.pk, f"{t.numero} ({usd(t.capital)})") for t in titulos]


class CorreccionForm(AccionForm):
    fecha_recepcion = forms.DateField(label="Fecha de recepción correcta", widget=AdminDateInput, required=False)
    provincia = forms.ChoiceField(label="Provincia correcta", required=False,
                                  choices=[("", "—sin cambio—")] + list(Provincia.choices))
    motivo = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 2}))


class AsignacionForm(AccionForm):
    abogado = AbogadoField(label="Abogado impulsor")
    motivo = forms.CharField(label="Motivo", required=False, max_length=300)
