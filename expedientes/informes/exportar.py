"""Any report (a base.Resultado) as XLSX and PDF: the one writer of every product.

XLSX: a «Resumen» sheet (the institutional header, the report, its period and province, who
generated it and when, every headline figure typed, every section as a table) and a
«Detalle» sheet streamed from the detail's queryset in chunks (permisos.exportacion's
write-only writer: memory stays flat at 100,000 rows). Cells are typed: dates are dates,
money and counts are numbers, choices show their labels.

PDF: WeasyPrint (templates/expedientes/informes/informe_pdf.html) with the institutional
header on every page, «Página N de M», who generated (or issued) it and when, the figures,
the sections and the detail up to DETALLE_PDF rows (the XLSX carries all of them)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.utils import timezone

from expedientes import formato
from expedientes.documentos import pdf_renderizar
from expedientes.informes import graficos
from expedientes.informes.base import Cifra, Columna, Formato, Resultado
from expedientes.models import Provincia
from permisos.custodia import Accion, registro_anotar
from permisos.exportacion import Exportacion, Hoja, archivo_exportar, celda, libro_escribir

INSTITUCION = ("Ministerio del Trabajo", "Dirección Regional de Trabajo y Servicio Público de Cuenca",
               "Juzgado de Coactivas")
DETALLE_PDF = 500  # rows of the detail a PDF prints; the XLSX carries them all
PLANTILLA_PDF = "expedientes/informes/informe_pdf.html"
# Excel number formats per Formato (dates: permisos.exportacion's dd/mm/yyyy)
_EXCEL = {Formato.USD: "#,##0.00", Formato.ENTERO: "#,##0", Formato.PORCENTAJE: '#,##0.00" %"',
          Formato.FECHA: "dd/mm/yyyy"}


def usuario_nombre(usuario) -> str:
    return (usuario.get_full_name() or usuario.username) if usuario else ""


def periodo_etiqueta(resultado: Resultado) -> str:
    """«marzo de 2025», or «al 31/03/2025» for a report at a cut-off date."""
    if resultado.informe.a_fecha:
        return f"al {formato.fecha(resultado.parametros.corte)}"
    return resultado.parametros.periodo.etiqueta


def provincia_etiqueta(resultado: Resultado) -> str:
    codigo = resultado.parametros.provincia
    return str(dict(Provincia.choices).get(codigo, codigo)) if codigo else "Todas"


def titulo_completo(resultado: Resultado) -> str:
    """The report's title with its period and province: the issued report's title."""
    titulo = f"{resultado.informe.titulo} — {periodo_etiqueta(resultado)}"
    if resultado.parametros.provincia:
        titulo += f" — {provincia_etiqueta(resultado)}"
    return titulo


def nombre_archivo(resultado: Resultado) -> str:
    p = resultado.parametros
    partes = ["informe", resultado.informe.clave]
    partes += [p.corte.isoformat()] if resultado.informe.a_fecha else [p.periodo.desde.isoformat(),
                                                                       p.periodo.hasta.isoformat()]
    if p.provincia:
        partes.append(p.provincia)
    return "-".join(partes)


@dataclass
class Pie:
    """Who generated the file and when (an issue: who issued it, and its version)."""

    usuario: object
    instante: datetime
    emitido: bool = False
    version: int | None = None

    @property
    def texto(self) -> str:
        verbo = "Emitido" if self.emitido else "Generado"
        momento = timezone.localtime(self.instante)
        texto = f"{verbo} el {momento:%d/%m/%Y %H:%M} por {usuario_nombre(self.usuario)}"
        return f"{texto} (versión {self.version})" if self.version else texto


# --- typed values -------------------------------------------------------------------------

def valor_tipado(valor, columna: Columna | Cifra):
    """A value as a spreadsheet holds it: choices as their label, money as Decimal, dates as
    dates (a moment as the local date and time), counts as int."""
    opciones = getattr(columna, "opciones", None)
    if valor is None:
        return None
    if opciones:
        return str(opciones.get(valor, valor))
    if columna.formato in (Formato.USD, Formato.PORCENTAJE) and isinstance(valor, (int, float, str)):
        return Decimal(str(valor))
    if isinstance(valor, datetime):
        return timezone.localtime(valor).replace(tzinfo=None) if valor.tzinfo else valor
    return valor


def _celda(valor, columna):
    if isinstance(valor, Cifra):
        return _celda(valor.valor, valor)
    valor = valor_tipado(valor, columna)
    if isinstance(valor, bool) or not isinstance(valor, (int, Decimal, date)):
        return valor
    if isinstance(valor, date):  # a moment keeps its time (permisos.exportacion's format)
        return celda(valor) if isinstance(valor, datetime) else celda(valor, formato="dd/mm/yyyy")
    return celda(valor, formato=_EXCEL.get(columna.formato))


# --- XLSX ---------------------------------------------------------------------------------

def _resumen(resultado: Resultado, pie: Pie):
    """The rows of the «Resumen» sheet."""
    yield [celda(" — ".join(INSTITUCION), negrita=True)]
    yield [celda(resultado.informe.titulo, negrita=True)]
    yield ["Período", periodo_etiqueta(resultado)]
    yield ["Provincia", provincia_etiqueta(resultado)]
    yield [pie.texto]
    if resultado.cifras:
        yield []
        yield [celda("Cifras", negrita=True)]
        for cifra in resultado.cifras:
            yield [cifra.etiqueta, _celda(cifra.valor, cifra)]
    for seccion in resultado.secciones:
        yield []
        yield [celda(seccion.titulo, negrita=True)]
        yield [celda(c.titulo, negrita=True) for c in seccion.columnas]
        for fila in seccion.filas:
            yield [_celda(valor, columna) for valor, columna in zip(fila, seccion.columnas)]
        if seccion.nota:
            yield [seccion.nota]
    if resultado.notas:
        yield []
        yield [celda("Notas", negrita=True)]
        yield from ([nota] for nota in resultado.notas)


def _detalle(detalle):
    """The detail's rows read in chunks of 2,000 (no model instances, no per-row query)."""
    for fila in detalle.filas.iterator(chunk_size=2_000):
        yield [_celda(valor, columna) for valor, columna in zip(fila, detalle.columnas)]


