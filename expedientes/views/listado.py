"""The unit's listing of expedientes: search (any words of number, debtor or cédula/RUC,
accents and order ignored), filters by scope («mis expedientes» first for an abogado), state,
province, year, lawyer and stored deadline, paginated, always starting from what the user may
see; and its export to XLSX. Filtering with django-filter (already a Wagtail dependency) rather
than hand-parsed query strings."""

import django_filters
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from archivo.fases import FaseArchivo
from expedientes import plazos
from expedientes.busqueda import expedientes_buscar
from expedientes.campos import UsuarioPorNombreField, abogados
from expedientes.estados import Estado
from expedientes.models import ExpedientePage, Provincia
from expedientes.selectors import expedientes_propios, expedientes_visibles, ve_primero_lo_suyo
from expedientes.services.exportacion import expedientes_exportar

MIS, TODOS = "mis", "todos"
ALCANCES = [(MIS, "Mis expedientes"), (TODOS, "Todos los que puedo ver")]


class AbogadoFilter(django_filters.ModelChoiceFilter):
    field_class = UsuarioPorNombreField


class ExpedienteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Número, nombre o cédula/RUC", method="buscar")
    alcance = django_filters.ChoiceFilter(label="Expedientes", choices=ALCANCES, method="por_alcance",
                                          empty_label=None)
    # «Todos»/«Todas», not Django's "---------" (point 9: no technical placeholders)
    estado = django_filters.ChoiceFilter(label="Estado", choices=Estado.choices, empty_label="Todos")
    provincia = django_filters.ChoiceFilter(label="Provincia", choices=Provincia.choices, empty_label="Todas")
    anio = django_filters.NumberFilter(label="Año")
    archivo_fase = django_filters.ChoiceFilter(label="Archivo", choices=FaseArchivo.choices, empty_label="Todas")
    abogado = AbogadoFilter(label="Abogado", queryset=lambda request: abogados(), empty_label="Todos")
    plazo = django_filters.ChoiceFilter(label="Plazos", choices=list(plazos.TRAMOS.items()), method="por_plazo",
                                        empty_label="Todos")

    class Meta:
        model = ExpedientePage
        fields = ["q", "alcance", "estado", "provincia", "anio", "archivo_fase", "abogado", "plazo"]

    def buscar(self, queryset, name, valor):
        return expedientes_buscar(queryset, valor)

    def por_alcance(self, queryset, name, valor):
        return expedientes_propios(self.request.user, queryset) if valor == MIS else queryset

    def por_plazo(self, queryset, name, valor):
        return plazos.con_plazo(queryset, valor, hoy=timezone.localdate()) if valor else queryset

    def filtros_usados(self) -> dict:
        return {k: getattr(v, "pk", v) for k, v in self.form.cleaned_data.items() if v not in (None, "")}


def listado_filtro(request) -> ExpedienteFilter:
    """The listing's filter on what the user may see. An abogado starts on their own expedientes
    («mis expedientes»); «todos» shows everything they may see."""
    datos = request.GET.copy()
    if not datos.get("alcance"):
        datos["alcance"] = MIS if ve_primero_lo_suyo(request.user) else TODOS
    filtro = ExpedienteFilter(
        datos, request=request,
        queryset=expedientes_visibles(request.user).select_related("abogado").order_by("-anio", "-secuencial"),
    )
    return filtro


class ListadoView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "expedientes/admin/listado.html"
    page_title = "Expedientes"
    header_icon = "folder-open-inverse"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Expedientes"}]

    def get_context_data(self, **kwargs):
        filtro = listado_filtro(self.request)
        pagina = Paginator(filtro.qs, 50).get_page(self.request.GET.get("p"))
        consulta = self.request.GET.copy()
        consulta.pop("p", None)
        return super().get_context_data(filtro=filtro, pagina=pagina, consulta=consulta.urlencode(),
                                        hoy=timezone.localdate(), **kwargs)


def listado_exportar(request):
    """The filtered listing as XLSX: the same filter on what the user may see, written and logged
    by the portal's one export writer (permisos.exportacion)."""
    filtro = listado_filtro(request)
    if not filtro.is_valid():
        messages.error(request, "Revise los filtros: no se exportó nada.")
        return redirect(f"{reverse('expedientes_listado')}?{request.GET.urlencode()}")
    exportacion = expedientes_exportar(expedientes=filtro.qs, usuario=request.user, request=request,
                                       filtros=filtro.filtros_usados())
    respuesta = FileResponse(exportacion.archivo, as_attachment=True, filename=exportacion.nombre,
                             content_type=exportacion.tipo)
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Content-SHA256"] = exportacion.sha256
    return respuesta
