"""The one place that decides who may see or work on an expediente and its files. Every view,
download, listing and search asks here, and so does Wagtail: `PoliticaPaginas` is registered
as the page permission policy (permisos/apps.py), so the explorer, page search, choosers,
reports, revisions, the editor and the admin API follow the same rule. Default deny. Nothing
else in the project reads django-guardian's tables.

Who sees an expediente (and every page and file under it):
- a superuser: everything;
- the whole unit (jefe, secretaría): Wagtail page permissions granted to their group on the
  Juzgado, inherited down the tree;
- the auditor: the model permission `expedientes.view_expedientepage` reads every expediente
  (and changes nothing: no page permission);
- an abogado, an archivista, anyone else: a guardian row (user or group, direct foreign key)
  on the expediente. `view_expedientepage` reads; `change_expedientepage` also works on it
  (actuaciones, files, the process' actions). The abogado's rows follow the assignment
  (permisos/services.py); the archive gives its group rows on what it receives.

Pages above the expedientes (inicio, juzgado, years) hold no debtor data: any signed-in user
of the admin may open them, their listings filtered by this module."""

import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from wagtail.permission_policies.pages import PagePermissionPolicy

from archivo.fases import SOLO_LECTURA, FaseArchivo

from .derechos import derechos, derechos_olvidar
from .models import CAMBIOS_TABLA, ExpedienteGroupObjectPermission, ExpedienteUserObjectPermission

# Any Wagtail page permission on an ancestor-or-self reads the subtree.
ACCIONES_LECTURA = frozenset({"add", "change", "publish", "bulk_delete", "lock", "unlock"})
# What a guardian action on an expediente means in Wagtail's page actions.
ACCIONES_DE_GUARDIAN = {"view": frozenset(), "change": frozenset({"add", "change", "publish"})}
VER, TRABAJAR = "view", "change"
LECTURA_GLOBAL = "expedientes.view_expedientepage"


def _activo(usuario) -> bool:
    return usuario is not None and usuario.is_authenticated and usuario.is_active


def _lee_todo(usuario) -> bool:
    return usuario.is_superuser or usuario.has_perm(LECTURA_GLOBAL)


def _tipos_de_expediente():
    """Content types of the pages that live inside an expediente (itself and its actuaciones)."""
    from django.contrib.contenttypes.models import ContentType

    from expedientes.models import ActuacionPage, ExpedientePage

    tipos = ContentType.objects.get_for_models(ExpedientePage, ActuacionPage)
    return tipos[ExpedientePage].pk, tipos[ActuacionPage].pk


def _filas_unidad(usuario) -> list[tuple[str, str]]:
    """(page path, action) of Wagtail's group page permissions (read with the user's other
    rights, once per request: permisos/derechos.py)."""
    return [(camino, accion) for camino, _, accion in derechos(usuario).unidad]


def permisos_olvidar(usuario) -> None:
    """Drop what this user object remembers of its rights (ours and Wagtail's, kept on the
    object for one request): after a grant or revocation, a long-lived object (a command, the
    demo, a test) must read them again."""
    derechos_olvidar(usuario)
    for atributo in (_CACHE_VISIBLES, PoliticaPaginas._caminos_cache,
                     PoliticaPaginas.permission_cache_name,
                     PoliticaPaginas._explorable_root_instance_cache_name):
        usuario.__dict__.pop(atributo, None)


def _filas_guardian(usuario, acciones) -> tuple[QuerySet, QuerySet]:
    """The expediente ids of the user's own guardian rows and of his groups' rows."""
    codenames = [f"{a}_expedientepage" for a in acciones]
    return (ExpedienteUserObjectPermission.objects.filter(
                user=usuario, permission__codename__in=codenames).values("content_object_id"),
            ExpedienteGroupObjectPermission.objects.filter(
                group__user=usuario, permission__codename__in=codenames).values("content_object_id"))


def _ids_guardian(usuario, acciones) -> Q:
    """pk IN the user's rows OR IN their groups' rows: PostgreSQL hashes each subquery once
    (an OR of correlated EXISTS would be probed for every page of the unit)."""
    propias, de_grupos = _filas_guardian(usuario, acciones)
    return Q(pk__in=propias) | Q(pk__in=de_grupos)


