"""Exporting the custody log (CSV or XLSX), itself an entry of the log; `archivo_exportar` is
the one writer every export of the portal uses (the expedientes' listing too).

The file is written to a temporary file, row by row (XlsxWriter in constant-memory mode keeps
no rows in memory), then hashed; the export is logged with that SHA-256 and only then handed
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
import xlsxwriter

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
    if isinstance(valor, str) and valor[:1] in _INICIO_DE_FORMULA and not valor[1:2].isdigit():
        return "'" + valor  # a spreadsheet would run "=…" as a formula (OWASP: CSV injection)
    return valor


_INICIO_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Hoja:
    """A sheet of a workbook: `columnas` (the bold header row, may be empty) then `filas`
    (an iterable of rows, consumed once). A cell may be a value (typed by _FORMATO_CELDA) or
    a `celda(...)` with its own format. `anchos`: column widths in characters, left to right."""

    nombre: str
    filas: Iterable
    columnas: tuple | list = ()
    anchos: list[int] = field(default_factory=list)


def libro_escribir(hojas: list[Hoja], destino) -> list[int]:
    """Write the sheets with XlsxWriter in constant-memory mode: each row goes to disk as it
    is written, so a sheet of 100,000 rows costs what one row costs. XlsxWriter rather than
    openpyxl's write-only mode: about three times faster on the matrix of 100,000 expedientes
    (benchmarks/reports.py), one Format object per style instead of a style per cell, and a
    text is always written as text (openpyxl turns "=…" into a formula: a debtor's name must
    never run in the reader's Excel). Returns the number of rows of each sheet."""
    libro = xlsxwriter.Workbook(destino, {"constant_memory": True})
    formatos: dict[tuple, object] = {}

    def formato_de(numero: str | None, negrita: bool):
        clave = (numero, negrita)
        if clave not in formatos:
            formatos[clave] = libro.add_format({**({"num_format": numero} if numero else {}),
                                                **({"bold": True} if negrita else {})})
        return formatos[clave]

    def escribir(hoja, fila: int, columna: int, valor) -> None:
        numero, negrita = None, False
        if isinstance(valor, Celda):
            valor, numero, negrita = valor.valor, valor.formato, valor.negrita
        if valor is None:
            if negrita:
                hoja.write_blank(fila, columna, None, formato_de(None, True))
            return
        if isinstance(valor, datetime) and valor.tzinfo is not None:
            valor = timezone.localtime(valor).replace(tzinfo=None)  # Excel has no time zones
        if numero is None:
            numero = next((f for tipo, f, _csv in _FORMATO_CELDA if isinstance(valor, tipo)), None)
        estilo = formato_de(numero, negrita) if (numero or negrita) else None
        if isinstance(valor, bool):
            hoja.write_boolean(fila, columna, valor, estilo)
        elif isinstance(valor, (int, float, Decimal)):
            hoja.write_number(fila, columna, valor, estilo)
        elif isinstance(valor, date):  # datetime is a date
            hoja.write_datetime(fila, columna, valor, estilo)
        else:
            hoja.write_string(fila, columna, str(valor), estilo)

    cuentas = []
    for hoja in hojas:
        escrita = libro.add_worksheet(hoja.nombre[:31])  # Excel's limit for a sheet name
        for i, ancho in enumerate(hoja.anchos):
            escrita.set_column(i, i, ancho)
        fila_actual = 0
        if hoja.columnas:
            for c, titulo in enumerate(hoja.columnas):
                escribir(escrita, 0, c, Celda(titulo, negrita=True))
            fila_actual = 1
        n = 0
        for n, fila in enumerate(hoja.filas, start=1):
            for c, valor in enumerate(fila):
                escribir(escrita, fila_actual, c, valor)
            fila_actual += 1
        cuentas.append(n)
    libro.close()
    return cuentas


def _xlsx(columnas, filas, destino, hoja) -> int:
    return libro_escribir([Hoja(hoja, filas, columnas)], destino)[0]


@dataclass(frozen=True)
class Celda:
    """A value with its number format (else the one of its type, _FORMATO_CELDA) and weight."""

    valor: object
    formato: str | None = None
    negrita: bool = False


def celda(valor, *, formato: str | None = None, negrita: bool = False) -> Celda:
    return Celda(valor, formato, negrita)


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
