from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.forms import ExpedienteAbrirForm, errores_al_formulario
from expedientes.services.coactivados import coactivado_registrar
from expedientes.services.expedientes import expediente_abrir, juzgado_obtener
from permisos import policies


class ExpedienteAbrirView(WagtailAdminTemplateMixin, FormView):
    form_class = ExpedienteAbrirForm
    template_name = "expedientes/admin/expediente_abrir.html"
    page_title = "Abrir expediente"
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.juzgado = juzgado_obtener()
        if not policies.expediente_puede_abrir(request.user, self.juzgado):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_explore", args=[self.juzgado.pk]), "label": self.juzgado.title},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(prefijo=settings.EXPEDIENTE_PREFIJO, **kwargs)

    def form_valid(self, form):
        datos = form.cleaned_data
        try:
            coactivado = coactivado_registrar(
                identificacion=datos["identificacion"], nombre=datos["nombre"], usuario=self.request.user
            )
            expediente = expediente_abrir(
                coactivado=coactivado, provincia=datos["provincia"],
                fecha_recepcion=datos["fecha_recepcion"], monto_titulo=datos["monto_titulo"],
                abogado=datos["abogado"], usuario=self.request.user,
            )
        except ValidationError as error:
            errores_al_formulario(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Expediente {expediente.numero} abierto.")
        if getattr(form, "advertencia", ""):
            messages.warning(self.request, f"{coactivado.identificacion}: {form.advertencia}")
        return redirect("wagtailadmin_explore", expediente.pk)
