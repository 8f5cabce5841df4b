"""The insolvency dossier's screens. The jefe chooses the actuaciones from the process
screen of an expediente in insolvency; whoever may see a dossier opens it from the
«Dossiers de insolvencia» listing: the jefe shares or withdraws it, Asesoría Jurídica
acknowledges it and records the lawsuit. A dossier (or an expediente) the user may not see
is a 404 at every URL, never a 403. Each view parses, calls one service, responds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from expedientes.custodia import ArchivoRechazado
from expedientes.forms import errores_al_formulario
from expedientes.forms_dossier import DossierArmarForm, JuicioForm, RetiroForm
from expedientes.models import DossierInsolvencia, ExpedientePage
from expedientes.selectors import dossiers_de
from expedientes.services.dossier import (
    dossier_acciones,
    dossier_acusar_recibo,
    dossier_armable,
    dossier_armar,
    dossier_juicio_registrar,
)
from permisos import policies
from permisos.services import dossier_compartir, dossier_retirar


class _DossiersMixin(WagtailAdminTemplateMixin):
    header_icon = "folder-inverse"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("dossiers_listado"), "label": "Dossiers de insolvencia"}]


class DossierArmarView(_DossiersMixin, TemplateView):
    template_name = "expedientes/admin/dossier_armar.html"
    page_title = "Armar dossier para Asesoría Jurídica"

    def dispatch(self, request, *args, **kwargs):
        self.expediente = get_object_or_404(ExpedientePage.objects.select_related("coactivado"),
                                            pk=kwargs["pk"])
        if not policies.dossier_puede_armar(request.user, self.expediente):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.expediente.numero

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("expedientes_proceso", args=[self.expediente.pk]), "label": self.expediente.numero},
            {"url": "", "label": "Armar dossier"},
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", DossierArmarForm(expediente=self.expediente))
        return super().get_context_data(expediente=self.expediente, armable=dossier_armable(self.expediente),
                                        **kwargs)

    def post(self, request, *args, **kwargs):
        form = DossierArmarForm(request.POST, expediente=self.expediente)
        if form.is_valid():
            try:
                dossier = dossier_armar(expediente=self.expediente, usuario=request.user,
                                        actuaciones=form.cleaned_data["actuaciones"])
            except ValidationError as error:
                errores_al_formulario(form, error)
            except ArchivoRechazado as rechazo:
                form.add_error(None, rechazo.mensaje)
            else:
                messages.success(request, f"Dossier armado: {dossier.folios} folios, guardado en custodia "
                                          f"(SHA-256 {dossier.version.sha256[:12]}…).")
                return redirect("dossier_ver", dossier.uuid)
        return self.render_to_response(self.get_context_data(form=form))


class DossierListadoView(_DossiersMixin, TemplateView):
    template_name = "expedientes/admin/dossier_listado.html"
    page_title = "Dossiers de insolvencia"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Dossiers de insolvencia"}]

    def get_context_data(self, **kwargs):
        pagina = Paginator(dossiers_de(self.request.user), 25).get_page(self.request.GET.get("p"))
        return super().get_context_data(pagina=pagina, **kwargs)


def _dossier_visible(request, uuid) -> DossierInsolvencia:
    dossier = (DossierInsolvencia.objects
               .select_related("expediente__coactivado", "version", "armado_por", "compartido_por",
                               "acuse_por", "retirado_por", "juicio_actualizado_por")
               .filter(uuid=uuid).first())
    if dossier is None or not policies.dossier_puede_ver(request.user, dossier):
        raise Http404
    return dossier


class DossierView(_DossiersMixin, TemplateView):
    template_name = "expedientes/admin/dossier.html"
    page_title = "Dossier de insolvencia"

    def dispatch(self, request, *args, **kwargs):
        self.dossier = _dossier_visible(request, kwargs["uuid"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.dossier.expediente.numero

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": str(self.dossier)}]

    def get_context_data(self, **kwargs):
        d = self.dossier
        formularios = {"retirar": RetiroForm(), "juicio": JuicioForm(initial={
            "numero_juicio": d.numero_juicio, "judicatura": d.judicatura, "estado_juicio": d.estado_juicio})}
        formularios.update(kwargs.pop("formularios", {}))
        return super().get_context_data(
            dossier=d, formularios=formularios, expediente=d.expediente,
            ve_expediente=policies.pagina_puede_ver(self.request.user, d.expediente),
            acciones=dossier_acciones(dossier=d, usuario=self.request.user),
            documentos=d.manifiesto.get("documentos", []),
            actualizaciones=d.actualizaciones_juicio.select_related("registrada_por"),
            **kwargs)


# accion → (form class or None, service, success message)
ACCIONES = {
    "compartir": (None, lambda d, datos, r: dossier_compartir(dossier=d, usuario=r.user, request=r),
                  "Dossier compartido con Asesoría Jurídica."),
    "retirar": (RetiroForm, lambda d, datos, r: dossier_retirar(dossier=d, usuario=r.user, request=r, **datos),
                "Compartición retirada: Asesoría Jurídica ya no ve el dossier."),
    "acuse": (None, lambda d, datos, r: dossier_acusar_recibo(dossier=d, usuario=r.user, request=r),
              "Recibo del dossier registrado."),
    "juicio": (JuicioForm, lambda d, datos, r: dossier_juicio_registrar(dossier=d, usuario=r.user, request=r,
                                                                         **datos),
               "Juicio de insolvencia registrado."),
}


class DossierAccionView(DossierView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if kwargs["accion"] not in ACCIONES:
            raise Http404
        clase, servicio, exito = ACCIONES[kwargs["accion"]]
        form = clase(request.POST) if clase else None
        if form is None or form.is_valid():
            try:
                servicio(self.dossier, form.cleaned_data if form else {}, request)
            except ValidationError as error:
                if form is None:
                    messages.error(request, f"No se guardó: {' '.join(error.messages)}")
                    return redirect("dossier_ver", self.dossier.uuid)
                errores_al_formulario(form, error)
            else:
                messages.success(request, exito)
                return redirect("dossier_ver", self.dossier.uuid)
        messages.error(request, "No se guardó: revise el formulario marcado.")
        return self.render_to_response(self.get_context_data(formularios={kwargs["accion"]: form}))