def _ids_actuaciones(usuario, acciones, tipo_actuacion) -> Q:
    """pk IN the actuaciones under the user's expedientes: an actuación is always a direct
    child of its expediente, so its expediente's path is its own minus the last step. Plain
    `pk IN` lookups only: Wagtail's search backends accept nothing else in a searched queryset,
    and PostgreSQL hashes the subquery once instead of probing it per page."""
    from wagtail.models import Page

    expedientes = Page.objects.filter(_ids_guardian(usuario, acciones)).values("path")
    return Q(pk__in=Page.objects.filter(content_type_id=tipo_actuacion).annotate(
        _expediente=Substr("path", 1, Length("path") - 4)).filter(
        _expediente__in=expedientes).values("pk"))


def _unidad_lee_transferidos() -> bool:
    return settings.ARCHIVO["UNIDAD_LEE_TRANSFERIDOS"]


def _q_transferidos() -> Q:
    """pk IN the pages of the expedientes transferred to the Archivo Central: each one and
    its actuaciones (always its direct children)."""
    from wagtail.models import Page

    from expedientes.models import ExpedientePage

    _, tipo_actuacion = _tipos_de_expediente()
    centrales = ExpedientePage.objects.filter(archivo_fase=FaseArchivo.CENTRAL)
    return Q(pk__in=centrales.values("pk")) | Q(pk__in=Page.objects.filter(content_type_id=tipo_actuacion).annotate(
        _expediente=Substr("path", 1, Length("path") - 4)).filter(
        _expediente__in=centrales.values("path")).values("pk"))


def _q_unidad(usuario, acciones) -> Q | None:
    """Wagtail's own group page permissions (the whole unit's roles, on the Juzgado). On
    transfer, custody of an expediente moves to the Archivo Central: the unit keeps reading
    it (read-only, archivo.fases) unless settings.ARCHIVO["UNIDAD_LEE_TRANSFERIDOS"] is
    False; then its page permissions stop at the transferred ones. This is the one place of
    that rule: the shortcuts by path (_ve_sin_consulta, acciones_en) defer to it."""
    caminos = {camino for camino, accion in _filas_unidad(usuario) if accion in acciones}
    if not caminos:
        return None
    q = Q()
    for camino in caminos:
        q |= Q(path__startswith=camino)
    if not _unidad_lee_transferidos():
        q &= ~_q_transferidos()
    return q


# What seeing (VER) or working on (TRABAJAR) an expediente asks of each kind of grant.
_PAGINAS_DE = {VER: ACCIONES_LECTURA, TRABAJAR: frozenset({"change"})}
_GUARDIAN_DE = {VER: (VER, TRABAJAR), TRABAJAR: (TRABAJAR,)}


def _sin_filtro(usuario, accion) -> Q | None:
    """Q(): everything (a superuser; the auditor's read); nothing for who is not signed in
    and active; None: the user's grants decide."""
    if not _activo(usuario):
        return Q(pk__in=[])
    if usuario.is_superuser or (accion == VER and _lee_todo(usuario)):
        return Q()
    return None


def q_expedientes(usuario, accion=VER) -> Q:
    """Q over ExpedientePage: the expedientes the user may see (VER) or work on (TRABAJAR).
    Nobody, not even a superuser, works on a closed or transferred one (archivo.fases)."""
    abierto = Q(archivo_fase=FaseArchivo.TRAMITE) if accion == TRABAJAR else Q()
    if (fijo := _sin_filtro(usuario, accion)) is not None:
        return fijo & abierto
    paginas, guardian = _PAGINAS_DE[accion], _GUARDIAN_DE[accion]
    q = _ids_guardian(usuario, guardian)
    unidad = _q_unidad(usuario, paginas)
    return (q | unidad if unidad is not None else q) & abierto


