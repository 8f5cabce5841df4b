"""Wagtail's account page without its avatar upload. That panel stores whatever image the
user sends, straight to the default storage, with no antivirus and no custody record; every
file must enter through expedientes.custodia, and a profile picture is not worth a second
door. Wagtail builds the panel list in code (hooks can only add panels), so the page is
served by this subclass (portal/urls.py) and everything else on it stays Wagtail's."""

from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.account import AccountView, AvatarSettingsPanel


class CuentaView(AccountView):
    def get_panels(self):
        # post() asks this list too: an avatar sent anyway is never read nor stored
        return [panel for panel in super().get_panels()
                if not isinstance(panel, AvatarSettingsPanel)]


# wrapped as Wagtail wraps its own admin URLs: admin access required, never cached
cuenta = never_cache(require_admin_access(CuentaView.as_view()))
