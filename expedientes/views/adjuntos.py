from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.custodia import ArchivoRechazado
from expedientes.forms import AdjuntoForm, AdjuntoVersionForm
from expedientes.models import ActuacionPage, Adjunto
from expedientes.selectors import adjuntos_de
from expedientes.services.adjuntos import adjunto_crear, adjunto_version_crear
from permisos import policies


class AdjuntosView(WagtailAdminTemplateMixin, TemplateView):
    """The files of an actuación: every version, and the forms to add a file or a version."""

    template_name = "expedientes/admin/adjuntos.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.actuacion = self.actuacion_obtener(request, kwargs)
        self.puede_adjuntar = policies.actuacion_puede_adjuntar(request.user, self.actuacion)
        return super().dispatch(request, *args, **kwargs)

    def actuacion_obtener(self, request, kwargs):
        actuacion = get_object_or_404(ActuacionPage, pk=kwargs["actuacion_id"])
        if not policies.pagina_puede_ver(request.user, actuacion):
            raise Http404  # as if it did not exist
        return actuacion

    def get_page_title(self):
        return "Adjuntos"

    def get_page_subtitle(self):
        return self.actuacion.title

    def get_breadcrumbs_items(self):
        expediente = self.actuacion.get_parent()
        return self.breadcrumbs_items + [
            {"url": reverse("expedientes_listado"), "label": "Expedientes"},
            {"url": reverse("expedientes_proceso", args=[expediente.pk]), "label": expediente.title},
            {"url": reverse("expedientes_proceso", args=[expediente.pk]) + "#actuaciones",
             "label": self.actuacion.title},
            {"url": "", "label": "Adjuntos"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            actuacion=self.actuacion,
            adjuntos=adjuntos_de(self.actuacion),
            puede_adjuntar=self.puede_adjuntar,
            form=kwargs.get("form") or AdjuntoForm(),
            version_form=AdjuntoVersionForm(),
            version_errores=kwargs.get("version_errores"),
        )
        return context

    def _guardar(self, form, guardar):
        if form.is_valid():
            try:
                version = guardar(form.cleaned_data)
            except ArchivoRechazado as rechazo:
                form.add_error("archivo", rechazo.mensaje)
            else:
                messages.success(
                    self.request,
                    f"«{version.adjunto.titulo}»: versión {version.numero} guardada "
                    f"(SHA-256 {version.sha256[:12]}…).",
                )
                return redirect("expedientes_adjuntos", self.actuacion.pk)
        return None

    def post(self, request, *args, **kwargs):
        if not self.puede_adjuntar:
            raise PermissionDenied
        form = AdjuntoForm(request.POST, request.FILES, request=request)
        respuesta = self._guardar(
            form,
            lambda datos: adjunto_crear(
                actuacion=self.actuacion, titulo=datos["titulo"], flujo=datos["archivo"],
                nombre=datos["archivo"].name, usuario=request.user,
            ),
        )
        return respuesta or self.render_to_response(self.get_context_data(form=form))


class AdjuntoVersionView(AdjuntosView):
    """POST only: the next version of one attachment."""

    http_method_names = ["post"]

    def actuacion_obtener(self, request, kwargs):
        self.adjunto = get_object_or_404(Adjunto.objects.select_related("actuacion"), uuid=kwargs["uuid"])
        if not policies.pagina_puede_ver(request.user, self.adjunto.actuacion):
            raise Http404
        return self.adjunto.actuacion

    def post(self, request, *args, **kwargs):
        if not self.puede_adjuntar:
            raise PermissionDenied
        form = AdjuntoVersionForm(request.POST, request.FILES, request=request)
        respuesta = self._guardar(
            form,
            lambda datos: adjunto_version_crear(
                adjunto=self.adjunto, flujo=datos["archivo"], nombre=datos["archivo"].name,
                usuario=request.user,
            ),
        )
        if respuesta:
            return respuesta
        errores = {"adjunto": self.adjunto.uuid, "errores": form.errors.get("archivo")}
        return self.render_to_response(self.get_context_data(version_errores=errores))
