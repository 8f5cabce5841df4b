"""The Cuadro de clasificación and its TPCD: the table (fondo → sección → serie → subserie,
with the terms, the final disposition, the legal basis and how many expedientes of each
serie the user sees), the form that creates or edits a serie (an edit states its reason),
and the history of the changes, read from the custody log. Fondos and secciones, plain
names and codes, are edited in Wagtail's model views (no deletion: they are PROTECTed)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from archivo.models import Fondo, Seccion, Serie
from archivo.pantallas import PermisoMenuItem
from archivo.services.clasificacion import CAMPOS_SERIE, serie_guardar
from expedientes.forms import errores_al_formulario
from expedientes.models import ExpedientePage
from permisos import policies
from permisos.models import RegistroCustodia


def _arbol(series) -> list[dict]:
    """[{fondo, secciones: [{seccion, series: [(serie, [subseries])]}]}] from one list."""
    fondos = {}
    for serie in series:
        if serie.padre_id:
            continue
        seccion = serie.seccion
        secciones = fondos.setdefault(seccion.fondo, {})
        secciones.setdefault(seccion, []).append(
            (serie, [s for s in series if s.padre_id == serie.pk]))
    return [{"fondo": f, "secciones": [{"seccion": s, "series": lista} for s, lista in secciones.items()]}
            for f, secciones in fondos.items()]


def _cambios(historial) -> None:
    """Each entry's changed fields as (label, before, after), for the history."""
    nombres = {"seccion": dict(Seccion.objects.values_list("pk", "codigo")),
               "padre": dict(Serie.objects.values_list("pk", "codigo"))}
    for registro in historial:
        antes, despues = registro.datos.get("antes") or {}, registro.datos.get("despues") or {}
        registro.cambios = [
            (Serie._meta.get_field(campo).verbose_name,
             nombres.get(campo, {}).get(antes.get(campo), antes.get(campo)),
             nombres.get(campo, {}).get(valor, valor))
            for campo, valor in despues.items() if antes.get(campo) != valor and campo in CAMPOS_SERIE]


class _TpcdMixin(WagtailAdminTemplateMixin):
    header_icon = "list-ul"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("archivo_tpcd"), "label": "Cuadro de clasificación y TPCD"}]


class TpcdView(_TpcdMixin, TemplateView):
    template_name = "archivo/admin/tpcd.html"
    page_title = "Cuadro de clasificación y TPCD"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("archivo.view_serie"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        usuario = self.request.user
        # counted among the expedientes this user sees (no count of what they may not)
        visibles = policies.expedientes_filtrar_visibles(usuario, ExpedientePage.objects.all())
        series = list(Serie.objects.select_related("seccion__fondo").order_by(
            "seccion__fondo__codigo", "seccion__codigo", "codigo").annotate(
            expedientes_n=Count("expedientes", filter=Q(expedientes__in=visibles.values("pk")))))
        historial = Paginator(RegistroCustodia.objects.filter(
            accion=RegistroCustodia.Accion.CAMBIO_TPCD, expediente__isnull=True).order_by("-secuencia"),
            20).get_page(self.request.GET.get("p"))
        historial.object_list = list(historial.object_list)
        _cambios(historial.object_list)
        return super().get_context_data(
            arbol=_arbol(series), historial=historial,
            puede_crear=usuario.has_perm("archivo.add_serie"), puede_editar=usuario.has_perm("archivo.change_serie"),
            puede_fondos=usuario.has_perm("archivo.change_fondo"),
            puede_secciones=usuario.has_perm("archivo.change_seccion"), **kwargs)


class SerieForm(forms.ModelForm):
    motivo = forms.CharField(label="Motivo del cambio", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Obligatorio al modificar una serie: resolución, acta o razón del cambio.")

    class Meta:
        model = Serie
        fields = ["seccion", "padre", "codigo", "nombre", "anios_gestion", "anios_central", "disposicion_final",
                  "base_legal", "activa"]
        widgets = {"base_legal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seccion"].queryset = Seccion.objects.select_related("fondo")
        padres = Serie.objects.filter(padre__isnull=True)
        self.fields["padre"].queryset = padres.exclude(pk=self.instance.pk) if self.instance.pk else padres


class SerieEditarView(_TpcdMixin, TemplateView):
    template_name = "archivo/admin/serie_editar.html"

    def dispatch(self, request, *args, **kwargs):
        self.serie = get_object_or_404(Serie, pk=kwargs["pk"]) if "pk" in kwargs else Serie()
        if not request.user.has_perm("archivo.change_serie" if self.serie.pk else "archivo.add_serie"):
            raise Http404
        self.page_title = f"Serie {self.serie.codigo}" if self.serie.pk else "Nueva serie"
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SerieForm(instance=self.serie))
        return super().get_context_data(serie=self.serie, **kwargs)

    def post(self, request, *args, **kwargs):
        form = SerieForm(request.POST, instance=self.serie)
        if form.is_valid():
            try:
                serie = serie_guardar(serie=form.instance, usuario=request.user, motivo=form.cleaned_data["motivo"])
            except ValidationError as error:
                errores_al_formulario(form, error)
            else:
                messages.success(request, f"Serie {serie.codigo} guardada; el cambio queda en el historial de la TPCD.")
                return redirect("archivo_tpcd")
        return self.render_to_response(self.get_context_data(form=form))


@hooks.register("register_admin_urls")
def urls_tpcd():
    return [
        path("archivo/tpcd/", TpcdView.as_view(), name="archivo_tpcd"),
        path("archivo/tpcd/series/nueva/", SerieEditarView.as_view(), name="archivo_serie_nueva"),
        path("archivo/tpcd/series/<int:pk>/", SerieEditarView.as_view(), name="archivo_serie_editar"),
    ]


@hooks.register("register_archivo_menu_item")
def menu_tpcd():
    return PermisoMenuItem("Clasificación y TPCD", reverse("archivo_tpcd"), permiso="archivo.view_serie",
                           icon_name="list-ul", order=100)


# --- fondos and secciones: Wagtail's model views, never deleted ------------------------------

class _SinBorrar(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "delete"])


register_permission_policy(Fondo, _SinBorrar(Fondo))
register_permission_policy(Seccion, _SinBorrar(Seccion))


class FondoViewSet(ModelViewSet):
    model = Fondo
    form_fields = ["codigo", "nombre"]
    list_display = ["codigo", "nombre"]
    icon = "folder-open-1"
    add_to_admin_menu = False
    copy_view_enabled = False
    name = "archivo_fondos"


class SeccionViewSet(ModelViewSet):
    model = Seccion
    form_fields = ["fondo", "codigo", "nombre"]
    list_display = ["codigo", "nombre", "fondo"]
    icon = "folder-open-1"
    add_to_admin_menu = False
    copy_view_enabled = False
    name = "archivo_secciones"


@hooks.register("register_admin_viewset")
def viewsets_clasificacion():
    return [FondoViewSet(), SeccionViewSet()]
