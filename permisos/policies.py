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


def registro_custodia_puede_ver(usuario) -> bool:
    """The custody log (reading and exporting it): the jefe and the auditor (permisos/roles.py)."""
    return _activo(usuario) and usuario.has_perm("permisos.ver_registro_custodia")


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
