"""The antivirus path fails closed: a clamd that is stopped, silent or unreachable means
the upload is refused and nothing is stored."""

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from expedientes.custodia import ArchivoRechazado
from expedientes.models import AdjuntoVersion
from expedientes.services.adjuntos import adjunto_crear

pytestmark = pytest.mark.servicios


def _subir(actuacion, usuario, flujo):
    return adjunto_crear(actuacion=actuacion, titulo="Escrito", flujo=flujo, nombre="escrito.pdf", usuario=usuario)


@pytest.fixture
def clamd_propio(limites):
    """A clamd of our own on a Unix socket, so the test can stop it without touching the
    one the rest of the suite uses."""
    binario = os.environ.get("CLAMD_BIN") or shutil.which("clamd") or "/usr/sbin/clamd"
    firmas = os.environ.get("CLAMAV_FIRMAS_DIR") or str(Path(__file__).parents[2] / "scripts" / "clamav")
    if not Path(binario).exists():
        pytest.fail("clamd no está instalado: scripts/test.sh lo instala (clamav-daemon)")
    directorio = Path(tempfile.mkdtemp(prefix="clamd-prueba-"))
    sock = directorio / "clamd.sock"
    (directorio / "clamd.conf").write_text(
        f"Foreground yes\nLogFile {directorio}/clamd.log\nDatabaseDirectory {firmas}\n"
        f"LocalSocket {sock}\nStreamMaxLength 100M\nMaxFileSize 200M\nMaxScanSize 400M\n"
        "AlertExceedsMax yes\nSelfCheck 0\n"
    )
    proceso = subprocess.Popen([binario, "-c", str(directorio / "clamd.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    limite = time.monotonic() + 60
    while not sock.exists():
        if time.monotonic() > limite or proceso.poll() is not None:
            proceso.kill()
            pytest.fail(f"clamd de prueba no arrancó: {(directorio / 'clamd.log').read_text()[-500:]}")
        time.sleep(0.1)
    limites(CLAMD_SOCKET=str(sock), CLAMD_TIMEOUT=10)
    yield proceso
    if proceso.poll() is None:
        proceso.kill()
    proceso.wait()
    shutil.rmtree(directorio, ignore_errors=True)


def test_clamd_detenido_rechaza_la_subida(actuacion, usuarios, pdf, clamd_propio, versiones_en_bucket):
    secretaria = usuarios["secretaria"]
    assert _subir(actuacion, secretaria, pdf()).antivirus_resultado == "OK"  # it works while up

    clamd_propio.terminate()
    clamd_propio.wait(timeout=30)
    antes, filas = versiones_en_bucket(), AdjuntoVersion.objects.count()
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, secretaria, pdf())
    assert rechazo.value.codigo == "antivirus_no_disponible"
    assert "No se pudo verificar el archivo con el antivirus" in rechazo.value.mensaje
    assert versiones_en_bucket() == antes and AdjuntoVersion.objects.count() == filas


def test_clamd_inalcanzable_rechaza_la_subida(actuacion, usuarios, pdf, limites, versiones_en_bucket):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto_libre = s.getsockname()[1]
    limites(CLAMD_SOCKET="", CLAMD_HOST="127.0.0.1", CLAMD_PORT=puerto_libre)
    antes = versiones_en_bucket()
    with pytest.raises(ArchivoRechazado) as rechazo:
        _subir(actuacion, usuarios["secretaria"], pdf())
    assert rechazo.value.codigo == "antivirus_no_disponible"
    assert versiones_en_bucket() == antes and not AdjuntoVersion.objects.exists()


def test_clamd_que_no_responde_agota_el_tiempo_y_rechaza(actuacion, usuarios, pdf, limites, versiones_en_bucket):
    """A server that accepts the connection and never answers: the scan times out."""
    servidor = socket.socket()
    servidor.bind(("127.0.0.1", 0))
    servidor.listen()
    conexiones = []
    hilo = threading.Thread(target=lambda: conexiones.append(servidor.accept()), daemon=True)
    hilo.start()
    limites(CLAMD_SOCKET="", CLAMD_HOST="127.0.0.1", CLAMD_PORT=servidor.getsockname()[1], CLAMD_TIMEOUT=0.5)
    antes = versiones_en_bucket()
    try:
        with pytest.raises(ArchivoRechazado) as rechazo:
            _subir(actuacion, usuarios["secretaria"], pdf())
    finally:
        servidor.close()
        for conexion, _ in conexiones:
            conexion.close()
    assert rechazo.value.codigo == "antivirus_no_disponible"
    assert versiones_en_bucket() == antes and not AdjuntoVersion.objects.exists()
