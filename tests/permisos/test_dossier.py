"""The insolvency dossier (issue 8, point 5), through PostgreSQL, the S3 store and clamd:
the jefe assembles a foliated PDF with index and manifest, shares it with Asesoría Jurídica,
which sees only it, acknowledges it and records the lawsuit; withdrawal hides it again."""

import hashlib
import io
import re
import uuid
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader, PdfWriter
from wagtail.models import PageLogEntry

from expedientes.custodia import almacen
from expedientes.estados import Estado
from expedientes.models import (
    AdjuntoVersion,
    DossierInsolvencia,
    EstadoDossier,
    ObjetoBusqueda,
    TipoActuacion,
)
from expedientes.selectors import actuaciones_de
from expedientes.services.actuaciones import actuacion_registrar
from expedientes.services.adjuntos import adjunto_crear, adjunto_version_crear
from expedientes.services.dossier import (
    dossier_acusar_recibo,
    dossier_armar,
    dossier_juicio_registrar,
)
from expedientes.services.ilocalizables import busqueda_registrar, insolvencia_declarar
from expedientes.services.proceso import expediente_transicion
from permisos import auditoria, policies, roles
from permisos.services import dossier_compartir, dossier_retirar
from tests.expedientes.test_custodia_ofimatica import ooxml
from tests.factories import UsuarioFactory, expediente_crear

pytestmark = pytest.mark.servicios


def _png() -> io.BytesIO:
    memoria = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(memoria, "PNG", dpi=(150, 150))
    memoria.seek(0)
    return memoria


def _pdf(paginas: int) -> io.BytesIO:
    """A well-formed PDF of blank pages, new bytes each call."""
    escritor = PdfWriter()
    for _ in range(paginas):
        escritor.add_blank_page(width=595, height=842)
    escritor.add_metadata({"/Subject": uuid.uuid4().hex})
    memoria = io.BytesIO()
    escritor.write(memoria)
    memoria.seek(0)
    return memoria


def _citado(usuarios, nombre="COMERCIAL SIN BIENES S.A."):
    expediente = expediente_crear(usuario=usuarios["secretaria"], nombre=nombre, fecha=date(2025, 3, 13),
                                  abogado=usuarios["abogado"])
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"],
                          fecha=date(2025, 3, 17), motivo="Citación en persona")
    return expediente


@pytest.fixture
def insolvente(usuarios, tasa, pdf):
    """An expediente in insolvency with its informe, and an actuación holding a PDF in its
    second version, a scanned image, an office document and a PDF no reader can open."""
    expediente = _citado(usuarios)
    s = usuarios["secretaria"]
    auto = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO, fecha=date(2025, 3, 14),
                               usuario=s, numero="AP-1")
    firmado = adjunto_crear(actuacion=auto, titulo="Auto de pago firmado", flujo=_pdf(1), nombre="auto.pdf", usuario=s)
    adjunto_version_crear(adjunto=firmado.adjunto, flujo=_pdf(2), nombre="auto-v2.pdf", usuario=s)
    adjunto_crear(actuacion=auto, titulo="Acta de citación escaneada", flujo=_png(), nombre="acta.png", usuario=s)
    adjunto_crear(actuacion=auto, titulo="Escrito del coactivado", flujo=ooxml(), nombre="escrito.docx", usuario=s)
    adjunto_crear(actuacion=auto, titulo="Copia dañada", flujo=pdf(), nombre="danada.pdf", usuario=s)
    for registro in settings.INSOLVENCIA["REGISTROS_EXIGIDOS"]:
        busqueda_registrar(expediente=expediente, registro=registro, fecha=date(2025, 4, 1), encontrado=False,
                           resultado="Sin bienes registrados", usuario=usuarios["abogado"],
                           objeto=ObjetoBusqueda.BIENES)
    insolvencia_declarar(expediente=expediente, usuario=usuarios["abogado"], firmante=usuarios["jefe"],
                         fecha=date(2025, 4, 10))
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INSOLVENCIA
    return expediente


def _bytes(version) -> bytes:
    return almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3)).read()


def _textos(contenido: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(contenido)).pages]


def _rango(doc) -> str:
    desde, hasta = doc["folio_desde"], doc["folio_hasta"]
    return str(desde) if desde == hasta else f"{desde}–{hasta}"


