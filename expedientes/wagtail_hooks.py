from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from expedientes.models import ActuacionPage, Adjunto, AnioPage, ExpedientePage, JuzgadoIndexPage
from permisos import policies

from . import urls_admin


@hooks.register("register_admin_urls")
def urls_expedientes():
    return [path("coactivas/", include(urls_admin))]


class _AbrirExpedienteMenuItem(MenuItem):
    def is_shown(self, request):
        juzgado = JuzgadoIndexPage.objects.first()
        return juzgado is not None and policies.expediente_puede_abrir(request.user, juzgado)


@hooks.register("register_admin_menu_item")
def menu_abrir_expediente():
    return _AbrirExpedienteMenuItem(
        "Abrir expediente", reverse("expedientes_abrir"), icon_name="folder-open-inverse", order=150
    )


def _acciones_de_pagina(page, user, *, en_cabecera):
    """(label, url, icon) of the unit's own actions on a page of the tree."""
    especifica = page.specific_deferred
    if isinstance(especifica, ExpedientePage) and policies.pagina_puede_ver(user, page):
        yield "Proceso", reverse("expedientes_proceso", args=[page.pk]), "folder-open-inverse"
    if isinstance(especifica, ActuacionPage) and policies.pagina_puede_ver(user, page):
        yield "Adjuntos", reverse("expedientes_adjuntos", args=[page.pk]), "doc-full"
    if en_cabecera and isinstance(especifica, (JuzgadoIndexPage, AnioPage)):
        juzgado = JuzgadoIndexPage.objects.first()
        if juzgado and policies.expediente_puede_abrir(user, juzgado):
            yield "Abrir expediente", reverse("expedientes_abrir"), "folder-open-inverse"


@hooks.register("register_page_listing_buttons")
def botones_de_listado(page, user, next_url=None):
    for label, url, icon in _acciones_de_pagina(page, user, en_cabecera=False):
        yield ListingButton(label, url, icon_name=icon, priority=5)


@hooks.register("register_page_header_buttons")
def botones_de_cabecera(page, user, view_name=None, next_url=None):
    for label, url, icon in _acciones_de_pagina(page, user, en_cabecera=True):
        yield Button(label, url, icon_name=icon, priority=5)


@hooks.register("before_delete_page")
def impedir_borrar_custodia(request, page):
    """Nothing in custody is deleted from the page tree: files leave only by a documented
    disposal (baja documental, archive issue)."""
    if Adjunto.objects.filter(actuacion__path__startswith=page.path).exists():
        messages.error(
            request,
            f"«{page.title}» contiene archivos en custodia y no puede eliminarse. "
            "Los documentos solo salen del sistema por baja documental autorizada.",
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)


# Coactivados, tasas de interés, plantillas and the calendar, under one «Registros» menu
from .admin_registros import RegistrosViewSetGroup  # noqa: E402

register_snippet(RegistrosViewSetGroup)


class _CorreccionFormatter(LogFormatter):
    label = "Corrección de datos del expediente"

    def format_message(self, log_entry):
        d = log_entry.data or {}
        return f"Corrección de {d.get('campo', '')}: «{d.get('anterior', '')}» → «{d.get('nuevo', '')}» ({d.get('motivo', '')})"


@hooks.register("register_log_actions")
def registrar_correcciones(actions):
    from expedientes.services.correcciones import ACCION_CORRECCION

    actions.register_action(ACCION_CORRECCION)(_CorreccionFormatter)
