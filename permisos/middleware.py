"""Two gates in front of every view, after authentication: a session past its absolute
lifetime is closed, and a user who must confirm a one-time code sees nothing else until
they do. The rules are in permisos/acceso.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from . import acceso

# What an unverified user may still reach: signing in and out, the code pages, and what
# those pages load (Wagtail's JS catalogue and icon sprite). Not the file download.
LIBRES_SIN_CODIGO = {
    "wagtailadmin_login", "wagtailadmin_logout", "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite", "acceso_verificar", "acceso_registrar",
}


class SesionVencidaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and acceso.sesion_vencida(request):
            logout(request)
            messages.info(request, "Su sesión llegó a su duración máxima y se cerró. "
                                   "Ingrese de nuevo.")
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return self.get_response(request)


class VerificacionObligatoriaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        if request.resolver_match and request.resolver_match.url_name in LIBRES_SIN_CODIGO:
            return None
        usuario = request.user
        if not usuario.is_authenticated or usuario.is_verified():
            return None
        if not acceso.otp_requerido(usuario):
            return None
        destino = "acceso_verificar" if user_has_device(usuario) else "acceso_registrar"
        return redirect(f"{reverse(destino)}?{urlencode({'next': request.get_full_path()})}")
