from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from . import auditoria, policies


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
