"""The report's parameters from the query string
(?periodo=mes|anio|rango&anio=2025&mes=3&desde=dd/mm/aaaa&hasta=dd/mm/aaaa&provincia=01),
with Spanish messages for whatever a hand-edited link may carry. A report at a cut-off
date (Informe.a_fecha) asks only for «fecha de corte» (`hasta`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from expedientes.informes.base import MESES, Parametros, Periodo, TipoPeriodo
from expedientes.models import Provincia

FORMATOS_FECHA = ["%d/%m/%Y"]
MENSAJE_FECHA = "Escriba una fecha válida así: 31/03/2025 (día/mes/año)."
PERIODOS = [(TipoPeriodo.MES, "Un mes"), (TipoPeriodo.ANIO, "Un año"), (TipoPeriodo.RANGO, "Entre dos fechas")]


def _fecha(label):
    return forms.DateField(label=label, required=False, input_formats=FORMATOS_FECHA,
                           widget=forms.TextInput(attrs={"placeholder": "dd/mm/aaaa", "size": 10}),
                           error_messages={"invalid": MENSAJE_FECHA})


class ParametrosForm(forms.Form):
    periodo = forms.ChoiceField(label="Período", choices=PERIODOS, required=False,
                                error_messages={"invalid_choice": "Elija el período: un mes, un año o entre dos fechas."})
    anio = forms.IntegerField(label="Año", required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": "Escriba el año con cuatro cifras, por ejemplo 2025.",
                                              "min_value": "El año debe estar entre 2000 y 2100.",
                                              "max_value": "El año debe estar entre 2000 y 2100."})
    mes = forms.TypedChoiceField(label="Mes", required=False, coerce=int, empty_value=None,
                                 choices=[(i, nombre.capitalize()) for i, nombre in enumerate(MESES, start=1)],
                                 error_messages={"invalid_choice": "Elija un mes entre enero (1) y diciembre (12)."})
    desde = _fecha("Desde")
    hasta = _fecha("Hasta")
    provincia = forms.ChoiceField(label="Provincia", required=False, choices=[("", "Todas"), *Provincia.choices],
                                  error_messages={"invalid_choice": "Elija una provincia de la lista."})

    def __init__(self, datos=None, *, a_fecha=False, hoy=None):
        self.a_fecha = a_fecha
        self.hoy = hoy or timezone.localdate()
        super().__init__(datos)
        if a_fecha:
            for nombre in ("periodo", "anio", "mes", "desde"):
                self.fields[nombre].widget = forms.HiddenInput()
            self.fields["hasta"].label = "Fecha de corte"

    @classmethod
    def de_consulta(cls, consulta, *, a_fecha=False, hoy=None):
        """Bound to the query string, or to the defaults (the current month; today for a
        report at a date) when it carries no parameter."""
        hoy = hoy or timezone.localdate()
        campos = ("periodo", "anio", "mes", "desde", "hasta", "provincia")
        datos = {c: consulta.get(c, "") for c in campos if c in consulta}
        if not any(datos.values()):
            datos = {"periodo": TipoPeriodo.MES, "anio": hoy.year, "mes": hoy.month}
            if a_fecha:
                datos = {"hasta": hoy.strftime("%d/%m/%Y")}
        return cls(datos, a_fecha=a_fecha, hoy=hoy)

    def clean(self):
        datos = super().clean()
        if self.errors:
            return datos
        try:
            datos["parametros"] = Parametros(periodo=self._periodo(datos), provincia=datos.get("provincia") or "")
        except ValidationError as error:
            self.add_error(None, error)  # a dict of messages goes to its fields
        return datos

    def _periodo(self, d) -> Periodo:
        if self.a_fecha:
            corte = d.get("hasta")
            if corte is None:  # a link with a month or a year: its last day
                corte = self._periodo_normal(d).hasta if (d.get("periodo") or d.get("anio")) else self.hoy
            return Periodo(TipoPeriodo.RANGO, corte, corte)
        return self._periodo_normal(d)

    def _periodo_normal(self, d) -> Periodo:
        tipo = d.get("periodo") or TipoPeriodo.MES
        if tipo == TipoPeriodo.RANGO:
            faltan = {c: f"Indique la fecha {'inicial' if c == 'desde' else 'final'} (dd/mm/aaaa)."
                      for c in ("desde", "hasta") if d.get(c) is None}
            if faltan:
                raise ValidationError(faltan)
            return Periodo.rango(d["desde"], d["hasta"])
        if d.get("anio") is None:
            raise ValidationError({"anio": "Indique el año."})
        if tipo == TipoPeriodo.ANIO:
            return Periodo.anio(d["anio"])
        if d.get("mes") is None:
            raise ValidationError({"mes": "Indique el mes."})
        return Periodo.mes(d["anio"], d["mes"])

    @property
    def parametros(self) -> Parametros:
        return self.cleaned_data["parametros"]


def consulta_de(parametros: Parametros, *, a_fecha=False) -> dict:
    """The query string that gives `parametros` back (links to the drill-down, the exports)."""
    p = parametros.periodo
    if a_fecha:
        datos = {"hasta": p.hasta.strftime("%d/%m/%Y")}
    elif p.tipo == TipoPeriodo.MES:
        datos = {"periodo": p.tipo, "anio": p.desde.year, "mes": p.desde.month}
    elif p.tipo == TipoPeriodo.ANIO:
        datos = {"periodo": p.tipo, "anio": p.desde.year}
    else:
        datos = {"periodo": p.tipo, "desde": p.desde.strftime("%d/%m/%Y"), "hasta": p.hasta.strftime("%d/%m/%Y")}
    if parametros.provincia:
        datos["provincia"] = parametros.provincia
    return datos

