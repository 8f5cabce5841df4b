"""Reading the text of a file (issue 12), with no database and no store: the pure half of
expedientes/services/texto.py, which records what this returns.

- A born-digital PDF keeps its own text: pypdf's plain extraction, in content order, page by
  page; no OCR.
- A scan (a PDF page without text, or a JPEG/PNG/TIFF image) goes through OCRmyPDF with
  Debian's tesseract-ocr-spa; the text of each page is the OCR engine's own (OCRmyPDF's
  sidecar, one page per form feed) in reading order — not re-extracted from the searchable
  PDF, whose text layer a layout-mode extractor scrambles on skewed scans. A PDF mixing both
  keeps its own text on the pages that have it.

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
from dataclasses import dataclass, field
from importlib.metadata import version as paquete_version

from django.conf import settings

from expedientes.models import EstadoTexto, OrigenTexto

logger = logging.getLogger(__name__)

TIPOS_PDF = frozenset({"application/pdf"})
TIPOS_IMAGEN = frozenset({"image/jpeg", "image/png", "image/tiff"})
TIPOS = TIPOS_PDF | TIPOS_IMAGEN
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
