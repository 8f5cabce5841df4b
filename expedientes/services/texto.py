"""The text of every page of a file version (issue 12), run in the background (expedientes/tasks.py
`version_texto`) and by `manage.py textos_extraer`.

- A born-digital PDF keeps its own text: pypdf's plain extraction, in content order, page by
  page; no OCR.
- A scan (a PDF page without text, or a JPEG/PNG/TIFF image) goes through OCRmyPDF with
  Debian's tesseract-ocr-spa: the searchable PDF it makes is taken into custody as the
  version's RendicionOCR (its own SHA-256; the original is never touched), and the text of each
  page is the OCR engine's own (OCRmyPDF's sidecar, one page per form feed) in reading order —
  not re-extracted from the new PDF, whose text layer a layout-mode extractor scrambles on
  skewed scans. A PDF mixing both keeps its own text on the pages that have it.

Order of the work: read the stored bytes (checked against their SHA-256), extract or OCR,
store the rendition — all with no lock held — and only then, in one short transaction under
the version's row lock, replace its pages, set paginas / texto_estado / texto_detalle and
append the custody-log entry (Accion.TEXTO). Running it twice replaces the pages: safe for
the queue's at-least-once delivery.

A file that cannot be read gets a Spanish reason in texto_detalle: FALLIDO for a password,
a damaged file, too many pages; SIN_TEXTO when the OCR finds no legible word. Those return
normally (the worker moves on). A passing failure (the store or the OCR engine unavailable)
is recorded as FALLIDO with the TEMPORAL prefix and raised again, for the queue's retry and
`textos_extraer` to try again.

OCRmyPDF runs as a child process (its command line, the same as `ocrmypdf -l spa`): it is not
meant to run twice at once in one process, a crash of tesseract or Ghostscript must not take
the worker down, and a stuck run can be killed with everything it started."""

import functools
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import version as paquete_version

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from expedientes.custodia import ArchivoCustodiado, almacen, custodiar
from expedientes.custodia.errores import ArchivoRechazado
from expedientes.models import AdjuntoVersion, EstadoTexto, OrigenTexto, PaginaTexto, RendicionOCR
from permisos.custodia import Accion, registro_anotar

from .foliado import version_descargar

logger = logging.getLogger(__name__)

TIPOS_PDF = frozenset({"application/pdf"})
TIPOS_IMAGEN = frozenset({"image/jpeg", "image/png", "image/tiff"})
TIPOS = TIPOS_PDF | TIPOS_IMAGEN
# texto_detalle of a passing failure: `textos_extraer` tries these versions again.
TEMPORAL = "Falla temporal: "
# the custody pipeline's refusals of the rendition that a later try may not meet
RECHAZOS_TEMPORALES = frozenset({"almacen_no_disponible", "antivirus_no_disponible"})
USUARIO = "textos"  # the custody log's name for this background work
# A page "has legible text" when it holds at least one word of three letters: tesseract
# answers a blank or noisy page with a few stray marks.
PALABRA = re.compile(r"[^\W\d_]{3,}")
OMITIDA = re.compile(r"^\s*\[OCR skipped on page[^\]]*\]\s*$")  # OCRmyPDF's sidecar for a page with text


class TextoFallido(Exception):
    """The file cannot be read, for good: `motivo` is shown to the user."""

    def __init__(self, motivo: str, estado: str = EstadoTexto.FALLIDO, paginas: int | None = None):
        super().__init__(motivo)
        self.motivo, self.estado, self.paginas = motivo, estado, paginas  # paginas: when known


class TextoTemporal(Exception):
    """A passing failure (store, OCR engine): the queue will try again."""


@dataclass
class Lectura:
    estado: str
    detalle: str
    paginas: list[tuple[str, str]] | None = None  # (text, origen) per page; None: keep the rows
    total: int | None = None  # the page count when known without the pages' text (a refusal)
    rendicion: str = ""  # path of the searchable PDF, when OCR ran and found text
    motor: str = ""
    datos: dict = field(default_factory=dict)


def _conf() -> dict:
    return {"IDIOMA": "spa", "PAGINAS_MAXIMAS": 2000, "PROCESOS": 0, "TIEMPO_PAGINA": 180,
            "SEGUNDOS_POR_PAGINA": 120, **getattr(settings, "TEXTO", {})}


