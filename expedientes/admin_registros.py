"""The unit's registers in the Wagtail admin, under one «Registros» menu: the coactivados with
their addresses, the interest-rate table, the document templates and the legal calendar.
Model permissions decide who keeps or consults each (permisos/roles.py); the views only
record who did it and keep the template set fixed."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import (
    ChooseResultsView, ChooseView, SnippetChooserViewSet, SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    CreateView, EditView, IndexView, SnippetViewSet, SnippetViewSetGroup,
)

from expedientes import formato
from expedientes.campos import PorcentajeField
from expedientes.documentos.contexto import EXTRA_EJEMPLO, contexto_ejemplo
from expedientes.identificacion import TipoIdentificacion
from expedientes.models import Coactivado, Domicilio, PlantillaDocumento, TasaInteres
from expedientes.paneles import DatoPanel
from expedientes.selectors import expedientes_visibles
from expedientes.services import tasas
from expedientes.services.documentos import plantilla_validar
from expedientes.templatetags.coactivas import register as filtros_de_plantilla
from permisos import policies

from .admin_calendario import DiaEspecialViewSet


def _nombre_de(usuario):
    return (usuario.get_full_name() or usuario.username) if usuario else ""


# --- Coactivados ------------------------------------------------------------------------

class ExpedientesDelCoactivadoPanel(HelpPanel):
    """The coactivado's expedientes, read-only, only those the user may see."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "expedientes/panels/coactivado_expedientes.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            coactivado = self.instance
            context["expedientes"] = []
            if coactivado is not None and coactivado.pk:
                context["expedientes"] = expedientes_visibles(self.request.user).filter(
                    coactivado=coactivado).order_by("numero")
            return context


class AdvertenciaPanel(HelpPanel):
    """The identification's warning (a RUC whose check digit fails), only when there is one."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            advertencia = getattr(self.instance, "advertencia", "")
            self.content = format_html('<p class="help-block help-warning">{}</p>', advertencia)

        def is_shown(self):
            return bool(getattr(self.instance, "advertencia", ""))


class CoactivadoFilterSet(WagtailFilterSet):
    tipo_identificacion = django_filters.ChoiceFilter(
        choices=TipoIdentificacion.choices, label=_("Tipo de identificación"))
    domicilio_desactualizado = django_filters.ChoiceFilter(
        label=_("Con domicilio desactualizado"), method="filtrar_domicilio_desactualizado",
        choices=[("1", _("Sí: el último domicilio registrado no corresponde")), ("0", _("No"))],
    )

    class Meta:
        model = Coactivado
        fields = ["tipo_identificacion", "domicilio_desactualizado"]

    def filtrar_domicilio_desactualizado(self, queryset, name, value):
        # needs the annotation of Coactivado.objects.con_domicilio_vigente()
        if value == "1":
            return queryset.filter(ultimo_domicilio_desactualizado=True)
        return queryset.filter(Q(ultimo_domicilio_desactualizado=False)
                               | Q(ultimo_domicilio_desactualizado__isnull=True))


def _autor_de_domicilios_nuevos(form, usuario):
    for domicilio_form in form.formsets["domicilios"].forms:
        if domicilio_form.instance.pk is None:
            domicilio_form.instance.registrado_por = usuario


class CoactivadoForm(WagtailAdminModelForm):
    """An address once registered is history (the citation that failed there proves it):
    it may only be marked «desactualizado», never deleted or rewritten."""

    EDITABLES = {"desactualizado", "id", "ORDER", "DELETE"}

    def is_valid(self):
        if not super().is_valid():
            return False
        formset = self.formsets.get("domicilios")
        guardados = {d.pk: d for d in Domicilio.objects.filter(coactivado_id=self.instance.pk)}
        for form in formset.forms if formset else []:
            guardado = guardados.get(form.instance.pk)
            if guardado is None:
                continue
            corregido = any(getattr(guardado, campo) != valor for campo, valor in form.cleaned_data.items()
                            if campo not in self.EDITABLES)
            if corregido or formset._should_delete_form(form):
                self.add_error(None, (
                    f"El domicilio «{guardado.direccion}» ya está registrado: no se borra ni se "
                    "corrige. Márquelo como desactualizado y agregue el domicilio nuevo."
                ))
                return False
        return True


class CoactivadoCreateView(CreateView):
    def save_instance(self):
        # who registered a debtor or an address is recorded, never typed
        self.form.instance.creado_por = self.request.user
        _autor_de_domicilios_nuevos(self.form, self.request.user)
        return super().save_instance()


class CoactivadoEditView(EditView):
    def save_instance(self):
        _autor_de_domicilios_nuevos(self.form, self.request.user)
        return super().save_instance()


class _SoloVisibles:
    """Mixed into the chooser's list views: only the debtors the policy lets the user see."""

    def get_object_list(self):
        return policies.coactivados_filtrar_visibles(self.request.user, super().get_object_list())


