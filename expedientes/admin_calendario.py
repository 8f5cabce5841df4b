"""The legal calendar in the Wagtail admin: the jefe adds decreed days, local holidays and
working-day corrections; the others consult it. Model permissions decide (add/change/
delete/view_diaespecial, granted per role in permisos/roles.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from expedientes.calendario import DIAS_SEMANA, fecha_formatear
from expedientes.models import DiaEspecial
from expedientes.models.calendario import TipoDiaEspecial


def _anios():
    return [(fecha.year, str(fecha.year)) for fecha in
            DiaEspecial.objects.dates("fecha", "year", order="DESC")]


class DiaEspecialFilterSet(WagtailFilterSet):
    anio = django_filters.ChoiceFilter(field_name="fecha__year", choices=_anios, label=_("Año"))
    tipo = django_filters.ChoiceFilter(choices=TipoDiaEspecial.choices, label=_("Tipo"))
    laborable = django_filters.ChoiceFilter(
        choices=[("1", _("Sí: día hábil")), ("0", _("No: día de descanso"))],
        label=_("Laborable"),
    )

    class Meta:
        model = DiaEspecial
        fields = ["anio", "tipo", "laborable"]


class DiaEspecialIndexView(IndexView):
    default_ordering = "-fecha"


class _MostrarElDia:
    """After saving, the listing opens on the day's year (where the user will look for it),
    and the message names the day dd/mm/aaaa."""

    def get_success_url(self):
        return f"{super().get_success_url()}?anio={self.object.fecha.year}"

    def get_success_message(self, instance=None):
        dia = instance or self.object
        return (f"{self.mensaje_exito} el {fecha_formatear(dia.fecha)} ({DIAS_SEMANA[dia.fecha.weekday()]}), "
                f"«{dia.nombre}», como {'día hábil' if dia.laborable else 'día de descanso'}. "
                f"Se muestra el calendario de {dia.fecha.year}.")


class DiaEspecialCreateView(_MostrarElDia, CreateView):
    mensaje_exito = "Se agregó al calendario"

    def save_instance(self):
        # who added a day is recorded from the session, never typed (the form has no such field)
        self.form.instance.creado_por = self.request.user
        return super().save_instance()


class DiaEspecialEditView(_MostrarElDia, EditView):
    mensaje_exito = "Se actualizó en el calendario"


class DiaEspecialViewSet(SnippetViewSet):
    model = DiaEspecial
    icon = "date"
    menu_label = _("Calendario")
    menu_order = 170
    add_to_admin_menu = True
    index_view_class = DiaEspecialIndexView
    add_view_class = DiaEspecialCreateView
    edit_view_class = DiaEspecialEditView
    # The form's fields, explicitly: without panels Wagtail's snippet form offers every
    # editable field, «registrado por» included; who registered a day comes from the session.
    panels = [FieldRowPanel([FieldPanel("fecha"), FieldPanel("tipo")]), FieldPanel("nombre"),
              FieldPanel("laborable"), FieldPanel("fuente")]
    list_display = [
        "fecha",
        Column("dia", label=_("Día"), accessor=lambda dia: DIAS_SEMANA[dia.fecha.weekday()]),
        "nombre", "tipo",
        Column("laborable", label=_("Laborable"),
               accessor=lambda dia: _("Sí") if dia.laborable else _("No")),
        "fuente",
        Column("creado_por", label=_("Registrado por"),
               accessor=lambda dia: dia.creado_por.get_full_name() if dia.creado_por else ""),
    ]
    filterset_class = DiaEspecialFilterSet
    search_fields = ["nombre"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return DiaEspecial.objects.select_related("creado_por")
