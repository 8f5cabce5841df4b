"""Everything a user holds, read in ONE query per request.

Without this, an abogado's admin page asked the database ten times before showing anything
(Django's model permissions twice, Wagtail's page and collection permissions, the unit's rows,
guardian's rows, the group checks of the menus, the shared dossiers, the Juzgado), where a
superuser asks none: the benchmark (benchmarks/permissions.py) measured +10 queries on every
screen. One UNION ALL reads the same facts; the caches Django (ModelBackend's `_perm_cache`)
and Wagtail (the policies' `permission_cache_name`) keep on the user object for one request
are filled from it, so neither of them asks again.

Nothing here decides: permisos/policies.py reads these facts and applies the rule."""

from dataclasses import dataclass, field

from django.db import connection

_CACHE = "_coactivas_derechos"


@dataclass
class Derechos:
    modelo: set[str] = field(default_factory=set)  # "app_label.codename", user's own
    modelo_grupos: set[str] = field(default_factory=set)  # the same, through groups
    grupos: set[str] = field(default_factory=set)  # group names
    unidad: list[tuple[str, int, str]] = field(default_factory=list)  # (path, page id, action)
    # the codenames of the user's guardian rows on expedientes (guardian checks that a row's
    # permission is of the object's model), each an index probe: counting a lawyer's 4,000
    # rows took 3 ms of every request. Their paths are read only where a page inside an
    # expediente asks: PoliticaPaginas._caminos_guardian
    guardian: set[str] = field(default_factory=set)
    colecciones: int = 0  # Wagtail collection permissions (documents, images: closed)
    dossiers_compartidos: int = 0  # dossiers shared for viewing with one of the user's groups
    juzgados: list[tuple[str, int]] = field(default_factory=list)  # (path, page id)


_SQL = """
SELECT 'modelo', ct.app_label || '.' || p.codename, NULL::text, NULL::text, NULL::bigint
  FROM auth_user_user_permissions up
  JOIN auth_permission p ON p.id = up.permission_id
  JOIN django_content_type ct ON ct.id = p.content_type_id
 WHERE up.user_id = %(u)s
UNION ALL
SELECT 'modelo_grupo', ct.app_label || '.' || p.codename, NULL, NULL, NULL
  FROM auth_user_groups ug
  JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
  JOIN auth_permission p ON p.id = gp.permission_id
  JOIN django_content_type ct ON ct.id = p.content_type_id
 WHERE ug.user_id = %(u)s
UNION ALL
SELECT 'grupo', g.name, NULL, NULL, NULL
  FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
 WHERE ug.user_id = %(u)s
UNION ALL
SELECT 'unidad', pg.path, p.codename, NULL, pg.id
  FROM auth_user_groups ug
  JOIN wagtailcore_grouppagepermission gpp ON gpp.group_id = ug.group_id
  JOIN wagtailcore_page pg ON pg.id = gpp.page_id
  JOIN auth_permission p ON p.id = gpp.permission_id
 WHERE ug.user_id = %(u)s
UNION ALL
SELECT 'guardian', p.codename, NULL, NULL, NULL
  FROM auth_permission p
  JOIN django_content_type ct ON ct.id = p.content_type_id
 WHERE ct.app_label = 'expedientes' AND ct.model = 'expedientepage'
   AND (EXISTS (SELECT FROM {guardian_usuario} g WHERE g.user_id = %(u)s AND g.permission_id = p.id)
        OR EXISTS (SELECT FROM {guardian_grupo} gop JOIN auth_user_groups ug ON ug.group_id = gop.group_id
                    WHERE ug.user_id = %(u)s AND gop.permission_id = p.id))
UNION ALL
SELECT 'colecciones', NULL, NULL, NULL, count(*)
  FROM auth_user_groups ug
  JOIN wagtailcore_groupcollectionpermission gcp ON gcp.group_id = ug.group_id
 WHERE ug.user_id = %(u)s
UNION ALL
SELECT 'dossiers', NULL, NULL, NULL, count(DISTINCT dgp.content_object_id)
  FROM auth_user_groups ug
  JOIN {dossier_grupo} dgp ON dgp.group_id = ug.group_id
  JOIN auth_permission p ON p.id = dgp.permission_id AND p.codename = 'view_dossierinsolvencia'
 WHERE ug.user_id = %(u)s
UNION ALL
SELECT 'juzgado', pg.path, NULL, NULL, pg.id
  FROM {juzgado} j JOIN wagtailcore_page pg ON pg.id = j.page_ptr_id
"""


def _sql() -> str:
    from expedientes.models import JuzgadoIndexPage

    from .models import (
        DossierGroupObjectPermission,
        ExpedienteGroupObjectPermission,
        ExpedienteUserObjectPermission,
    )

    return _SQL.format(
        guardian_usuario=ExpedienteUserObjectPermission._meta.db_table,
        guardian_grupo=ExpedienteGroupObjectPermission._meta.db_table,
        dossier_grupo=DossierGroupObjectPermission._meta.db_table,
        juzgado=JuzgadoIndexPage._meta.db_table,
    )


def _leer(usuario) -> Derechos:
    d = Derechos()
    with connection.cursor() as cursor:
        cursor.execute(_sql(), {"u": usuario.pk})
        for tipo, a, b, c, n in cursor.fetchall():
            if tipo == "modelo":
                d.modelo.add(a)
            elif tipo == "modelo_grupo":
                d.modelo_grupos.add(a)
            elif tipo == "grupo":
                d.grupos.add(a)
            elif tipo == "unidad":
                d.unidad.append((a, n, b.rsplit("_", 1)[0]))
            elif tipo == "guardian":
                d.guardian.add(a)
            elif tipo == "colecciones":
                d.colecciones = n
            elif tipo == "dossiers":
                d.dossiers_compartidos = n
            elif tipo == "juzgado":
                d.juzgados.append((a, n))
    return d


def derechos(usuario) -> Derechos:
    """The user's rights for this request (or this object's life): one query, then memory.
    An inactive or anonymous user holds nothing, and a superuser needs nothing read."""
    # getattr/setattr, not __dict__: request.user is a SimpleLazyObject (OTP wraps it again),
    # which passes them on to the one user object underneath
    d = getattr(usuario, _CACHE, None)
    if d is not None:
        return d
    if not (usuario.is_authenticated and usuario.is_active) or usuario.is_superuser:
        d = Derechos()
    else:
        d = _leer(usuario)
        # Django's ModelBackend keeps these three on the user (get_*_permissions)
        usuario._user_perm_cache = set(d.modelo)
        usuario._group_perm_cache = set(d.modelo_grupos)
        usuario._perm_cache = d.modelo | d.modelo_grupos
        if not d.colecciones:
            # Wagtail's collection policy: no rows, nothing to read (the usual case here)
            usuario._collection_permission_cache = []
    setattr(usuario, _CACHE, d)
    return d


def derechos_olvidar(usuario) -> None:
    for atributo in (_CACHE, "_user_perm_cache", "_group_perm_cache", "_perm_cache",
                     "_collection_permission_cache"):
        if hasattr(usuario, atributo):
            delattr(usuario, atributo)


class DerechosMiddleware:
    """Reads the signed-in user's rights once, before anything (a menu, a permission check)
    would read them piece by piece."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        usuario = getattr(request, "user", None)
        if usuario is not None and usuario.is_authenticated:
            derechos(usuario)
        return self.get_response(request)
