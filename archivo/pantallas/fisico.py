"""Screens of the paper originals: boxes (list, create, detail, place an expediente) and loans
(open and overdue, register, return). Every list starts from the expedientes the user may see
(permisos.policies); a box or loan outside them is a 404. Each view parses, calls one
service (archivo.services.fisico), responds."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from archivo.models import Caja, Estante, Prestamo, UbicacionFisica
from archivo.pantallas import PermisoMenuItem
from archivo.services import fisico
from expedientes.campos import UsuarioPorNombreField
from expedientes.forms import errores_al_formulario
from expedientes.models import ExpedientePage
from expedientes.services.expedientes import numero_formatear
from permisos import policies

POR_PAGINA = 25


def visibles(usuario):
    """The expedientes the user may see, as a subquery for `expediente__in`."""
    return policies.expedientes_filtrar_visibles(usuario, ExpedientePage.objects.all()).values("pk")


class ExpedientePorNumeroField(forms.CharField):
    """An expediente typed by its number, found only among those the user may see (one the
    user may not see reads as one that does not exist)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Número del expediente")
        # the example in the unit's own format (settings.EXPEDIENTE_PREFIJO), not a made-up one
        kwargs.setdefault("help_text", "Como figura en la carátula, p. ej. "
                                       f"{numero_formatear(timezone.localdate().year, 123)}.")
        super().__init__(max_length=40, **kwargs)
        self.usuario = None

    def clean(self, valor):
        numero = super().clean(valor).strip()
        expediente = policies.expedientes_filtrar_visibles(
            self.usuario, ExpedientePage.objects.filter(numero__iexact=numero)).first()
        if expediente is None:
            raise ValidationError(f"No hay un expediente número {numero} entre los que usted puede ver.")
        return expediente


class FormConUsuario(forms.Form):
    def __init__(self, *args, usuario, **kwargs):
        super().__init__(*args, **kwargs)
        for campo in self.fields.values():
            if isinstance(campo, ExpedientePorNumeroField):
                campo.usuario = usuario


class CajaForm(forms.Form):
    codigo = forms.CharField(label="Código de la caja", max_length=30)
    estante = forms.ModelChoiceField(label="Estante", queryset=Estante.objects.all(), required=False,
                                     empty_label="Sin estante")
    nivel = forms.CharField(label="Nivel / bandeja", max_length=30, required=False)
    descripcion = forms.CharField(label="Descripción", max_length=255, required=False)


class EstanteForm(forms.Form):
    codigo = forms.CharField(label="Código del estante", max_length=30)
    ubicacion = forms.CharField(label="Ubicación", max_length=200, help_text="Depósito, pasillo, cuerpo.")


class UbicarForm(FormConUsuario):
    expediente = ExpedientePorNumeroField()


class PrestamoForm(FormConUsuario):
    expediente = ExpedientePorNumeroField()
    solicitante = UsuarioPorNombreField(label="Prestado a", queryset=get_user_model().objects.none(),
                                        empty_label="Elija a quién")
    vence_el = forms.DateField(label="Devolver hasta", widget=AdminDateInput, help_text="dd/mm/aaaa")
    motivo = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solicitante"].queryset = get_user_model().objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username")


class DevolucionForm(forms.Form):
    observaciones = forms.CharField(label="Observaciones (estado en que vuelve)", required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class ArchivoVistaMixin(WagtailAdminTemplateMixin):
    header_icon = "folder-inverse"
    permiso = ""  # to see the screen at all
    seccion = ("", "")  # (url name, label) of the breadcrumb

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permiso):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse(self.seccion[0]), "label": self.seccion[1]}]

    def pagina(self, qs):
        return Paginator(qs, POR_PAGINA).get_page(self.request.GET.get("p"))

    def intentar(self, form, servicio, exito: str) -> bool:
        """Run the service on a valid form; its refusal goes onto the form."""
        if not form.is_valid():
            return False
        try:
            servicio(**form.cleaned_data)
        except ValidationError as error:
            errores_al_formulario(form, error)
            return False
        messages.success(self.request, exito)
        return True


