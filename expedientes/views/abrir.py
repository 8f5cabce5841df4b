from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.custodia import ArchivoRechazado
from expedientes.forms import ExpedienteAbrirForm, errores_al_formulario
from expedientes.models import Coactivado
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
            {"url": reverse("expedientes_listado"), "label": "Expedientes"},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        return super().get_context_data(prefijo=settings.EXPEDIENTE_PREFIJO, **kwargs)

    def form_valid(self, form):
        datos = form.cleaned_data
        try:
            expediente = expediente_abrir(
                identificacion=datos["identificacion"], nombre=datos["nombre"], provincia=datos["provincia"],
                fecha_recepcion=datos["fecha_recepcion"], monto_titulo=datos["monto_titulo"],
                abogado=datos["abogado"], usuario=self.request.user,
                orden_cobro_numero=datos["orden_cobro_numero"], orden_cobro_archivo=datos["archivo"],
                titulo_numero=datos["titulo_numero"], titulo_fecha=datos["titulo_fecha"],
                contacto=form.contacto(),
            )
        except ValidationError as error:
            errores_al_formulario(form, error)
            return self.form_invalid(form)
        except ArchivoRechazado as error:
            # refused before anything was created: the expediente was not opened
            form.add_error("archivo", f"{error.mensaje} El expediente no se abrió.")
            return self.form_invalid(form)
        messages.success(self.request, f"Expediente {expediente.numero} abierto.")
        for advertencia in expediente.advertencias:
            messages.warning(self.request, advertencia, buttons=self._botones_coactivado(expediente.coactivado))
        return redirect("expedientes_proceso", expediente.pk)

    def _botones_coactivado(self, coactivado):
        if not self.request.user.has_perm("expedientes.change_coactivado"):
            return None
        url = reverse(Coactivado.snippet_viewset.get_url_name("edit"), args=[coactivado.pk])
        return [messages.button(url, "Editar coactivado")]