def q_paginas(usuario, accion=VER) -> Q:
    """Q over any page queryset: containers stay, expedientes and actuaciones only where the
    user may see (or work on) them. An actuación is always a direct child of its expediente,
    so its expediente's path is its own minus the last step: an index-friendly equality."""
    if (fijo := _sin_filtro(usuario, accion)) is not None:
        return fijo
    tipo_expediente, tipo_actuacion = _tipos_de_expediente()
    paginas, guardian = _PAGINAS_DE[accion], _GUARDIAN_DE[accion]
    q = (~Q(content_type_id__in=[tipo_expediente, tipo_actuacion])
         | Q(content_type_id=tipo_expediente) & _ids_guardian(usuario, guardian)
         | Q(content_type_id=tipo_actuacion) & _ids_actuaciones(usuario, guardian, tipo_actuacion))
    unidad = _q_unidad(usuario, paginas)
    return q | unidad if unidad is not None else q


def ids_expedientes_visibles(usuario, limite: int) -> list[int] | None:
    """The pks (ascending) of the expedientes the user may see, when only his own grants give
    them (a lawyer's assigned expedientes): q_expedientes is then exactly «pk in these guardian
    rows», read from guardian's two tables by their indexes (2 ms for 2,000, where the Q over
    every expediente scans the unit: 20 ms at 100,000, measured), and kept by the process
    while they hold (_VISIBLES). None when other rules take part (a superuser, a unit-wide
    role) or there are more than `limite`: the caller filters with q_expedientes."""
    if _sin_filtro(usuario, VER) is not None or _q_unidad(usuario, _PAGINAS_DE[VER]) is not None:
        return None
    ajustes = connection.settings_dict
    sitio = (ajustes["HOST"], ajustes["PORT"], ajustes["NAME"], usuario.pk)
    guardados = _VISIBLES.get(sitio)
    marca = [usuario.pk, usuario.pk]  # _CAMBIOS_SQL's parameters
    if guardados is None or guardados[0] != _fila(_CAMBIOS_SQL, marca)[0]:
        propias, de_grupos = _filas_guardian(usuario, _GUARDIAN_DE[VER])
        sql, params = propias.union(de_grupos, all=True).query.sql_with_params()
        # one array, sorted and without repeats, instead of a row per id (a UNION's hashing and
        # the rows' transfer took half the time: 4.7 against 1.9 ms for 2,000 ids, measured),
        # and the changes' mark in the same statement, so both come from one snapshot; kept
        # only when read outside a transaction that has written: its own changes may yet be
        # rolled back, and their mark come back with other rows behind it
        clave, ids, guardar = _fila(
            f"""SELECT ({_CAMBIOS_SQL}), (SELECT array_agg(DISTINCT f.content_object_id
                       ORDER BY f.content_object_id) FROM ({sql}) f), txid_current_if_assigned() IS NULL""",
            [*marca, *params])
        guardados = (clave, tuple(ids or ()))
        if guardar:
            if len(_VISIBLES) >= _VISIBLES_MAX:  # more users than an office has: start again
                _VISIBLES.clear()
            _VISIBLES[sitio] = guardados
    ids = guardados[1]
    return list(ids) if len(ids) <= limite else None  # a copy: the kept tuple is shared


# Each lawyer's visible expedientes, kept between requests by the process ((server, database,
# user pk) → (mark, ids)); the ids read 3 ms of his search's 70, measured at 2,000 expedientes). They
# hold while the mark holds: the number and last id of the CambioPermisos rows (permisos/
# models.py: one per statement that grants or revokes, added by the triggers of guardian's
# tables when it commits) for him, for each group he is in now, and for everybody. A grant or
# revocation adds a row to one of these, and a change of his groups changes the list: either
# way the mark changes. Rows are only added (the table refuses UPDATE, DELETE and TRUNCATE), so
# a mark never comes back; a restored backup needs the processes restarted, as any deployment.
_VISIBLES: dict[tuple[str, str, str, int], tuple[str, tuple[int, ...]]] = {}
_VISIBLES_MAX = 500
_CAMBIOS_SQL = f"""
    SELECT coalesce(string_agg(marca, ' ' ORDER BY marca), '') FROM (
        SELECT 'u' || count(*) || '.' || coalesce(max(id), 0) FROM {CAMBIOS_TABLA} WHERE usuario_id = %s
        UNION ALL
        SELECT 'g' || ug.group_id || '.' || count(c.id) || '.' || coalesce(max(c.id), 0)
          FROM auth_user_groups ug LEFT JOIN {CAMBIOS_TABLA} c
            ON c.usuario_id IS NULL AND c.grupo_id = ug.group_id
         WHERE ug.user_id = %s GROUP BY ug.group_id
        UNION ALL
        SELECT 't' || count(*) || '.' || coalesce(max(id), 0) FROM {CAMBIOS_TABLA}
         WHERE usuario_id IS NULL AND grupo_id IS NULL) marcas(marca)"""


