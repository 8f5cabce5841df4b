"""Exporting the custody log (CSV or XLSX), itself an entry of the log.

The file is written to a temporary file, row by row (openpyxl in write-only mode keeps no
rows in memory), then hashed; the export is logged with that SHA-256 and only then handed
to the browser. The entries exported stop at the last one that existed before the export's
own entry: the file says exactly what the log held, and its hash says which file it was."""

import csv
import hashlib
import io
import json
import tempfile
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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


def _csv(registros, destino) -> int:
    texto = io.TextIOWrapper(destino, encoding="utf-8-sig", newline="")  # BOM: Excel reads the accents
    escritor = csv.writer(texto)
    escritor.writerow(COLUMNAS)
    n = 0
    for n, fila in enumerate(_filas(registros), start=1):
        escritor.writerow((fila[0], f"{fila[1]:%d/%m/%Y %H:%M:%S}", *fila[2:]))
    texto.flush()
    texto.detach()
    return n


def _xlsx(registros, destino) -> int:
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet("Registro de custodia")
    hoja.append(COLUMNAS)
    n = 0
    for n, fila in enumerate(_filas(registros), start=1):
        instante = WriteOnlyCell(hoja, value=fila[1])
        instante.number_format = "dd/mm/yyyy hh:mm:ss"
        hoja.append((fila[0], instante, *fila[2:]))
    libro.save(destino)
    return n


def custodia_exportar(*, registros: QuerySet, formato: str, usuario, filtros: dict, expediente=None,
                      request=None) -> Exportacion:
    """Write the entries of `registros` (a filtered queryset of the log) as CSV or XLSX and
    log the export. Returns the temporary file, positioned at its start."""
    escribir = {"csv": _csv, "xlsx": _xlsx}[formato]
    tope = RegistroCustodia.objects.order_by("-secuencia").values_list("secuencia", flat=True).first() or 0
    archivo = tempfile.NamedTemporaryFile(prefix="custodia-exportacion-", suffix=f".{formato}")
    try:
        n = escribir(registros.filter(secuencia__lte=tope), archivo.file)
        archivo.flush()
        archivo.seek(0)
        huella = hashlib.file_digest(archivo, "sha256").hexdigest()
        archivo.seek(0)
        registro_anotar(
            accion=Accion.EXPORTACION, usuario=usuario, request=request, expediente=expediente,
            objeto=f"Registro de custodia, {formato.upper()}, {n} registros", sha256=huella,
            datos={"formato": formato, "filtros": filtros, "registros": n, "hasta_secuencia": tope},
        )
    except BaseException:
        archivo.close()
        raise
    ahora = timezone.localtime()
    return Exportacion(archivo=archivo, nombre=f"registro-custodia-{ahora:%Y%m%d-%H%M%S}.{formato}",
                       tipo=FORMATOS[formato], registros=n, sha256=huella)
