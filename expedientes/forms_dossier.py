"""The forms of the insolvency dossier; each one feeds one service."""

from django import forms

from expedientes.models import EstadoJuicio, TipoActuacion
from expedientes.selectors import actuaciones_para_dossier


class ActuacionesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, actuacion):
        return actuacion.title + (f" — {actuacion.resumen}" if actuacion.resumen else "")


class DossierArmarForm(forms.Form):
    actuaciones = ActuacionesField(
        label="Actuaciones que forman el dossier", queryset=None,
        help_text="Cada archivo entra en su última versión, en el orden del expediente. El informe de "
                  "insolvencia es obligatorio.",
    )

    def __init__(self, *args, expediente, **kwargs):
        super().__init__(*args, **kwargs)
        actuaciones = actuaciones_para_dossier(expediente)
        self.fields["actuaciones"].queryset = actuaciones
        # the informe comes ticked: without it the service refuses the dossier
        self.fields["actuaciones"].initial = [
            a.pk for a in actuaciones if a.tipo == TipoActuacion.INFORME_INSOLVENCIA]


class RetiroForm(forms.Form):
    motivo = forms.CharField(label="Motivo del retiro", widget=forms.Textarea(attrs={"rows": 2}))


class JuicioForm(forms.Form):
    numero_juicio = forms.CharField(label="Número del juicio", max_length=40,
                                    help_text="Como lo asigna la Función Judicial, p. ej. 01333-2026-00123.")
    judicatura = forms.CharField(label="Judicatura", max_length=200,
                                 help_text="Unidad judicial o tribunal que conoce el juicio.")
    estado_juicio = forms.ChoiceField(label="Estado del juicio", choices=EstadoJuicio.choices)
    observaciones = forms.CharField(label="Observaciones", required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
