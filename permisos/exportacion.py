"""Exporting the custody log (CSV or XLSX), itself an entry of the log; `archivo_exportar` is
the one writer every export of the portal uses (the expedientes' listing too).

The file is written to a temporary file, row by row (openpyxl in write-only mode keeps no
rows in memory), then hashed; the export is logged with that SHA-256 and only then handed
to the browser. The entries exported stop at the last one that existed before the export's
own entry: the file says exactly what the log held, and its hash says which file it was."""

import csv
import hashlib
import io
import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .custodia import Accion, registro_anotar
from .models import RegistroCustodia

COLUMNAS = ("Secuencia", "Fecha y hora", "Usuario", "Acción", "Expediente", "Objeto", "Dirección IP",
            "SHA-256", "Datos", "Hash anterior", "Hash")
_CAMPOS = ("secuencia", "registrado_en", "usuario_nombre", "accion", "expediente__numero", "objeto", "ip",
           "sha256", "datos", "hash_anterior", "hash")
FORMATOS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# what else archivo_exportar writes through `escribir` (a report's PDF)
TIPOS = {**FORMATOS, "pdf": "application/pdf"}
_ETIQUETAS = dict(Accion.choices)


@dataclass
class Exportacion:
    archivo: "tempfile._TemporaryFileWrapper"
    nombre: str
    tipo: str
    registros: int
    sha256: str


def _filas(registros: QuerySet):
    """(local naive datetime, then text) per entry, oldest first, without model instances."""
    for fila in registros.order_by("secuencia").values_list(*_CAMPOS).iterator(chunk_size=2_000):
        secuencia, instante, usuario, accion, expediente, objeto, ip, sha256, datos, anterior, huella = fila
        yield (secuencia, timezone.localtime(instante).replace(tzinfo=None), usuario, str(_ETIQUETAS[accion]),
               expediente or "", objeto, ip or "", sha256,
               json.dumps(datos, ensure_ascii=False, sort_keys=True) if datos else "", anterior, huella)


# How a value is shown: dates as Ecuador writes them, amounts with two decimals.
_FORMATO_CELDA = ((datetime, "dd/mm/yyyy hh:mm:ss", "%d/%m/%Y %H:%M:%S"), (date, "dd/mm/yyyy", "%d/%m/%Y"),
                  (Decimal, "#,##0.00", None))


def _csv(columnas, filas, destino, hoja) -> int:
    texto = io.TextIOWrapper(destino, encoding="utf-8-sig", newline="")  # BOM: Excel reads the accents
    escritor = csv.writer(texto)
    escritor.writerow(columnas)
    n = 0
    for n, fila in enumerate(filas, start=1):
        escritor.writerow([_texto_csv(valor) for valor in fila])
    texto.flush()
    texto.detach()
    return n


def _texto_csv(valor):
    for tipo, _excel, formato in _FORMATO_CELDA:
        if isinstance(valor, tipo) and formato:
            return valor.strftime(formato)
    return valor


@dataclass
class Hoja:
    """A sheet of a workbook: `columnas` (the bold header row, may be empty) then `filas`
    (an iterable of rows, consumed once, or a function of the written sheet that returns
    them: a ready `celda(sheet, ...)` needs it). A cell may be a value (typed by
    _FORMATO_CELDA) or a ready cell. `anchos`: column widths in characters, left to right."""

    nombre: str
    filas: Iterable
    columnas: tuple | list = ()
    anchos: list[int] = field(default_factory=list)