# --- Cajas

class CajaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Código", field_name="codigo", lookup_expr="icontains")
    estante = django_filters.ModelChoiceFilter(label="Estante", queryset=Estante.objects.all(), empty_label="Todos")

    class Meta:
        model = Caja
        fields = ["q", "estante"]


class CajasView(ArchivoVistaMixin, TemplateView):
    template_name = "archivo/fisico/cajas.html"
    page_title = "Cajas y estantes"
    permiso = "archivo.view_caja"
    seccion = ("archivo_cajas", "Cajas")

    def get_context_data(self, **kwargs):
        u = self.request.user
        dentro = Q(ubicaciones__hasta__isnull=True, ubicaciones__expediente__in=visibles(u))
        filtro = CajaFilter(self.request.GET, queryset=Caja.objects.select_related("estante").annotate(
            expedientes=Count("ubicaciones", filter=dentro)).order_by("codigo"))
        kwargs.setdefault("form", CajaForm())
        kwargs.setdefault("form_estante", EstanteForm(prefix="estante"))
        return super().get_context_data(
            filtro=filtro, pagina=self.pagina(filtro.qs), puede_crear=u.has_perm("archivo.add_caja"),
            puede_crear_estante=u.has_perm("archivo.add_estante"), **kwargs)

    def post(self, request, *args, **kwargs):
        if "estante-codigo" in request.POST:  # the shelf form
            form = EstanteForm(request.POST, prefix="estante")
            if self.intentar(form, lambda **d: fisico.estante_crear(usuario=request.user, **d), "Estante registrado."):
                return redirect("archivo_cajas")
            return self.render_to_response(self.get_context_data(form_estante=form))
        form = CajaForm(request.POST)
        creada = {}
        if self.intentar(form, lambda **d: creada.setdefault("caja", fisico.caja_crear(usuario=request.user, **d)),
                         "Caja registrada."):
            return redirect("archivo_caja", creada["caja"].pk)
        return self.render_to_response(self.get_context_data(form=form))


class CajaView(ArchivoVistaMixin, TemplateView):
    template_name = "archivo/fisico/caja.html"
    page_title = "Caja"
    permiso = "archivo.view_caja"
    seccion = ("archivo_cajas", "Cajas")

    def dispatch(self, request, *args, **kwargs):
        self.caja = get_object_or_404(Caja.objects.select_related("estante", "creada_por"), pk=kwargs["caja_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.caja.codigo

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.caja.codigo}]

    def get_context_data(self, **kwargs):
        u = self.request.user
        propias = (UbicacionFisica.objects.filter(caja=self.caja, expediente__in=visibles(u))
                   .select_related("expediente__coactivado", "registrada_por"))
        kwargs.setdefault("form", UbicarForm(usuario=u))
        return super().get_context_data(
            caja=self.caja, pagina=self.pagina(propias.filter(hasta__isnull=True).order_by("expediente__numero")),
            salidas=propias.filter(hasta__isnull=False).order_by("-hasta")[:20],
            puede_ubicar=u.has_perm("archivo.add_ubicacionfisica"), **kwargs)

    def post(self, request, *args, **kwargs):
        form = UbicarForm(request.POST, usuario=request.user)

        def ubicar(expediente):
            fisico.expediente_ubicar(expediente=expediente, caja=self.caja, usuario=request.user)

        if self.intentar(form, ubicar, f"Expediente ubicado en la caja {self.caja.codigo}."):
            return redirect("archivo_caja", self.caja.pk)
        return self.render_to_response(self.get_context_data(form=form))


# --- Préstamos

ABIERTOS, VENCIDOS, DEVUELTOS, TODOS = "abiertos", "vencidos", "devueltos", "todos"


