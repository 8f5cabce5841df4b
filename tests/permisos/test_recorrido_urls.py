"""Every URL the resolver knows, walked as every role that must not see an expediente
(issue 8, done-when). The ids in each pattern are filled with real objects of that
expediente (its page, its actuación, its debtor, its revision, its file); the query string
carries its debtor's name and its id for choosers, searches and bulk actions. Nothing of it
may come back: no debtor name, cédula/RUC, expediente number, actuación or file name. An id
the role may not see answers exactly like one that does not exist. A listing answers the
same with or without more expedientes the role may not see (no count leaks). A new URL
pattern is walked without anyone listing it here; one whose ids nobody classified
(permisos/guardas.py) makes the walk fail."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.models import Collection, Site, Task, Workflow

from archivo.models import BajaDocumental, Fondo, ProcesoImpugnado, Seccion, Serie, Transferencia
from archivo.services.fisico import caja_crear, expediente_ubicar, prestamo_registrar
from expedientes.models import DiaEspecial, ImportacionMatriz, InformeEmitido, PlantillaDocumento, TasaInteres
from expedientes.services.adjuntos import adjunto_crear
from expedientes.services.cuenta import pago_registrar
from expedientes.services.pagos import comprobante_emitir
from permisos import guardas
from portal.models import Trabajo
from portal.trabajos import trabajo_crear
from tests.factories import expediente_crear

pytestmark = [pytest.mark.servicios, pytest.mark.lento]  # every URL as five roles: minutes

NOMBRE = "ACEROS RESERVADOS DEL AUSTRO S.A."
# Never walked: they end the session the walk is made with (and say nothing of anyone).
NO_RECORRIDAS = {"wagtailadmin_logout": "cierra la sesión del recorrido"}
# Wagtail 8.0.1 answers these POSTs without a form with an error (500) before reading any
# object: no data of anyone, a bug of theirs, not a way in.
FALLAN_EN_WAGTAIL = {("post", "wagtailadmin_choose_page_external_link"),
                     ("post", "wagtailsnippetchoosers_expedientes_coactivado:create")}
INEXISTENTE = 987654321


def _patrones(resolver=None, prefijo="", espacio=None):
    resolver = resolver or get_resolver()
    for patron in resolver.url_patterns:
        if isinstance(patron, URLResolver):
            nuevo = ":".join(filter(None, [espacio, patron.namespace])) or None
            yield from _patrones(patron, prefijo + str(patron.pattern), nuevo)
        elif isinstance(patron, URLPattern):
            nombre = ":".join(filter(None, [espacio, patron.name])) if patron.name else ""
            yield prefijo + str(patron.pattern), nombre


_CONVERTIDOR = re.compile(r"<(?:(?P<tipo>\w+):)?(?P<nombre>\w+)>")
_GRUPO = re.compile(r"\(\?P<(?P<nombre>\w+)>[^)]*\)")


_ALTERNATIVAS = re.compile(r"\((\w+)\|[^)]*\)")


def _kwargs_de(ruta):
    grupos = [m.group("nombre") for m in _GRUPO.finditer(ruta)]
    return [m.group("nombre") for m in _CONVERTIDOR.finditer(_GRUPO.sub("", ruta))] + grupos


def _rellenar(ruta, valores):
    ruta = _GRUPO.sub(lambda m: str(valores[m.group("nombre")]), ruta)
    ruta = _CONVERTIDOR.sub(lambda m: str(valores[m.group("nombre")]), ruta)
    ruta = _ALTERNATIVAS.sub(lambda m: m.group(1), ruta)  # (documents|images) -> documents
    return "/" + ruta.replace("^", "").replace("$", "").replace("\\.", ".")


@pytest.fixture
def secreto(usuarios, pdf):
    """An expediente no walking role may see (not assigned to the walking abogado), with
    an actuación, a file and a revision."""
    from wagtail.models import GroupApprovalTask

    from expedientes.models import TipoActuacion
    from expedientes.services.actuaciones import actuacion_registrar

    if not Workflow.objects.exists():  # real ids for the workflow views
        flujo = Workflow.objects.create(name="Aprobación")
        flujo.workflow_tasks.create(task=GroupApprovalTask.objects.create(name="Revisión"), sort_order=0)
    expediente = expediente_crear(usuario=usuarios["secretaria"], nombre=NOMBRE)
    # a background job of the secretaría: another role's id must answer like a missing one
    trabajo_crear(tipo="prueba", titulo=f"Oficios de {NOMBRE}", usuario=usuarios["secretaria"])
    actuacion = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
                                    fecha=expediente.fecha_recepcion, usuario=usuarios["secretaria"])
    version = adjunto_crear(actuacion=actuacion, titulo="Oficio reservado al banco", flujo=pdf(),
                            nombre="oficio-reservado-banco.pdf", usuario=usuarios["secretaria"])
    # a payment with its receipt issued: its download must answer like a missing one
    pago = pago_registrar(expediente=expediente, fecha=expediente.fecha_recepcion, monto=Decimal("10.00"),
                          origen="voluntario", recibo="RECIBO-RESERVADO-77", usuario=usuarios["secretaria"])
    comprobante_emitir(pago=pago, usuario=usuarios["secretaria"])
    expediente.pago_secreto = pago
    # the archive: its paper original in a box, lent out, and a contested-case row never
    # handed over to the archivists (no view rows: the ORM, not impugnado_seleccionar)
    caja = caja_crear(codigo="CAJA-RECORRIDO", usuario=usuarios["secretaria"])
    expediente_ubicar(expediente=expediente, caja=caja, usuario=usuarios["secretaria"])
    expediente.archivo_ids = {
        "caja_id": caja.pk,
        "prestamo_id": prestamo_registrar(
            expediente=expediente, solicitante=usuarios["secretaria"], motivo="PRESTAMO-RESERVADO-31",
            vence_el=timezone.localdate() + timedelta(days=5), usuario=usuarios["secretaria"]).pk,
        "proceso_id": ProcesoImpugnado.objects.create(
            expediente=expediente, seleccionado_por=usuarios["jefe"], numero_causa="CAUSA-RESERVADA-58").pk,
    }
    # an issued report that names it (its title, its figures): only who reads issued reports sees it
    from expedientes.informes.base import Parametros, Periodo
    from expedientes.informes.emision import emision_registrar
    from tests.factories import pdf_bytes

    emision_registrar(clave="matriz", titulo=f"Matriz de {NOMBRE}", parametros=Parametros(Periodo.anio(2025)),
                      cifras={"numero": expediente.numero}, usuario=usuarios["jefe"],
                      archivos={"pdf": ("matriz-reservada.pdf", pdf_bytes().getvalue())})
    # the text of its file's page (the search in the documents, busqueda_texto, is walked
    # with ?q=ACEROS: it must find nothing for who may not see the expediente)
    from expedientes.models import OrigenTexto, PaginaTexto

    PaginaTexto.objects.create(version=version, expediente=expediente, numero=1, origen=OrigenTexto.OCR,
                               texto=f"Retención de los fondos de {NOMBRE}, TEXTO-RESERVADO-93.")
    rastros = [NOMBRE, expediente.coactivado.identificacion, expediente.numero, "TEXTO-RESERVADO-93",
               "Oficio reservado al banco", "oficio-reservado-banco", "RECIBO-RESERVADO-77",
               "PRESTAMO-RESERVADO-31", "CAUSA-RESERVADA-58"]
    return expediente, actuacion, version, rastros


def _pk(modelo):
    return modelo.objects.values_list("pk", flat=True).first() or INEXISTENTE


def _valores(expediente, actuacion, version, *, inexistente=False):
    """A value for every kwarg name the resolver uses: the secret's ids, or missing ones."""
    otro = INEXISTENTE if inexistente else None
    revision = expediente.latest_revision
    return {
        "page_id": otro or expediente.pk, "parent_page_id": otro or expediente.pk,
        "page_to_move_id": otro or actuacion.pk, "destination_id": otro or expediente.get_parent().pk,
        "page_pk": otro or expediente.pk, "pk": otro or expediente.coactivado.pk,
        "object_id": otro or expediente.pk, "revision_id": otro or revision.pk,
        "revision_id_a": "earliest", "revision_id_b": "latest",
        "actuacion_id": otro or actuacion.pk, "pago_id": otro or expediente.pago_secreto.pk,
        **{clave: otro or pk for clave, pk in expediente.archivo_ids.items()},
        "uuid": "00000000-0000-4000-8000-000000000000" if inexistente else version.uuid,
        "collection_id": _pk(Collection), "workflow_pk": _pk(Workflow), "task_id": _pk(Task), "task_state_id": INEXISTENTE, "workflow_state_id": INEXISTENTE,
        "page_view_restriction_id": INEXISTENTE, "session_id": INEXISTENTE,
        "transferencia_id": otro or _pk(Transferencia),
        # the reports (expedientes/informes/): a product, one of its figures, an issued report
        "clave": "matriz", "cifra": "iniciados", "emitido_id": otro or _pk(InformeEmitido),
        "importacion_id": otro or _pk(ImportacionMatriz), "trabajo_id": otro or _pk(Trabajo),
        "image_id": 1, "document_id": 1, "doc_id": 1, "uploaded_file_id": 1, "filter_spec": "original",
        "uidb64": "MQ", "token": "abc-123", "path": "x.css", "slug": "x",
        "accion": "costa", "formato": "csv", "action": "delete", "action_name": "approve",
        "app_label": "wagtailcore", "model_name": "page", "app_name": "expedientes",
        "content_type_app_name": "expedientes", "content_type_model_name": "expedientepage",
    }


