"""Wagtail hooks: marco (see the package docstring). The reports' URLs under /admin/informes/
and the «Informes» submenu: the products, «Informes emitidos», then whatever the other parts
return from the hook `register_informes_menu_item` (a wagtail MenuItem, or None)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from expedientes.informes import urls

VER = "expedientes.ver_informes"
HOOK_MENU = "register_informes_menu_item"


@hooks.register("register_admin_urls")
def urls_informes():
    return [path("informes/", include(urls))]


class _ItemInforme(MenuItem):
    """Shown to who may see the reports (and, for the issued ones, read them)."""

    def __init__(self, *args, permisos=(VER,), **kwargs):
        self.permisos = permisos
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        usuario = request.user
        return usuario.is_active and all(usuario.has_perm(p) for p in self.permisos)


def _items_propios():
    from expedientes.informes.base import informes

    items = [_ItemInforme("Todos los informes", reverse("informes_indice"), name="informes-indice",
                          icon_name="table", order=0)]
    items += [_ItemInforme(f"{i.numero}. {i.titulo}", reverse("informes_informe", args=[i.clave]),
                           name=f"informe-{i.clave}", icon_name="table", order=i.numero)
              for i in informes()]
    items.append(_ItemInforme("Informes emitidos", reverse("informes_emitidos"), name="informes-emitidos",
                              icon_name="doc-full", order=100,
                              permisos=(VER, "expedientes.view_informeemitido")))
    return items


def _items_de_otras_partes():
    """What the other parts add (the annual report, the imports...), after ours."""
    return [item for item in (fn() for fn in hooks.get_hooks(HOOK_MENU)) if item is not None]


def items_de_otras_partes(request):
    """Those of them the user sees (the index lists them too)."""
    return [item for item in _items_de_otras_partes() if item.is_shown(request)]


class _MenuInformes(Menu):
    """Our items first, in order; the others' after them, in their own order."""

    @property
    def registered_menu_items(self):
        propios = _items_propios()
        otros = _items_de_otras_partes()
        for item in otros:
            item.order = 1000 + (item.order or 0)
        return propios + otros


class _SubmenuInformes(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.is_active and request.user.has_perm(VER) and super().is_shown(request)


@hooks.register("register_admin_menu_item")
def menu_informes():
    return _SubmenuInformes("Informes", _MenuInformes(), name="informes", icon_name="table", order=170)


@hooks.register("construct_main_menu")
def informes_de_wagtail_aparte(request, menu_items):
    """Wagtail's own «Reports» (translated «Informes»: locked pages, site history...) would sit
    beside the unit's «Informes» with the same name: it keeps its content under another name."""
    for item in menu_items:
        if item.name == "reports":
            item.label = "Informes del sistema"
