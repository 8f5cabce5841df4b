"""«Trabajos en segundo plano»: the background jobs (portal.Trabajo) a user may see: his own;
jefe and auditor everyone's (portal.trabajos.trabajos_visibles). Another user's job answers 404,
like one that does not exist. While a job runs the page reloads itself (a meta refresh: no
script at all), so its progress moves without the user doing anything."""

from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import EstadoTrabajo
from .trabajos import trabajos_visibles

REFRESCO_SEGUNDOS = 3


class TrabajosListaView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "portal/trabajos/lista.html"
    page_title = "Trabajos en segundo plano"

    def get_context_data(self, **kwargs):
        consulta = trabajos_visibles(self.request.user)
        estado = self.request.GET.get("estado")
        if estado in EstadoTrabajo.values:
            consulta = consulta.filter(estado=estado)
        pagina = Paginator(consulta, 25).get_page(self.request.GET.get("p"))
        activos = any(t.activo for t in pagina)
        return super().get_context_data(pagina=pagina, estados=EstadoTrabajo.choices, estado=estado,
                                        refresco=REFRESCO_SEGUNDOS if activos else None, **kwargs)


class TrabajoDetalleView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "portal/trabajos/detalle.html"
    page_title = "Trabajo en segundo plano"

    def dispatch(self, request, *args, **kwargs):
        self.trabajo = trabajos_visibles(request.user).filter(pk=kwargs["trabajo_id"]).first()
        if self.trabajo is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.trabajo.titulo

    def get_context_data(self, **kwargs):
        return super().get_context_data(trabajo=self.trabajo,
                                        refresco=REFRESCO_SEGUNDOS if self.trabajo.activo else None, **kwargs)
