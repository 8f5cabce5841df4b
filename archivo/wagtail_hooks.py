"""The archive in the admin: one «Archivo» menu whose items and URLs each screen module of
archivo/pantallas/ registers itself (hooks `register_archivo_menu_item` and
`register_admin_urls`), so the screens of closing, boxes and loans, contested cases,
transfers, disposal and fixity stay in their own modules."""

import importlib
import pkgutil

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from . import pantallas

for _modulo in pkgutil.iter_modules(pantallas.__path__):
    importlib.import_module(f"{pantallas.__name__}.{_modulo.name}")


class _ArchivoMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return bool(self.menu.menu_items_for_request(request))


@hooks.register("register_admin_menu_item")
def menu_archivo():
    return _ArchivoMenuItem("Archivo", Menu(register_hook_name="register_archivo_menu_item"),
                            icon_name="folder-inverse", name="archivo", order=400)
