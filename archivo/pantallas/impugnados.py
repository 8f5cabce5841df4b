"""The clean-up of the contested cases: the worklist with its progress, the selection of the
expedientes in «Impugnado», and per row the forms to record the court case and its ruling
(archivist, jefe) and to reactivate or close (jefe). Only rows of expedientes the user may
see, never the unit's others (permisos.policies). Each view parses, calls one service
(archivo.services.impugnados), responds."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.widgets import AdminDateInput

from archivo.models import EstadoCausa, ProcesoImpugnado, ResultadoDepuracion
from archivo.pantallas import PermisoMenuItem
from archivo.services import impugnados
from expedientes.estados import EJECUCION, Estado
from expedientes.forms import errores_al_formulario
from expedientes.models import ExpedientePage
from permisos import policies

from .fisico import (
    ArchivoVistaMixin,
    ExpedientePorNumeroField,
    FormConUsuario,
    visibles,
)

PERMISO_VER = "archivo.view_procesoimpugnado"


class SeleccionarForm(FormConUsuario):
    expediente = ExpedientePorNumeroField(help_text="En «Impugnado», o que lo estuvo alguna vez.")
    numero_causa = forms.CharField(label="Número de causa en el TCA", max_length=60, required=False)
    tribunal = forms.CharField(label="Tribunal", max_length=200, required=False)


class RegistroForm(forms.Form):
    numero_causa = forms.CharField(label="Número de causa", max_length=60, required=False)
    tribunal = forms.CharField(label="Tribunal", max_length=200, required=False)
    estado_causa = forms.ChoiceField(label="Estado de la causa", choices=EstadoCausa.choices)
    fecha_sentencia = forms.DateField(label="Fecha de la sentencia", widget=AdminDateInput, required=False,
                                      help_text="dd/mm/aaaa")
    sentencia = forms.CharField(label="Sentencia / resolución", required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    observaciones = forms.CharField(label="Observaciones", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReactivarForm(forms.Form):
    hasta = forms.ChoiceField(label="Reanudar en", choices=[(e, Estado(e).label) for e in EJECUCION])
    motivo = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 2}))


class CerrarForm(forms.Form):
    motivo = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 2}))


# accion → (form, service, success message)
ACCIONES = {
    "registrar": (RegistroForm, impugnados.impugnado_registrar, "Causa y sentencia registradas."),
    "reactivar": (ReactivarForm, impugnados.impugnado_reactivar, "Ejecución reactivada."),
    "cerrar": (CerrarForm, impugnados.impugnado_cerrar, "Proceso cerrado: el expediente pasa a «Archivado»."),
}


def formularios(proceso, acciones, enviados=None) -> dict:
    """The forms of the actions the user may take on this row, prefixed by the row (a
    listing holds many)."""
    enviados = enviados or {}
    prefijo = f"p{proceso.pk}"
    resultado = {}
    for accion in (a for a in ACCIONES if a in acciones):  # in the order of the work
        clase = ACCIONES[accion][0]
        inicial = ({c: getattr(proceso, c) for c in RegistroForm.base_fields} if accion == "registrar" else {})
        resultado[accion] = enviados.get(accion) or clase(prefix=prefijo, initial=inicial)
    return resultado


def _proceso_visible(request, proceso_id) -> ProcesoImpugnado:
    proceso = (ProcesoImpugnado.objects.select_related("expediente__coactivado", "seleccionado_por",
                                                       "revisado_por", "decision__usuario")
               .filter(pk=proceso_id).first())
    if proceso is None or not policies.expediente_puede_ver(request.user, proceso.expediente):
        raise Http404
    return proceso


class ImpugnadoFilter(django_filters.FilterSet):
    resultado = django_filters.ChoiceFilter(label="Resultado", choices=ResultadoDepuracion.choices,
                                            empty_label="Todos")
    q = django_filters.CharFilter(label="Número del expediente o de la causa", method="buscar")

    class Meta:
        model = ProcesoImpugnado
        fields = ["resultado", "q"]

    def buscar(self, queryset, name, valor):
        from django.db.models import Q

        return queryset.filter(Q(expediente__numero__icontains=valor) | Q(numero_causa__icontains=valor))


class ImpugnadosView(ArchivoVistaMixin, TemplateView):
    template_name = "archivo/impugnados/listado.html"
    page_title = "Depuración de procesos impugnados"
    permiso = PERMISO_VER
    seccion = ("archivo_impugnados", "Procesos impugnados")

    def get_context_data(self, **kwargs):
        u = self.request.user
        filtro = ImpugnadoFilter(self.request.GET, queryset=ProcesoImpugnado.objects.filter(
            expediente__in=visibles(u)).select_related("expediente__coactivado", "decision__usuario")
            .order_by("resultado", "seleccionado_en", "pk"))
        pagina = self.pagina(filtro.qs)
        trabaja = set(policies.expedientes_filtrar_visibles(
            u, ExpedientePage.objects.filter(pk__in=[p.expediente_id for p in pagina.object_list]),
            policies.TRABAJAR).values_list("pk", flat=True))
        filas = [(p, formularios(p, impugnados.impugnado_acciones(
            proceso=p, usuario=u, trabaja=p.expediente_id in trabaja))) for p in pagina.object_list]
        avance = impugnados.depuracion_avance(usuario=u)
        puede = u.has_perm(impugnados.PERMISO)
        candidatos = (policies.expedientes_filtrar_visibles(u, impugnados.impugnados_sin_seleccionar())
                      .select_related("coactivado").order_by("numero")[:50] if puede else [])
        kwargs.setdefault("form", SeleccionarForm(usuario=u))
        return super().get_context_data(
            filtro=filtro, pagina=pagina, filas=filas, avance=avance, puede_seleccionar=puede,
            candidatos=candidatos, porcentajes=_porcentajes(avance), **kwargs)

    def post(self, request, *args, **kwargs):
        form = SeleccionarForm(request.POST, usuario=request.user)
        if self.intentar(form, lambda **d: impugnados.impugnado_seleccionar(usuario=request.user, **d),
                         "Expediente seleccionado para la depuración."):
            return redirect("archivo_impugnados")
        return self.render_to_response(self.get_context_data(form=form))


def _porcentajes(avance) -> dict:
    total = avance["seleccionados"] or 1
    return {clave: round(100 * avance[clave] / total) for clave in ("revisados", "reactivados", "cerrados")}


class ImpugnadoView(ArchivoVistaMixin, TemplateView):
    template_name = "archivo/impugnados/proceso.html"
    page_title = "Proceso impugnado"
    permiso = PERMISO_VER
    seccion = ("archivo_impugnados", "Procesos impugnados")

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(self.permiso):
            self.proceso = _proceso_visible(request, kwargs["proceso_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.proceso.expediente.numero

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.proceso.expediente.numero}]

    def get_context_data(self, enviados=None, **kwargs):
        acciones = impugnados.impugnado_acciones(proceso=self.proceso, usuario=self.request.user)
        return super().get_context_data(proceso=self.proceso, expediente=self.proceso.expediente,
                                        formularios=formularios(self.proceso, acciones, enviados), **kwargs)


class ImpugnadoAccionView(ImpugnadoView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if kwargs["accion"] not in ACCIONES:
            raise Http404
        clase, servicio, exito = ACCIONES[kwargs["accion"]]
        form = clase(request.POST, prefix=f"p{self.proceso.pk}")
        if form.is_valid():
            try:
                servicio(proceso=self.proceso, usuario=request.user, **form.cleaned_data)
            except ValidationError as error:
                errores_al_formulario(form, error)
            else:
                messages.success(request, f"{self.proceso.expediente.numero}: {exito}")
                if request.POST.get("volver") == "listado":
                    return redirect("archivo_impugnados")
                return redirect("archivo_impugnado", self.proceso.pk)
        messages.error(request, "No se guardó: " + (" ".join(form.non_field_errors())
                                                    or "revise el formulario marcado."))
        return self.render_to_response(self.get_context_data(enviados={kwargs["accion"]: form}))


@hooks.register("register_admin_urls")
def urls_impugnados():
    return [
        path("archivo/impugnados/", ImpugnadosView.as_view(), name="archivo_impugnados"),
        path("archivo/impugnados/<int:proceso_id>/", ImpugnadoView.as_view(), name="archivo_impugnado"),
        path("archivo/impugnados/<int:proceso_id>/<str:accion>/", ImpugnadoAccionView.as_view(),
             name="archivo_impugnado_accion"),
    ]


@hooks.register("register_archivo_menu_item")
def menu_impugnados():
    return PermisoMenuItem("Procesos impugnados", reverse("archivo_impugnados"), permiso=PERMISO_VER,
                            icon_name="clipboard-list", order=320)