def informe_xlsx_escribir(resultado: Resultado, destino, *, pie: Pie) -> int:
    """Write the report's workbook to `destino`; returns the detail's row count."""
    hojas = [Hoja("Resumen", _resumen(resultado, pie), anchos=[60, 24, 18, 18, 18, 18])]
    detalle = resultado.detalle
    if detalle is not None:
        hojas.append(Hoja("Detalle", _detalle(detalle), columnas=[c.titulo for c in detalle.columnas],
                          anchos=[max(12, min(40, len(c.titulo) + 4)) for c in detalle.columnas]))
    cuentas = libro_escribir(hojas, destino)
    return cuentas[1] if detalle is not None else 0


def informe_xlsx(resultado: Resultado, *, pie: Pie) -> bytes:
    destino = io.BytesIO()
    informe_xlsx_escribir(resultado, destino, pie=pie)
    return destino.getvalue()


# --- PDF ----------------------------------------------------------------------------------

def _texto(valor, columna) -> str:
    if isinstance(valor, Cifra):
        return valor.mostrar()
    return columna.mostrar(valor)


def _numerica(columna) -> bool:
    return columna.formato in (Formato.USD, Formato.ENTERO, Formato.PORCENTAJE) and not columna.opciones


def tabla_filas(columnas, filas) -> list[list[dict]]:
    """Rows as cells ready to show: text, right-aligned for figures, and the Cifra (if any)."""
    return [[{"texto": _texto(valor, columna), "numerica": _numerica(columna) or isinstance(valor, Cifra),
              "cifra": valor if isinstance(valor, Cifra) else None}
             for valor, columna in zip(fila, columnas)] for fila in filas]


def informe_pdf(resultado: Resultado, *, pie: Pie) -> bytes:
    detalle = resultado.detalle
    filas, total = [], 0
    if detalle is not None:
        total = detalle.filas.count()
        filas = tabla_filas(detalle.columnas, islice(detalle.filas.iterator(chunk_size=DETALLE_PDF), DETALLE_PDF))
    contexto = {
        "institucion": INSTITUCION, "informe": resultado.informe, "resultado": resultado,
        "titulo": resultado.informe.titulo, "periodo": periodo_etiqueta(resultado),
        "provincia": provincia_etiqueta(resultado), "pie": pie.texto,
        "cifras": resultado.cifras,
        "secciones": [{"seccion": s, "columnas": [{"titulo": c.titulo, "numerica": _numerica(c)} for c in s.columnas],
                       "filas": tabla_filas(s.columnas, s.filas), "grafico": graficos.de_seccion(s)}
                      for s in resultado.secciones],
        "detalle": detalle, "detalle_columnas": [{"titulo": c.titulo, "numerica": _numerica(c)}
                                                 for c in detalle.columnas] if detalle else [],
        "detalle_filas": filas, "detalle_total": total, "detalle_limite": DETALLE_PDF,
    }
    return pdf_renderizar(PLANTILLA_PDF, contexto)


# --- an export from the screen: written, hashed, logged -------------------------------------

def informe_exportar(*, resultado: Resultado, formato_: str, usuario, request=None) -> Exportacion:
    """The report as XLSX or PDF, logged in the custody log as an export with its SHA-256
    (like the listing's export), through the portal's one export writer."""
    pie = Pie(usuario=usuario, instante=timezone.now())
    if formato_ == "xlsx":
        def escribir(destino):
            return informe_xlsx_escribir(resultado, destino, pie=pie)
    elif formato_ == "pdf":
        def escribir(destino):
            destino.write(informe_pdf(resultado, pie=pie))
            return resultado.detalle.filas.count() if resultado.detalle is not None else 0
    else:
        raise ValueError(formato_)

    def anotar(n, huella):
        registro_anotar(
            accion=Accion.EXPORTACION, usuario=usuario, request=request,
            objeto=f"Informe «{titulo_completo(resultado)}», {formato_.upper()}, {n} filas de detalle",
            sha256=huella,
            datos={"informe": resultado.informe.clave, "formato": formato_, "parametros": resultado.parametros.a_dict(),
                   "registros": n, "cifras": resultado.cifras_a_dict()})

    return archivo_exportar(formato=formato_, nombre=nombre_archivo(resultado), anotar=anotar, escribir=escribir)
