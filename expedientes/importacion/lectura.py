"""Reading a historical matrix (openpyxl): find the header row under the title rows, propagate
merged header cells, recognise each column by a synonyms table of normalised headers (no
accents, case or punctuation), and read each cell the way the clerks typed it: dates as text
in several formats, Excel serials or real dates; amounts through expedientes.formato;
cédulas that lost their leading zero. Pure reading: every problem comes back as
{hoja, fila, columna, mensaje} in Spanish, nothing raises on bad input."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from expedientes.estados import Estado
from expedientes.formato import monto_interpretar
from expedientes.identificacion import identificacion_validar
from expedientes.models import Provincia

# field → (label for messages, required)
CAMPOS = {
    "numero": ("número de proceso", True),
    "nombre": ("coactivado / razón social", True),
    "identificacion": ("cédula / RUC", True),
    "provincia": ("provincia", True),
    "fecha": ("fecha de recepción", True),
    "monto": ("monto del título", True),
    "recaudado": ("valor recaudado", False),
    "fecha_pago": ("fecha de pago", False),
    "recibo": ("número de comprobante", False),
    "estado": ("estado", False),
    "fecha_estado": ("fecha del estado", False),
    "abogado": ("abogado", False),
    "orden_cobro": ("orden de cobro", False),
}
# normalised header (see normalizar) → field
SINONIMOS = {
    "proceso": "numero", "proceso coactivo": "numero", "expediente": "numero", "juicio coactivo": "numero",
    "juicio": "numero", "causa": "numero",
    "coactivado": "nombre", "razon social": "nombre", "nombre": "nombre", "nombres": "nombre",
    "deudor": "nombre", "coactivado razon social": "nombre", "nombres razon social": "nombre",
    "nombre coactivado": "nombre", "empleador": "nombre",
    "cedula": "identificacion", "ruc": "identificacion", "cedula ruc": "identificacion", "ci ruc": "identificacion",
    "identificacion": "identificacion", "ruc cedula": "identificacion", "c i": "identificacion",
    "ruc c i": "identificacion", "c i ruc": "identificacion", "cedula identidad": "identificacion",
    "provincia": "provincia",
    "fecha": "fecha", "fecha recepcion": "fecha", "fecha orden cobro": "fecha", "fecha ingreso": "fecha",
    "fecha recepcion orden cobro": "fecha", "recepcion": "fecha",
    "monto": "monto", "valor titulo": "monto", "monto titulo": "monto", "valor": "monto", "capital": "monto",
    "valor titulo credito": "monto", "monto adeudado": "monto", "valor multa": "monto",
    "valor recaudado": "recaudado", "recaudado": "recaudado", "monto recaudado": "recaudado",
    "valor pagado": "recaudado", "pagado": "recaudado", "recaudacion": "recaudado", "abono": "recaudado",
    "fecha pago": "fecha_pago", "fecha recaudacion": "fecha_pago",
    "recibo": "recibo", "comprobante": "recibo", "comprobante pago": "recibo",
    "estado": "estado", "estado proceso": "estado", "estado procesal": "estado", "situacion": "estado",
    "fecha estado": "fecha_estado",
    "abogado": "abogado", "abogado impulsor": "abogado", "responsable": "abogado", "impulsor": "abogado",
    "orden cobro": "orden_cobro",
}
_VACIAS = {"de", "del", "la", "el", "los", "las", "o", "y", "no", "nro", "n", "num", "numero", "usd", "en"}
ESTADOS = {
    "en tramite": Estado.INICIADO, "tramite": Estado.INICIADO, "nuevo": Estado.INICIADO,
    "cancelado": Estado.PAGADO, "pagado": Estado.PAGADO, "pago total": Estado.PAGADO,
    "convenio": Estado.CONVENIO_PAGO, "facilidades pago": Estado.CONVENIO_PAGO,
    "medidas": Estado.MEDIDAS_CAUTELARES, "dado baja": Estado.BAJA,
    **{" ".join(str(e.label).lower().split()): e for e in Estado},
}
MESES = {m: i for i, m in enumerate(
    ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
     "noviembre", "diciembre"], start=1)} | {"setiembre": 9}
_TOTAL = re.compile(r"^(sub)?total(es)?\b|^suman?\b")
FILAS_CABECERA = 20  # the header row is looked for among the first rows


def normalizar(texto) -> str:
    """«N° de Proceso» → «proceso», «Cédula/RUC» → «cedula ruc», «FECHA DE RECEPCIÓN» → «fecha recepcion»."""
    texto = unicodedata.normalize("NFKD", str(texto or "")).encode("ascii", "ignore").decode().lower()
    palabras = re.sub(r"[^a-z0-9]+", " ", texto).split()
    return " ".join(p for p in palabras if p not in _VACIAS)


def _sin_acentos(texto: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", unicodedata.normalize("NFKD", texto).encode(
        "ascii", "ignore").decode().lower()).split())


PROVINCIAS = {_sin_acentos(str(p.label)): p.value for p in Provincia} | {p.value: p.value for p in Provincia} | {
    str(int(p.value)): p.value for p in Provincia} | {"morona": "14", "santo domingo": "23"}


@dataclass
class Problema:
    hoja: str
    fila: int | None
    columna: str
    mensaje: str

    def a_dict(self) -> dict:
        return {"hoja": self.hoja, "fila": self.fila, "columna": self.columna, "mensaje": self.mensaje}


@dataclass
class Hoja:
    nombre: str
    fila_cabecera: int
    cabeceras: dict[int, str]  # column index → header as written (merged cells propagated)
    mapeo: dict[str, str]  # field → header
    firma: str
    filas: list[tuple[int, dict]] = field(default_factory=list)  # (row number, {column index: value})

    def columna(self, campo: str) -> int | None:
        cabecera = self.mapeo.get(campo)
        return next((i for i, c in self.cabeceras.items() if c == cabecera), None)


@dataclass
class Libro:
    hojas: list[Hoja]
    avisos: list[Problema]
    problemas: list[Problema]


def firma_calcular(cabeceras) -> str:
    return hashlib.sha256("|".join(normalizar(c) for c in cabeceras).encode()).hexdigest()


def mapeo_proponer(cabeceras) -> dict[str, str]:
    """field → header, by the synonyms table; the first column wins."""
    mapeo = {}
    for cabecera in cabeceras:
        campo = SINONIMOS.get(normalizar(cabecera))
        if campo and campo not in mapeo:
            mapeo[campo] = cabecera
    return mapeo


def _valores_combinados(ws) -> dict[tuple[int, int], object]:
    """(row, col) → the value of the merged range's top-left cell, for every cell of a range."""
    valores = {}
    for rango in ws.merged_cells.ranges:
        valor = ws.cell(rango.min_row, rango.min_col).value
        for fila in range(rango.min_row, rango.max_row + 1):
            for col in range(rango.min_col, rango.max_col + 1):
                valores[(fila, col)] = valor
    return valores


