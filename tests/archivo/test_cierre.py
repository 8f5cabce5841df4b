"""Closing an expediente (issue 10, item 2) through the real PostgreSQL, S3 store and clamd:
folios across every file, the four PDFs in custody, the originals untouched, read-only
afterwards (services and Wagtail's editor, superuser included), reopening with a reason,
closing again; and what is refused leaves nothing behind."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from archivo.fases import FaseArchivo
from archivo.models import Cierre, Soporte
from archivo.services.cierre import cierre_vigente, expediente_cerrar, expediente_reabrir
from expedientes.custodia import almacen
from expedientes.estados import Estado
from expedientes.models import ActuacionPage, AdjuntoVersion, Pago, TipoActuacion
from expedientes.services.actuaciones import actuacion_registrar
from expedientes.services.adjuntos import adjunto_crear, adjunto_version_crear
from expedientes.services.cuenta import cuenta_liquidar, pago_registrar
from expedientes.services.proceso import expediente_transicion
from expedientes.views.proceso import ACCIONES
from permisos.models import RegistroCustodia
from tests.factories import UsuarioFactory

pytestmark = pytest.mark.servicios

SOLO_LECTURA = "es de solo lectura"


def _pdf(titulo: str, paginas: int) -> io.BytesIO:
    html = "".join(f'<p style="break-after:page">{titulo}, página {n}</p>' for n in range(1, paginas + 1))
    return io.BytesIO(HTML(string=html).write_pdf())


def _png() -> io.BytesIO:
    salida = io.BytesIO()
    Image.new("RGB", (300, 400), (250, 250, 240)).save(salida, "PNG", dpi=(300, 300))
    salida.seek(0)
    return salida


def _leer(version) -> bytes:
    return almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3)).read()


@pytest.fixture
def con_archivos(expediente, actuacion, usuarios):
    """The expediente with a 3-page PDF and an image in the auto de pago, and a 2-page PDF
    in a providencia."""
    secretaria = usuarios["secretaria"]
    adjunto_crear(actuacion=actuacion, titulo="Auto de pago firmado", flujo=_pdf("Auto", 3), nombre="auto.pdf",
                  usuario=secretaria)
    adjunto_crear(actuacion=actuacion, titulo="Razón de citación escaneada", flujo=_png(), nombre="razon.png",
                  usuario=secretaria)
    providencia = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.PROVIDENCIA,
                                      fecha=date(2025, 3, 20), usuario=secretaria)
    adjunto_crear(actuacion=providencia, titulo="Providencia de impulso", flujo=_pdf("Providencia", 2),
                  nombre="providencia.pdf", usuario=secretaria)
    return expediente


def _pagar(expediente, usuario, fecha=date(2025, 4, 1)):
    saldo = cuenta_liquidar(expediente, fecha).saldo
    pago_registrar(expediente=expediente, fecha=fecha, monto=saldo, origen="voluntario", recibo="R-CIERRE",
                   usuario=usuario)
    expediente.refresh_from_db()
    assert expediente.estado == Estado.PAGADO


def _originales(expediente):
    return sorted(AdjuntoVersion.objects.filter(adjunto__actuacion__in=ActuacionPage.objects.child_of(expediente))
                  .exclude(adjunto__actuacion__tipo=TipoActuacion.CIERRE)
                  .values_list("pk", "uuid", "sha256", "version_s3", "clave"))


def test_cierre_folia_todo_y_deja_el_expediente_de_solo_lectura(con_archivos, usuarios, tasa, versiones_en_bucket):
    expediente, jefe = con_archivos, usuarios["jefe"]
    _pagar(expediente, usuarios["secretaria"])
    antes = _originales(expediente)

    cierre = expediente_cerrar(expediente=expediente, usuario=jefe, soporte=Soporte.DIGITAL, fecha=date(2025, 4, 2))

    expediente.refresh_from_db()
    assert expediente.archivo_fase == FaseArchivo.CERRADO and cierre_vigente(expediente) == cierre
    assert (cierre.numero, cierre.soporte, cierre.fecha) == (1, Soporte.DIGITAL, date(2025, 4, 2))
    assert (cierre.fecha_inicial, cierre.fecha_final) == (date(2025, 3, 13), date(2025, 3, 20))
    # carátula and índice first, then 3 + 1 (the image) + 2 pages, in the order of the file
    filas = {f["titulo"]: f for f in cierre.manifiesto}
    rangos = [(filas[t]["folio_desde"], filas[t]["folio_hasta"], filas[t]["paginas"]) for t in
              ("Auto de pago firmado", "Razón de citación escaneada", "Providencia de impulso")]
    primero = rangos[0][0]
    assert primero >= 3  # at least one folio each for the carátula and the índice
    assert rangos == [(primero, primero + 2, 3), (primero + 3, primero + 3, 1), (primero + 4, primero + 5, 2)]
    assert cierre.folios == primero + 5
    # the actuación «Cierre del expediente» with its four files, in custody
    assert cierre.actuacion.tipo == TipoActuacion.CIERRE
    versiones = {v.adjunto.titulo: v for v in AdjuntoVersion.objects.filter(adjunto__actuacion=cierre.actuacion)
                 .select_related("adjunto")}
    assert set(versiones) == {"Índice del expediente", "Carátula", "Rótulo de caja", "Expediente foliado"}
    assert {(v.clave, v.version_s3) for v in versiones.values()} <= versiones_en_bucket()
    indice = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(_leer(versiones["Índice del expediente"]))).pages)
    for fila in cierre.manifiesto:
        assert fila["titulo"] in indice and fila["nombre"] in indice
    assert f"{primero}–{primero + 2}" in indice and f"{primero + 4}–{primero + 5}" in indice
    foliado = PdfReader(io.BytesIO(_leer(versiones["Expediente foliado"])))
    assert len(foliado.pages) == cierre.folios
    for folio, pagina in enumerate(foliado.pages, start=1):
        assert f"Folio {folio}" in pagina.extract_text()
    assert "Providencia, página 2" in foliado.pages[cierre.folios - 1].extract_text()
    caratula = PdfReader(io.BytesIO(_leer(versiones["Carátula"]))).pages[0].extract_text()
    assert expediente.numero in caratula and expediente.coactivado.nombre in caratula
    assert "13/03/2025" in caratula and "20/03/2025" in caratula and str(cierre.folios) in caratula
    # the originals are untouched: same versions, same hashes, still one version each
    assert _originales(expediente) == antes
    assert all(_leer(v) for v in AdjuntoVersion.objects.filter(pk__in=[fila[0] for fila in antes]))
    assert RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.CIERRE, expediente=expediente).count() == 1

    # read-only: no version, no act, no state change, no payment; nothing reaches the store
    en_bucket = versiones_en_bucket()
    auto = AdjuntoVersion.objects.get(adjunto__titulo="Auto de pago firmado").adjunto
    intentos = [
        lambda: adjunto_version_crear(adjunto=auto, flujo=_pdf("Otra", 1), nombre="otra.pdf", usuario=jefe),
        lambda: actuacion_registrar(expediente=expediente, tipo=TipoActuacion.PROVIDENCIA, fecha=date(2025, 4, 3),
                                    usuario=jefe),
        lambda: expediente_transicion(expediente=expediente, hasta=Estado.ARCHIVADO, usuario=jefe, motivo="Archivo"),
        lambda: pago_registrar(expediente=expediente, fecha=date(2025, 4, 3), monto=Decimal("1.00"),
                               origen="voluntario", recibo="R-TARDE", usuario=jefe),
    ]
    for intento in intentos:
        with pytest.raises(ValidationError) as error:
            intento()
        assert SOLO_LECTURA in " ".join(error.value.messages)
    assert versiones_en_bucket() == en_bucket
    assert Pago.objects.filter(recibo="R-TARDE").count() == 0 and expediente.transiciones.count() == 1

    # reopening: the reason is required; then logged, and the expediente takes acts again
    with pytest.raises(ValidationError) as error:
        expediente_reabrir(expediente=expediente, usuario=jefe, motivo="  ")
    assert error.value.message_dict == {"motivo": ["Indique el motivo de la reapertura."]}
    with pytest.raises(ValidationError):
        expediente_reabrir(expediente=expediente, usuario=usuarios["secretaria"], motivo="Falta un escrito")
    expediente_reabrir(expediente=expediente, usuario=jefe, motivo="Se incorpora el escrito del coactivado")
    expediente.refresh_from_db()
    cierre.refresh_from_db()
    assert expediente.archivo_fase == FaseArchivo.TRAMITE and cierre_vigente(expediente) is None
    assert (cierre.vigente, cierre.reabierto_por, cierre.reapertura_autorizada_por) == (False, jefe, jefe)
    assert cierre.reapertura_motivo == "Se incorpora el escrito del coactivado"
    entrada = RegistroCustodia.objects.get(accion=RegistroCustodia.Accion.REAPERTURA, expediente=expediente)
    assert entrada.datos["motivo"] == "Se incorpora el escrito del coactivado"
    escrito = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.ESCRITO, fecha=date(2025, 4, 3),
                                  usuario=usuarios["secretaria"])
    adjunto_crear(actuacion=escrito, titulo="Escrito", flujo=_pdf("Escrito", 1), nombre="escrito.pdf",
                  usuario=usuarios["secretaria"])

    # closed again: cierre n.º 2, one folio more; the first cierre's copies are not foliated again
    segundo = expediente_cerrar(expediente=expediente, usuario=usuarios["secretaria"], fecha=date(2025, 4, 4))
    assert segundo.numero == 2 and segundo.vigente and segundo.soporte == Soporte.HIBRIDO
    assert segundo.folios == cierre.folios + 1 and segundo.fecha_final == date(2025, 4, 3)
    assert [f["titulo"] for f in segundo.manifiesto][-1] == "Escrito"
    assert Cierre.objects.filter(expediente=expediente).count() == 2


def test_solo_desde_un_estado_final_y_sin_dejar_nada(con_archivos, usuarios, versiones_en_bucket):
    expediente = con_archivos
    antes = versiones_en_bucket()
    with pytest.raises(ValidationError) as error:
        expediente_cerrar(expediente=expediente, usuario=usuarios["jefe"])
    assert "está en «Iniciado»: solo se cierra un expediente terminado" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:  # no permission to close
        expediente_cerrar(expediente=expediente, usuario=usuarios["abogado"])
    assert not Cierre.objects.exists()
    assert not ActuacionPage.objects.filter(tipo=TipoActuacion.CIERRE).exists()
    assert versiones_en_bucket() == antes
    expediente.refresh_from_db()
    assert expediente.archivo_fase == FaseArchivo.TRAMITE


def test_un_fallo_al_registrar_no_deja_filas_ni_objetos(con_archivos, usuarios, tasa, versiones_en_bucket,
                                                         monkeypatch):
    """The four files are stored by nested custodiar calls: a failure in the last step
    removes every one of them and rolls back every row."""
    import archivo.services.cierre as servicio

    expediente = con_archivos
    _pagar(expediente, usuarios["secretaria"])
    antes = versiones_en_bucket()
    actuaciones = ActuacionPage.objects.count()

    def falla(**kwargs):
        raise RuntimeError("registro no disponible")

    monkeypatch.setattr(servicio, "registro_anotar", falla)
    with pytest.raises(RuntimeError):
        expediente_cerrar(expediente=expediente, usuario=usuarios["jefe"])
    assert not Cierre.objects.exists() and ActuacionPage.objects.count() == actuaciones
    assert versiones_en_bucket() == antes
    expediente.refresh_from_db()
    assert expediente.archivo_fase == FaseArchivo.TRAMITE


def _proceso(client, expediente) -> str:
    return client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()


def test_pantallas_cerrar_reabrir_y_editor_de_wagtail(client, expediente, actuacion, usuarios, tasa, pdf):
    adjunto_crear(actuacion=actuacion, titulo="Auto de pago firmado", flujo=pdf(), nombre="auto.pdf",
                  usuario=usuarios["secretaria"])
    client.force_login(usuarios["jefe"])
    assert "Cerrar expediente" not in _proceso(client, expediente)  # not finished yet
    _pagar(expediente, usuarios["secretaria"])
    pantalla = _proceso(client, expediente)
    assert "Cerrar expediente" in pantalla and reverse("archivo_cierre_cerrar", args=[expediente.pk]) in pantalla
    # an abogado who sees the file is not offered it, and is refused
    client.force_login(usuarios["abogado"])
    assert "Cerrar expediente" not in _proceso(client, expediente)
    client.post(reverse("archivo_cierre_cerrar", args=[expediente.pk]), {"cierre-soporte": "papel"})
    assert not Cierre.objects.exists()
    # someone who may not see it gets a 404
    client.force_login(usuarios["asesoria"])
    assert client.post(reverse("archivo_cierre_cerrar", args=[expediente.pk]),
                       {"cierre-soporte": "papel"}).status_code == 404

    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("archivo_cierre_cerrar", args=[expediente.pk]), {"cierre-soporte": "papel"})
    assert respuesta.status_code == 302
    cierre = Cierre.objects.get()
    pantalla = _proceso(client, expediente)
    assert f"Expediente cerrado el {cierre.fecha:%d/%m/%Y} — {cierre.folios} folios — solo lectura" in pantalla
    for version in AdjuntoVersion.objects.filter(adjunto__actuacion=cierre.actuacion):
        assert reverse("adjunto_descargar", args=[version.uuid]) in pantalla
        assert client.get(reverse("adjunto_descargar", args=[version.uuid])).status_code == 200
    # no action of any kind on a read-only file; the secretaría may not reopen
    assert "Registrar pago" not in pantalla and "Cambiar estado" not in pantalla
    assert not [a for a in ACCIONES if reverse("expedientes_proceso_accion", args=[expediente.pk, a]) in pantalla]
    assert "Reabrir" not in pantalla
    assert 'enctype="multipart/form-data"' not in client.get(
        reverse("expedientes_adjuntos", args=[actuacion.pk])).content.decode()

    # Wagtail's editor refuses the expediente and its actuaciones, even to a superuser
    superusuario = UsuarioFactory(username="raiz", is_superuser=True, is_staff=True)
    client.force_login(superusuario)
    pantalla = _proceso(client, expediente)
    assert "Registrar pago" not in pantalla and "Cambiar estado" not in pantalla
    for pagina in (expediente, actuacion):
        url = reverse("wagtailadmin_pages:edit", args=[pagina.pk])
        assert client.get(url).status_code in (302, 403)
        assert client.post(url, {"title": "cambiado", "action-publish": "action-publish"}).status_code in (302, 403)
    actuacion.refresh_from_db()
    assert actuacion.title != "cambiado"
    assert client.get(reverse("wagtailadmin_pages:add_subpage", args=[expediente.pk])).status_code in (302, 403)

    # the jefe reopens, with a reason
    client.force_login(usuarios["jefe"])
    pantalla = _proceso(client, expediente)
    assert "Reabrir" in pantalla
    client.post(reverse("archivo_cierre_reabrir", args=[expediente.pk]), {"reapertura-motivo": ""})
    expediente.refresh_from_db()
    assert expediente.archivo_fase == FaseArchivo.CERRADO
    respuesta = client.post(reverse("archivo_cierre_reabrir", args=[expediente.pk]),
                            {"reapertura-motivo": "Error en la foliación del papel"}, follow=True)
    assert "Expediente reabierto" in respuesta.content.decode()
    expediente.refresh_from_db()
    assert expediente.archivo_fase == FaseArchivo.TRAMITE
    assert re.search(r"Cerrar expediente", _proceso(client, expediente))


@pytest.mark.parametrize("fase, motivo", [(FaseArchivo.CENTRAL, "transferido al Archivo Central"),
                                          (FaseArchivo.ELIMINADO, "eliminado por baja documental"),
                                          (FaseArchivo.TRAMITE, "no está cerrado")])
def test_solo_se_reabre_un_expediente_cerrado(expediente, usuarios, fase, motivo):
    from expedientes.models import ExpedientePage

    ExpedientePage.objects.filter(pk=expediente.pk).update(archivo_fase=fase)
    with pytest.raises(ValidationError) as error:
        expediente_reabrir(expediente=expediente, usuario=usuarios["jefe"], motivo="Revisión")
    assert motivo in error.value.messages[0]
    expediente.refresh_from_db()
    assert expediente.archivo_fase == fase
    assert not RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.REAPERTURA).exists()