class CoactivadoChooserViewSet(SnippetChooserViewSet):
    """Wagtail's snippet chooser lists `model.objects.all()` with no permission check: here it
    lists, searches and returns only what the user may see (an id outside it is a 404, from
    permisos/guardas.py and from `get_object` here)."""

    choose_view_class = type("ChooseView", (_SoloVisibles, ChooseView), {})
    choose_results_view_class = type("ChooseResultsView", (_SoloVisibles, ChooseResultsView), {})

    class chosen_view_class(SnippetChosenView):
        def get_object(self, pk):
            return policies.coactivados_filtrar_visibles(
                self.request.user, self.model_class.objects.all()).get(pk=pk)

    class chosen_multiple_view_class(SnippetChosenMultipleView):
        def get_objects(self, pks):
            return policies.coactivados_filtrar_visibles(
                self.request.user, self.model_class.objects.filter(pk__in=pks))


class CoactivadoViewSet(SnippetViewSet):
    model = Coactivado
    chooser_viewset_class = CoactivadoChooserViewSet
    icon = "user"
    menu_label = _("Coactivados")
    add_view_class = CoactivadoCreateView
    edit_view_class = CoactivadoEditView
    list_display = [
        "nombre", "identificacion",
        Column("tipo_identificacion", label=_("Tipo"), accessor="get_tipo_identificacion_display",
               sort_key="tipo_identificacion"),
        Column("correo", label=_("Correo"), accessor="correo", sort_key="correo"),
        "advertencia",
        Column("domicilio_vigente", label=_("Domicilio vigente"), accessor="domicilio_vigente"),
    ]
    search_fields = ["nombre", "identificacion"]
    filterset_class = CoactivadoFilterSet
    copy_view_enabled = False
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("identificacion"), FieldPanel("nombre")]),
        AdvertenciaPanel(),
        FieldRowPanel([FieldPanel("correo"), FieldPanel("telefono"), FieldPanel("casillero_judicial")]),
        InlinePanel(
            "domicilios", heading=_("Domicilios"), label=_("domicilio"),
            panels=[
                FieldPanel("direccion"),
                FieldRowPanel([FieldPanel("canton"), FieldPanel("provincia")]),
                FieldRowPanel([FieldPanel("fuente"), FieldPanel("registrado_en")]),
                FieldPanel("desactualizado"),
            ],
        ),
        ExpedientesDelCoactivadoPanel(heading=_("Expedientes")),
    ], base_form_class=CoactivadoForm)

    def get_queryset(self, request):
        return policies.coactivados_filtrar_visibles(request.user, Coactivado.objects.con_domicilio_vigente())


# --- Tasas de interés -------------------------------------------------------------------

