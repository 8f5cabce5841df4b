"""Issue 7, point 12: documents cannot fetch. The templates are edited by users and
WeasyPrint follows images, stylesheets, @import, fonts and attachments; only the portal's
own static assets, read from disk, may enter a PDF."""

import io
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from expedientes.custodia import almacen
from expedientes.documentos import BASE_URL, _estatico_ruta, documento_pdf
from expedientes.models import ClaveDocumento, PlantillaDocumento
from expedientes.services.documentos import documento_generar

pytestmark = pytest.mark.servicios

AVATAR = "wagtailadmin/images/default-user-avatar.png"  # a static asset of an installed app


@pytest.fixture
def servidor_interno():
    """An "internal" http service on 127.0.0.1 that counts every request it gets and would
    answer with a stylesheet that writes into the document."""
    peticiones = []

    class Manejador(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            peticiones.append(self.path)
            cuerpo = b'body::after { content: "INYECTADO-DESDE-LA-RED"; }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(cuerpo)))
            self.end_headers()
            self.wfile.write(cuerpo)

        def log_message(self, *args):
            pass

    servidor = ThreadingHTTPServer(("127.0.0.1", 0), Manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{servidor.server_address[1]}", peticiones
    servidor.shutdown()
    servidor.server_close()


def _pdf(version):
    return almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3)).read()


def _adjuntos_incrustados(lector: PdfReader) -> list:
    """Embedded files (<link rel="attachment">) and file-attachment annotations
    (<a rel="attachment">)."""
    encontrados = list(lector.attachments)
    for pagina in lector.pages:
        for anotacion in pagina.get("/Annots") or []:
            if anotacion.get_object().get("/Subtype") == "/FileAttachment":
                encontrados.append(anotacion.get_object().get("/FS"))
    return encontrados


def test_plantilla_no_puede_leer_archivos_ni_llamar_a_la_red(expediente, usuarios, servidor_interno):
    url, peticiones = servidor_interno
    with open("/etc/hostname", encoding="utf-8") as archivo:
        hostname = archivo.read().strip()
    cuerpo = f"""
<style>
  @import url("{url}/importado.css");
  @font-face {{ font-family: Remota; src: url("{url}/fuente.woff"); }}
  h2 {{ background-image: url("{url}/fondo.png"); font-family: Remota; }}
</style>
<link rel="stylesheet" href="{url}/estilo.css">
<link rel="attachment" href="file:///etc/hostname" title="hostname">
<h2>Documento de prueba</h2>
<p>Expediente {{{{ expediente.numero }}}}</p>
<img src="file:///etc/passwd" alt="">
<img src="{url}/logo.png" alt="">
<img src="/static/../../../../etc/passwd" alt="">
<img src="/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd" alt="">
<a rel="attachment" href="file:///etc/hostname">anexo</a>
<a rel="attachment" href="file:///etc/passwd">claves</a>
<a rel="attachment" href="{url}/anexo.txt">anexo remoto</a>
"""
    PlantillaDocumento.objects.filter(clave=ClaveDocumento.AUTO_PAGO).update(cuerpo=cuerpo)

    version = documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO,
                                usuario=usuarios["secretaria"], fecha=date(2025, 3, 14))

    contenido = _pdf(version)
    lector = PdfReader(io.BytesIO(contenido))
    texto = " ".join(pagina.extract_text() for pagina in lector.pages)
    assert expediente.numero in texto  # the document itself rendered
    assert peticiones == []  # the internal server saw no request at all
    assert _adjuntos_incrustados(lector) == []
    assert b"/EmbeddedFile" not in contenido and b"/FileAttachment" not in contenido
    assert "INYECTADO-DESDE-LA-RED" not in texto
    assert "root:" not in texto and b"root:x:0:0" not in contenido
    assert not hostname or hostname not in texto


def _imagenes(lector: PdfReader) -> int:
    total = 0
    for pagina in lector.pages:
        objetos = pagina["/Resources"].get("/XObject") or {}
        total += sum(1 for o in objetos.values() if o.get_object().get("/Subtype") == "/Image")
    return total


def test_los_recursos_estaticos_del_portal_siguen_cargando(juzgado, settings):
    assert _estatico_ruta(f"{BASE_URL}static/{AVATAR}")  # it is there to be found
    con = documento_pdf(f'<p>Con logo</p><img src="/static/{AVATAR}" alt="logo">', {})
    sin = documento_pdf('<p>Sin logo</p>', {})
    assert _imagenes(PdfReader(io.BytesIO(con))) == 1
    assert _imagenes(PdfReader(io.BytesIO(sin))) == 0

    # An absolute STATIC_URL (a CDN in front of the portal) is still read from disk.
    settings.STATIC_URL = "https://cdn.ejemplo.invalid/estaticos/"
    assert _estatico_ruta(f"https://cdn.ejemplo.invalid/estaticos/{AVATAR}")
    con = documento_pdf(f'<img src="https://cdn.ejemplo.invalid/estaticos/{AVATAR}" alt="">', {})
    assert _imagenes(PdfReader(io.BytesIO(con))) == 1


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:8333/",
    f"{BASE_URL}static/../../etc/passwd",
    f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
    f"{BASE_URL}static/%2Fetc%2Fpasswd",
    f"{BASE_URL}static//etc/passwd",
    f"{BASE_URL}static/",
    f"{BASE_URL}media/{AVATAR}",
    f"https://otro.invalid/static/{AVATAR}",
    f"http://portal-coactivas.invalid/static/{AVATAR}",
])
def test_solo_rutas_estaticas_exactas(url):
    assert _estatico_ruta(url) is None
