from django import forms
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail 8 declares the password field without a label, so it reads «Password» in any
    language; here it gets its Spanish one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Contraseña"


class OficiosRetencionForm(forms.Form):
    """The bulk retention letters' selection (portal.views.OficiosRetencionView)."""

    desde = forms.IntegerField(label="Desde el año", min_value=2000, max_value=2100, initial=2009)
    hasta = forms.IntegerField(label="Hasta el año", min_value=2000, max_value=2100, initial=2025)
    entidades = forms.MultipleChoiceField(label="Entidades", widget=forms.CheckboxSelectMultiple,
                                          initial=["sb", "seps"])
    firmante = forms.ModelChoiceField(label="Firma", required=False, queryset=None,
                                      help_text="Por omisión firma quien lo pide.")

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        from expedientes.models import Entidad
        from permisos.roles import ROL_JEFE

        super().__init__(*args, **kwargs)
        self.fields["entidades"].choices = [(e.value, e.label) for e in Entidad if e != Entidad.OTRA]
        self.fields["firmante"].queryset = get_user_model().objects.filter(groups__name=ROL_JEFE, is_active=True)

    def clean(self):
        datos = super().clean()
        if datos.get("desde") and datos.get("hasta") and datos["desde"] > datos["hasta"]:
            raise forms.ValidationError("El año inicial no puede ser posterior al año final.")
        return datos