def libro_escribir(hojas: list[Hoja], destino) -> list[int]:
    """Write the sheets in write-only mode (openpyxl keeps no rows in memory: a sheet of
    100,000 rows costs what one row costs). Returns the number of rows of each sheet."""
    libro = Workbook(write_only=True)
    cuentas = []
    for hoja in hojas:
        escrita = libro.create_sheet(hoja.nombre[:31])  # Excel's limit for a sheet name
        for i, ancho in enumerate(hoja.anchos):
            escrita.column_dimensions[get_column_letter(i + 1)].width = ancho
        if hoja.columnas:
            escrita.append([celda(escrita, titulo, negrita=True) for titulo in hoja.columnas])
        filas = hoja.filas(escrita) if callable(hoja.filas) else hoja.filas
        n = 0
        for n, fila in enumerate(filas, start=1):
            escrita.append([_celda_xlsx(escrita, valor) for valor in fila])
        cuentas.append(n)
    libro.save(destino)
    return cuentas


def _xlsx(columnas, filas, destino, hoja) -> int:
    return libro_escribir([Hoja(hoja, filas, columnas)], destino)[0]


def celda(hoja, valor, *, formato: str | None = None, negrita: bool = False):
    """A cell with its number format (`formato`, else the one of its type) and weight."""
    if isinstance(valor, datetime) and valor.tzinfo is not None:
        valor = timezone.localtime(valor).replace(tzinfo=None)  # Excel has no time zones
    escrita = WriteOnlyCell(hoja, value=valor)
    if formato is None:
        formato = next((f for tipo, f, _csv in _FORMATO_CELDA if isinstance(valor, tipo)), None)
    if formato:
        escrita.number_format = formato
    if negrita:
        escrita.font = Font(bold=True)
    return escrita


def _celda_xlsx(hoja, valor):
    if isinstance(valor, (date, Decimal)):  # datetime is a date
        return celda(hoja, valor)
    return valor


def archivo_exportar(*, formato: str, nombre: str, anotar, columnas=(), filas=(), hoja: str = "",
                     escribir: Callable | None = None) -> Exportacion:
    """Write `filas` (an iterable of tuples, consumed once) as CSV or XLSX to a temporary file,
    hash it, then call anotar(registros, sha256) to log the export (inside it, in the
    caller's transaction). Returns the file positioned at its start. Every export of the
    portal goes through here, so each one is written, hashed and logged the same way.
    `escribir(destino) -> registros` writes any other file instead (a workbook of several
    sheets with libro_escribir, a PDF's bytes)."""
    if escribir is None:
        def escribir(destino):
            return {"csv": _csv, "xlsx": _xlsx}[formato](columnas, filas, destino, hoja)
    archivo = tempfile.NamedTemporaryFile(prefix="exportacion-", suffix=f".{formato}")
    try:
        n = escribir(archivo.file)
        archivo.flush()
        archivo.seek(0)
        huella = hashlib.file_digest(archivo, "sha256").hexdigest()
        archivo.seek(0)
        anotar(n, huella)
    except BaseException:
        archivo.close()
        raise
    ahora = timezone.localtime()
    return Exportacion(archivo=archivo, nombre=f"{nombre}-{ahora:%Y%m%d-%H%M%S}.{formato}",
                       tipo=TIPOS[formato], registros=n, sha256=huella)


def custodia_exportar(*, registros: QuerySet, formato: str, usuario, filtros: dict, expediente=None,
                      request=None) -> Exportacion:
    """Write the entries of `registros` (a filtered queryset of the log) as CSV or XLSX and
    log the export. Returns the temporary file, positioned at its start."""
    tope = RegistroCustodia.objects.order_by("-secuencia").values_list("secuencia", flat=True).first() or 0

    def anotar(n, huella):
        registro_anotar(
            accion=Accion.EXPORTACION, usuario=usuario, request=request, expediente=expediente,
            objeto=f"Registro de custodia, {formato.upper()}, {n} registros", sha256=huella,
            datos={"formato": formato, "filtros": filtros, "registros": n, "hasta_secuencia": tope},
        )

    return archivo_exportar(columnas=COLUMNAS, filas=_filas(registros.filter(secuencia__lte=tope)),
                            formato=formato, hoja="Registro de custodia", nombre="registro-custodia",
                            anotar=anotar)