_PK_POR_ESPACIO = {  # `pk` of other models: a real object, so «existing» is really existing
    "wagtailusers_users": lambda e: e.owner_id, "wagtailusers_groups": lambda e: _pk(Group),
    "wagtailsites": lambda e: _pk(Site), "wagtailadmin_collections": lambda e: _pk(Collection),
    "wagtailadmin_workflows": lambda e: _pk(Workflow),
    "wagtailadmin_pages": lambda e: e.pk, "wagtailadmin_api:pages": lambda e: e.pk,
    "wagtailsnippets_expedientes_tasainteres": lambda e: _pk(TasaInteres),
    "wagtailsnippets_expedientes_plantilladocumento": lambda e: _pk(PlantillaDocumento),
    "wagtailsnippets_expedientes_diaespecial": lambda e: _pk(DiaEspecial),
    "expedientes_proceso": lambda e: e.pk, "expedientes_proceso_accion": lambda e: e.pk,
    "dossier_armar": lambda e: e.pk, "expedientes_estado_cuenta": lambda e: e.pk,
    "archivo_cierre_": lambda e: e.pk,  # archivo_cierre_cerrar, archivo_cierre_reabrir: the expediente
    # the archive (issue 10): a real serie of the TPCD, a real disposal when there is one
    "archivo_serie_editar": lambda e: _pk(Serie), "archivo_baja": lambda e: _pk(BajaDocumental),
    "archivo_fondos": lambda e: _pk(Fondo), "archivo_secciones": lambda e: _pk(Seccion),
}


