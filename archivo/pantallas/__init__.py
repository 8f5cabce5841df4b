"""The archive's admin screens, one module each (imported by archivo/wagtail_hooks.py):
each registers its URLs with `register_admin_urls` and its menu item with
`register_archivo_menu_item` (a PermisoMenuItem: shown to who holds its permission)."""

from wagtail.admin.menu import MenuItem


class PermisoMenuItem(MenuItem):
    """An item of the «Archivo» menu shown to who holds `permiso`: "app.codename", or a
    function of the user (a policy check)."""

    def __init__(self, *args, permiso, **kwargs):
        super().__init__(*args, **kwargs)
        self.permiso = permiso

    def is_shown(self, request):
        if callable(self.permiso):
            return self.permiso(request.user)
        return request.user.has_perm(self.permiso)