@functools.lru_cache(maxsize=1)
def _tesseract_version() -> str:
    try:
        salida = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
        return (salida.stdout or salida.stderr).split()[1]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


@functools.lru_cache(maxsize=1)
def _ocrmypdf_version() -> str:
    return paquete_version("ocrmypdf")


def motor() -> str:
    return f"ocrmypdf {_ocrmypdf_version()}, tesseract {_tesseract_version()} ({_conf()['IDIOMA']})"


def legible(texto: str) -> bool:
    return PALABRA.search(texto or "") is not None


def _texto_limpiar(texto: str) -> str:
    # NUL cannot go into a PostgreSQL text column; the rest is kept as the engine gave it.
    return (texto or "").replace("\x00", "").strip()


# --- reading ---------------------------------------------------------------------------------

def _pdf_abrir(ruta: str):
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        lector = PdfReader(ruta)
        if lector.is_encrypted:
            # Owner-password-only PDFs (printing/copying restrictions) open with the empty
            # user password; a real password is not ours to guess.
            try:
                abierto = lector.decrypt("")
            except (FileNotDecryptedError, NotImplementedError, ValueError) as exc:
                raise TextoFallido("El PDF está cifrado y no se puede leer "
                                   f"({exc.__class__.__name__}).") from exc
            if not abierto:
                raise TextoFallido("El PDF está protegido con contraseña: no se puede leer su texto. "
                                   "Suba una copia sin contraseña si se necesita buscar en él.")
        paginas = len(lector.pages)
    except TextoFallido:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, AssertionError) as exc:
        raise TextoFallido("El PDF está dañado y no se puede leer "
                           f"({exc.__class__.__name__}: {str(exc)[:200]}).") from exc
    if paginas == 0:
        raise TextoFallido("El PDF no tiene páginas.")
    return lector, paginas


def _pagina_texto(pagina) -> str:
    try:
        # plain mode (pypdf's default): the content stream's order, no layout reconstruction
        return _texto_limpiar(pagina.extract_text())
    except Exception:  # one broken content stream: that page has no text of its own
        logger.warning("pypdf no pudo extraer el texto de una página", exc_info=True)
        return ""


def _limite_comprobar(sin_texto: int, total: int) -> None:
    maximo = _conf()["PAGINAS_MAXIMAS"]
    if sin_texto > maximo:
        raise TextoFallido(f"El documento tiene {sin_texto} páginas sin texto propio; el reconocimiento "
                           f"de texto (OCR) se hace hasta {maximo} páginas por archivo. Divídalo en "
                           "partes más pequeñas o pida al administrador que amplíe el límite.", paginas=total)