def _fila(sql: str, params: list) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def expedientes_filtrar_visibles(usuario, expedientes: QuerySet, accion=VER) -> QuerySet:
    return expedientes.filter(q_expedientes(usuario, accion))


def paginas_filtrar_visibles(usuario, paginas: QuerySet) -> QuerySet:
    """Any queryset of pages (explorer, search, choosers, reports, API). The rule is made of
    plain lookups (`pk IN`, `path LIKE`, content type) because Wagtail's search backends accept
    nothing else in a searched queryset."""
    return paginas.filter(q_paginas(usuario))


def _expediente_de(pagina):
    from expedientes.models import ExpedientePage

    if isinstance(pagina, ExpedientePage):
        return pagina
    return ExpedientePage.objects.ancestor_of(pagina, inclusive=True).first()


def _camino_del_expediente(pagina) -> str | None:
    """The path of the expediente an expediente or actuación page belongs to, with no query."""
    from expedientes.models import ActuacionPage, ExpedientePage

    if isinstance(pagina, ExpedientePage):
        return pagina.path
    if isinstance(pagina, ActuacionPage):  # always a direct child of its expediente
        return pagina.path[:-ExpedientePage.steplen]
    return None


_CACHE_VISIBLES = "_coactivas_caminos_visibles"


def _ve_sin_consulta(usuario, camino: str) -> bool | None:
    """q_expedientes(usuario, VER) for the expediente at `camino`, answered from the rows this
    request already read (Wagtail's menus and page testers read them on every admin page), or
    None: then a query answers. The explorer's listing buttons ask for every row."""
    if not _activo(usuario):
        return False
    if _lee_todo(usuario):
        return True
    visibles = getattr(usuario, _CACHE_VISIBLES, None)
    if visibles is None:
        return None
    if camino in visibles:
        return True
    if any(camino.startswith(c) for c, accion in _filas_unidad(usuario) if accion in ACCIONES_LECTURA):
        # the unit's rows may stop at a transferred expediente: then _q_unidad answers
        return True if _unidad_lee_transferidos() else None
    return False


def expediente_puede_ver(usuario, expediente) -> bool:
    from expedientes.models import ExpedientePage

    visto = _ve_sin_consulta(usuario, expediente.path)
    if visto is not None:
        return visto
    return ExpedientePage.objects.filter(pk=expediente.pk).filter(q_expedientes(usuario)).exists()


def expediente_puede_trabajar(usuario, expediente) -> bool:
    from expedientes.models import ExpedientePage

    return ExpedientePage.objects.filter(pk=expediente.pk).filter(
        q_expedientes(usuario, TRABAJAR)).exists()


def pagina_puede_ver(usuario, pagina) -> bool:
    if not _activo(usuario):
        return False
    camino = _camino_del_expediente(pagina)
    if camino is not None and (visto := _ve_sin_consulta(usuario, camino)) is not None:
        return visto
    expediente = _expediente_de(pagina)
    if expediente is None:
        return True
    return expediente_puede_ver(usuario, expediente)


def adjunto_version_puede_descargar(usuario, version) -> bool:
    return pagina_puede_ver(usuario, version.adjunto.actuacion)


def pagina_solo_lectura(pagina) -> bool:
    """The page is an expediente, or an actuación of one, that is closed, transferred or
    eliminated (archivo.fases): no edit, no new page, no file, for anyone."""
    from expedientes.models import ActuacionPage, ExpedientePage

    if isinstance(pagina, ExpedientePage):
        return pagina.archivo_fase in SOLO_LECTURA
    if isinstance(pagina, ActuacionPage):
        return ExpedientePage.objects.filter(path=pagina.path[:-ExpedientePage.steplen],
                                             archivo_fase__in=SOLO_LECTURA).exists()
    return False


