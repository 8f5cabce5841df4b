from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from expedientes.models import ExpedientePage

from . import auditoria, policies, views_custodia


class _CustodiaFormatter(LogFormatter):
    def format_message(self, log_entry):
        d = log_entry.data or {}
        return f"{self.label}: «{d.get('titulo', '')}» v{d.get('version', '?')} ({d.get('nombre', '')})"


@hooks.register("register_log_actions")
def registrar_acciones_custodia(actions):
    for accion, etiqueta in [
        (auditoria.VERSION_REGISTRADA, _("Versión de adjunto registrada")),
        (auditoria.DESCARGA, _("Descarga de adjunto")),
        (auditoria.ACCESO_DENEGADO, _("Acceso denegado a adjunto")),
    ]:
        actions.register_action(accion)(type(accion, (_CustodiaFormatter,), {"label": etiqueta}))


class _DossierFormatter(LogFormatter):
    def format_message(self, log_entry):
        d = log_entry.data or {}
        detalle = d.get("motivo") or d.get("numero_juicio") or (f"{d['folios']} folios" if "folios" in d else "")
        return f"{self.label}" + (f": {detalle}" if detalle else "")


@hooks.register("register_log_actions")
def registrar_acciones_dossier(actions):
    for accion, etiqueta in [
        (auditoria.DOSSIER_ARMADO, _("Dossier de insolvencia armado")),
        (auditoria.DOSSIER_COMPARTIDO, _("Dossier compartido con Asesoría Jurídica")),
        (auditoria.DOSSIER_RETIRADO, _("Dossier retirado de Asesoría Jurídica")),
        (auditoria.DOSSIER_ACUSE, _("Acuse de recibo del dossier")),
        (auditoria.DOSSIER_JUICIO, _("Juicio de insolvencia registrado")),
    ]:
        actions.register_action(accion)(type(accion, (_DossierFormatter,), {"label": etiqueta}))


@hooks.register("construct_page_chooser_queryset")
def selector_de_paginas_filtrado(pages, request):
    """Wagtail's page chooser lists every page (it is meant for picking link targets): here
    it shows only what the user may see."""
    return policies.paginas_filtrar_visibles(request.user, pages)


@hooks.register("construct_reports_menu")
def sin_informe_de_tipos_de_pagina(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


@hooks.register("construct_homepage_summary_items", order=1)  # after Wagtail's own adds it
def sin_total_de_paginas(request, summary_items):
    """Wagtail's home counts every page of the site (a count of expedientes the user may
    not see): out. The home's own panels count what the user may see."""
    from wagtail.admin.site_summary import PagesSummaryItem

    summary_items[:] = [item for item in summary_items if not isinstance(item, PagesSummaryItem)]


# --- the custody log -------------------------------------------------------------------------

@hooks.register("register_admin_urls")
def urls_registro_custodia():
    return [
        path("custodia/", views_custodia.RegistroCustodiaView.as_view(), name="permisos_registro_custodia"),
        path("custodia/exportar/<str:formato>/", views_custodia.registro_custodia_exportar,
             name="permisos_registro_custodia_exportar"),
    ]


class _RegistroCustodiaMenuItem(MenuItem):
    def is_shown(self, request):
        return policies.registro_custodia_puede_ver(request.user)


@hooks.register("register_reports_menu_item")
def menu_registro_custodia():
    return _RegistroCustodiaMenuItem("Registro de custodia", reverse("permisos_registro_custodia"),
                                     icon_name="list-ul", order=50)


@hooks.register("before_edit_page")
def vista_en_el_editor(request, page):
    """Opening an expediente in the page editor shows it: a view (saving it is a POST)."""
    if request.method == "GET" and isinstance(page, ExpedientePage):
        auditoria.expediente_vista_registrar(expediente=page, request=request, pantalla="editor")