def _verificar_pdf(dossier, contenido: bytes, expediente):
    textos = _textos(contenido)
    assert len(textos) == dossier.folios == dossier.manifiesto["folios"]["total"]
    for folio, texto in enumerate(textos, start=1):
        assert f"Folio {folio}" in texto, f"la página {folio} no tiene su folio"
    portada = textos[0]
    assert "DOSSIER DE INSOLVENCIA" in portada and "Índice" in portada
    assert expediente.numero in portada and expediente.coactivado.nombre in portada
    documentos = dossier.manifiesto["documentos"]
    # the latest version of each file, with the SHA-256 of its stored bytes
    for doc in documentos:
        version = AdjuntoVersion.objects.get(uuid=doc["version_uuid"])
        assert version.numero == version.adjunto.versiones.count() == doc["version"]
        assert doc["sha256"] == version.sha256 == hashlib.sha256(_bytes(version)).hexdigest()
    por_nombre = {d["nombre"]: d for d in documentos}
    assert por_nombre["auto-v2.pdf"]["paginas"] == 2 and "auto.pdf" not in por_nombre
    assert f"{por_nombre['auto-v2.pdf']['folio_desde']}–{por_nombre['auto-v2.pdf']['folio_hasta']}" in portada
    assert por_nombre["acta.png"]["incorporado"] and por_nombre["acta.png"]["paginas"] == 1
    assert not por_nombre["escrito.docx"]["incorporado"] and not por_nombre["danada.pdf"]["incorporado"]
    assert "no incorporado (formato documento de Word)" in portada
    assert "no incorporado (archivo ilegible)" in portada
    informe = next(d for d in documentos if "Informe de insolvencia" in d["actuacion"])
    assert informe["incorporado"] and _rango(informe) in portada
    # the manifest closes the PDF: every file with its hash
    desde, hasta = dossier.manifiesto["folios"]["manifiesto"]
    manifiesto = " ".join(textos[desde - 1:hasta])
    assert "MANIFIESTO DE ARCHIVOS" in manifiesto
    for doc in documentos:
        assert doc["sha256"] in manifiesto
        assert doc["nombre"] in manifiesto.replace(" ", "")  # long names wrap in their cell


