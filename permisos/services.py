"""Granting and revoking: the role groups, and the object rows on expedientes and on
insolvency dossiers. The only writer of the guardian tables (permisos/models.py);
permisos/policies.py reads them."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.models import GroupPagePermission

from expedientes.calendario import fecha_formatear
from expedientes.models import DossierInsolvencia, EstadoDossier

from . import auditoria, policies
from .models import (
    DossierGroupObjectPermission,
    ExpedienteGroupObjectPermission,
    ExpedienteUserObjectPermission,
)
from .roles import ROL_ASESORIA, ROLES

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
    for cambiado in (anterior, nuevo):
        if cambiado is not None:
            policies.permisos_olvidar(cambiado)


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


# --- Dossiers de insolvencia: sharing with Asesoría Jurídica is a grant to its group
# (guardian rows on the dossier: view to see it, change to acknowledge it and record the
# lawsuit); withdrawing deletes every row of the dossier. Both on the locked dossier row.

PERMISOS_COMPARTIDO = ("view_dossierinsolvencia", "change_dossierinsolvencia")


def _permisos_de_compartido():
    return list(Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(DossierInsolvencia), codename__in=PERMISOS_COMPARTIDO))


def _dossier_bloquear(dossier) -> DossierInsolvencia:
    return (DossierInsolvencia.objects.select_for_update(of=("self",))
            .select_related("expediente", "version").get(pk=dossier.pk))


def _exigir_jefe(usuario, dossier, que: str) -> None:
    if not policies.dossier_puede_compartir(usuario, dossier):
        raise ValidationError(f"Solo el jefe de coactivas {que} el dossier de insolvencia.")


def dossier_compartir(*, dossier, usuario, request=None):
    """Asesoría Jurídica sees it from now on and is asked for a new acuse de recibo."""
    _exigir_jefe(usuario, dossier, "comparte")
    asesoria = Group.objects.get(name=ROL_ASESORIA)
    with transaction.atomic():
        actual = _dossier_bloquear(dossier)
        if actual.estado in (EstadoDossier.COMPARTIDO, EstadoDossier.RECIBIDO):
            raise ValidationError("El dossier ya está compartido con Asesoría Jurídica desde el "
                                  f"{fecha_formatear(timezone.localdate(actual.compartido_en))}.")
        DossierGroupObjectPermission.objects.bulk_create(
            [DossierGroupObjectPermission(group=asesoria, content_object=actual, permission=p)
             for p in _permisos_de_compartido()], ignore_conflicts=True)
        actual.estado = EstadoDossier.COMPARTIDO
        actual.compartido_por, actual.compartido_en = usuario, timezone.now()
        actual.acuse_por = actual.acuse_en = None
        actual.full_clean()
        actual.save(update_fields=["estado", "compartido_por", "compartido_en", "acuse_por", "acuse_en"])
        auditoria.dossier_anotar(accion=auditoria.DOSSIER_COMPARTIDO, dossier=actual, usuario=usuario,
                                 datos={"grupo": asesoria.name}, request=request)
    return actual


def dossier_retirar(*, dossier, usuario, motivo: str, request=None):
    """Nobody but the jefe sees it any more; the reason is kept."""
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo del retiro."})
    _exigir_jefe(usuario, dossier, "retira")
    with transaction.atomic():
        actual = _dossier_bloquear(dossier)
        if actual.estado not in (EstadoDossier.COMPARTIDO, EstadoDossier.RECIBIDO):
            raise ValidationError("El dossier no está compartido: no hay nada que retirar.")
        actual.permisos_grupo.all().delete()
        actual.permisos_usuario.all().delete()
        actual.estado = EstadoDossier.RETIRADO
        actual.retirado_por, actual.retirado_en, actual.retiro_motivo = usuario, timezone.now(), motivo
        actual.full_clean()
        actual.save(update_fields=["estado", "retirado_por", "retirado_en", "retiro_motivo"])
        auditoria.dossier_anotar(accion=auditoria.DOSSIER_RETIRADO, dossier=actual, usuario=usuario,
                                 datos={"motivo": motivo}, request=request)
    return actual


# --- The archive's grants: a group (the Archivo Central's archivists) sees an expediente it
# is handed (a contested case selected for the clean-up, a transfer requested or received).
# Rows on the expediente, like the abogado's, written inside the caller's transaction on its
# locked rows; each one logged.


def _permiso_de_expediente(codename: str) -> Permission:
    from expedientes.models import ExpedientePage

    return Permission.objects.get(content_type=ContentType.objects.get_for_model(ExpedientePage),
                                  codename=codename)


def expediente_conceder_grupo(*, expediente, grupo: Group | str, usuario, motivo: str = "",
                              codename: str = "view_expedientepage") -> None:
    """The group's members (a Group or its name) may `codename` the expediente. Idempotent."""
    from .custodia import Accion, registro_anotar

    if isinstance(grupo, str):
        grupo = Group.objects.get(name=grupo)
    _, creada = ExpedienteGroupObjectPermission.objects.get_or_create(
        group=grupo, content_object=expediente, permission=_permiso_de_expediente(codename))
    if creada:
        registro_anotar(accion=Accion.CONCESION, usuario=usuario, expediente=expediente,
                        objeto=f"Acceso del grupo {grupo.name} al expediente",
                        datos={"grupo": grupo.name, "permisos": [codename], "motivo": motivo})


def expediente_retirar_grupo(*, expediente, grupo: Group, codename: str, usuario, motivo: str = "") -> None:
    from .custodia import Accion, registro_anotar

    borradas, _ = ExpedienteGroupObjectPermission.objects.filter(
        group=grupo, content_object=expediente, permission=_permiso_de_expediente(codename)).delete()
    if borradas:
        registro_anotar(accion=Accion.RETIRO, usuario=usuario, expediente=expediente,
                        objeto=f"Acceso del grupo {grupo.name} al expediente",
                        datos={"grupo": grupo.name, "permisos": [codename], "motivo": motivo})
