from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from expedientes.models import ActuacionPage, Adjunto, AnioPage, ExpedientePage, JuzgadoIndexPage
from permisos import policies
from permisos.paginas import pagina_contiene_protegidas, paginas_protegidas_modelos

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


class _DossiersMenuItem(MenuItem):
    def is_shown(self, request):
        return policies.dossiers_puede_listar(request.user)


@hooks.register("register_admin_menu_item")
def menu_dossiers():
    return _DossiersMenuItem(
        "Dossiers de insolvencia", reverse("dossiers_listado"), icon_name="folder-inverse", order=160
    )


@hooks.register("register_admin_menu_item")
def menu_busqueda_texto():
    # every admin user: what each one finds is filtered by the permission policy
    return MenuItem("Buscar en los documentos", reverse("busqueda_texto"), icon_name="search", order=140)


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


# --- Nothing leaves the file room through Wagtail -----------------------------------------
# The pages' permission tester (permisos.paginas) refuses delete, unpublish, copy and move, so
# Wagtail hides those buttons and refuses its views and bulk actions. The single-page views of
# those actions answer with the reason instead of Wagtail's generic refusal, and the before_*
# hooks are a second line for any page whose subtree holds pages of the file room.

_VERBOS = {"delete": "eliminarse", "unpublish": "despublicarse", "copy": "copiarse", "move": "moverse"}


def _rechazo(request, page, accion):
    """Redirect to the page's place in the explorer with the reason, in Spanish."""
    if accion == "delete" and Adjunto.objects.filter(actuacion__path__startswith=page.path).exists():
        motivo = (f"«{page.title}» contiene archivos en custodia y no puede eliminarse. "
                  "Los documentos solo salen del sistema por baja documental autorizada.")
    elif accion == "copy":
        motivo = (f"«{page.title}» no puede copiarse: cada expediente y cada actuación existen una sola "
                  "vez, con su número. Para un proceso nuevo, use «Abrir expediente».")
    else:
        motivo = (f"«{page.title}» forma parte del archivo del Juzgado y no puede {_VERBOS[accion]} "
                  "desde el árbol de páginas. Su baja será un acto autorizado y registrado del archivo.")
    messages.error(request, motivo)
    padre = page.get_parent()
    return redirect("wagtailadmin_explore", padre.pk if padre and not padre.is_root() else page.pk)


def _si_protegida(request, page, accion):
    if pagina_contiene_protegidas(page):
        return _rechazo(request, page, accion)
    return None


@hooks.register("before_delete_page")
def impedir_borrar(request, page):
    return _si_protegida(request, page, "delete")


@hooks.register("before_unpublish_page")
def impedir_despublicar(request, page):
    return _si_protegida(request, page, "unpublish")


@hooks.register("before_copy_page")
def impedir_copiar(request, page):
    return _si_protegida(request, page, "copy")


@hooks.register("before_move_page")
def impedir_mover(request, page, destination):
    return _si_protegida(request, page, "move")


@hooks.register("before_bulk_action")
def impedir_acciones_masivas(request, action_type, objects, action_class_instance):
    """Also the pages the tester already left out: the user reads why, not «0 pages»."""
    if action_type not in _VERBOS or not issubclass(action_class_instance.model, Page):
        return None
    pedidas = [i for i in request.GET.getlist("id") if i.isdigit()]
    for page in [*objects, *Page.objects.filter(pk__in=pedidas)]:
        if pagina_contiene_protegidas(page):
            return _rechazo(request, page.specific_deferred, action_type)
    return None


class _VistasDePaginaProtegida:
    """Routes Wagtail's per-page-type admin views (wagtail.admin.viewsets.pages) for the file
    room's page types: the actions that would take a page away answer with the reason; every
    other view is whatever serves plain pages (Wagtail's own, or a project-wide replacement).
    A page the user may not see stays a 404."""

    RECHAZADAS = {"delete": "delete", "unpublish": "unpublish", "copy": "copy", "move": "move",
                  "move_confirm": "move"}

    def get_view_by_name(self, name):
        if name not in self.RECHAZADAS:
            return page_viewset_registry.get_by_type(Page).get_view_by_name(name)
        accion = self.RECHAZADAS[name]

        def rechazar(request, *args, page_id=None, page_to_move_id=None, **kwargs):
            page = get_object_or_404(Page, pk=page_id or page_to_move_id).specific_deferred
            if not policies.pagina_puede_ver(request.user, page):
                raise Http404
            return _rechazo(request, page, accion)

        return rechazar


for _modelo in paginas_protegidas_modelos():
    page_viewset_registry.register(_modelo, _VistasDePaginaProtegida(), exact_class=True)


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


class _AnulacionFormatter(LogFormatter):
    label = "Anulación de pago"

    def format_message(self, log_entry):
        d = log_entry.data or {}
        return f"Pago {d.get('recibo', '')} anulado: {d.get('motivo', '')}"


@hooks.register("register_log_actions")
def registrar_anulaciones(actions):
    from expedientes.services.pagos import ACCION_ANULACION

    actions.register_action(ACCION_ANULACION)(_AnulacionFormatter)


# --- the legal calendar moves the stored deadlines --------------------------------------------

def _dias_recalcular(fechas) -> None:
    from expedientes.services.plazos import plazos_recalcular_desde

    if fechas := [f for f in fechas if f is not None]:
        plazos_recalcular_desde(min(fechas))


@hooks.register("before_edit_snippet")
def calendario_antes_de_editar(request, instance):
    from expedientes.models import DiaEspecial

    if isinstance(instance, DiaEspecial):  # the day's date before the edit: it may be moved
        request._dia_especial_fecha_anterior = instance.fecha


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def calendario_despues_de_guardar(request, instance):
    from expedientes.models import DiaEspecial

    if isinstance(instance, DiaEspecial):
        _dias_recalcular([instance.fecha, getattr(request, "_dia_especial_fecha_anterior", None)])


@hooks.register("after_delete_snippet")
def calendario_despues_de_eliminar(request, instances):
    from expedientes.models import DiaEspecial

    _dias_recalcular([dia.fecha for dia in instances if isinstance(dia, DiaEspecial)])


# --- The unit's language, not a CMS's (expedientes/navegacion.py) -------------------------
# The page tree, its search and its panels (drafts, locks, workflows, recent edits) are the
# administrator's; the unit works from «Expedientes», the process screen and the files.
from wagtail.admin.search import SearchArea  # noqa: E402

from .navegacion import ve_el_arbol  # noqa: E402

PANELES_DEL_CMS = {"user_objects_in_workflow_moderation", "workflow_objects_to_moderate",
                   "locked_pages", "recent_edits", "whats_new_in_wagtail_version"}


@hooks.register("construct_main_menu")
def ocultar_arbol_de_paginas(request, menu_items):
    if not ve_el_arbol(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "explorer"]


@hooks.register("construct_homepage_panels")
def ocultar_paneles_del_cms(request, panels):
    if not ve_el_arbol(request.user):
        panels[:] = [p for p in panels if getattr(p, "name", "") not in PANELES_DEL_CMS]


@hooks.register("register_admin_search_area")
def busqueda_de_expedientes():
    # before Wagtail's «Páginas» (order 100): the sidebar's search box searches here
    return SearchArea("Expedientes", reverse("expedientes_listado"), name="expedientes",
                      icon_name="folder-inverse", order=10)


# the unit's reports (expedientes/informes/): each part registers its own hooks
from expedientes.informes.hooks import gestion, importacion, marco, panel  # noqa: E402, F401