def test_dossier_de_punta_a_punta(client, usuarios, insolvente):
    jefe, asesoria = usuarios["jefe"], usuarios["asesoria"]
    proceso = reverse("expedientes_proceso", args=[insolvente.pk])
    eligibles = [a.pk for a in actuaciones_de(insolvente)]

    # the jefe: from the process screen, chooses the actuaciones and assembles
    client.force_login(jefe)
    assert "Armar dossier para Asesoría Jurídica" in client.get(proceso).content.decode()
    respuesta = client.post(reverse("dossier_armar", args=[insolvente.pk]), {"actuaciones": eligibles})
    dossier = DossierInsolvencia.objects.get()
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("dossier_ver", args=[dossier.uuid])
    assert dossier.estado == EstadoDossier.ARMADO and dossier.armado_por == jefe
    assert set(dossier.actuaciones.values_list("pk", flat=True)) == set(eligibles)
    # stored through custody as an actuación of the expediente, with its own hash and S3 version
    version = dossier.version
    assert version.adjunto.actuacion.tipo == TipoActuacion.DOSSIER_INSOLVENCIA
    assert version.adjunto.actuacion.get_parent().pk == insolvente.pk
    assert version.tipo_mime == "application/pdf" and version.antivirus_resultado == "OK" and version.version_s3
    _verificar_pdf(dossier, _bytes(version), insolvente)
    # a second dossier, never shared: asesoría must not reach it
    otro = dossier_armar(expediente=insolvente, actuaciones=eligibles, usuario=jefe)

    assert client.post(reverse("dossier_accion", args=[dossier.uuid, "compartir"])).status_code == 302
    dossier.refresh_from_db()
    assert dossier.estado == EstadoDossier.COMPARTIDO and dossier.compartido_por == jefe

    # asesoría: only that dossier, never the expediente nor its files
    client.force_login(asesoria)
    assert reverse("dossiers_listado") in client.get(reverse("wagtailadmin_home")).content.decode()
    listado = client.get(reverse("dossiers_listado")).content.decode()
    assert reverse("dossier_ver", args=[dossier.uuid]) in listado
    assert str(otro.uuid) not in listado and insolvente.coactivado.nombre not in listado
    pagina = client.get(reverse("dossier_ver", args=[dossier.uuid])).content.decode()
    assert insolvente.numero in pagina and insolvente.coactivado.nombre in pagina and "Acusar recibo" in pagina
    assert proceso not in pagina  # no link to a screen it may not open
    descarga = client.get(reverse("dossier_descargar", args=[dossier.uuid]))
    assert descarga.status_code == 200 and descarga["Content-Disposition"].startswith("attachment;")
    contenido = b"".join(descarga.streaming_content)
    assert hashlib.sha256(contenido).hexdigest() == version.sha256
    assert client.get(proceso).status_code == 404
    informe = AdjuntoVersion.objects.get(adjunto__actuacion__tipo=TipoActuacion.INFORME_INSOLVENCIA)
    for ajena in (informe, version):  # as attachments of the expediente: not even the dossier's own
        assert client.get(reverse("adjunto_descargar", args=[ajena.uuid])).status_code == 404
    for url in (reverse("dossier_ver", args=[otro.uuid]), reverse("dossier_descargar", args=[otro.uuid]),
                reverse("dossier_armar", args=[insolvente.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("dossier_accion", args=[otro.uuid, "acuse"])).status_code == 404
    # it may not share or withdraw what it sees
    client.post(reverse("dossier_accion", args=[dossier.uuid, "retirar"]), {"motivo": "x"})
    dossier.refresh_from_db()
    assert dossier.estado == EstadoDossier.COMPARTIDO

    # acknowledges, then records the lawsuit (twice: the history keeps both)
    assert client.post(reverse("dossier_accion", args=[dossier.uuid, "acuse"])).status_code == 302
    for estado in ("presentado", "en_tramite"):
        respuesta = client.post(reverse("dossier_accion", args=[dossier.uuid, "juicio"]), {
            "numero_juicio": "01333-2026-00123", "judicatura": "Unidad Judicial Civil de Cuenca",
            "estado_juicio": estado, "observaciones": ""})
        assert respuesta.status_code == 302
    dossier.refresh_from_db()
    assert dossier.estado == EstadoDossier.RECIBIDO and dossier.acuse_por == asesoria
    assert (dossier.numero_juicio, dossier.estado_juicio) == ("01333-2026-00123", "en_tramite")
    assert [a.estado_juicio for a in dossier.actualizaciones_juicio.all()] == ["presentado", "en_tramite"]
    pagina = client.get(reverse("dossier_ver", args=[dossier.uuid])).content.decode()
    assert "01333-2026-00123" in pagina and "En trámite" in pagina

    # the jefe withdraws it, with the reason
    client.force_login(jefe)
    assert "01333-2026-00123" in client.get(proceso).content.decode()
    respuesta = client.post(reverse("dossier_accion", args=[dossier.uuid, "retirar"]),
                            {"motivo": "Falta el avalúo"})
    assert respuesta.status_code == 302
    dossier.refresh_from_db()
    assert dossier.estado == EstadoDossier.RETIRADO and dossier.retiro_motivo == "Falta el avalúo"
    assert not dossier.permisos_grupo.exists()

    client.force_login(asesoria)
    for url in (reverse("dossier_ver", args=[dossier.uuid]), reverse("dossier_descargar", args=[dossier.uuid])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("dossier_accion", args=[dossier.uuid, "acuse"])).status_code == 404
    listado = client.get(reverse("dossiers_listado"))
    assert listado.status_code == 200 and "No hay dossiers de insolvencia para usted" in listado.content.decode()
    assert reverse("dossiers_listado") not in client.get(reverse("wagtailadmin_home")).content.decode()

    # every step in the log, with who
    pasos = [(e.action, e.user) for e in PageLogEntry.objects.filter(page=insolvente,
                                                                      action__startswith="coactivas.dossier.")
             .order_by("timestamp", "pk")]
    assert pasos == [(auditoria.DOSSIER_ARMADO, jefe), (auditoria.DOSSIER_ARMADO, jefe),
                     (auditoria.DOSSIER_COMPARTIDO, jefe), (auditoria.DOSSIER_ACUSE, asesoria),
                     (auditoria.DOSSIER_JUICIO, asesoria), (auditoria.DOSSIER_JUICIO, asesoria),
                     (auditoria.DOSSIER_RETIRADO, jefe)]
    retiro = PageLogEntry.objects.get(page=insolvente, action=auditoria.DOSSIER_RETIRADO)
    assert retiro.data["motivo"] == "Falta el avalúo" and retiro.data["sha256"] == version.sha256
    descargas = PageLogEntry.objects.filter(action=auditoria.DESCARGA, user=asesoria)
    assert [e.data["version_uuid"] for e in descargas] == [str(version.uuid)]
    assert PageLogEntry.objects.filter(action=auditoria.ACCESO_DENEGADO, user=asesoria).count() >= 3


def test_fuera_de_insolvencia_no_se_arma(client, usuarios, tasa, versiones_en_bucket):
    expediente = _citado(usuarios, nombre="TODAVÍA EN EJECUCIÓN S.A.")
    antes = versiones_en_bucket()
    with pytest.raises(ValidationError, match="se arma solo con el expediente en «Insolvencia»"):
        dossier_armar(expediente=expediente, actuaciones=actuaciones_de(expediente), usuario=usuarios["jefe"])
    client.force_login(usuarios["jefe"])
    assert "Armar dossier" not in client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    respuesta = client.post(reverse("dossier_armar", args=[expediente.pk]),
                            {"actuaciones": [a.pk for a in actuaciones_de(expediente)]})
    assert respuesta.status_code == 200 and "solo con el expediente en «Insolvencia»" in respuesta.content.decode()
    assert not DossierInsolvencia.objects.exists() and versiones_en_bucket() == antes


def test_solo_el_jefe_arma_y_con_el_informe(client, usuarios, insolvente, versiones_en_bucket):
    todas = list(actuaciones_de(insolvente))
    antes = versiones_en_bucket()
    for quien in ("abogado", "secretaria", "asesoria", "auditor"):
        with pytest.raises(ValidationError, match="Solo el jefe de coactivas arma"):
            dossier_armar(expediente=insolvente, actuaciones=todas, usuario=usuarios[quien])
        client.force_login(usuarios[quien])
        assert client.get(reverse("dossier_armar", args=[insolvente.pk])).status_code == 404
        assert client.post(reverse("dossier_armar", args=[insolvente.pk]),
                           {"actuaciones": [a.pk for a in todas]}).status_code == 404
    sin_informe = [a for a in todas if a.tipo != TipoActuacion.INFORME_INSOLVENCIA]
    with pytest.raises(ValidationError, match="incluye el informe de insolvencia"):
        dossier_armar(expediente=insolvente, actuaciones=sin_informe, usuario=usuarios["jefe"])
    ajena = actuacion_registrar(expediente=_citado(usuarios, nombre="OTRA S.A."), tipo=TipoActuacion.PROVIDENCIA,
                                fecha=date(2025, 3, 20), usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError, match="de este expediente"):
        dossier_armar(expediente=insolvente, actuaciones=[*todas, ajena], usuario=usuarios["jefe"])
    assert not DossierInsolvencia.objects.exists() and versiones_en_bucket() == antes


def test_politica_de_dossiers(usuarios, insolvente):
    jefe, asesoria = usuarios["jefe"], usuarios["asesoria"]
    dossier = dossier_armar(expediente=insolvente, actuaciones=actuaciones_de(insolvente), usuario=jefe)
    todos = DossierInsolvencia.objects.all()
    raiz = UsuarioFactory(username="raiz", is_superuser=True)
    inactivo = UsuarioFactory(username="inactivo", is_active=False)
    inactivo.groups.add(Group.objects.get(name=roles.ROL_JEFE))
    # a model permission granted to the Asesoría group by mistake opens nothing
    Group.objects.get(name=roles.ROL_ASESORIA).permissions.add(
        Permission.objects.get(codename="view_dossierinsolvencia"))
    for usuario, ve in [(jefe, True), (usuarios["secretaria"], True), (raiz, True), (asesoria, False),
                        (inactivo, False), (usuarios["abogado"], False), (usuarios["auditor"], True),
                        (usuarios["archivista"], False), (usuarios["sin_rol"], False)]:
        usuario = type(usuario).objects.get(pk=usuario.pk)  # fresh permission caches
        assert policies.dossiers_visibles(usuario, todos).exists() is ve, usuario.username
        assert policies.dossier_puede_ver(usuario, dossier) is ve
        assert policies.dossier_puede_gestionar(usuario, dossier) is False
    # only what asesoría is shared may it acknowledge; not the jefe, not a superuser
    with pytest.raises(ValidationError, match="Solo el jefe de coactivas comparte"):
        dossier_compartir(dossier=dossier, usuario=asesoria)
    dossier_compartir(dossier=dossier, usuario=jefe)
    asesoria = type(asesoria).objects.get(pk=asesoria.pk)
    assert policies.dossier_puede_ver(asesoria, dossier) and policies.dossier_puede_gestionar(asesoria, dossier)
    for otro in (jefe, raiz):
        with pytest.raises(ValidationError, match="Solo Asesoría Jurídica"):
            dossier_acusar_recibo(dossier=dossier, usuario=otro)
    with pytest.raises(ValidationError, match="Acuse primero el recibo"):
        dossier_juicio_registrar(dossier=dossier, numero_juicio="1", judicatura="x", estado_juicio="presentado",
                                 usuario=asesoria)
    with pytest.raises(ValidationError, match="ya está compartido"):
        dossier_compartir(dossier=dossier, usuario=jefe)
    with pytest.raises(ValidationError) as error:
        dossier_retirar(dossier=dossier, usuario=jefe, motivo="  ")
    assert "Indique el motivo del retiro." in error.value.messages
    assert re.fullmatch(r"[0-9a-f]{64}", dossier.version.sha256)


def test_nadie_mas_ve_el_dossier(client, usuarios, insolvente):
    """Shared with Asesoría: the secretaría (the whole unit) reads it and can do nothing with
    it; the assigned abogado, the auditor, the archivist and a user without role, not even that."""
    dossier = dossier_armar(expediente=insolvente, actuaciones=actuaciones_de(insolvente), usuario=usuarios["jefe"])
    dossier_compartir(dossier=dossier, usuario=usuarios["jefe"])
    def negado(respuesta):  # 404; without access to the admin, Wagtail's redirect to the login
        return respuesta.status_code == 404 or "/admin/login/" in respuesta.get("Location", "")

    client.force_login(usuarios["secretaria"])
    pagina = client.get(reverse("dossier_ver", args=[dossier.uuid])).content.decode()
    assert insolvente.numero in pagina
    assert not {"Compartir con Asesoría Jurídica", "Retirar la compartición", "Acusar recibo"} & set(
        re.findall(r">([^<>]+)</button>", pagina))
    for accion in ("compartir", "retirar", "acuse", "juicio"):
        client.post(reverse("dossier_accion", args=[dossier.uuid, accion]), {"motivo": "x"})
    client.force_login(usuarios["auditor"])  # reads everything, acts on nothing
    assert client.get(reverse("dossier_descargar", args=[dossier.uuid])).status_code == 200
    for accion in ("compartir", "retirar", "acuse", "juicio"):
        client.post(reverse("dossier_accion", args=[dossier.uuid, accion]), {"motivo": "x"})
    dossier.refresh_from_db()
    assert dossier.estado == "compartido" and dossier.acuse_en is None
    for quien in ("abogado", "archivista", "sin_rol"):
        client.force_login(usuarios[quien])
        assert client.get(reverse("dossier_descargar", args=[dossier.uuid])).status_code == 404
        assert negado(client.get(reverse("dossier_ver", args=[dossier.uuid]))), quien
        for accion in ("compartir", "retirar", "acuse", "juicio"):
            assert negado(client.post(reverse("dossier_accion", args=[dossier.uuid, accion]))), (quien, accion)
        listado = client.get(reverse("dossiers_listado"), follow=True).content.decode()
        assert str(dossier.uuid)[:8] not in listado and insolvente.coactivado.nombre not in listado
    dossier.refresh_from_db()
    assert dossier.estado == EstadoDossier.COMPARTIDO and dossier.acuse_en is None
