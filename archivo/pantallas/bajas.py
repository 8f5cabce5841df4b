"""Baja documental screens: the list, «Nueva baja» (the candidates the portal proposes today,
with the ficha de prevaloración), and the detail with its expedientes, what was destroyed,
its records and the authorise / execute actions for whoever may. Each view parses, calls
one service, responds; what the user may not see is a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from archivo.models import BajaDocumental, EstadoBaja
from archivo.pantallas import PermisoMenuItem
from archivo.selectors import eliminables
from archivo.services.bajas import baja_acciones, baja_autorizar, baja_crear, baja_ejecutar
from expedientes.custodia import ArchivoRechazado
from expedientes.forms import errores_al_formulario
from expedientes.models import ExpedientePage
from permisos import policies


class FichaForm(forms.Form):
    expedientes = forms.ModelMultipleChoiceField(
        queryset=ExpedientePage.objects.none(), widget=forms.CheckboxSelectMultiple, label="Expedientes",
        error_messages={"required": "Elija los expedientes que se dan de baja."})
    valores_primarios = forms.CharField(label="Valores primarios (administrativo, legal, fiscal)",
                                        widget=forms.Textarea(attrs={"rows": 3}))
    valores_secundarios = forms.CharField(label="Valores secundarios (histórico, informativo)",
                                          widget=forms.Textarea(attrs={"rows": 3}))
    justificacion = forms.CharField(label="Justificación de la eliminación", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidatos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expedientes"].queryset = candidatos


class AutorizarForm(forms.Form):
    referencia = forms.CharField(label="Resolución o acta del comité que autoriza la baja", max_length=200)


class _BajasMixin(WagtailAdminTemplateMixin):
    header_icon = "bin"
    permiso = "archivo.view_bajadocumental"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permiso):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("archivo_bajas"), "label": "Bajas documentales"}]


class BajasView(_BajasMixin, TemplateView):
    template_name = "archivo/admin/bajas.html"
    page_title = "Bajas documentales"

    def get_context_data(self, **kwargs):
        bajas = BajaDocumental.objects.select_related("creada_por").annotate(expedientes_n=Count("items")).order_by("-creada_en")
        return super().get_context_data(
            pagina=Paginator(bajas, 25).get_page(self.request.GET.get("p")),
            puede_crear=self.request.user.has_perm("archivo.add_bajadocumental"), **kwargs)


class BajaNuevaView(_BajasMixin, TemplateView):
    template_name = "archivo/admin/baja_nueva.html"
    page_title = "Nueva baja documental"
    permiso = "archivo.add_bajadocumental"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.page_title}]

    def _candidatos(self):
        return (policies.expedientes_filtrar_visibles(self.request.user, eliminables(timezone.localdate()))
                .select_related("serie").order_by("fin_conservacion", "numero"))

    def get_context_data(self, **kwargs):
        candidatos = self._candidatos()
        kwargs.setdefault("form", FichaForm(candidatos=candidatos))
        pagina = Paginator(candidatos, 50).get_page(self.request.GET.get("p"))
        elegidos = {str(v) for v in kwargs["form"]["expedientes"].value() or []}
        return super().get_context_data(pagina=pagina, elegidos=elegidos, **kwargs)

    def post(self, request, *args, **kwargs):
        form = FichaForm(request.POST, candidatos=self._candidatos())
        if form.is_valid():
            datos = form.cleaned_data
            try:
                baja = baja_crear(usuario=request.user, expedientes=datos["expedientes"],
                                  valores_primarios=datos["valores_primarios"],
                                  valores_secundarios=datos["valores_secundarios"],
                                  justificacion=datos["justificacion"])
            except ValidationError as error:
                errores_al_formulario(form, error)
            except ArchivoRechazado as rechazo:
                form.add_error(None, rechazo.mensaje)
            else:
                messages.success(request, f"Baja documental {baja.numero} preparada con su ficha de prevaloración; "
                                          "espera la autorización.")
                return redirect("archivo_baja", baja.pk)
        return self.render_to_response(self.get_context_data(form=form))


class BajaView(_BajasMixin, TemplateView):
    template_name = "archivo/admin/baja.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permiso):
            raise Http404
        self.baja = get_object_or_404(
            BajaDocumental.objects.select_related("creada_por", "autorizada_por", "ejecutada_por"), pk=kwargs["pk"])
        self.page_title = str(self.baja)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.baja.numero}]

    def get_context_data(self, **kwargs):
        b = self.baja
        items = list(b.items.all())
        kwargs.setdefault("form_autorizar", AutorizarForm())
        return super().get_context_data(
            baja=b, items=items, documentos=b.documentos.all(), acciones=baja_acciones(self.request.user, b),
            interrumpida=b.estado == EstadoBaja.AUTORIZADA and any(i.destruido for i in items), **kwargs)

    def post(self, request, *args, **kwargs):
        accion, acciones = request.POST.get("accion"), baja_acciones(request.user, self.baja)
        if accion == "autorizar" and acciones["autorizar"]:
            form = AutorizarForm(request.POST)
            if form.is_valid():
                try:
                    baja_autorizar(baja=self.baja, usuario=request.user, referencia=form.cleaned_data["referencia"])
                except ValidationError as error:
                    errores_al_formulario(form, error)
                else:
                    messages.success(request, f"Baja documental {self.baja.numero} autorizada.")
                    return redirect("archivo_baja", self.baja.pk)
            return self.render_to_response(self.get_context_data(form_autorizar=form))
        if accion == "ejecutar" and acciones["ejecutar"]:
            try:
                baja = baja_ejecutar(baja=self.baja, usuario=request.user)
            except ValidationError as error:
                for mensaje in error.messages:
                    messages.error(request, mensaje)
            except ArchivoRechazado as rechazo:
                messages.error(request, f"Los archivos se eliminaron, pero no se pudo guardar el acta: {rechazo.mensaje} "
                                        "Vuelva a ejecutar la baja para terminarla.")
            else:
                messages.success(request, f"Baja documental {baja.numero} ejecutada; el acta de baja queda registrada.")
            return redirect("archivo_baja", self.baja.pk)
        raise Http404


@hooks.register("register_admin_urls")
def urls_bajas():
    return [
        path("archivo/bajas/", BajasView.as_view(), name="archivo_bajas"),
        path("archivo/bajas/nueva/", BajaNuevaView.as_view(), name="archivo_baja_nueva"),
        path("archivo/bajas/<int:pk>/", BajaView.as_view(), name="archivo_baja"),
    ]


@hooks.register("register_archivo_menu_item")
def menu_bajas():
    return PermisoMenuItem("Bajas documentales", reverse("archivo_bajas"), permiso="archivo.view_bajadocumental",
                           icon_name="bin", order=700)