def pagina_puede_agregar(usuario, padre) -> bool:
    """May the user add a page under this one (an expediente under the Juzgado, an actuación
    under an expediente)?"""
    if not _activo(usuario) or pagina_solo_lectura(padre.specific_deferred):
        return False
    return _politica().user_has_permission_for_instance(usuario, "add", padre)


def expediente_puede_abrir(usuario, juzgado) -> bool:
    return pagina_puede_agregar(usuario, juzgado)


def actuacion_puede_adjuntar(usuario, actuacion) -> bool:
    """Storing a file in an actuación takes the right to edit that page."""
    if not _activo(usuario):
        return False
    return actuacion.permissions_for_user(usuario).can_edit()


def documento_archivo_puede_ver(usuario, documento=None) -> bool:
    """The archive's own records (inventories, actas, manifests...): who reads the archive
    (archivists, the auditor, the jefe, the secretaría: permisos/roles.py)."""
    return _activo(usuario) and usuario.has_perm("archivo.view_documentoarchivo")


def transferencias_visibles(usuario, qs: QuerySet) -> QuerySet:
    """Transfers to the Archivo Central: who reads the archive sees them; a draft (borrador)
    is the unit's work, not yet handed over: only who prepares transfers, and who reads
    every expediente, see it."""
    from archivo.models import EstadoTransferencia

    if not _activo(usuario) or not usuario.has_perm("archivo.view_transferencia"):
        return qs.none()
    if _lee_todo(usuario) or usuario.has_perm("archivo.solicitar_transferencia"):
        return qs
    return qs.exclude(estado=EstadoTransferencia.BORRADOR)


def registro_custodia_puede_ver(usuario) -> bool:
    """The custody log (reading and exporting it): the jefe and the auditor (permisos/roles.py)."""
    return _activo(usuario) and usuario.has_perm("permisos.ver_registro_custodia")



def coactivados_filtrar_visibles(usuario, coactivados: QuerySet) -> QuerySet:
    """A debtor is seen by who keeps the registry for the whole unit, by who registered it,
    or through one of their expedientes the user may see."""
    from expedientes.models import ExpedientePage

    if not _activo(usuario) or not usuario.has_perm("expedientes.view_coactivado"):
        return coactivados.none()
    if _lee_todo(usuario) or _q_unidad(usuario, ACCIONES_LECTURA) is not None:
        return coactivados
    return coactivados.filter(Q(creado_por=usuario) | Exists(ExpedientePage.objects.filter(
        q_expedientes(usuario), coactivado=OuterRef("pk"))))


def objetos_visibles(usuario, modelo, valores) -> bool:
    """Objects other than pages named by an admin URL (snippets, users, sites...): debtors
    follow their expedientes; other registers are seen by who holds any permission on the
    model. `*` stands for every object of the model (a bulk action's «select all»)."""
    from expedientes.models import Coactivado

    if not _activo(usuario):
        return False
    if usuario.is_superuser:
        return True
    etiqueta = f"{modelo._meta.app_label}.%s_{modelo._meta.model_name}"
    if not any(usuario.has_perm(etiqueta % a) for a in ("view", "add", "change", "delete")):
        return False
    if _sigue_a_su_expediente(modelo):
        return _visibles_por_expediente(usuario, modelo, valores)
    if modelo is not Coactivado:
        return True
    if "*" in valores:
        return _lee_todo(usuario) or _q_unidad(usuario, ACCIONES_LECTURA) is not None
    ids = {str(v) for v in valores}
    if not all(v.isdigit() for v in ids):
        return False
    return coactivados_filtrar_visibles(usuario, Coactivado.objects.filter(pk__in=ids)).count() == len(ids)


def _sigue_a_su_expediente(modelo) -> bool:
    """A record of one expediente (a loan, a box placement, a contested case...): whoever may
    not see the expediente may not see it."""
    from expedientes.models import ExpedientePage

    try:
        campo = modelo._meta.get_field("expediente")
    except FieldDoesNotExist:
        return False
    return bool(campo.many_to_one or campo.one_to_one) and campo.related_model is ExpedientePage