class PrestamoFilter(django_filters.FilterSet):
    estado = django_filters.ChoiceFilter(
        label="Préstamos", method="por_estado", empty_label=None,
        choices=[(ABIERTOS, "Abiertos"), (VENCIDOS, "Vencidos"), (DEVUELTOS, "Devueltos"), (TODOS, "Todos")])
    q = django_filters.CharFilter(label="Número del expediente", field_name="expediente__numero",
                                  lookup_expr="icontains")

    class Meta:
        model = Prestamo
        fields = ["estado", "q"]

    def por_estado(self, queryset, name, valor):
        if valor == VENCIDOS:
            return queryset.filter(pk__in=fisico.prestamos_vencidos().values("pk"))
        if valor == DEVUELTOS:
            return queryset.filter(devuelto_en__isnull=False)
        if valor == TODOS:
            return queryset
        return queryset.filter(devuelto_en__isnull=True)


class PrestamosView(ArchivoVistaMixin, TemplateView):
    template_name = "archivo/fisico/prestamos.html"
    page_title = "Préstamos de expedientes físicos"
    permiso = "archivo.view_prestamo"
    seccion = ("archivo_prestamos", "Préstamos")

    def get_context_data(self, **kwargs):
        u = self.request.user
        datos = self.request.GET.copy()
        datos.setdefault("estado", ABIERTOS)
        propios = Prestamo.objects.filter(expediente__in=visibles(u)).select_related(
            "expediente__coactivado", "solicitante", "prestado_por", "recibido_por")
        filtro = PrestamoFilter(datos, queryset=propios.order_by("devuelto_en", "vence_el", "pk"))
        kwargs.setdefault("form", PrestamoForm(usuario=u))
        return super().get_context_data(
            filtro=filtro, pagina=self.pagina(filtro.qs), hoy=timezone.localdate(),
            vencidos=fisico.prestamos_vencidos().filter(expediente__in=visibles(u)).count(),
            puede_prestar=u.has_perm("archivo.add_prestamo"), puede_recibir=u.has_perm("archivo.change_prestamo"),
            form_devolucion=DevolucionForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = PrestamoForm(request.POST, usuario=request.user)
        if self.intentar(form, lambda **d: fisico.prestamo_registrar(usuario=request.user, **d),
                         "Préstamo registrado."):
            return redirect("archivo_prestamos")
        return self.render_to_response(self.get_context_data(form=form))


class PrestamoDevolverView(PrestamosView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        prestamo = Prestamo.objects.select_related("expediente").filter(pk=kwargs["prestamo_id"]).first()
        if prestamo is None or not policies.expediente_puede_ver(request.user, prestamo.expediente):
            raise Http404
        form = DevolucionForm(request.POST)
        exito = f"Devolución del expediente {prestamo.expediente.numero} registrada."
        if not self.intentar(form, lambda **d: fisico.prestamo_devolver(prestamo=prestamo, usuario=request.user,
                                                                         **d), exito):
            messages.error(request, "No se registró la devolución: " + " ".join(
                e for errores in form.errors.values() for e in errores))
        return redirect(reverse("archivo_prestamos") + "?" + request.GET.urlencode())


# --- Admin URLs and the «Archivo» menu

@hooks.register("register_admin_urls")
def urls_fisico():
    return [
        path("archivo/cajas/", CajasView.as_view(), name="archivo_cajas"),
        path("archivo/cajas/<int:caja_id>/", CajaView.as_view(), name="archivo_caja"),
        path("archivo/prestamos/", PrestamosView.as_view(), name="archivo_prestamos"),
        path("archivo/prestamos/<int:prestamo_id>/devolver/", PrestamoDevolverView.as_view(),
             name="archivo_prestamo_devolver"),
    ]


@hooks.register("register_archivo_menu_item")
def menu_cajas():
    return PermisoMenuItem("Cajas y estantes", reverse("archivo_cajas"), permiso="archivo.view_caja",
                            icon_name="folder", order=300)


@hooks.register("register_archivo_menu_item")
def menu_prestamos():
    return PermisoMenuItem("Préstamos", reverse("archivo_prestamos"), permiso="archivo.view_prestamo",
                            icon_name="folder-open-1", order=310)
