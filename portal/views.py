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


def _puede_oficios(usuario) -> bool:
    """The bulk letters act on the whole unit: who may open expedientes in it (jefe, secretaría)."""
    from expedientes.models import JuzgadoIndexPage
    from permisos.policies import expediente_puede_abrir

    juzgado = JuzgadoIndexPage.objects.first()
    return juzgado is not None and expediente_puede_abrir(usuario, juzgado)


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
                                        refresco=REFRESCO_SEGUNDOS if activos else None,
                                        puede_oficios=_puede_oficios(self.request.user), **kwargs)


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


class OficiosRetencionView(WagtailAdminTemplateMixin, TemplateView):
    """The bulk retention letters (expedientes.services.medidas), queued as a job: who may open
    expedientes in the unit (jefe, secretaría) asks for them here and follows them in the job's
    page. Anyone else: 404."""

    template_name = "portal/trabajos/oficios_retencion.html"
    page_title = "Oficios de retención masivos"

    def dispatch(self, request, *args, **kwargs):
        if not _puede_oficios(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _formulario(self, datos=None):
        from .forms import OficiosRetencionForm

        return OficiosRetencionForm(datos)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self._formulario())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect
        from django.utils import timezone

        from expedientes.services.medidas import (
            TRABAJO_OFICIOS,
            oficios_retencion_parametros,
            oficios_retencion_titulo,
        )
        from expedientes.tasks import oficios_retencion

        from .trabajos import trabajo_crear

        form = self._formulario(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                parametros = oficios_retencion_parametros(
                    desde=d["desde"], hasta=d["hasta"], entidades=d["entidades"], usuario=request.user,
                    firmante=d["firmante"], fecha=timezone.localdate())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                trabajo = trabajo_crear(tipo=TRABAJO_OFICIOS, usuario=request.user, parametros=parametros,
                                        titulo=oficios_retencion_titulo(desde=d["desde"], hasta=d["hasta"],
                                                                        entidades=d["entidades"]),
                                        tarea=oficios_retencion)
                return redirect("trabajo_detalle", trabajo.pk)
        return self.render_to_response(self.get_context_data(form=form))
