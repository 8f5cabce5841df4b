"""The custody pipeline through the real clamd, S3 store and PostgreSQL."""

import hashlib
import io
import tracemalloc

import pytest

from wagtail.models import PageLogEntry

from expedientes.custodia import ArchivoRechazado
from expedientes.models import Adjunto, AdjuntoVersion
from expedientes.services.adjuntos import adjunto_crear, adjunto_version_crear
from permisos import auditoria
from tests.factories import FlujoPDF

pytestmark = pytest.mark.servicios


def _subir(actuacion, usuario, flujo, nombre="documento.pdf", titulo="Auto de pago firmado"):
    return adjunto_crear(actuacion=actuacion, titulo=titulo, flujo=flujo, nombre=nombre, usuario=usuario)


def test_dos_subidas_dos_versiones_descargables_con_su_huella(actuacion, usuarios, pdf, client, versiones_en_bucket):
    secretaria = usuarios["secretaria"]
    primero, segundo = pdf("primera"), pdf("segunda")
    v1 = _subir(actuacion, secretaria, primero, nombre="auto.pdf")
    v2 = adjunto_version_crear(adjunto=v1.adjunto, flujo=segundo, nombre="auto corregido.pdf", usuario=secretaria)

    assert (v1.numero, v2.numero) == (1, 2)
    assert v1.adjunto_id == v2.adjunto_id
    assert v1.clave != v2.clave and v1.version_s3 and v2.version_s3
    assert {(v1.clave, v1.version_s3), (v2.clave, v2.version_s3)} <= versiones_en_bucket()
    assert v1.tipo_mime == "application/pdf" and v1.antivirus_resultado == "OK"
    assert "ClamAV" in v1.antivirus_motor
    assert v2.nombre_original == "auto corregido.pdf" and v2.subido_por == secretaria
    registro = PageLogEntry.objects.filter(action=auditoria.VERSION_REGISTRADA).order_by("pk")
    assert [e.data["version"] for e in registro] == [1, 2]
    assert registro[1].data["sha256"] == v2.sha256 and registro[1].user == secretaria

    client.force_login(secretaria)
    for version, original in [(v1, primero), (v2, segundo)]:
        respuesta = client.get(f"/adjuntos/{version.uuid}/descargar/")
        assert respuesta.status_code == 200
        contenido = b"".join(respuesta.streaming_content)
        assert contenido == original.getvalue()
        assert hashlib.sha256(contenido).hexdigest() == version.sha256
    assert v1.sha256 != v2.sha256


@pytest.mark.parametrize(
    "contenido, nombre, codigo",
    [
        (b"", "vacio.pdf", "vacio"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode", "factura.pdf", "tipo_no_permitido"),
        (b"<html><script>alert(1)</script></html>", "nota.pdf", "tipo_no_permitido"),
        (b"PK\x03\x04" + b"\x00" * 100, "datos.zip", "tipo_no_permitido"),
    ],
    ids=["vacio", "ejecutable-renombrado", "html", "zip"],
)
def test_entradas_invalidas_se_rechazan_sin_dejar_nada(actuacion, usuarios, versiones_en_bucket, contenido, nombre, codigo):
    antes = versiones_en_bucket()
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios["secretaria"], io.BytesIO(contenido), nombre=nombre)
    assert rechazo.value.codigo == codigo
    assert nombre in rechazo.value.mensaje  # the message names the file, in Spanish
    assert not Adjunto.objects.exists() and not AdjuntoVersion.objects.exists()
    assert versiones_en_bucket() == antes


def test_pdf_con_nombre_de_ejecutable_se_rechaza(actuacion, usuarios, pdf):
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios["secretaria"], pdf(), nombre="instalador.exe")
    assert rechazo.value.codigo == "extension_no_coincide"
    assert "no corresponde a su contenido (PDF)" in rechazo.value.mensaje


def test_eicar_rechazado_sin_objeto_ni_fila(actuacion, usuarios, eicar, versiones_en_bucket):
    antes = versiones_en_bucket()
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios["secretaria"], eicar, nombre="eicar.pdf")
    # The bare EICAR file is plain text: the type check, which runs first, refuses it.
    assert rechazo.value.codigo == "tipo_no_permitido"
    assert versiones_en_bucket() == antes
    assert not AdjuntoVersion.objects.exists()


def test_eicar_dentro_de_un_pdf_lo_detecta_el_antivirus(actuacion, usuarios, versiones_en_bucket):
    from tests.conftest import EICAR

    contenido = b"%PDF-1.4\n% " + EICAR + b"\n%%EOF\n"
    antes = versiones_en_bucket()
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios["secretaria"], io.BytesIO(contenido), nombre="escrito.pdf")
    assert rechazo.value.codigo == "infectado"
    assert "El antivirus detectó una amenaza en «escrito.pdf»" in rechazo.value.mensaje
    assert "EICAR" in rechazo.value.mensaje
    assert versiones_en_bucket() == antes
    assert not Adjunto.objects.exists() and not AdjuntoVersion.objects.exists()


def test_archivo_mayor_al_limite_se_rechaza(actuacion, usuarios, pdf, limites, versiones_en_bucket):
    limites(TAMANO_MAXIMO=2000)
    antes = versiones_en_bucket()
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios["secretaria"], pdf(relleno=5000), nombre="grande.pdf")
    assert rechazo.value.codigo == "excede_tamano"
    assert "supera el tamaño máximo permitido" in rechazo.value.mensaje
    assert versiones_en_bucket() == antes and not AdjuntoVersion.objects.exists()


def test_flujo_sin_tamano_declarado_se_corta_al_superar_el_limite(actuacion, usuarios, limites):
    limites(TAMANO_MAXIMO=3 * 1024 * 1024)
    flujo = FlujoPDF(50 * 1024 * 1024)
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios["secretaria"], flujo)
    assert rechazo.value.codigo == "excede_tamano"
    assert flujo.entregados < 5 * 1024 * 1024  # stopped reading, did not swallow 50 MB


def test_archivo_sobre_el_limite_del_antivirus_no_se_envia_a_escanear(actuacion, usuarios, pdf, limites):
    # Over clamd's StreamMaxLength the file would come back unscanned: refused before.
    limites(ANTIVIRUS_LIMITE=1000)
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios["secretaria"], pdf(relleno=3000))
    assert rechazo.value.codigo == "excede_limite_antivirus"


def test_fallo_al_registrar_retira_el_objeto(actuacion, usuarios, pdf, versiones_en_bucket):
    """A failure after the S3 put (here: the row cannot be written) undoes the put."""
    from expedientes.custodia import custodiar

    antes = versiones_en_bucket()

    def registrar(custodiado):
        assert (custodiado.objeto.clave, custodiado.objeto.version_s3) in versiones_en_bucket()
        raise RuntimeError("caída simulada al escribir la fila")

    with pytest.raises(RuntimeError):
        custodiar(flujo=pdf(), nombre="x.pdf", registrar=registrar)
    assert versiones_en_bucket() == antes


def test_memoria_plana_con_archivo_grande(actuacion, usuarios):
    """64 MiB through the whole pipeline; Python's peak allocation stays a small constant
    (S3 part size × concurrency), not the file size."""
    tamano = 64 * 1024 * 1024
    tracemalloc.start()
    try:
        version = _subir(actuacion, usuarios["secretaria"], FlujoPDF(tamano))
        _, pico = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert version.tamano == tamano
    assert pico < tamano / 2, f"pico de memoria {pico / 2**20:.1f} MiB"
