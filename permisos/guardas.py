"""Forbidden looks missing, in front of every view. Wagtail answers a forbidden object with a
flash message and a redirect (or 403), and a missing one with 404: trying ids would tell how
many exist. `ObjetosInvisibles404Middleware` reads the resolved URL before the view runs,
finds every object it names (its kwargs, and the `?id=` of choosers and bulk actions) and
answers 404 when the permission policy says the user may not see one of them, exactly as
when it does not exist.

`OBJETOS` maps each id-like URL kwarg to what it names; `SECUNDARIOS` are ids checked by the
view against an object already named (a revision of a page, a task state of a workflow on a
page). tests/permisos/test_recorrido_urls.py fails for any URL kwarg in neither."""

from functools import cache

from django.apps import apps
from django.contrib.auth.models import Group
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found
from wagtail.models import Collection, Page, Site, Task, Workflow

from . import policies

PAGINA = "pagina"
# kwarg -> what it names, when it names the same thing wherever it appears
OBJETOS = {
    "page_id": PAGINA, "parent_page_id": PAGINA, "page_to_move_id": PAGINA,
    "destination_id": PAGINA, "page_pk": PAGINA, "collection_id": Collection,
    "workflow_pk": Workflow, "task_id": Task,
    # the archive: a box is seen by who holds a permission on boxes; a loan or a contested
    # case follows its expediente (policies.objetos_visibles)
    "caja_id": "archivo.Caja", "prestamo_id": "archivo.Prestamo", "proceso_id": "archivo.ProcesoImpugnado",
    # an issued report: seen by who may read the issued reports (expedientes/informes/views.py)
    "emitido_id": "expedientes.InformeEmitido",
}
# kwargs whose meaning depends on the URL (the model of `pk`, `object_id`)
POR_URL = {"pk", "object_id"}
# ids the view looks up under an object named above (its revisions, its workflow's states),
# or the user's own (an editing session), ids the project's own views check with the policy
# (an actuación's files, a file version — its download, its reader `lector` and the reader's
# bytes `lector_contenido` —, a payment's receipt), and Wagtail's closed libraries and tokens
SECUNDARIOS = {"revision_id", "revision_id_a", "revision_id_b", "task_state_id", "workflow_state_id",
               "page_view_restriction_id", "session_id", "uidb64", "token", "uuid", "actuacion_id", "pago_id",
               "image_id", "document_id", "doc_id", "uploaded_file_id", "path", "filter_spec",
               # the archive's own screens ask permisos.policies (transferencias_visibles)
               "transferencia_id",
               # the import runs of the historical matrices: only who may import sees any (404 otherwise)
               "importacion_id",
               # a background job: portal/views.py answers 404 for another user's (trabajos_visibles)
               "trabajo_id"}
# The search in the documents (busqueda_texto, busqueda_guardar, busquedas_guardadas) names no
# object in its URLs: its hits are filtered inside the query (expedientes/busqueda_texto.py) and a
# saved search is deleted by a POSTed id looked up among the user's own (404 otherwise).
# not ids: names of actions, apps and models
NOMBRES = {"action", "action_name", "accion", "app_label", "app_name", "model_name", "formato",
           "content_type_app_name", "content_type_model_name", "slug",
           # a report's product and one of its figures (expedientes/informes/): names, not ids
           "clave", "cifra"}

_MODELO_DE_ESPACIO = {
    "wagtailusers_users": "auth.User", "wagtailusers_groups": Group, "wagtailsites": Site,
    "wagtailadmin_collections": Collection, "wagtailadmin_pages": PAGINA,
    "wagtailadmin_api:pages": PAGINA,
}


@cache
def _modelos_de_snippets() -> dict[str, type]:
    from wagtail.snippets.models import get_snippet_models

    modelos = {}
    for modelo in get_snippet_models():
        etiqueta = f"{modelo._meta.app_label}_{modelo._meta.model_name}"
        modelos[f"wagtailsnippets_{etiqueta}"] = modelo
        modelos[f"wagtailsnippetchoosers_{etiqueta}"] = modelo
    return modelos


def _modelo(nombre):
    if isinstance(nombre, str) and nombre != PAGINA:
        return apps.get_model(nombre)
    return nombre


def _modelo_de_pk(match, kwargs):
    espacio = match.namespace
    if espacio in _MODELO_DE_ESPACIO:
        return _modelo(_MODELO_DE_ESPACIO[espacio])
    if espacio in _modelos_de_snippets():
        return _modelos_de_snippets()[espacio]
    if espacio == "wagtailadmin_workflows":
        return Task if "task" in (match.url_name or "") else Workflow
    if espacio == "wagtailsettings" and "app_name" in kwargs:
        return _modelo_o_nada(kwargs["app_name"], kwargs["model_name"])
    return None  # the project's own views: they ask the policy themselves


def _modelo_o_nada(app_label, model_name):
    try:
        modelo = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    return PAGINA if issubclass(modelo, Page) else modelo


def objetos_nombrados(match, kwargs, get) -> list[tuple[object, list]]:
    """[(model or PAGINA, [ids])] that this request names."""
    nombrados = []
    for clave, valor in kwargs.items():
        if clave in OBJETOS:
            nombrados.append((_modelo(OBJETOS[clave]), [valor]))
        elif clave == "pk":
            modelo = _modelo_de_pk(match, kwargs)
            if modelo is not None:
                nombrados.append((modelo, [valor]))
        elif clave == "object_id" and "app_label" in kwargs:
            nombrados.append((_modelo_o_nada(kwargs["app_label"], kwargs["model_name"]), [valor]))
    nombre = match.url_name
    if nombre == "wagtailadmin_choose_page_chosen_multiple":
        nombrados.append((PAGINA, get.getlist("id")))
    elif nombre == "wagtail_bulk_action":
        modelo = _modelo_o_nada(kwargs["app_label"], kwargs["model_name"])
        ids = get.getlist("id")
        if "all" in ids:  # «select all» of a listing: its parent and all its children, or everything
            ids = _pagina_e_hijas(get.get("childOf")) if modelo == PAGINA else ["*"]
        nombrados.append((modelo, ids))
    return nombrados


def _pagina_e_hijas(valor) -> list:
    padre = Page.objects.filter(pk=valor).first() if str(valor).isdigit() else None
    if padre is None:
        raise Http404
    return [padre.pk, *padre.get_children().values_list("pk", flat=True)]


def _ids(valores) -> set[int] | None:
    ids = set()
    for valor in valores:
        if not str(valor).isdigit():
            return None
        ids.add(int(valor))
    return ids


def _todos_visibles(usuario, modelo, valores) -> bool:
    if modelo == PAGINA:
        ids = _ids(valores)
        return ids is not None and policies.paginas_filtrar_visibles(
            usuario, Page.objects.filter(pk__in=ids)).count() == len(ids)
    return policies.objetos_visibles(usuario, modelo, valores)


class ObjetosInvisibles404Middleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        usuario = getattr(request, "user", None)
        if usuario is None or not usuario.is_authenticated or request.resolver_match is None:
            return None  # anonymous: the view sends them to the login page
        try:
            nombrados = objetos_nombrados(request.resolver_match, view_kwargs, request.GET)
            visibles = all(_todos_visibles(usuario, modelo, valores) for modelo, valores in nombrados)
        except Http404:
            visibles = False
        if visibles:
            return None
        if request.path.startswith("/admin/"):
            respuesta = page_not_found(request, None, template_name="wagtailadmin/404.html")
        else:
            respuesta = page_not_found(request, None)
        add_never_cache_headers(respuesta)
        return respuesta
