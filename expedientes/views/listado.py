"""The unit's listing of expedientes: filters by state, province, year, lawyer and overdue
deadlines, paginated, always starting from what the user may see. Filtering with
django-filter (already a Wagtail dependency) rather than hand-parsed query strings."""

import django_filters
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes import plazos
from expedientes.campos import UsuarioPorNombreField, abogados
from expedientes.estados import Estado
from expedientes.models import ExpedientePage, Provincia
from expedientes.selectors import expedientes_visibles


class AbogadoFilter(django_filters.ModelChoiceFilter):
    field_class = UsuarioPorNombreField


class ExpedienteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Número, nombre o cédula/RUC", method="buscar")
    estado = django_filters.ChoiceFilter(label="Estado", choices=Estado.choices)
    provincia = django_filters.ChoiceFilter(label="Provincia", choices=Provincia.choices)
    anio = django_filters.NumberFilter(label="Año")
    abogado = AbogadoFilter(label="Abogado", queryset=lambda request: abogados())
    vencidos = django_filters.BooleanFilter(label="Solo con plazos vencidos", method="solo_vencidos",
                                            widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = ExpedientePage
        fields = ["q", "estado", "provincia", "anio", "abogado", "vencidos"]

    def buscar(self, queryset, name, valor):
        return queryset.filter(Q(numero__icontains=valor) | Q(coactivado__nombre__icontains=valor)
                               | Q(coactivado__identificacion__startswith=valor.strip()))

    def solo_vencidos(self, queryset, name, valor):
        if not valor:
            return queryset
        hoy = timezone.localdate()
        ids = {v.expediente.pk for v in plazos.vencimientos_pendientes(queryset, hoy=hoy, hasta=hoy)
               if v.vencido(hoy)}
        return queryset.filter(pk__in=ids)


class ListadoView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "expedientes/admin/listado.html"
    page_title = "Expedientes"
    header_icon = "folder-open-inverse"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Expedientes"}]

    def get_context_data(self, **kwargs):
        filtro = ExpedienteFilter(
            self.request.GET or None, request=self.request,
            queryset=expedientes_visibles(self.request.user).select_related("abogado").order_by("-anio", "-secuencial"),
        )
        pagina = Paginator(filtro.qs, 50).get_page(self.request.GET.get("p"))
        consulta = self.request.GET.copy()
        consulta.pop("p", None)
        return super().get_context_data(filtro=filtro, pagina=pagina, consulta=consulta.urlencode(), **kwargs)