class TasaInteresForm(WagtailAdminModelForm):
    """A rate that governs days already past changes balances already computed: the form says
    how many expedientes' balances move and asks for confirmation (services/tasas.py)."""

    # 9.5000 shows as «9,50», 8.8575 as «8,8575»; reads "8,75" or "8,75 %" (formato.py)
    tasa_anual = PorcentajeField(label=_("Tasa anual (%)"), max_digits=7, decimal_places=4)
    confirmar = forms.BooleanField(
        label=_("Confirmo el cambio aunque modifique saldos ya calculados"), required=False,
        help_text=_("Se pide cuando la tasa rige desde una fecha pasada: el aviso dice cuántos expedientes cambian."),
    )

    def clean(self):
        datos = super().clean()
        if self.errors or not datos.get("vigente_desde") or datos.get("tasa_anual") is None:
            return datos
        self.efecto = tasas.tasa_efecto(tasa=self.instance if self.instance.pk else None,
                                        vigente_desde=datos["vigente_desde"], tasa_anual=datos["tasa_anual"])
        if self.efecto.requiere_confirmacion and not datos.get("confirmar"):
            self.add_error("confirmar", tasas.efecto_describir(self.efecto)
                           + " Si es correcto, marque esta casilla y guarde de nuevo.")
        return datos


class _TasaGuardar:
    """Create and edit save through the service (row lock, history, custody log)."""

    def save_instance(self):
        datos = self.form.cleaned_data
        anterior = self.object if getattr(self, "object", None) is not None and self.object.pk else None
        return tasas.tasa_guardar(tasa=anterior, vigente_desde=datos["vigente_desde"],
                                  tasa_anual=datos["tasa_anual"], fuente=datos["fuente"],
                                  usuario=self.request.user, confirmado=datos.get("confirmar", False))

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:  # the balances moved since the warning: warn again
            form.add_error("confirmar", error)
            return self.form_invalid(form)


class TasaInteresCreateView(_TasaGuardar, CreateView):
    pass


class TasaInteresEditView(_TasaGuardar, EditView):
    pass