def _imagen_preparar(ruta: str, directorio: str) -> tuple[str, int, int | None]:
    """The image OCRmyPDF will take (flattened if it has transparency), its number of frames
    (pages of a TIFF) and the resolution to assume when it claims none."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(ruta) as imagen:
            marcos = getattr(imagen, "n_frames", 1)
            dpi = imagen.info.get("dpi")
            sin_dpi = not dpi or min(float(d) for d in dpi) < 50
            if imagen.mode in ("RGBA", "LA", "PA") or (imagen.mode == "P" and "transparency" in imagen.info):
                # img2pdf (inside OCRmyPDF) refuses an alpha channel: flatten on white
                plana = Image.new("RGB", imagen.size, "white")
                plana.paste(imagen.convert("RGBA"), mask=imagen.convert("RGBA").getchannel("A"))
                ruta = os.path.join(directorio, "plana.png")
                plana.save(ruta, dpi=dpi or (300, 300))
    except Image.DecompressionBombError as exc:
        raise TextoFallido("La imagen es demasiado grande para reconocer su texto "
                           f"({str(exc)[:200]}).") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise TextoFallido(f"La imagen está dañada y no se puede leer ({exc.__class__.__name__}).") from exc
    return ruta, marcos, 300 if sin_dpi else None


# OCRmyPDF's exit codes (ocrmypdf.ExitCode) that no retry will change.
_SALIDAS_DEFINITIVAS = {
    2: "el archivo no es un PDF o imagen válido, o está dañado",
    4: "no se pudo producir un PDF válido con el texto",
    8: "el PDF está protegido con contraseña",
    10: "no se pudo producir un PDF válido con el texto",
}


def _ocr_ejecutar(entrada: str, salida: str, lateral: str, *, paginas: int, dpi: int | None) -> None:
    conf = _conf()
    orden = [sys.executable, "-m", "ocrmypdf", "-l", conf["IDIOMA"], "--skip-text", "--sidecar", lateral,
             "--tesseract-timeout", str(conf["TIEMPO_PAGINA"]),
             # the rendition is a derived copy: a signature on the original stays on the original
             "--invalidate-digital-signatures", "--quiet"]
    if conf["PROCESOS"]:
        orden += ["--jobs", str(conf["PROCESOS"])]
    if dpi:
        orden += ["--image-dpi", str(dpi)]
    plazo = 120 + paginas * conf["SEGUNDOS_POR_PAGINA"]
    # its own session: killed with its tesseract/Ghostscript children on a timeout or interruption
    proceso = subprocess.Popen([*orden, entrada, salida], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, errores = proceso.communicate(timeout=plazo)
    except BaseException as exc:
        try:
            os.killpg(proceso.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proceso.wait()
        if isinstance(exc, subprocess.TimeoutExpired):
            raise TextoFallido(f"El reconocimiento de texto (OCR) superó el tiempo máximo "
                               f"({plazo // 60} min para {paginas} páginas).") from exc
        raise
    codigo = proceso.returncode
    if codigo == 0:
        return
    mensaje = errores.decode("utf-8", "replace").strip().splitlines()
    ultimo = mensaje[-1][:300] if mensaje else ""
    if codigo in _SALIDAS_DEFINITIVAS:
        raise TextoFallido(f"No se pudo reconocer el texto: {_SALIDAS_DEFINITIVAS[codigo]} ({ultimo}).")
    raise TextoTemporal(f"el motor de OCR terminó con el código {codigo} ({ultimo})")


def _ocr(entrada: str, directorio: str, *, paginas: int, dpi: int | None = None) -> tuple[str, list[str]]:
    """OCRmyPDF on `entrada`: the searchable PDF's path and the engine's text of each page."""
    if shutil.which("tesseract") is None:
        raise TextoTemporal("no está instalado tesseract-ocr (scripts/bootstrap.sh)")
    salida, lateral = os.path.join(directorio, "ocr.pdf"), os.path.join(directorio, "ocr.txt")
    _ocr_ejecutar(entrada, salida, lateral, paginas=paginas, dpi=dpi)
    with open(lateral, encoding="utf-8", errors="replace") as archivo:
        textos = archivo.read().split("\f")
    # a trailing form feed, or a page count OCRmyPDF saw differently: align on the pages
    textos = (textos + [""] * paginas)[:paginas]
    return salida, ["" if OMITIDA.match(t) else _texto_limpiar(t) for t in textos]


def _resultado_ocr(propios: list[str], ocr: list[str], salida: str) -> Lectura:
    paginas = [(p, OrigenTexto.NATIVO) if p else (o, OrigenTexto.OCR) for p, o in zip(propios, ocr)]
    reconocidas = sum(1 for p in propios if not p)
    con_texto = sum(1 for p, o in zip(propios, ocr) if not p and legible(o))
    datos = {"paginas_ocr": reconocidas, "paginas_ocr_con_texto": con_texto,
             "paginas_texto_propio": len(propios) - reconocidas}
    if not con_texto and not any(propios):
        return Lectura(EstadoTexto.SIN_TEXTO, "El reconocimiento de texto (OCR) no encontró texto legible "
                       f"en {'la página' if len(propios) == 1 else f'ninguna de las {len(propios)} páginas'}.",
                       paginas=paginas, motor=motor(), datos=datos)
    detalle = f"Texto reconocido (OCR) en {reconocidas} de {len(propios)} páginas"
    if reconocidas < len(propios):
        detalle += f"; {len(propios) - reconocidas} con texto propio del PDF"
    if con_texto < reconocidas:
        detalle += f"; {reconocidas - con_texto} sin texto legible"
    return Lectura(EstadoTexto.OCR, detalle + f" ({motor()}).", paginas=paginas, rendicion=salida,
                   motor=motor(), datos=datos)


def leer(ruta: str, tipo_mime: str, directorio: str) -> Lectura:
    """The text of the file at `ruta` (no database, no store): what to record."""
    if tipo_mime in TIPOS_IMAGEN:
        entrada, marcos, dpi = _imagen_preparar(ruta, directorio)
        _limite_comprobar(marcos, marcos)
        salida, ocr = _ocr(entrada, directorio, paginas=marcos, dpi=dpi)
        return _resultado_ocr([""] * marcos, ocr, salida)
    lector, paginas = _pdf_abrir(ruta)
    propios = [_pagina_texto(pagina) for pagina in lector.pages]
    if all(propios):
        return Lectura(EstadoTexto.NATIVO, f"Texto propio del PDF en sus {paginas} páginas (sin OCR).",
                       paginas=[(t, OrigenTexto.NATIVO) for t in propios],
                       datos={"paginas_texto_propio": paginas})
    _limite_comprobar(sum(1 for t in propios if not t), paginas)
    salida, ocr = _ocr(ruta, directorio, paginas=paginas)
    return _resultado_ocr(propios, ocr, salida)


# --- recording ------------------------------------------------------------------------------

def _expediente_id(version: AdjuntoVersion) -> int:
    return version.adjunto.actuacion.get_parent().pk


def _registrar(version_id: int, lectura: Lectura, custodiado: ArchivoCustodiado | None = None) -> AdjuntoVersion:
    """Under the version's row lock: the pages, the rendition's row, the status, the log entry."""
    with transaction.atomic():
        version = (AdjuntoVersion.objects.select_for_update(of=("self",))
                   .select_related("adjunto__actuacion").get(pk=version_id))
        expediente_id = _expediente_id(version)
        anterior = None
        if lectura.paginas is not None:
            PaginaTexto.objects.filter(version=version).delete()
            PaginaTexto.objects.bulk_create([
                PaginaTexto(version=version, expediente_id=expediente_id, numero=n, texto=texto, origen=origen)
                for n, (texto, origen) in enumerate(lectura.paginas, start=1)
            ], batch_size=500)
            version.paginas = len(lectura.paginas) or lectura.total or version.paginas
        rendicion = RendicionOCR.objects.filter(version=version).first()
        if custodiado is not None:
            if rendicion is None:
                rendicion = RendicionOCR(version=version)
            else:  # a re-run: the new rendition replaces the old one, whose object goes
                anterior = almacen.ObjetoAlmacenado(rendicion.clave, rendicion.version_s3)
            for nombre, valor in custodiado.campos().items():
                setattr(rendicion, nombre, valor)
            rendicion.motor = lectura.motor[:200]
            rendicion.full_clean(exclude=["version"])
            rendicion.save()
        version.texto_estado, version.texto_detalle = lectura.estado, lectura.detalle
        version.save(update_fields=["paginas", "texto_estado", "texto_detalle"])
        registro_anotar(
            accion=Accion.TEXTO, usuario_nombre=USUARIO, expediente=version.adjunto.actuacion.get_parent(),
            objeto=(f"Texto de «{version.adjunto.titulo}» v{version.numero} ({version.nombre_original}): "
                    f"{EstadoTexto(lectura.estado).label}"),
            sha256=custodiado.sha256 if custodiado else version.sha256,
            datos={"version_uuid": str(version.uuid), "sha256_original": version.sha256,
                   "estado": lectura.estado, "detalle": lectura.detalle, "paginas": version.paginas,
                   "rendicion_sha256": custodiado.sha256 if custodiado else "",
                   "motor": lectura.motor, **lectura.datos},
        )
        if anterior is not None:
            transaction.on_commit(functools.partial(_objeto_retirar, anterior))
    return version


def _objeto_retirar(objeto: almacen.ObjetoAlmacenado) -> None:
    try:
        almacen.eliminar(objeto)
    except Exception:  # under Object Lock, or the store away: custodia_conciliar reports it
        logger.warning("No se pudo retirar la rendición OCR anterior %s", objeto.clave, exc_info=True)


def _estado_fijar(version_id: int, estado: str, detalle: str) -> None:
    """A status with no pages and no log entry (en curso, no aplica)."""
    AdjuntoVersion.objects.filter(pk=version_id).update(texto_estado=estado, texto_detalle=detalle)


def version_texto_extraer(*, version_id: int) -> None:
    """Extract (or recognise) the text of every page of the version and record it. Returns
    normally for a file that cannot be read (its reason in texto_detalle); raises on a passing
    failure, after recording it, so that the queue tries again."""
    version = AdjuntoVersion.objects.select_related("adjunto__actuacion").get(pk=version_id)
    if version.tipo_mime not in TIPOS:
        _estado_fijar(version_id, EstadoTexto.NO_APLICA, "")
        return
    if version.destruida_en is not None:
        _registrar(version_id, Lectura(EstadoTexto.FALLIDO, "La versión fue eliminada por una baja documental: "
                                       "no queda archivo que leer.", paginas=[]))
        return
    _estado_fijar(version_id, EstadoTexto.EN_CURSO, "")
    with tempfile.TemporaryDirectory(prefix="texto-", dir=settings.CUSTODIA["TEMP_DIR"]) as directorio:
        try:
            original = os.path.join(directorio, "original")
            version_descargar(version, original, para="no se extrae su texto")
            lectura = leer(original, version.tipo_mime, directorio)
        except (TextoFallido, ValidationError) as fallo:
            motivo = fallo.motivo if isinstance(fallo, TextoFallido) else " ".join(fallo.messages)
            estado = fallo.estado if isinstance(fallo, TextoFallido) else EstadoTexto.FALLIDO
            _registrar(version_id, Lectura(estado, motivo, paginas=[],
                                           total=getattr(fallo, "paginas", None)))
            return
        except Exception as exc:
            _temporal_registrar(version_id, exc)
            raise
        if not lectura.rendicion:
            _registrar(version_id, lectura)
            return
        base = os.path.splitext(version.nombre_original)[0] or "documento"
        try:
            with open(lectura.rendicion, "rb") as flujo:
                custodiar(flujo=flujo, nombre=f"{base} (OCR).pdf",
                          registrar=lambda custodiado: _registrar(version_id, lectura, custodiado))
        except ArchivoRechazado as rechazo:
            if rechazo.codigo in RECHAZOS_TEMPORALES:
                _temporal_registrar(version_id, rechazo)
                raise
            # e.g. the OCR'd PDF over the size limit: keep the text, say why there is no PDF
            lectura.detalle += f" No se guardó el PDF con texto: {rechazo.mensaje}"
            lectura.rendicion = ""
            _registrar(version_id, lectura)


def _temporal_registrar(version_id: int, exc: Exception) -> None:
    logger.exception("Falla temporal al extraer el texto de la versión %s", version_id)
    motivo = str(exc) if isinstance(exc, TextoTemporal) else f"{exc.__class__.__name__}: {str(exc)[:300]}"
    try:
        _registrar(version_id, Lectura(EstadoTexto.FALLIDO, f"{TEMPORAL}{motivo}. Se volverá a intentar."))
    except Exception:  # the database itself is away: the queue's retry will record it
        logger.exception("No se pudo registrar la falla de la versión %s", version_id)


# --- the bulk run (manage.py textos_extraer) -------------------------------------------------

def versiones_por_leer(*, reanudar: bool = False):
    """The versions whose text is still to be read, in upload order: never read, or failed for
    a passing reason; with `reanudar`, also those left «en curso» by an interrupted run."""
    from django.db.models import Q

    estados = Q(texto_estado=EstadoTexto.PENDIENTE) | Q(texto_estado=EstadoTexto.FALLIDO,
                                                      texto_detalle__startswith=TEMPORAL)
    if reanudar:
        estados |= Q(texto_estado=EstadoTexto.EN_CURSO)
    return (AdjuntoVersion.objects.filter(estados, tipo_mime__in=TIPOS, destruida_en__isnull=True)
            .order_by("pk"))


def textos_no_aplicables_marcar() -> int:
    """Versions that are neither PDF nor image, still «pendiente» (stored before the queue read
    every new version): no text to read. Returns how many."""
    return (AdjuntoVersion.objects.filter(texto_estado=EstadoTexto.PENDIENTE).exclude(tipo_mime__in=TIPOS)
            .update(texto_estado=EstadoTexto.NO_APLICA))
