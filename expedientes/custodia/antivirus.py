"""clamd INSTREAM through clamav-client (Artefactual's maintained fork of python-clamd,
used by Archivematica). Fails closed: any exception, timeout or unexpected answer means
«not scanned», and a file that is not scanned is refused (BACKENDS.md: fail-open traps)."""

import logging
from dataclasses import dataclass

from clamav_client.clamd import ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings

from .errores import ArchivoRechazado

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Veredicto:
    resultado: str  # "OK"
    motor: str  # e.g. "ClamAV 1.4.6/0/..." (engine and signature versions at scan time)


class _Bloques:
    """clamav-client reads the stream 1 KB at a time (a syscall pair per KB); the INSTREAM
    protocol prefixes each chunk with its own length, so larger reads are valid and about
    1.4× faster on 100 MB (benchmarks/upload.py)."""

    def __init__(self, archivo, tamano=1024 * 1024):
        self.archivo, self.tamano = archivo, tamano

    def read(self, _n=-1):
        return self.archivo.read(self.tamano)


def cliente():
    conf = settings.CUSTODIA
    if conf["CLAMD_SOCKET"]:
        return ClamdUnixSocket(path=conf["CLAMD_SOCKET"], timeout=conf["CLAMD_TIMEOUT"])
    return ClamdNetworkSocket(
        host=conf["CLAMD_HOST"], port=conf["CLAMD_PORT"], timeout=conf["CLAMD_TIMEOUT"]
    )


NO_DISPONIBLE = (
    "No se pudo verificar el archivo con el antivirus (servicio no disponible o sin "
    "respuesta). El archivo no se guardó; intente más tarde o avise al administrador."
)


def escanear(archivo, *, nombre: str, tamano: int) -> Veredicto:
    if tamano > settings.CUSTODIA["ANTIVIRUS_LIMITE"]:
        # clamd would truncate or skip what is over its limits and answer OK.
        raise ArchivoRechazado(
            "excede_limite_antivirus",
            f"El archivo «{nombre}» supera el tamaño que el antivirus puede analizar.",
        )
    clamd = cliente()
    try:
        motor = clamd.version()
        archivo.seek(0)
        respuesta = clamd.instream(_Bloques(archivo))
        estado, firma = respuesta["stream"]
    except Exception as exc:  # every failure is «not scanned»
        logger.warning("Antivirus no disponible para %s: %r", nombre, exc)
        raise ArchivoRechazado("antivirus_no_disponible", NO_DISPONIBLE) from exc
    if estado == "OK":
        return Veredicto(resultado="OK", motor=motor)
    logger.warning("Antivirus rechazó %s: %s %s", nombre, estado, firma)
    if estado == "FOUND" and firma and firma.startswith("Heuristics.Limits.Exceeded"):
        raise ArchivoRechazado(
            "excede_limite_antivirus",
            f"El archivo «{nombre}» supera los límites de análisis del antivirus y no se guardó.",
        )
    if estado == "FOUND":
        raise ArchivoRechazado(
            "infectado",
            f"El antivirus detectó una amenaza en «{nombre}» ({firma}). El archivo no se guardó.",
        )
    raise ArchivoRechazado("antivirus_no_disponible", NO_DISPONIBLE)