class TasaHistorialPanel(HelpPanel):
    """The rate's history (every value it had, who changed it, when, how many balances moved)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "expedientes/panels/tasa_historial.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            tasa = self.instance
            cambios = tasa.cambios.select_related("usuario") if tasa is not None and tasa.pk else []
            context["cambios"] = [
                (c, formato.porcentaje(c.tasa_anual_anterior) if c.tasa_anual_anterior is not None else "",
                 formato.porcentaje(c.tasa_anual)) for c in cambios]
            return context

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None


def _ultimo_cambio(tasa) -> str:
    cambio = tasa.cambios.select_related("usuario").first()
    if cambio is None:
        return ""
    return f"{_nombre_de(cambio.usuario) or 'sistema'}, {cambio.registrado_en:%d/%m/%Y %H:%M}"


class TasaInteresViewSet(SnippetViewSet):
    model = TasaInteres
    icon = "decimal"
    menu_label = _("Tasas de interés")
    add_view_class = TasaInteresCreateView
    edit_view_class = TasaInteresEditView
    list_display = [
        "vigente_desde",
        Column("tasa_anual", label=_("Tasa anual (%)"), sort_key="tasa_anual",
               accessor=lambda tasa: formato.porcentaje(tasa.tasa_anual)),
        "fuente",
        Column("registrada_por", label=_("Registrada por"),
               accessor=lambda tasa: _nombre_de(tasa.registrada_por)),
        Column("ultimo_cambio", label=_("Último cambio"), accessor=_ultimo_cambio),
    ]
    search_fields = ["fuente"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldRowPanel([FieldPanel("vigente_desde"), FieldPanel("tasa_anual")]),
         FieldPanel("fuente"), FieldPanel("confirmar"),
         TasaHistorialPanel(heading=_("Historial de cambios de esta tasa"))],
        base_form_class=TasaInteresForm,
    )

    def get_queryset(self, request):
        return TasaInteres.objects.select_related("registrada_por")


# --- Plantillas de documentos -----------------------------------------------------------

def _variables(valor, prefijo=""):
    """(name, fields of one item or None) for every value a template may print."""
    if isinstance(valor, dict):
        for clave, sub in valor.items():
            yield from _variables(sub, f"{prefijo}.{clave}" if prefijo else clave)
    elif isinstance(valor, list):
        yield prefijo, list(valor[0]) if valor and isinstance(valor[0], dict) else []
    else:
        yield prefijo, None


def variables_disponibles_html() -> str:
    """The names of contexto_ejemplo (what plantilla_validar checks against), grouped by their
    first part, and the unit's filters: the help shown next to the template."""
    grupos: dict[str, list] = {}
    for nombre, campos in _variables(contexto_ejemplo(EXTRA_EJEMPLO)):
        grupos.setdefault(nombre.split(".")[0], []).append((nombre, campos))
    filas = []
    for nombres in grupos.values():
        simples = [n for n, campos in nombres if campos is None]
        listas = [(n, campos) for n, campos in nombres if campos is not None]
        if simples:
            filas.append(format_html_join(", ", "<code>{{{{ {} }}}}</code>",
                                          ((n,) for n in simples)))
        for nombre, campos in listas:
            filas.append(format_html(
                "<code>{}</code>: lista; recórrala con "
                "<code>{{% for item in {} %}}…{{% endfor %}}</code> y use {}",
                nombre, nombre,
                format_html_join(", ", "<code>{{{{ item.{} }}}}</code>", ((c,) for c in campos)),
            ))
    filtros = format_html_join(", ", "<code>{}</code>",
                               ((f,) for f in sorted(filtros_de_plantilla.filters)))
    return format_html(
        "<p>Puede usar estas variables (cualquier otra impide guardar):</p><ul>{}</ul>"
        "<p>Filtros: {}. Ejemplos: <code>{{{{ cuenta.saldo|usd }}}}</code>, "
        "<code>{{{{ cuenta.saldo|letras }}}}</code>, <code>{{{{ fecha|fecha_larga }}}}</code>.</p>",
        format_html_join("", "<li>{}</li>", ((fila,) for fila in filas)), filtros,
    )


class PlantillaDocumentoForm(WagtailAdminModelForm):
    def clean_cuerpo(self):
        cuerpo = self.cleaned_data["cuerpo"]
        plantilla_validar(cuerpo)  # a missing variable or a syntax error, in Spanish
        return cuerpo


class PlantillaDocumentoIndexView(IndexView):
    def get_add_url(self):
        return None  # the set of templates is fixed by ClaveDocumento


class PlantillaDocumentoCreateView(CreateView):
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied("Las plantillas son fijas; solo se editan.")


class PlantillaDocumentoViewSet(SnippetViewSet):
    model = PlantillaDocumento
    icon = "doc-full"
    menu_label = _("Plantillas de documentos")
    index_view_class = PlantillaDocumentoIndexView
    add_view_class = PlantillaDocumentoCreateView
    list_display = [
        "nombre",
        Column("clave", label=_("Clave"), accessor="clave"),
        "tipo_actuacion",
        "actualizada_en",
    ]
    search_fields = ["nombre", "cuerpo"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([DatoPanel("clave"), DatoPanel("tipo_actuacion")]),
            FieldPanel("nombre"),
            HelpPanel(content=variables_disponibles_html(), heading=_("Variables disponibles")),
            FieldPanel("cuerpo"),
        ],
        base_form_class=PlantillaDocumentoForm,
    )


# --- The menu ---------------------------------------------------------------------------

class RegistrosViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Registros")
    menu_icon = "clipboard-list"
    menu_order = 160
    items = (
        CoactivadoViewSet,
        TasaInteresViewSet,
        PlantillaDocumentoViewSet,
        # inside the group, not as a menu item of its own
        DiaEspecialViewSet(add_to_admin_menu=False),
    )