def _urls(secreto, *, inexistente=False):
    expediente, actuacion, version, _ = secreto
    valores = _valores(expediente, actuacion, version, inexistente=inexistente)
    consulta = f"?q={NOMBRE.split()[0]}&search={NOMBRE.split()[0]}&id={expediente.pk}&childOf={expediente.get_parent().pk}"
    if inexistente:
        consulta = f"?q={NOMBRE.split()[0]}&search={NOMBRE.split()[0]}&id={INEXISTENTE}&childOf={INEXISTENTE}"
    for ruta, nombre in _patrones():
        if nombre in NO_RECORRIDAS:
            continue
        kwargs = _kwargs_de(ruta)
        propios = dict(valores)
        espacio = nombre.rsplit(":", 1)[0] if ":" in nombre else nombre
        for prefijo, obtener in _PK_POR_ESPACIO.items():
            if "pk" in kwargs and (espacio == prefijo or nombre.startswith(prefijo)) and not inexistente:
                propios["pk"] = obtener(expediente)
            if "pk" in kwargs and (espacio.replace("snippetchoosers", "snippets") == prefijo) and not inexistente:
                propios["pk"] = obtener(expediente)
        if nombre == "informes_documento" and not inexistente:  # a record of the unit: the issued report's PDF
            propios["uuid"] = InformeEmitido.objects.values_list("pdf__uuid", flat=True).first() or propios["uuid"]
        yield ruta, nombre, kwargs, _rellenar(ruta, propios) + consulta


def test_cada_parametro_de_cada_url_esta_clasificado():
    conocidos = set(guardas.OBJETOS) | guardas.POR_URL | guardas.SECUNDARIOS | guardas.NOMBRES
    sin_clasificar = {(ruta, k) for ruta, _ in _patrones() for k in _kwargs_de(ruta) if k not in conocidos}
    assert not sin_clasificar, f"Parámetros de URL que nadie clasificó en permisos/guardas.py: {sin_clasificar}"


ROLES_SIN_ACCESO = ["abogado", "archivista", "asesoria", "administrador", "sin_rol"]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cuerpo(respuesta) -> str:
    if getattr(respuesta, "streaming", False):
        datos = b"".join(respuesta.streaming_content)
    else:
        datos = respuesta.content
    if respuesta.get("Content-Type", "").startswith(XLSX):
        # an export: its cells, not the zipped bytes (which also carry the time it was written)
        from openpyxl import load_workbook

        libro = load_workbook(io.BytesIO(datos), read_only=True)
        return "\n".join("\t".join(str(v) for v in fila) for hoja in libro.worksheets
                         for fila in hoja.iter_rows(values_only=True))
    return datos.decode(errors="replace")


