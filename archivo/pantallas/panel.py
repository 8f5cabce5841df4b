"""The archivists' dashboard («Panel del archivo», issue 10 item 9), its short version on the
admin home for the Archivo Central, and the fixity audits' screen. Figures come from
archivo.selectors.panel_resumen (one query each); links go to the other archive screens by
URL name, each shown only where that screen exists and the user may open it."""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import NoReverseMatch, path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from archivo.models import AuditoriaFijeza, HallazgoFijeza
from archivo.pantallas import PermisoMenuItem
from archivo.selectors import panel_resumen
from expedientes.models import ExpedientePage
from permisos.policies import q_expedientes


def archivo_puede_ver(usuario) -> bool:
    """Any view permission of the archive app (read once per request with the user's others)."""
    return usuario.is_active and any(p.startswith("archivo.view_") for p in usuario.get_all_permissions())


def fijeza_puede_ver(usuario) -> bool:
    return usuario.is_active and usuario.has_perm("archivo.view_auditoriafijeza")


def es_del_archivo_central(usuario) -> bool:
    """The archivists (cotejo of transfers is the Archivo Central's own act)."""
    return usuario.is_active and usuario.has_perm("archivo.cotejar_transferencia")


def _url(nombre: str, consulta: str = "") -> str | None:
    try:
        return reverse(nombre) + consulta
    except NoReverseMatch:  # that archive screen is not installed
        return None


def enlaces(usuario) -> dict:
    """Where each figure of the dashboard leads, for this user (None: no link)."""
    return {
        "transferibles": _url("archivo_transferencia_nueva") if usuario.has_perm("archivo.solicitar_transferencia")
        else None,
        "eliminables": _url("archivo_baja_nueva") if usuario.has_perm("archivo.add_bajadocumental") else None,
        "por_cotejar": _url("archivo_transferencias", "?estado=solicitada"),
        "prestamos_vencidos": _url("archivo_prestamos", "?estado=vencidos"),
        "impugnados": _url("archivo_impugnados"),
        "fijeza": _url("archivo_fijeza") if fijeza_puede_ver(usuario) else None,
        "tpcd": _url("archivo_tpcd"),
        "panel": _url("archivo_panel"),
    }


class _ArchivoMixin(WagtailAdminTemplateMixin):
    header_icon = "folder-inverse"


class PanelView(_ArchivoMixin, TemplateView):
    template_name = "archivo/panel.html"
    page_title = "Panel del archivo"

    def dispatch(self, request, *args, **kwargs):
        if not archivo_puede_ver(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**panel_resumen(self.request.user), enlaces=enlaces(self.request.user),
                                        **kwargs)


class FijezaView(_ArchivoMixin, TemplateView):
    """The audits, newest first, and the findings of the one chosen (?auditoria=, default the
    newest with findings)."""

    template_name = "archivo/fijeza.html"
    page_title = "Auditorías de integridad"

    def dispatch(self, request, *args, **kwargs):
        if not fijeza_puede_ver(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("archivo_panel"), "label": PanelView.page_title},
                                         {"url": "", "label": self.page_title}]

    def _elegida(self):
        pedida = self.request.GET.get("auditoria", "")
        if pedida.isdigit():
            return AuditoriaFijeza.objects.filter(pk=pedida).first()
        return AuditoriaFijeza.objects.filter(hallazgos__isnull=False).order_by("-iniciada_en", "-pk").first()

    def get_context_data(self, **kwargs):
        auditorias = Paginator(AuditoriaFijeza.objects.select_related("lanzada_por").order_by("-iniciada_en", "-pk"),
                               20).get_page(self.request.GET.get("p"))
        elegida = self._elegida()
        hallazgos = None
        if elegida is not None:
            hallazgos = Paginator(HallazgoFijeza.objects.filter(auditoria=elegida).select_related("expediente")
                                  .order_by("pk"), 50).get_page(self.request.GET.get("ph"))
            # the expediente's number only where the user may see that expediente (one query)
            ids = {h.expediente_id for h in hallazgos.object_list if h.expediente_id}
            visibles = set(ExpedientePage.objects.filter(q_expedientes(self.request.user), pk__in=ids)
                           .values_list("pk", flat=True)) if ids else set()
            for hallazgo in hallazgos.object_list:
                hallazgo.expediente_visible = hallazgo.expediente_id in visibles
        return super().get_context_data(auditorias=auditorias, elegida=elegida, hallazgos=hallazgos, **kwargs)


class PanelInicio(Component):
    """The dashboard's figures on the admin home, for the Archivo Central."""

    name = "archivo"
    order = 40
    template_name = "archivo/panel_inicio.html"

    def __init__(self, request):
        self.usuario = request.user

    def get_context_data(self, parent_context):
        return {**panel_resumen(self.usuario), "enlaces": enlaces(self.usuario)}


@hooks.register("register_admin_urls")
def urls_panel():
    return [
        path("archivo/", PanelView.as_view(), name="archivo_panel"),
        path("archivo/fijeza/", FijezaView.as_view(), name="archivo_fijeza"),
    ]


@hooks.register("register_archivo_menu_item")
def menu_panel():
    return PermisoMenuItem("Panel del archivo", reverse("archivo_panel"), permiso=archivo_puede_ver,
                           icon_name="home", order=10)


@hooks.register("register_archivo_menu_item")
def menu_fijeza():
    return PermisoMenuItem("Auditorías de integridad", reverse("archivo_fijeza"), permiso=fijeza_puede_ver,
                           icon_name="tick-inverse", order=900)


# After the unit's own panels are added (portal/wagtail_hooks.py, order 0): the Archivo Central
# gets its dashboard instead of the unit's deadlines, which are about the unit's work.
@hooks.register("construct_homepage_panels", order=10)
def panel_de_inicio(request, panels):
    if es_del_archivo_central(request.user):
        if not request.user.is_superuser:
            panels[:] = [p for p in panels if getattr(p, "name", "") != "vencimientos"]
        panels.append(PanelInicio(request))