def _cabecera_buscar(ws, combinados) -> tuple[int, dict[int, str]] | None:
    """The row (among the first ones) with most recognised headers; at least three."""
    mejor = None
    for fila in range(1, min(ws.max_row, FILAS_CABECERA) + 1):
        cabeceras = {}
        for col in range(1, ws.max_column + 1):
            valor = combinados.get((fila, col), ws.cell(fila, col).value)
            if valor not in (None, "") and not isinstance(valor, (int, float, datetime, date)):
                cabeceras[col] = " ".join(str(valor).split())
        reconocidas = {SINONIMOS.get(normalizar(c)) for c in cabeceras.values()} - {None}
        if len(reconocidas) >= 3 and (mejor is None or len(reconocidas) > mejor[0]):
            mejor = (len(reconocidas), fila, cabeceras)
    return None if mejor is None else (mejor[1], mejor[2])


def libro_leer(flujo, *, mapeos: dict[str, dict] | None = None) -> Libro:
    """Read every visible sheet. `mapeos`: {firma: {field: header}} saved layouts (or the
    user's choice), used instead of the proposal when a sheet's signature matches."""
    avisos, problemas, hojas = [], [], []
    try:
        libro = load_workbook(flujo, data_only=True)
    except Exception:
        return Libro([], [], [Problema("", None, "", "El archivo no es un libro de Excel (.xlsx) legible.")])
    for ws in libro.worksheets:
        if ws.sheet_state != "visible":
            avisos.append(Problema(ws.title, None, "", "Hoja oculta: se omite."))
            continue
        combinados = _valores_combinados(ws)
        if ws.max_row <= 1 and ws.max_column <= 1 and ws.cell(1, 1).value in (None, ""):
            avisos.append(Problema(ws.title, None, "", "Hoja vacía: se omite."))
            continue
        encontrada = _cabecera_buscar(ws, combinados)
        if encontrada is None:
            avisos.append(Problema(ws.title, None, "", "No se encontró una fila de cabeceras reconocible "
                                                       "(número de proceso, coactivado, cédula…): se omite."))
            continue
        fila_cabecera, cabeceras = encontrada
        firma = firma_calcular(cabeceras.values())
        mapeo = dict((mapeos or {}).get(firma) or mapeo_proponer(cabeceras.values()))
        hoja = Hoja(ws.title, fila_cabecera, cabeceras, mapeo, firma)
        for campo, (etiqueta, requerido) in CAMPOS.items():
            if requerido and hoja.columna(campo) is None:
                problemas.append(Problema(ws.title, fila_cabecera, "",
                                          f"No se encontró la columna de {etiqueta}: indíquela en el mapeo."))
        for fila in range(fila_cabecera + 1, ws.max_row + 1):
            if ws.row_dimensions[fila].hidden:
                avisos.append(Problema(ws.title, fila, "", "Fila oculta: se lee como las demás."))
            valores = {c: ws.cell(fila, c).value for c in cabeceras}
            valores = {c: v.strip() if isinstance(v, str) else v for c, v in valores.items()}
            if all(v in (None, "") for v in valores.values()):
                continue
            textos = [normalizar(v) for v in valores.values() if isinstance(v, str)]
            if any(_TOTAL.match(t) for t in textos):
                avisos.append(Problema(ws.title, fila, "", "Fila de totales: se omite."))
                continue
            hoja.filas.append((fila, valores))
        hojas.append(hoja)
    if not hojas and not problemas:
        problemas.append(Problema("", None, "", "El libro no tiene ninguna hoja con procesos para importar."))
    return Libro(hojas, avisos, problemas)


