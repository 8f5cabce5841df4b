"""The two pages of the second step of sign-in: enrolling an authenticator app (secret and
QR code, confirmed by a first code) and typing the code after the password. django-otp
keeps the device, checks the code (with its own throttling) and marks the session verified.

The QR code is drawn here, as inline SVG, with segno: a kept, dependency-free library (no
image stack, no JavaScript, nothing fetched from outside)."""

import logging
from base64 import b32encode

import segno
from django import forms
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import acceso

logger = logging.getLogger(__name__)


class CodigoForm(forms.Form):
    codigo = forms.CharField(
        label="Código de verificación", min_length=6, max_length=8, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": "", "pattern": "[0-9]*"}),
        help_text="Los 6 dígitos que muestra ahora su aplicación de autenticación.",
    )


def _siguiente(request) -> str:
    siguiente = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(siguiente, {request.get_host()}, request.is_secure()):
        return siguiente
    return reverse("wagtailadmin_home")


def _verificar(request, formulario, dispositivo) -> bool:
    """Checks the code on the device; on success the session becomes verified (new key:
    a session id seen before the second step is not the one that holds it)."""
    permitido, _datos = dispositivo.verify_is_allowed()
    if not permitido:
        formulario.add_error(None, "Demasiados códigos incorrectos seguidos. Espere unos "
                                   "segundos y escriba el código nuevo que muestre su aplicación.")
        return False
    if not dispositivo.verify_token(formulario.cleaned_data["codigo"]):
        formulario.add_error("codigo", "El código no es válido o ya se usó. Revise la hora de "
                                       "su teléfono y escriba el código actual.")
        return False
    request.session.cycle_key()
    otp_login(request, dispositivo)
    return True


def _qr_svg(dispositivo) -> str:
    # light: a white quiet zone, so the code reads also on Wagtail's dark theme
    return segno.make(dispositivo.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title="Código QR para la aplicación de autenticación",
    )


def _en_grupos(secreto: str) -> str:
    # typed by hand when the camera fails: groups of four, as the apps accept them
    return " ".join(secreto[i:i + 4] for i in range(0, len(secreto), 4))


def registrar(request):
    usuario = request.user
    if not usuario.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if not acceso.otp_requerido(usuario) or usuario.is_verified():
        return redirect(_siguiente(request))
    if TOTPDevice.objects.filter(user=usuario, confirmed=True).exists():
        return redirect(f"{reverse('acceso_verificar')}?{request.GET.urlencode()}")
    # one pending device per user: reloading the page keeps the secret already scanned
    dispositivo = TOTPDevice.objects.filter(user=usuario, confirmed=False).first()
    if dispositivo is None:
        dispositivo = TOTPDevice.objects.create(user=usuario, name="Portal Coactivas",
                                                confirmed=False)
    formulario = CodigoForm(request.POST or None)
    if request.method == "POST" and formulario.is_valid() and _verificar(request, formulario,
                                                                        dispositivo):
        dispositivo.confirmed = True
        dispositivo.save(update_fields=["confirmed"])
        logger.info("TOTP registrado para %s", usuario.get_username())
        return redirect(_siguiente(request))
    return render(request, "permisos/acceso_registrar.html", {
        "form": formulario, "next": _siguiente(request),
        "qr": mark_safe(_qr_svg(dispositivo)),  # segno's own markup, no user input in it
        "secreto": _en_grupos(b32encode(dispositivo.bin_key).decode()),
    })


def verificar(request):
    usuario = request.user
    if not usuario.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if not acceso.otp_requerido(usuario) or usuario.is_verified():
        return redirect(_siguiente(request))
    dispositivo = TOTPDevice.objects.filter(user=usuario, confirmed=True).first()
    if dispositivo is None:
        return redirect(f"{reverse('acceso_registrar')}?{request.GET.urlencode()}")
    formulario = CodigoForm(request.POST or None)
    if request.method == "POST" and formulario.is_valid() and _verificar(request, formulario,
                                                                        dispositivo):
        return redirect(_siguiente(request))
    return render(request, "permisos/acceso_verificar.html",
                  {"form": formulario, "next": _siguiente(request)})
