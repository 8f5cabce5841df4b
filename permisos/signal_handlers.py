"""Sign-ins and sign-outs into the custody log. Only the attempted username is kept from
a failed login's credentials: never the password (Django masks it already; we don't
even read it)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from .custodia import Accion, registro_anotar


def _inicio(sender, request, user, **kwargs):
    registro_anotar(accion=Accion.INICIO_SESION, usuario=user, request=request, objeto="Inicio de sesión")


def _cierre(sender, request, user, **kwargs):
    if user is not None:  # a logout with no one signed in is no event
        registro_anotar(accion=Accion.CIERRE_SESION, usuario=user, request=request, objeto="Cierre de sesión")


def _fallido(sender, credentials, request=None, **kwargs):
    intentado = str(credentials.get("username", "") or "")[:150]
    registro_anotar(accion=Accion.INICIO_FALLIDO, request=request, usuario_nombre=intentado,
                    objeto="Inicio de sesión fallido", datos={"usuario_intentado": intentado})


def registrar():
    user_logged_in.connect(_inicio, dispatch_uid="permisos.custodia.inicio")
    user_logged_out.connect(_cierre, dispatch_uid="permisos.custodia.cierre")
    user_login_failed.connect(_fallido, dispatch_uid="permisos.custodia.fallido")