# --- cells -----------------------------------------------------------------------------------

_FECHA_NUM = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})$")
_FECHA_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FECHA_LARGA = re.compile(r"^(\d{1,2})\s*(?:de\s+)?([a-z]+)\.?\s*(?:de(?:l)?\s+)?(\d{4})$")
_FECHA_CORTA = re.compile(r"^(\d{1,2})[\-/ ]([a-z]{3,})[\-/ ](\d{2}|\d{4})$")


def _anio(texto: str) -> int:
    anio = int(texto)
    if len(texto) == 2:  # «15-3-14»: this century unless it would be in the future
        anio += 2000 if anio <= date.today().year % 100 else 1900
    return anio


def fecha_leer(valor) -> date:
    """A date as the matrices hold it, or ValidationError."""
    mensaje = f"Fecha no reconocida: «{valor}» (use dd/mm/aaaa)."
    if isinstance(valor, datetime):
        return valor.date()
    if isinstance(valor, date):
        return valor
    if isinstance(valor, (int, float)) and not isinstance(valor, bool):
        if not 1 <= valor < 2958466:
            raise ValidationError(mensaje)
        return from_excel(valor).date()  # an Excel serial (1900 system)

    try:
        if m := _FECHA_NUM.match(str(valor).strip()):
            return date(_anio(m[3]), int(m[2]), int(m[1]))
        if m := _FECHA_ISO.match(str(valor).strip()):
            return date(int(m[1]), int(m[2]), int(m[3]))
        texto = str(valor).strip()
        texto = unicodedata.normalize("NFKD", texto).encode("ascii", "ignore").decode().lower()
        for patron in (_FECHA_LARGA, _FECHA_CORTA):
            if m := patron.match(texto):
                mes = MESES.get(m[2]) or next((n for nombre, n in MESES.items() if nombre.startswith(m[2])), None)
                if mes:
                    return date(_anio(m[3]), mes, int(m[1]))
    except ValueError:
        pass
    raise ValidationError(mensaje)


def monto_leer(valor) -> Decimal:
    """A number cell, or Spanish text through expedientes.formato.monto_interpretar."""
    if isinstance(valor, bool):
        raise ValidationError(f"Monto no reconocido: «{valor}».")
    if isinstance(valor, (int, float)):
        return Decimal(str(valor)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    try:
        return monto_interpretar(str(valor))
    except ValidationError:
        raise ValidationError(f"Monto no reconocido: «{valor}» (escríbalo así: 1.850,40).") from None


def identificacion_leer(valor):
    """A cédula/RUC; one typed as a number lost its leading zero (0102345678 → 102345678):
    padded to 10 or 13 digits, then validated with python-stdnum."""
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    texto = re.sub(r"[\s\-.]", "", str(valor if valor is not None else ""))
    if texto.isdigit() and len(texto) in (9, 12):
        texto = texto.zfill(len(texto) + 1)
    return identificacion_validar(texto)


def provincia_leer(valor) -> str:
    if isinstance(valor, (int, float)) and not isinstance(valor, bool):
        valor = str(int(valor))
    codigo = PROVINCIAS.get(_sin_acentos(str(valor or "")))
    if codigo is None:
        raise ValidationError(f"Provincia no reconocida: «{valor}».")
    return codigo


def estado_leer(valor) -> str:
    estado = ESTADOS.get(normalizar(valor)) or ESTADOS.get(_sin_acentos(str(valor or "")))
    if estado is None:
        raise ValidationError(f"Estado no reconocido: «{valor}» (p. ej. {', '.join(str(e.label) for e in Estado)}).")
    return estado


def columna_letra(indice: int | None) -> str:
    return get_column_letter(indice) if indice else ""
