"""Transfers to the Archivo Central in the admin: the listing (filter by state), the new
transfer from the portal's proposal, and one transfer with its inventory, its documents
and the actions its state and the user's permissions allow (archivo.services.transferencias).
A transfer the user may not see is a 404. Each view parses, calls one service, responds."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from archivo.models import EstadoTransferencia, ResultadoCotejo, Transferencia
from archivo.pantallas import PermisoMenuItem
from archivo.selectors import transferibles
from archivo.services import transferencias as servicio
from expedientes.models import ExpedientePage
from permisos import policies

POR_PAGINA = 25


class RechazoForm(forms.Form):
    motivo = forms.CharField(label="Motivo del rechazo", widget=forms.Textarea(attrs={"rows": 2}))


class _Mixin(WagtailAdminTemplateMixin):
    header_icon = "folder-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("archivo.view_transferencia"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("archivo_transferencias"), "label": "Transferencias al Archivo Central"}]


def _paginar(request, qs):
    return Paginator(qs, POR_PAGINA).get_page(request.GET.get("p"))


class ListadoView(_Mixin, TemplateView):
    template_name = "archivo/admin/transferencias_listado.html"
    page_title = "Transferencias al Archivo Central"

    def get_context_data(self, **kwargs):
        qs = policies.transferencias_visibles(self.request.user, Transferencia.objects.select_related("creada_por"))
        estado = self.request.GET.get("estado", "")
        estado = estado if estado in EstadoTransferencia.values else ""
        if estado:
            qs = qs.filter(estado=estado)
        return super().get_context_data(
            pagina=_paginar(self.request, qs), estado=estado, estados=EstadoTransferencia.choices,
            puede_crear=self.request.user.has_perm(servicio.SOLICITAR), **kwargs)


class NuevaView(_Mixin, TemplateView):
    """The proposal (closed, term in gestión over, no hold, in no open transfer), to start a
    transfer or, with ?transferencia=<id>, to add to a draft."""

    template_name = "archivo/admin/transferencias_nueva.html"
    page_title = "Nueva transferencia"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(servicio.SOLICITAR):
            raise Http404
        self.borrador = None
        if (pk := request.GET.get("transferencia", "")).isdigit():
            self.borrador = policies.transferencias_visibles(request.user, Transferencia.objects.filter(
                pk=pk, estado=EstadoTransferencia.BORRADOR)).first()
            if self.borrador is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"Agregar a {self.borrador.numero}" if self.borrador else "Propuesta del portal"

    def get_breadcrumbs_items(self):  # the header names this screen, not the listing
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        propuesta = transferibles(timezone.localdate()).select_related("serie", "coactivado").order_by(
            "fin_gestion", "numero")
        return super().get_context_data(
            pagina=_paginar(self.request, propuesta), borrador=self.borrador, **kwargs)

    def post(self, request, *args, **kwargs):
        elegidos = [v for v in request.POST.getlist("expedientes") if v.isdigit()]
        try:
            if self.borrador:
                servicio.transferencia_agregar(transferencia=self.borrador, expedientes=elegidos, usuario=request.user)
                transferencia = self.borrador
            else:
                transferencia = servicio.transferencia_crear(
                    usuario=request.user, expedientes=elegidos, observaciones=request.POST.get("observaciones", ""))
        except ValidationError as error:
            for mensaje in error.messages:
                messages.error(request, mensaje)
            return self.render_to_response(self.get_context_data())
        messages.success(request, f"Transferencia {transferencia.numero}: {len(elegidos)} expediente(s) incluidos.")
        return redirect("archivo_transferencia", transferencia.pk)


class DetalleView(_Mixin, TemplateView):
    template_name = "archivo/admin/transferencia.html"
    page_title = "Transferencia"

    def dispatch(self, request, *args, **kwargs):
        self.transferencia = policies.transferencias_visibles(request.user, Transferencia.objects.select_related(
            "creada_por", "solicitada_por", "revisada_por", "resuelta_por")).filter(
            pk=kwargs["transferencia_id"]).first()
        if self.transferencia is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.transferencia.numero

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.transferencia.numero}]

    def get_context_data(self, **kwargs):
        t, usuario = self.transferencia, self.request.user
        items = list(t.items.select_related("cotejado_por").order_by("orden"))
        visibles = set(policies.expedientes_filtrar_visibles(usuario, ExpedientePage.objects.filter(
            pk__in=[i.expediente_id for i in items])).values_list("pk", flat=True))
        for item in items:
            item.visible = item.expediente_id in visibles
        documentos = list(t.documentos.all()) if policies.documento_archivo_puede_ver(usuario) else []
        kwargs.setdefault("rechazo", RechazoForm())
        return super().get_context_data(
            transferencia=t, items=items, documentos=documentos, total_folios=sum(i.folios for i in items),
            acciones=servicio.transferencia_acciones(transferencia=t, usuario=usuario),
            pendiente=ResultadoCotejo.PENDIENTE, **kwargs)


def _item(transferencia, request):
    pk = request.POST.get("item", "")
    item = transferencia.items.filter(pk=pk).first() if pk.isdigit() else None
    if item is None:
        raise ValidationError("Elija un expediente de la transferencia.")
    return item


# accion → (service call, success message)
ACCIONES = {
    "quitar": (lambda t, r: servicio.transferencia_quitar(
        transferencia=t, usuario=r.user, expedientes=[v for v in r.POST.getlist("expedientes") if v.isdigit()]),
        "Expedientes quitados de la transferencia."),
    "solicitar": (lambda t, r: servicio.transferencia_solicitar(transferencia=t, usuario=r.user),
                  "Transferencia solicitada: inventario y acta generados; el Archivo Central puede cotejarla."),
    "cotejar": (lambda t, r: servicio.item_cotejar(
        item=_item(t, r), usuario=r.user, conforme=r.POST.get("resultado") == ResultadoCotejo.CONFORME,
        discrepancias=r.POST.get("discrepancias", "")), "Cotejo registrado."),
    "revisar": (lambda t, r: servicio.transferencia_revisar(transferencia=t, usuario=r.user),
                "Cotejo terminado."),
    "aceptar": (lambda t, r: servicio.transferencia_aceptar(transferencia=t, usuario=r.user),
                "Transferencia aceptada: los expedientes conformes están en custodia del Archivo Central."),
    "rechazar": (lambda t, r: servicio.transferencia_rechazar(
        transferencia=t, usuario=r.user, motivo=r.POST.get("motivo", "")), "Transferencia rechazada."),
}


class AccionView(DetalleView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if kwargs["accion"] not in ACCIONES:
            raise Http404
        llamar, exito = ACCIONES[kwargs["accion"]]
        try:
            llamar(self.transferencia, request)
        except ValidationError as error:
            messages.error(request, f"No se guardó: {' '.join(error.messages)}")
        else:
            messages.success(request, exito)
        return redirect("archivo_transferencia", self.transferencia.pk)


@hooks.register("register_admin_urls")
def urls_transferencias():
    return [
        path("archivo/transferencias/", ListadoView.as_view(), name="archivo_transferencias"),
        path("archivo/transferencias/nueva/", NuevaView.as_view(), name="archivo_transferencia_nueva"),
        path("archivo/transferencias/<int:transferencia_id>/", DetalleView.as_view(), name="archivo_transferencia"),
        path("archivo/transferencias/<int:transferencia_id>/<str:accion>/", AccionView.as_view(),
             name="archivo_transferencia_accion"),
    ]


@hooks.register("register_archivo_menu_item")
def menu_transferencias():
    return PermisoMenuItem("Transferencias", reverse("archivo_transferencias"), permiso="archivo.view_transferencia",
                           icon_name="folder-inverse", order=400)
