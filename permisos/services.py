from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm
from wagtail.models import GroupPagePermission

from expedientes.calendario import fecha_formatear
from expedientes.models import DossierInsolvencia, EstadoDossier

from . import auditoria, policies
from .roles import ROL_ASESORIA, ROLES


def roles_configurar(*, juzgado) -> list[Group]:
    """Create the role groups (idempotent), let them into the admin and give each its page
    permissions on the Juzgado subtree. Nothing else is granted: default deny."""
    acceso_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    grupos = []
    for rol in ROLES:
        grupo, _ = Group.objects.get_or_create(name=rol.nombre)
        grupo.permissions.add(acceso_admin)
        for codename in rol.permisos_juzgado:
            GroupPagePermission.objects.get_or_create(
                group=grupo, page=juzgado,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
        for nombre in rol.permisos_modelo:
            app_label, codename = nombre.split(".")
            grupo.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        grupos.append(grupo)
    return grupos


# --- Dossiers de insolvencia: sharing with Asesoría Jurídica is a grant to its group
# (guardian rows on the dossier: view to see it, change to acknowledge it and record the
# lawsuit); withdrawing deletes every row of the dossier. Both on the locked dossier row.

PERMISOS_COMPARTIDO = ("view_dossierinsolvencia", "change_dossierinsolvencia")


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
        for codename in PERMISOS_COMPARTIDO:
            assign_perm(codename, asesoria, actual)
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
