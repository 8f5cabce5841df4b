"""stream in → size limit → type from the bytes → office container limits → macros →
clamd INSTREAM → SHA-256 → S3 put → database row, all or nothing.

The file is spooled once to a temporary file in fixed-size chunks (memory stays flat),
counting its size and SHA-256 on the way in; then each check runs on the spool; only a
file that passed every check reaches the store. Then, in one transaction: the object key
is reserved (reserva.py), the file is put, and the caller's `registrar` writes the row. If
anything there fails, the stored version is removed again. What can still be left is an
unreferenced object version — after a crash between the put and the commit, or when the
caller's enclosing transaction rolls back later — never a row without its object:
`manage.py custodia_conciliar` removes such orphans once their transaction is over."""

import hashlib
import io
import logging
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from typing import Callable, TypeVar

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from . import almacen, antivirus, ofimatica, reserva, tipos
from .errores import ArchivoRechazado

logger = logging.getLogger(__name__)

BLOQUE = 1024 * 1024
T = TypeVar("T")


@dataclass
class ArchivoEntrante:
    nombre: str
    spool: "tempfile._TemporaryFileWrapper"
    tamano: int = 0
    sha256: str = ""
    tipo_mime: str = ""
    veredicto: antivirus.Veredicto | None = None
    entradas: list | None = None  # central directory of an office ZIP container
    macros: bool = False
    permitidos: dict | None = None  # the allow-list of this call (tipos.PERMITIDOS if None)


@dataclass(frozen=True)
class ArchivoCustodiado:
    """What the pipeline hands to the caller's `registrar`: a stored, checked version."""

    objeto: almacen.ObjetoAlmacenado
    nombre: str
    tamano: int
    sha256: str
    tipo_mime: str
    antivirus_resultado: str
    antivirus_motor: str
    macros: bool = False  # stored although it carries macros (CUSTODIA["MACROS"] = "marcar")

    def campos(self) -> dict:
        """The custody fields of an AdjuntoVersion row."""
        return {
            "clave": self.objeto.clave,
            "version_s3": self.objeto.version_s3,
            "nombre_original": self.nombre,
            "tamano": self.tamano,
            "sha256": self.sha256,
            "tipo_mime": self.tipo_mime,
            "antivirus_resultado": self.antivirus_resultado,
            "antivirus_motor": self.antivirus_motor,
            "macros": self.macros,
        }


def nombre_limpiar(nombre: str | None) -> str:
    """The original name is kept as metadata only; still, no paths or control characters."""
    nombre = unicodedata.normalize("NFC", nombre or "")
    nombre = re.split(r"[\\/]", nombre)[-1]
    nombre = "".join(c for c in nombre if unicodedata.category(c)[0] != "C").strip(" .")
    if len(nombre) > 255:
        base, ext = os.path.splitext(nombre)
        nombre = base[: 255 - len(ext)] + ext
    return nombre or "archivo"


def _excede(nombre: str) -> ArchivoRechazado:
    limite = settings.CUSTODIA["TAMANO_MAXIMO"]
    return ArchivoRechazado(
        "excede_tamano",
        f"El archivo «{nombre}» supera el tamaño máximo permitido ({filesizeformat(limite)}).",
    )


def _recibir(entrante: ArchivoEntrante, flujo) -> None:
    """Copy the stream to the spool in fixed-size blocks, with size limit and SHA-256."""
    limite = settings.CUSTODIA["TAMANO_MAXIMO"]
    huella = hashlib.sha256()
    if hasattr(flujo, "seek") and getattr(flujo, "seekable", lambda: True)():
        flujo.seek(0)
    while bloque := flujo.read(BLOQUE):
        entrante.tamano += len(bloque)
        if entrante.tamano > limite:
            raise _excede(entrante.nombre)
        huella.update(bloque)
        entrante.spool.write(bloque)
    entrante.spool.flush()
    if entrante.tamano == 0:
        raise ArchivoRechazado("vacio", f"El archivo «{entrante.nombre}» está vacío.")
    entrante.sha256 = huella.hexdigest()


def _tipo(entrante: ArchivoEntrante) -> None:
    entrante.tipo_mime = tipos.tipo_verificar(entrante.spool.name, entrante.nombre, entrante.permitidos)


def _contenedor(entrante: ArchivoEntrante) -> None:
    if ofimatica.es_contenedor(entrante.tipo_mime):
        entrante.entradas = ofimatica.contenedor_verificar(
            entrante.spool.name, nombre=entrante.nombre, tamano=entrante.tamano
        )


def _macros(entrante: ArchivoEntrante) -> None:
    if ofimatica.macros_detectar(entrante.spool.name, tipo_mime=entrante.tipo_mime,
                                 nombre=entrante.nombre, entradas=entrante.entradas):
        entrante.macros = ofimatica.macros_decidir(nombre=entrante.nombre)


