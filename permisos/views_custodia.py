"""The custody log in the admin: the jefe and the auditor list it (filtered by expediente,
user, period and action) and export what they filtered as CSV or XLSX. Anyone else gets a
404, as if the screen did not exist. Filtering with django-filter, like the expedientes'
listing."""

from datetime import datetime, time, timedelta

import django_filters
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.models import ExpedientePage

from . import policies
from .custodia import Accion
from .exportacion import FORMATOS, custodia_exportar
from .models import RegistroCustodia

FECHA = ["%d/%m/%Y"]


def _inicio_del_dia(dia):
    return timezone.make_aware(datetime.combine(dia, time.min))


class RegistroCustodiaFilter(django_filters.FilterSet):
    expediente = django_filters.CharFilter(label="Expediente (número)", method="por_expediente")
    usuario = django_filters.CharFilter(label="Usuario", field_name="usuario_nombre")
    desde = django_filters.DateFilter(label="Desde (dd/mm/aaaa)", method="por_desde", input_formats=FECHA)
    hasta = django_filters.DateFilter(label="Hasta (dd/mm/aaaa)", method="por_hasta", input_formats=FECHA)
    accion = django_filters.ChoiceFilter(label="Acción", choices=Accion.choices)

    class Meta:
        model = RegistroCustodia
        fields = ["expediente", "usuario", "desde", "hasta", "accion"]

    def por_expediente(self, queryset, name, valor):
        return queryset.filter(expediente__numero__icontains=valor.strip())

    def por_desde(self, queryset, name, valor):
        return queryset.filter(registrado_en__gte=_inicio_del_dia(valor))

    def por_hasta(self, queryset, name, valor):
        return queryset.filter(registrado_en__lt=_inicio_del_dia(valor + timedelta(days=1)))

    def expediente_unico(self):
        """The expediente the filter names, when it names exactly one (the export's subject)."""
        numero = (self.form.cleaned_data.get("expediente") or "").strip()
        if not numero:
            return None
        encontrados = list(ExpedientePage.objects.filter(numero__icontains=numero)[:2])
        return encontrados[0] if len(encontrados) == 1 else None

    def filtros_usados(self) -> dict:
        return {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}


def _filtro(request):
    return RegistroCustodiaFilter(
        request.GET or None, request=request,
        queryset=RegistroCustodia.objects.select_related("expediente").order_by("-secuencia"),
    )


def _exigir_permiso(request):
    if not policies.registro_custodia_puede_ver(request.user):
        raise Http404


class RegistroCustodiaView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "permisos/admin/registro_custodia.html"
    page_title = "Registro de custodia"
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        _exigir_permiso(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Registro de custodia"}]

    def get_context_data(self, **kwargs):
        filtro = _filtro(self.request)
        pagina = Paginator(filtro.qs, 50).get_page(self.request.GET.get("p"))
        consulta = self.request.GET.copy()
        consulta.pop("p", None)
        return super().get_context_data(filtro=filtro, pagina=pagina, consulta=consulta.urlencode(),
                                        formatos=list(FORMATOS), **kwargs)


def registro_custodia_exportar(request, formato):
    _exigir_permiso(request)
    if formato not in FORMATOS:
        raise Http404
    filtro = _filtro(request)
    if filtro.is_bound and not filtro.is_valid():
        messages.error(request, "Revise los filtros: no se exportó nada.")
        return redirect(f"{reverse('permisos_registro_custodia')}?{request.GET.urlencode()}")
    exportacion = custodia_exportar(
        registros=filtro.qs, formato=formato, usuario=request.user, request=request,
        filtros=filtro.filtros_usados() if filtro.is_bound else {},
        expediente=filtro.expediente_unico() if filtro.is_bound else None,
    )
    respuesta = FileResponse(exportacion.archivo, as_attachment=True, filename=exportacion.nombre,
                             content_type=exportacion.tipo)
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Content-SHA256"] = exportacion.sha256
    return respuesta