def _visibles_por_expediente(usuario, modelo, valores) -> bool:
    from expedientes.models import ExpedientePage

    if "*" in valores:
        return _lee_todo(usuario) or _q_unidad(usuario, ACCIONES_LECTURA) is not None
    ids = {str(v) for v in valores}
    if not all(v.isdigit() for v in ids):
        return False
    return modelo.objects.filter(pk__in=ids, expediente__in=ExpedientePage.objects.filter(
        q_expedientes(usuario)).values("pk")).count() == len(ids)


# --- Wagtail's page permission machinery, answering with the same rule --------------------

@dataclass(frozen=True)
class _Pagina:
    pk: int
    path: str

    @property
    def depth(self):  # treebeard: four characters per level
        return len(self.path) // 4


@dataclass(frozen=True)
class _Permiso:
    codename: str


@dataclass(frozen=True)
class _Fila:
    """A page permission row as Wagtail reads them (`.page.path`, `.page_id`,
    `.permission.codename`): a unit row or a guardian row."""

    page: _Pagina
    permission: _Permiso

    @property
    def page_id(self):
        return self.page.pk


class PoliticaPaginas(PagePermissionPolicy):
    """Wagtail's page policy plus the guardian rows on expedientes and the auditor's global
    read. The per-user rows are read once per request (Wagtail caches them on the user)."""

    _caminos_cache = "_coactivas_caminos_guardian"

    def get_all_permissions_for_user(self, user):
        """Wagtail's group page rows and the guardian rows, shaped as Wagtail reads them
        (`.page.path`, `.page_id`, `.permission.codename`), from the user's rights of this
        request (permisos/derechos.py: no query of its own)."""
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return []
        d = derechos(user)
        filas = [_Fila(_Pagina(pk, camino), _Permiso(f"{accion}_page"))
                 for camino, pk, accion in d.unidad]
        # One row per action, at the Juzgado (every expediente is under it): what Wagtail
        # reads from these rows is the set of actions (menus, model-level checks) and a place
        # to start from; each page's own actions come from acciones_en (by path). An abogado
        # with a thousand expedientes thus costs a handful of objects, not 3,000, and no read
        # of their paths.
        acciones = set().union(*(ACCIONES_DE_GUARDIAN.get(codename.split("_", 1)[0], frozenset())
                                 for codename in d.guardian))
        if acciones and d.juzgados:
            caminos = [camino for camino, _ in d.juzgados]
            comun = os.path.commonprefix(caminos)
            comun = comun[:len(comun) // 4 * 4] or caminos[0][:4]
            pagina = _Pagina(pk=0, path=comun)
            filas += [_Fila(pagina, _Permiso(f"{a}_page")) for a in sorted(acciones)]
        return filas

    def _caminos_guardian(self, user) -> dict[str, tuple[set, int]]:
        """{expediente path: (page actions, expediente id)} from the user's guardian rows."""
        if hasattr(user, self._caminos_cache):
            return getattr(user, self._caminos_cache)
        caminos: dict[str, tuple[set, int]] = {}
        filas = [*ExpedienteUserObjectPermission.objects.filter(user=user).values_list(
                     "content_object__path", "content_object_id", "permission__codename"),
                 *ExpedienteGroupObjectPermission.objects.filter(group__user=user).values_list(
                     "content_object__path", "content_object_id", "permission__codename")]
        for camino, pk, codename in filas:
            acciones = ACCIONES_DE_GUARDIAN.get(codename.split("_", 1)[0], frozenset())
            caminos.setdefault(camino, (set(), pk))[0].update(acciones)
        # the expedientes these rows show, exactly as _guardian() filters them
        lectura = {f"{a}_expedientepage" for a in (VER, TRABAJAR)}
        setattr(user, _CACHE_VISIBLES, {camino for camino, _, codename in filas if codename in lectura})
        setattr(user, self._caminos_cache, caminos)
        return caminos

    def acciones_en(self, user, page) -> set[str]:
        """The page actions the user holds on one page: Wagtail's group rows above it, and the
        guardian rows of its expediente, found by path prefix (no scan of every row)."""
        from wagtail.models import Page

        acciones = {accion for camino, accion in _filas_unidad(user) if page.path.startswith(camino)}
        if page.content_type_id not in _tipos_de_expediente():
            return acciones
        if acciones and not _unidad_lee_transferidos() and Page.objects.filter(
                _q_transferidos(), pk=page.pk).exists():
            acciones = set()  # the unit's rows stop at a transferred expediente (_q_unidad)
        # guardian rows are on expedientes: only a page of one (itself, an actuación) reads them
        if not derechos(user).guardian:
            return acciones
        caminos = self._caminos_guardian(user)
        for fin in range(4, len(page.path) + 1, 4):
            if page.path[:fin] in caminos:
                acciones |= caminos[page.path[:fin]][0]
        return acciones

    def instances_with_direct_explore_permission(self, user):
        """Where the explorer starts: the unit's own rows, and the Juzgado for who sees
        expedientes through guardian rows or the auditor's read (an abogado browses the years
        down to their own files, not one expediente as the root)."""
        if user.is_superuser:
            return super().instances_with_direct_explore_permission(user)
        d = derechos(user)
        paginas = {_Pagina(pk, camino) for camino, pk, accion in d.unidad if accion in ACCIONES_LECTURA}
        if d.guardian or _lee_todo(user):
            paginas |= {_Pagina(pk, camino) for camino, pk in d.juzgados}
        return sorted(paginas, key=lambda p: p.path)

    def instances_user_has_any_permission_for(self, user, actions):
        base = self._base_queryset_for_user(user)
        if base is not None:
            return base
        return self.model._default_manager.filter(_q_acciones(user, set(actions)))

    def explorable_instances(self, user):
        base = self._base_queryset_for_user(user)
        if base is not None:
            return base
        return self.model._default_manager.filter(q_paginas(user))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        base = self._base_user_has_permission(user)
        if base is not None:
            return base
        return bool(self._get_permission_codenames(actions) & {
            f"{a}_page" for a in self.acciones_en(user, instance)})


def _q_acciones(user, actions) -> Q:
    """Pages where the user holds any of these Wagtail page actions: Wagtail's group rows,
    plus guardian rows whose meaning includes one of them (never the auditor's read)."""
    unidad = _q_unidad(user, actions)
    guardian_acciones = [g for g, paginas in ACCIONES_DE_GUARDIAN.items() if paginas & actions]
    q = Q(pk__in=[])
    if guardian_acciones:
        tipo_expediente, tipo_actuacion = _tipos_de_expediente()
        q = (Q(content_type_id=tipo_expediente) & _ids_guardian(user, guardian_acciones)
             | Q(content_type_id=tipo_actuacion) & _ids_actuaciones(user, guardian_acciones, tipo_actuacion))
    return q | unidad if unidad is not None else q


def _politica() -> PoliticaPaginas:
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(Page)


def politica_registrar():
    """Called once from permisos.apps.ready(): every page type asks this policy."""
    from wagtail.models import Page
    from wagtail.permissions import register_permission_policy

    register_permission_policy(Page, PoliticaPaginas())


# --- Dossiers de insolvencia
# The jefe (model permission view_dossierinsolvencia, from his role) and the whole unit (page
# permissions on the Juzgado: they see every expediente, and the dossier's PDF is a file of
# one) see every dossier; Asesoría Jurídica only those shared with its group (a guardian row,
# direct FK); nobody else. A member of the Asesoría group never sees through a model or page
# permission, even if someone grants one to the group in the admin: for it, sharing is the
# only way in.


def _en_asesoria(usuario) -> bool:
    from .roles import ROL_ASESORIA

    return ROL_ASESORIA in derechos(usuario).grupos


def _compartido_con(usuario, codename: str):
    """EXISTS a row of the dossier for one of the user's groups with that permission."""
    from django.db.models import Exists, OuterRef

    from .models import DossierGroupObjectPermission

    return Exists(DossierGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission__codename=codename, group__user=usuario))


def _ve_todos_los_dossiers(usuario) -> bool:
    if usuario.is_superuser:
        return True
    if _en_asesoria(usuario):
        return False
    return (usuario.has_perm("expedientes.view_dossierinsolvencia")
            or _q_unidad(usuario, ACCIONES_LECTURA) is not None)


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
    if not _activo(usuario):
        return False
    return _ve_todos_los_dossiers(usuario) or derechos(usuario).dossiers_compartidos > 0
