"""The one place that decides who may see an expediente and its files. Every view,
download, listing and search asks here; default deny.

For now the rule is Wagtail's page permissions on the expediente's subtree (any of them);
object-level permissions with django-guardian will extend this module only."""

from django.db.models import Q, QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy

# Any page permission on an ancestor-or-self grants read access to the subtree.
ACCIONES_LECTURA = {"add", "change", "publish", "bulk_delete", "lock", "unlock"}

_politica_paginas = PagePermissionPolicy()


def _activo(usuario) -> bool:
    return usuario is not None and usuario.is_authenticated and usuario.is_active


def _expediente_de(pagina):
    from expedientes.models import ExpedientePage

    if isinstance(pagina, ExpedientePage):
        return pagina
    return ExpedientePage.objects.ancestor_of(pagina, inclusive=True).first()


def expediente_puede_ver(usuario, expediente) -> bool:
    if not _activo(usuario):
        return False
    return _politica_paginas.user_has_any_permission_for_instance(
        usuario, ACCIONES_LECTURA, expediente
    )


def pagina_puede_ver(usuario, pagina) -> bool:
    """Pages inside an expediente follow the expediente; the containers above it (inicio,
    juzgado, año) only need a signed-in user: their listings are filtered per user."""
    if not _activo(usuario):
        return False
    expediente = _expediente_de(pagina)
    if expediente is None:
        return True
    return expediente_puede_ver(usuario, expediente)


def adjunto_version_puede_descargar(usuario, version) -> bool:
    return pagina_puede_ver(usuario, version.adjunto.actuacion)


def expediente_puede_abrir(usuario, juzgado) -> bool:
    if not _activo(usuario):
        return False
    return _politica_paginas.user_has_permission_for_instance(usuario, "add", juzgado)


def actuacion_puede_adjuntar(usuario, actuacion) -> bool:
    """Storing a file in an actuación takes the right to edit that page."""
    if not _activo(usuario):
        return False
    return actuacion.permissions_for_user(usuario).can_edit()


def paginas_filtrar_visibles(usuario, paginas: QuerySet) -> QuerySet:
    """Any queryset of pages (choosers, reports): the containers above the expedientes stay,
    expedientes and their actuaciones only where the user may see them."""
    from django.contrib.contenttypes.models import ContentType

    from expedientes.models import ActuacionPage, ExpedientePage

    if not _activo(usuario):
        return paginas.none()
    if usuario.is_superuser:
        return paginas
    dentro_de_expediente = Q(
        content_type__in=ContentType.objects.get_for_models(ExpedientePage, ActuacionPage).values()
    )
    permitidas = _politica_paginas.instances_user_has_any_permission_for(usuario, ACCIONES_LECTURA)
    return paginas.filter(~dentro_de_expediente | Q(pk__in=permitidas.values("pk")))


# --- Dossiers de insolvencia
# The jefe (model permission view_dossierinsolvencia, from his role) sees every dossier;
# Asesoría Jurídica only those shared with its group (a guardian row, direct FK); nobody
# else. A member of the Asesoría group never sees through a model permission, even if
# someone grants one to the group in the admin: for it, sharing is the only way in.


def _en_asesoria(usuario) -> bool:
    from .roles import ROL_ASESORIA

    return usuario.groups.filter(name=ROL_ASESORIA).exists()


def _compartido_con(usuario, codename: str):
    """EXISTS a row of the dossier for one of the user's groups with that permission."""
    from django.db.models import Exists, OuterRef

    from .models import DossierGroupObjectPermission

    return Exists(DossierGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission__codename=codename, group__user=usuario))


def _ve_todos_los_dossiers(usuario) -> bool:
    return usuario.is_superuser or (
        usuario.has_perm("expedientes.view_dossierinsolvencia") and not _en_asesoria(usuario)
    )


def dossiers_visibles(usuario, qs: QuerySet) -> QuerySet:
    if not _activo(usuario):
        return qs.none()
    if _ve_todos_los_dossiers(usuario):
        return qs
    return qs.filter(_compartido_con(usuario, "view_dossierinsolvencia"))


def dossier_puede_ver(usuario, dossier) -> bool:
    return dossiers_visibles(usuario, type(dossier).objects.filter(pk=dossier.pk)).exists()


def dossier_puede_gestionar(usuario, dossier) -> bool:
    """Acknowledge receipt and record the lawsuit: only who it is shared with (not even a
    superuser: the acuse states that Asesoría Jurídica received it)."""
    if not _activo(usuario):
        return False
    return (type(dossier).objects.filter(pk=dossier.pk)
            .filter(_compartido_con(usuario, "change_dossierinsolvencia")).exists())


def dossier_puede_armar(usuario, expediente) -> bool:
    return (_activo(usuario) and usuario.has_perm("expedientes.add_dossierinsolvencia")
            and expediente_puede_ver(usuario, expediente))


def dossier_puede_compartir(usuario, dossier) -> bool:
    """Share with Asesoría Jurídica and withdraw."""
    return (_activo(usuario) and usuario.has_perm("expedientes.compartir_dossierinsolvencia")
            and dossier_puede_ver(usuario, dossier))


def dossiers_puede_listar(usuario) -> bool:
    """The «Dossiers de insolvencia» menu: who sees them all, or is shared any."""
    from expedientes.models import DossierInsolvencia

    if not _activo(usuario):
        return False
    return _ve_todos_los_dossiers(usuario) or dossiers_visibles(usuario, DossierInsolvencia.objects.all()).exists()
