"""Sign-ins and sign-outs into the custody log. Only the attempted username is kept from
a failed login's credentials: never the password (Django masks it already; we don't
even read it)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed

from .custodia import Accion, registro_anotar
from .direcciones import usuario_actual


def _inicio(sender, request, user, **kwargs):
    registro_anotar(accion=Accion.INICIO_SESION, usuario=user, request=request, objeto="Inicio de sesión")


def _cierre(sender, request, user, **kwargs):
    if user is not None:  # a logout with no one signed in is no event
        registro_anotar(accion=Accion.CIERRE_SESION, usuario=user, request=request, objeto="Cierre de sesión")


def _fallido(sender, credentials, request=None, **kwargs):
    intentado = str(credentials.get("username", "") or "")[:150]
    registro_anotar(accion=Accion.INICIO_FALLIDO, request=request, usuario_nombre=intentado,
                    objeto="Inicio de sesión fallido", datos={"usuario_intentado": intentado})


def _roles_cambiados(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A role given or taken (a user's groups changed, from either side): a grant or a
    revocation, by whoever is acting in the current request."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    if action not in ("post_add", "post_remove") or not pk_set:
        return
    accion = Accion.CONCESION if action == "post_add" else Accion.RETIRO
    if reverse:  # group.user_set.add(...)
        pares = [(u, instance) for u in get_user_model().objects.filter(pk__in=pk_set)]
    else:
        pares = [(instance, g) for g in Group.objects.filter(pk__in=pk_set)]
    for usuario, grupo in pares:
        registro_anotar(accion=accion, usuario=usuario_actual(),
                        objeto=f"Rol «{grupo.name}» de {usuario.get_username()}",
                        datos={"usuario": usuario.get_username(), "rol": grupo.name})


def registrar():
    user_logged_in.connect(_inicio, dispatch_uid="permisos.custodia.inicio")
    user_logged_out.connect(_cierre, dispatch_uid="permisos.custodia.cierre")
    user_login_failed.connect(_fallido, dispatch_uid="permisos.custodia.fallido")
    m2m_changed.connect(_roles_cambiados, sender=get_user_model().groups.through,
                        dispatch_uid="permisos.custodia.roles")
