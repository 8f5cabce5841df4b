"""Granting and revoking: the role groups, and the object rows on expedientes. The only
writer of the guardian tables (permisos/models.py); permisos/policies.py reads them."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupPagePermission

from .models import ExpedienteUserObjectPermission
from .roles import ROLES

# What an assignment gives the abogado on the expediente and everything under it.
ASIGNACION = ("view_expedientepage", "change_expedientepage")


def roles_configurar(*, juzgado) -> list[Group]:
    """Create the role groups (idempotent), let them into the admin and give each its page
    permissions on the Juzgado subtree and its model permissions. Nothing else is granted:
    default deny. Rights a role no longer has in ROLES are taken away."""
    acceso_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    grupos = []
    for rol in ROLES:
        grupo, _ = Group.objects.get_or_create(name=rol.nombre)
        de_pagina = [Permission.objects.get(content_type__app_label="wagtailcore", codename=c)
                     for c in rol.permisos_juzgado]
        GroupPagePermission.objects.filter(group=grupo, page=juzgado).exclude(
            permission__in=de_pagina).delete()
        for permiso in de_pagina:
            GroupPagePermission.objects.get_or_create(group=grupo, page=juzgado, permission=permiso)
        de_modelo = [acceso_admin]
        for nombre in rol.permisos_modelo:
            app_label, codename = nombre.split(".")
            de_modelo.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        grupo.permissions.set(de_modelo)
        grupos.append(grupo)
    return grupos


def _permisos_de_asignacion():
    from expedientes.models import ExpedientePage

    return list(Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(ExpedientePage), codename__in=ASIGNACION))


def asignacion_aplicar(*, expediente, anterior, nuevo, usuario=None) -> None:
    """The assigned abogado sees and works on the expediente; the previous one no longer.
    Called inside the assignment's transaction, with the expediente's row locked, so the
    rows and the `abogado` field change together; each grant and revocation is logged."""
    from .custodia import Accion, registro_anotar

    permisos = _permisos_de_asignacion()
    codenames = [p.codename for p in permisos]
    if anterior is not None and (nuevo is None or anterior.pk != nuevo.pk):
        ExpedienteUserObjectPermission.objects.filter(
            user=anterior, content_object=expediente, permission__in=permisos).delete()
        registro_anotar(accion=Accion.RETIRO, usuario=usuario, expediente=expediente,
                        objeto=f"Acceso de {anterior.get_username()} al expediente",
                        datos={"usuario": anterior.get_username(), "permisos": codenames})
    if nuevo is not None:
        ExpedienteUserObjectPermission.objects.bulk_create(
            [ExpedienteUserObjectPermission(user=nuevo, content_object_id=expediente.pk, permission=p)
             for p in permisos], ignore_conflicts=True)
        registro_anotar(accion=Accion.CONCESION, usuario=usuario, expediente=expediente,
                        objeto=f"Acceso de {nuevo.get_username()} al expediente",
                        datos={"usuario": nuevo.get_username(), "permisos": codenames})


def asignaciones_masivas(pares) -> int:
    """(expediente id, abogado id) pairs in one insert: the bulk path of imports and the
    benchmark's generator. Returns the rows written."""
    permisos = _permisos_de_asignacion()
    filas = [ExpedienteUserObjectPermission(user_id=abogado_id, content_object_id=expediente_id, permission=p)
             for expediente_id, abogado_id in pares for p in permisos]
    return len(ExpedienteUserObjectPermission.objects.bulk_create(filas, ignore_conflicts=True, batch_size=2000))


def asignaciones_sincronizar() -> int:
    """Every expediente's assigned abogado holds its rows (expedientes assigned before the
    rows existed, or restored from a backup): idempotent, one insert. Run by the
    initialisation at every deploy."""
    from expedientes.models import ExpedientePage

    pares = ExpedientePage.objects.filter(abogado__isnull=False).values_list("pk", "abogado_id")
    return asignaciones_masivas(pares.iterator(chunk_size=5000))
