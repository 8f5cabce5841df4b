"""Sign-in: lockout after failed passwords (through Wagtail's real login form), the one-time
code for the roles that need it, idle and absolute session expiry, password strength, the
avatar upload closed, and production cookies."""

import io
import os
import re
import subprocess
import sys
import time
import uuid
from base64 import b32decode
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.users.models import UserProfile

from permisos import acceso, checks, roles
from tests.factories import usuario_con_rol

pytestmark = pytest.mark.servicios

LOGIN = "/admin/login/"
CLAVE = "clave-de-prueba"  # tests/factories.py


def _ingresar(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"},
                       **extra)


def _autenticado(client) -> bool:
    return "_auth_user_id" in client.session


# --- lockout (django-axes) ----------------------------------------------------------------

def test_bloqueo_tras_intentos_fallidos_y_mensaje_en_espanol(client, usuarios, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        respuesta = _ingresar(client, "jefe", "equivocada")
        assert respuesta.status_code == 200  # Wagtail's own "did not match" page
    respuesta = _ingresar(client, "jefe", "equivocada")
    assert respuesta.status_code == 429
    contenido = respuesta.content.decode()
    assert "Cuenta bloqueada temporalmente" in contenido
    assert "Espere 30 minutos" in contenido
    assert 'name="password"' in contenido  # still the login page, not a bare text

    # the right password is refused too, from this address, even naming another one
    assert _ingresar(client, "jefe", CLAVE).status_code == 429
    assert _ingresar(client, "jefe", CLAVE, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
    assert not _autenticado(client)

    # by the pair username + address: the same user elsewhere, another user here, still enter
    assert _ingresar(client, "jefe", CLAVE, REMOTE_ADDR="10.0.0.7").status_code == 302
    client.logout()
    assert _ingresar(client, "secretaria", CLAVE).status_code == 302


def test_bloqueo_termina_con_el_enfriamiento(client, usuarios):
    for _ in range(5):
        _ingresar(client, "jefe", "equivocada")
    assert _ingresar(client, "jefe", CLAVE).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    respuesta = _ingresar(client, "jefe", CLAVE)
    assert respuesta.status_code == 302 and respuesta["Location"] == "/admin/"
    assert _autenticado(client)


def test_desbloqueo_con_axes_reset_username(client, usuarios):
    for _ in range(5):
        _ingresar(client, "jefe", "equivocada")
    assert _ingresar(client, "jefe", CLAVE).status_code == 429
    call_command("axes_reset_username", "jefe", stdout=io.StringIO())
    assert _ingresar(client, "jefe", CLAVE).status_code == 302
    assert _autenticado(client)


def test_ingreso_correcto_reinicia_la_cuenta_de_fallos(client, usuarios):
    for _ in range(4):
        _ingresar(client, "jefe", "equivocada")
    assert _ingresar(client, "jefe", CLAVE).status_code == 302
    client.logout()
    for _ in range(4):
        assert _ingresar(client, "jefe", "equivocada").status_code == 200


# --- one-time codes (django-otp) ----------------------------------------------------------

@pytest.fixture
def otp(settings):
    settings.PORTAL_OTP_OBLIGATORIO = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 1


def _codigo(dispositivo, pasos=0) -> str:
    """The code the phone shows now (or `pasos` periods later)."""
    return f"{totp(dispositivo.bin_key, step=dispositivo.step, t0=dispositivo.t0, digits=dispositivo.digits, drift=pasos):06d}"


def test_jefe_se_registra_y_luego_verifica_su_codigo(client, usuarios, otp):
    respuesta = _ingresar(client, "jefe", CLAVE)
    assert respuesta.status_code == 302
    respuesta = client.get("/admin/")
    assert respuesta.status_code == 302
    assert respuesta["Location"] == "/acceso/registrar/?next=%2Fadmin%2F"

    respuesta = client.get(respuesta["Location"])
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "Activar la verificación en dos pasos" in contenido
    assert "<svg" in contenido and 'class="qrline"' in contenido  # drawn here, inline
    assert not re.search(r'src="(https?:)?//', contenido)  # nothing loaded from outside
    dispositivo = TOTPDevice.objects.get(user=usuarios["jefe"])
    assert not dispositivo.confirmed
    secreto = re.search(r"<code>([A-Z2-7 ]+)</code>", contenido).group(1).replace(" ", "")
    assert b32decode(secreto) == dispositivo.bin_key

    # reloading keeps the same secret (the phone may have scanned it already)
    client.get("/acceso/registrar/")
    assert TOTPDevice.objects.filter(user=usuarios["jefe"]).count() == 1

    respuesta = client.post("/acceso/registrar/", {"codigo": "000000", "next": "/admin/"})
    assert respuesta.status_code == 200 and "El código no es válido" in respuesta.content.decode()
    dispositivo.refresh_from_db()
    dispositivo.throttle_reset()
    respuesta = client.post("/acceso/registrar/", {"codigo": _codigo(dispositivo), "next": "/admin/"})
    assert respuesta.status_code == 302 and respuesta["Location"] == "/admin/"
    dispositivo.refresh_from_db()
    assert dispositivo.confirmed
    assert client.get("/admin/").status_code == 200

    # next sign-in: the code page, not the enrolment
    client.post("/admin/logout/")
    _ingresar(client, "jefe", CLAVE)
    respuesta = client.get("/admin/pages/")
    assert respuesta["Location"] == "/acceso/verificar/?next=%2Fadmin%2Fpages%2F"
    assert client.get("/acceso/registrar/")["Location"].startswith("/acceso/verificar/")
    # the very code accepted above (by its time step, so a step boundary in between changes nothing)
    usado = f"{hotp(dispositivo.bin_key, dispositivo.last_t, digits=dispositivo.digits):06d}"
    siguiente = f"{hotp(dispositivo.bin_key, dispositivo.last_t + 1, digits=dispositivo.digits):06d}"
    respuesta = client.post("/acceso/verificar/", {"codigo": usado, "next": "/admin/"})
    assert "El código no es válido o ya se usó" in respuesta.content.decode()  # used once
    # right after a wrong code, django-otp's throttle refuses even the right one
    respuesta = client.post("/acceso/verificar/", {"codigo": siguiente, "next": "/admin/"})
    assert "Demasiados códigos incorrectos" in respuesta.content.decode()
    assert client.get("/admin/").status_code == 302
    dispositivo.refresh_from_db()
    dispositivo.throttle_reset()
    respuesta = client.post("/acceso/verificar/", {"codigo": siguiente, "next": "/admin/pages/"})
    assert respuesta["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_totp_restablecer_pide_registrar_de_nuevo(client, usuarios, otp):
    TOTPDevice.objects.create(user=usuarios["jefe"], name="Portal Coactivas", confirmed=True)
    client.force_login(usuarios["jefe"])
    assert client.get("/admin/")["Location"].startswith("/acceso/verificar/")
    salida = io.StringIO()
    call_command("totp_restablecer", "jefe", stdout=salida)
    assert "1 dispositivo(s) eliminado(s)" in salida.getvalue()
    assert client.get("/admin/")["Location"].startswith("/acceso/registrar/")


def test_sin_codigo_nada_es_accesible_ni_la_descarga(client, usuarios, otp):
    client.force_login(usuarios["jefe"])
    for ruta in ("/admin/", "/admin/account/", f"/adjuntos/{uuid.uuid4()}/descargar/",
                 "/admin/pages/", "/"):
        respuesta = client.get(ruta)
        assert respuesta.status_code == 302, ruta
        assert respuesta["Location"].startswith("/acceso/registrar/?next="), ruta
    # what the code pages need still loads
    assert client.get("/admin/jsi18n/").status_code == 200


def test_archivista_administrador_y_superusuario_tambien_necesitan_codigo(client, usuarios, otp):
    # the administrator's group may not be seeded by portal_inicializar yet
    Group.objects.get_or_create(name=roles.ROL_ADMINISTRADOR)
    administrador = usuario_con_rol(roles.ROL_ADMINISTRADOR, username="administrador")
    raiz = usuario_con_rol(None, username="raiz", is_superuser=True, is_staff=True)
    for usuario in (usuarios["archivista"], administrador, raiz):
        client.force_login(usuario)
        assert client.get("/admin/")["Location"].startswith("/acceso/registrar/"), usuario


def test_secretaria_no_necesita_codigo(client, usuarios, otp):
    client.force_login(usuarios["secretaria"])
    assert client.get("/admin/").status_code == 200
    # and the code pages send her back
    assert client.get("/acceso/registrar/?next=/admin/")["Location"] == "/admin/"
    assert not TOTPDevice.objects.exists()


def test_sin_la_obligacion_el_jefe_entra_y_el_sistema_lo_advierte(client, usuarios, settings):
    settings.PORTAL_OTP_OBLIGATORIO = False
    client.force_login(usuarios["jefe"])
    assert client.get("/admin/").status_code == 200
    assert [a.id for a in checks.otp_obligatorio(None)] == ["permisos.W001"]
    settings.PORTAL_OTP_OBLIGATORIO = True
    assert checks.otp_obligatorio(None) == []


# --- sessions -----------------------------------------------------------------------------

def test_sesion_vence_a_las_horas_maximas(client, usuarios, settings):
    assert settings.PORTAL_SESION_MAXIMA == timedelta(hours=10)
    client.force_login(usuarios["secretaria"])
    assert client.get("/admin/").status_code == 200
    sesion = client.session
    sesion[acceso.CLAVE_INICIO] = int(time.time()) - 10 * 3600 - 1
    sesion.save()
    respuesta = client.get("/admin/pages/")
    assert respuesta.status_code == 302
    assert respuesta["Location"] == "/admin/login/?next=/admin/pages/"
    assert not _autenticado(client)
    assert "duración máxima" in client.get(respuesta["Location"]).content.decode()
    assert client.get("/admin/").status_code == 302


def test_sesion_sin_marca_de_inicio_se_cierra(client, usuarios):
    client.force_login(usuarios["secretaria"])
    sesion = client.session
    del sesion[acceso.CLAVE_INICIO]
    sesion.save()
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_inactividad_renueva_y_vence(client, usuarios, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert _ingresar(client, "secretaria", CLAVE).status_code == 302
    clave = client.session.session_key
    Session.objects.filter(session_key=clave).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/admin/").status_code == 200
    vence = Session.objects.get(session_key=clave).expire_date
    assert vence > timezone.now() + timedelta(minutes=29)  # each request renews it
    Session.objects.filter(session_key=clave).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


# --- passwords ----------------------------------------------------------------------------

def test_clave_corta_rechazada_en_espanol(usuarios):
    with pytest.raises(ValidationError) as error:
        validate_password("Corta-2025x", usuarios["jefe"])  # 11 characters
    assert any("por lo menos 12 caracteres" in mensaje for mensaje in error.value.messages), error.value.messages
    validate_password("una clave de doce o más", usuarios["jefe"])


def _cuenta_datos(usuario):
    return {
        "name_email-first_name": usuario.first_name, "name_email-last_name": "Nueva",
        "name_email-email": "secretaria@coactivas.example",
        "notifications-submitted_notifications": "on",
        "theme-theme": "system", "theme-density": "default", "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
    }


def test_cambio_de_clave_en_la_cuenta_exige_la_longitud(client, usuarios):
    client.force_login(usuarios["secretaria"])
    respuesta = client.post("/admin/account/", _cuenta_datos(usuarios["secretaria"]) | {
        "password-old_password": CLAVE, "password-new_password1": "Corta-2025x",
        "password-new_password2": "Corta-2025x",
    })
    assert respuesta.status_code == 200
    assert "por lo menos 12 caracteres" in respuesta.content.decode()
    usuarios["secretaria"].refresh_from_db()
    assert usuarios["secretaria"].check_password(CLAVE)


# --- the avatar upload is closed ----------------------------------------------------------

def _png():
    from PIL import Image

    contenido = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(contenido, "PNG")
    contenido.seek(0)
    contenido.name = "foto.png"
    return contenido


def test_cuenta_sin_subida_de_avatar(client, usuarios, settings):
    client.force_login(usuarios["secretaria"])
    respuesta = client.get("/admin/account/")
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert 'name="avatar-avatar"' not in contenido
    assert 'name="name_email-first_name"' in contenido  # the rest of the page is Wagtail's

    def archivos():
        return set(Path(settings.MEDIA_ROOT).rglob("*"))

    antes = archivos()
    respuesta = client.post("/admin/account/", _cuenta_datos(usuarios["secretaria"]) | {
        "avatar-avatar": _png(),
    })
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    usuarios["secretaria"].refresh_from_db()
    assert usuarios["secretaria"].last_name == "Nueva"  # the other panels still save
    assert not UserProfile.get_for_user(usuarios["secretaria"]).avatar
    assert archivos() == antes  # nothing written to the default storage


def test_cuenta_exige_ingreso(client):
    respuesta = client.get("/admin/account/")
    assert respuesta.status_code == 302 and respuesta["Location"].startswith("/admin/login/")


# --- production cookies -------------------------------------------------------------------

def test_produccion_cookies_seguras_segun_check_deploy():
    raiz = Path(__file__).resolve().parents[2]
    entorno = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    entorno |= {
        "DJANGO_SECRET_KEY": "x" * 60 + "una-clave-larga-y-variada-0123456789",
        "DATABASE_URL": "postgres://u:p@db/portal", "S3_ACCESS_KEY_ID": "clave",
        "S3_SECRET_ACCESS_KEY": "secreto", "DJANGO_ALLOWED_HOSTS": "x.example",
    }
    resultado = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security",
         "--settings=portal.settings.production"],
        cwd=raiz, env=entorno, capture_output=True, text=True,
    )
    salida = resultado.stdout + resultado.stderr
    # W010-W017: session and CSRF cookies (Secure, HttpOnly) and their middleware
    assert not re.findall(r"security\.W01[0-7]", salida), salida
    assert "permisos.W001" not in salida, salida