@pytest.mark.parametrize("quien", ROLES_SIN_ACCESO)
def test_ningun_rastro_del_expediente_ajeno_en_ninguna_url(usuarios, expediente, secreto, quien):
    from django.test import Client

    client = Client(raise_request_exception=False)  # a view that fails is one finding, not the end
    *_, rastros = secreto
    client.force_login(usuarios[quien])
    fugas = []
    recorridas = 0
    for ruta, nombre, _, url in _urls(secreto):
        for metodo in ("get", "post"):
            respuesta = getattr(client, metodo)(url, follow=True)
            recorridas += 1
            if respuesta.status_code >= 500 and (metodo, nombre) not in FALLAN_EN_WAGTAIL:
                fugas.append(f"{metodo.upper()} {url} → {respuesta.status_code}")
                continue
            cuerpo = _cuerpo(respuesta)
            fugas += [f"{metodo.upper()} {url} ({nombre or ruta}) muestra «{r}»" for r in rastros if r in cuerpo]
        client.force_login(usuarios[quien])  # a view may have ended the session
    assert recorridas > 400
    assert not fugas, "\n".join(fugas)


def _puede_verlo(usuario, url):
    from django.http import Http404, QueryDict
    from django.urls import resolve

    match = resolve(url.split("?")[0])
    try:
        return all(guardas._todos_visibles(usuario, modelo, valores) for modelo, valores
                   in guardas.objetos_nombrados(match, match.kwargs, QueryDict(url.split("?")[1])))
    except Http404:
        return False


def _respuesta(client, url):
    respuesta = client.get(url)
    return respuesta.status_code, respuesta.get("Location", "")


@pytest.mark.parametrize("quien", ROLES_SIN_ACCESO)
def test_lo_prohibido_responde_como_lo_inexistente(usuarios, expediente, secreto, quien):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(usuarios[quien])
    distintas = []
    existentes = {ruta: url for ruta, _, kwargs, url in _urls(secreto) if kwargs}
    faltantes = {ruta: url for ruta, _, kwargs, url in _urls(secreto, inexistente=True) if kwargs}
    for ruta, url in existentes.items():
        if _puede_verlo(usuarios[quien], url):
            continue  # a register the role may read (a template, a holiday): no secret to keep
        a, b = _respuesta(client, url), _respuesta(client, faltantes[ruta])
        if (a[0], a[1].split("?")[0]) != (b[0], b[1].split("?")[0]):
            distintas.append(f"{url}: {a} ≠ {b} ({faltantes[ruta]})")
    assert not distintas, "\n".join(distintas)


_VARIABLE = re.compile(r"\b[A-Za-z0-9]{32,64}\b")  # CSRF tokens (masked anew on every response)


def _normalizado(cuerpo):
    return _VARIABLE.sub("", cuerpo)


@pytest.mark.parametrize("quien", ["abogado", "archivista", "asesoria", "sin_rol"])
def test_los_listados_no_cuentan_lo_ajeno(client, usuarios, expediente, secreto, quien):
    client.force_login(usuarios[quien])
    listados = [url for ruta, _, kwargs, url in _urls(secreto) if not kwargs]
    antes = {url: _normalizado(_cuerpo(client.get(url))) for url in listados}
    for n in range(3):
        expediente_crear(usuario=usuarios["secretaria"], nombre=f"OTRO DEUDOR {n} S.A.")
    despues = {url: _normalizado(_cuerpo(client.get(url))) for url in listados}
    cambian = [url for url in listados if despues[url] != antes[url]]
    import difflib
    for url in cambian[:3]:
        print(url, "".join(list(difflib.unified_diff(antes[url].splitlines(True), despues[url].splitlines(True), n=0))[:12]))
    assert not cambian, cambian


def test_el_lector_se_recorre_con_la_version_ajena(secreto):
    """The reader (issue 12) and its bytes are walked with the secret file version's uuid
    (`uuid` is checked by their views: guardas.SECUNDARIOS)."""
    version = secreto[2]
    urls = {nombre: url for _, nombre, _, url in _urls(secreto)}
    assert urls["lector"].startswith(f"/admin/coactivas/lector/{version.uuid}/?")
    assert urls["lector_contenido"].startswith(f"/admin/coactivas/lector/{version.uuid}/contenido/?")