def _antivirus(entrante: ArchivoEntrante) -> None:
    entrante.veredicto = antivirus.escanear(
        entrante.spool, nombre=entrante.nombre, tamano=entrante.tamano
    )


# The checks, in order; each raises ArchivoRechazado to stop the chain.
PASOS = (_tipo, _contenedor, _macros, _antivirus)


def _almacenar(entrante: ArchivoEntrante, *, clave: str, reservada: bool) -> ArchivoCustodiado:
    try:
        objeto = almacen.guardar(
            entrante.spool.name, tamano=entrante.tamano, sha256=entrante.sha256,
            tipo_mime=entrante.tipo_mime, nombre=entrante.nombre, clave=clave,
            metadatos={reserva.METADATO: reserva.MARCA} if reservada else None,
        )
    except Exception as exc:
        logger.error("No se pudo guardar %s en el almacén: %r", entrante.nombre, exc)
        raise ArchivoRechazado(
            "almacen_no_disponible",
            f"No se pudo guardar «{entrante.nombre}» en el almacén de archivos. "
            "Nada quedó registrado; intente más tarde o avise al administrador.",
        ) from exc
    return ArchivoCustodiado(
        objeto=objeto, nombre=entrante.nombre, tamano=entrante.tamano,
        sha256=entrante.sha256, tipo_mime=entrante.tipo_mime,
        antivirus_resultado=entrante.veredicto.resultado,
        antivirus_motor=entrante.veredicto.motor, macros=entrante.macros,
    )


def _guardar_y_registrar(entrante: ArchivoEntrante, registrar: Callable[[ArchivoCustodiado], T]) -> T:
    clave = almacen.clave_nueva()
    custodiado = None
    try:
        with transaction.atomic():
            # Reserve the key before the put: the advisory lock lives until the transaction
            # really ends (ours, or the caller's enclosing one), and until then
            # custodia_conciliar leaves the object alone. It is not a row lock: no row lock
            # is taken before `registrar`, so none is held during the put (a caller's own
            # enclosing transaction may hold its own). The transaction is open during the
            # put only; the checks and the antivirus ran before it.
            reservada = reserva.reserva_tomar(clave)
            custodiado = _almacenar(entrante, clave=clave, reservada=reservada)
            return registrar(custodiado)
    except BaseException:
        # Anything raised by `registrar` or by the commit: the row is not there, so the
        # version must not be either.
        if custodiado is not None:
            try:
                almacen.eliminar(custodiado.objeto)
            except Exception:
                logger.exception(
                    "No se pudo retirar %s tras un fallo; custodia_conciliar lo encontrará",
                    custodiado.objeto.clave,
                )
        raise


def custodiar(*, flujo, nombre: str | None, registrar: Callable[[ArchivoCustodiado], T],
              permitidos: dict | None = None) -> T:
    """Take a file into custody and return what `registrar` (which writes the row) returns.
    Raises ArchivoRechazado with a Spanish message; then nothing was stored or recorded.
    Any exception from `registrar` removes the stored version and propagates. `permitidos`:
    another allow-list of types for a record the portal itself writes (tipos.PERMITIDOS,
    what users may upload, if None)."""
    nombre = nombre_limpiar(nombre or getattr(flujo, "name", None))
    declarado = getattr(flujo, "size", None)
    if declarado is not None and declarado > settings.CUSTODIA["TAMANO_MAXIMO"]:
        raise _excede(nombre)
    with tempfile.NamedTemporaryFile(
        prefix="custodia-", dir=settings.CUSTODIA["TEMP_DIR"]
    ) as spool:
        entrante = ArchivoEntrante(nombre=nombre, spool=spool, permitidos=permitidos)
        _recibir(entrante, flujo)
        for paso in PASOS:
            paso(entrante)
        return _guardar_y_registrar(entrante, registrar)


def custodiar_varios(archivos: list[tuple], registrar: Callable[[list[ArchivoCustodiado]], T],
                     _custodiados: tuple = ()) -> T:
    """Take several files into custody, all or nothing; `registrar(custodiados)` writes every
    row once all are stored. Each file is (bytes or a path, name[, permitidos]). custodiar
    takes one file per call, so the calls nest: each one's `registrar` takes the next file
    and the innermost writes the rows, in the outermost's transaction; an exception anywhere
    makes every level remove its own stored version as it propagates. (A failure of the final
    commit itself leaves the inner objects without rows: custodia_conciliar removes them, as
    for any custody write.) The inner files are checked inside the outer transaction: put the
    largest first."""
    if not archivos:
        return registrar(list(_custodiados))
    (fuente, nombre, *opciones), *resto = archivos
    flujo = io.BytesIO(fuente) if isinstance(fuente, bytes) else open(fuente, "rb")
    with flujo:
        return custodiar(flujo=flujo, nombre=nombre, permitidos=opciones[0] if opciones else None,
                         registrar=lambda custodiado: custodiar_varios(resto, registrar,
                                                                       (*_custodiados, custodiado)))
