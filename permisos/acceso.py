"""Sign-in rules: who must confirm a one-time code, how long a session lives, and what a
locked-out user reads. The middleware (permisos/middleware.py) and the code pages
(permisos/verificacion.py) only ask here. Settings in portal/settings/base.py."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from . import roles
from .derechos import derechos

# The roles that sign documents, administer the portal or hold the archive: a stolen
# password alone must not open their accounts. Superusers too (otp_requerido).
ROLES_CON_OTP = (roles.ROL_JEFE, roles.ROL_ADMINISTRADOR, roles.ROL_ARCHIVISTA)

# When the password was accepted (epoch seconds), kept in the session.
CLAVE_INICIO = "acceso_inicio"


def otp_requerido(usuario) -> bool:
    if not settings.PORTAL_OTP_OBLIGATORIO or not usuario.is_authenticated:
        return False
    return usuario.is_superuser or bool(derechos(usuario).grupos & set(ROLES_CON_OTP))


# --- absolute session expiry --------------------------------------------------------------

def sesion_iniciar(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: stamps the moment the password was accepted."""
    if request is not None and hasattr(request, "session"):
        request.session[CLAVE_INICIO] = int(time.time())


def sesion_vencida(request) -> bool:
    """Past PORTAL_SESION_MAXIMA since sign-in. A session without the stamp (opened before
    this rule existed, or by a path that skipped login()) counts as expired: fail closed."""
    inicio = request.session.get(CLAVE_INICIO)
    if not isinstance(inicio, int):
        return True
    return time.time() - inicio > settings.PORTAL_SESION_MAXIMA.total_seconds()


# --- django-axes ---------------------------------------------------------------------------

def ip_cliente(request) -> str | None:
    """The address axes counts failures against: REMOTE_ADDR only. A forwarded header is
    written by the client unless a trusted proxy overwrote it, so it is ignored until the
    trusted-proxy setting PORTAL_PROXIES_CONFIABLES (client-IP resolution in
    permisos/custodia.py) exists; then this should ask that resolution."""
    return request.META.get("REMOTE_ADDR") or None


def mensaje_bloqueo() -> str:
    minutos = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Cuenta bloqueada temporalmente: demasiados intentos fallidos de inicio de sesión. "
        f"Espere {minutos} minutos antes de volver a intentarlo; cada intento durante el "
        f"bloqueo vuelve a contar el tiempo. Si necesita entrar antes, pida al administrador "
        f"del sistema que desbloquee su usuario."
    )


def bloqueo_responder(request, response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the Wagtail login page again, with the reason in Spanish (axes
    has no Spanish catalogue) and axes' own status code (429)."""
    from wagtail.admin.views.account import get_user_login_form  # admin views: load late

    usuario = (credentials or {}).get("username") or request.POST.get("username", "")
    formulario = get_user_login_form()(request, initial={"username": usuario})
    # shown by the login template's messages list, in this same response
    messages.error(request, mensaje_bloqueo())
    siguiente = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(siguiente, {request.get_host()}, request.is_secure()):
        siguiente = ""
    modelo = get_user_model()
    # rendered now: axes swaps it in after the view's response was rendered
    return render(
        request, "wagtailadmin/login.html",
        {"form": formulario, "next": siguiente, "show_password_reset": False,
         "username_field": modelo._meta.get_field(modelo.USERNAME_FIELD).verbose_name},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# --- lost phone ----------------------------------------------------------------------------

def totp_restablecer(*, usuario) -> int:
    """Removes the user's authenticator devices (a lost or replaced phone): the next
    sign-in asks to enrol a new one. Returns how many were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    eliminados, _ = TOTPDevice.objects.filter(user=usuario).delete()
    return eliminados
