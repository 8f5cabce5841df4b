"""The annual management report (informe de gestión) the unit signs for a year: per product
the baseline at the end of the year before, the actions and results of the year, the
province breakdown, the citation service level, the collection of the year's processes and
of all years, and the processes pending. Every figure is read from the products (their
cifra claves, through `informe_calcular`), from expedientes.saldos (balances) and from
expedientes.plazos (the service level): nothing a product computes is computed again here.

The unit's own 2025 report said «74 processes with collection» and «62 still to collect» of
135 started (74 + 62 ≠ 135): the two categories overlap in the processes that paid a part and
still owe. Here the year's processes are first split into a PARTITION (paid in full / some
collection and a balance pending / no collection), which adds up to the total by
construction; the unit's two categories are then sums of two parts each, and the report says
in words that they overlap, and by how many."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from expedientes import formato
from expedientes.informes.base import (
    Formato,
    Parametros,
    Periodo,
    expedientes_del_informe,
    informe_calcular,
    informes,
    valor_formatear,
)

CLAVE = "gestion"
TITULO = "Informe de gestión"
CERO = Decimal("0.00")
# The products whose figures the province breakdown and the headline read (contract11.md).
MATRIZ, RECAUDACION, CARTERA = "matriz", "recaudacion", "cartera"


@dataclass
class LineaCifra:
    """One headline figure of a product: at the baseline (the year before) and in the year."""

    clave: str
    etiqueta: str
    formato: str
    base: int | Decimal | None
    anio: int | Decimal | None

    def mostrar_base(self) -> str:
        return valor_formatear(self.base, self.formato) if self.base is not None else "—"

    def mostrar_anio(self) -> str:
        return valor_formatear(self.anio, self.formato) if self.anio is not None else "—"


@dataclass
class SeccionProducto:
    clave: str
    numero: int
    titulo: str
    a_fecha: bool
    lineas: list[LineaCifra] = field(default_factory=list)

    @property
    def encabezados(self) -> tuple[str, str]:
        """Columns: a stock reads «al 31/12», a flow reads «durante»."""
        return ("Al cierre del año anterior", "Al cierre del año") if self.a_fecha else \
            ("Año anterior (línea base)", "Acciones del año")


@dataclass
class Particion:
    """The processes started in the year, at 31/12: each in exactly one part."""

    pagados: int = 0
    pagados_cobrado: Decimal = CERO
    parciales: int = 0
    parciales_cobrado: Decimal = CERO
    parciales_pendiente: Decimal = CERO
    sin_cobro: int = 0
    sin_cobro_pendiente: Decimal = CERO

    @property
    def total(self) -> int:
        return self.pagados + self.parciales + self.sin_cobro

    @property
    def con_recaudacion(self) -> int:
        return self.pagados + self.parciales

    @property
    def por_recaudar(self) -> int:
        return self.parciales + self.sin_cobro

    @property
    def cobrado(self) -> Decimal:
        return self.pagados_cobrado + self.parciales_cobrado

    @property
    def pendiente(self) -> Decimal:
        return self.parciales_pendiente + self.sin_cobro_pendiente

    def explicacion(self) -> str:
        """The overlap of the unit's two categories, in words."""
        return (f"«Con recaudación» ({self.con_recaudacion}: {self.pagados} pagados en su totalidad y "
                f"{self.parciales} con abonos) y «por recaudar» ({self.por_recaudar}: los mismos {self.parciales} "
                f"con abonos y {self.sin_cobro} sin recaudación) no son categorías excluyentes: se superponen en "
                f"los {self.parciales} procesos que pagaron una parte y aún tienen saldo. Por eso "
                f"{self.con_recaudacion} + {self.por_recaudar} = {self.con_recaudacion + self.por_recaudar}, que es "
                f"el total de {self.total} procesos más esos {self.parciales}. La partición en tres partes sí suma "
                f"el total: {self.pagados} + {self.parciales} + {self.sin_cobro} = {self.total}.")


@dataclass
class CifrasGestion:
    anio: int
    iniciados: int
    provincias: list[tuple[str, str, int]]  # (code, name, processes started in the year)
    servicio_dias: int
    servicio_total: int
    servicio_a_tiempo: int
    servicio_tarde: int
    servicio_sin_citar: int
    particion: Particion
    recaudado_procesos_anio: Decimal  # collected in the year from the year's processes
    recaudado_anio: Decimal  # collected in the year from processes of every year
    procesos_con_cobro_anio: int  # processes of every year with a payment in the year
    pendientes: int  # processes of every year with a balance at 31/12
    pendiente_total: Decimal
    productos: list[SeccionProducto] = field(default_factory=list)
    notas: list[str] = field(default_factory=list)

    @property
    def corte(self) -> date:
        return date(self.anio, 12, 31)

    @property
    def servicio_porcentaje(self) -> Decimal | None:
        citados = self.servicio_a_tiempo + self.servicio_tarde
        return (Decimal(100 * self.servicio_a_tiempo) / citados).quantize(Decimal("0.1")) if citados else None

    def conciliacion(self) -> list[str]:
        """What the reader may check: every partition adds up to its total."""
        p = self.particion
        lineas = [
            f"Procesos iniciados en {self.anio}: {p.pagados} + {p.parciales} + {p.sin_cobro} = {p.total}.",
            f"Recaudado de esos procesos: {formato.usd(p.pagados_cobrado)} + {formato.usd(p.parciales_cobrado)} = "
            f"{formato.usd(p.cobrado)}.",
            f"Saldo por recaudar de esos procesos: {formato.usd(p.parciales_pendiente)} + "
            f"{formato.usd(p.sin_cobro_pendiente)} = {formato.usd(p.pendiente)}.",
        ]
        if self.provincias:
            suma = " + ".join(str(n) for _, _, n in self.provincias)
            lineas.append(f"Por provincia: {suma} = {sum(n for _, _, n in self.provincias)}.")
        return lineas

    def _cifras(self) -> list[tuple[str, str, int | Decimal]]:
        """The headline figures as issued: (clave, label as the document says it, value)."""
        p, corte = self.particion, formato.fecha(self.corte)
        return [
            ("iniciados", f"Procesos coactivos iniciados en {self.anio}", self.iniciados),
            ("pagados", "Pagados en su totalidad", p.pagados),
            ("parciales", "Con abonos y saldo pendiente", p.parciales),
            ("sin_cobro", "Sin recaudación", p.sin_cobro),
            ("con_recaudacion", "Con recaudación (pagados + con abonos)", p.con_recaudacion),
            ("por_recaudar", "Por recaudar (con abonos + sin recaudación)", p.por_recaudar),
            ("cobrado_procesos_anio", f"Recaudado de los procesos iniciados en {self.anio}", p.cobrado),
            ("pendiente_procesos_anio", f"Saldo de los procesos iniciados en {self.anio}", p.pendiente),
            ("recaudado_anio", f"Recaudado en {self.anio} de los procesos de todos los años", self.recaudado_anio),
            ("pendientes", f"Procesos pendientes al {corte} (todos los años)", self.pendientes),
            ("pendiente_total", f"Saldo por recaudar al {corte} (todos los años)", self.pendiente_total),
            ("citados_a_tiempo", f"Citados dentro de {self.servicio_dias} días hábiles", self.servicio_a_tiempo),
            ("citados_tarde", f"Citados después de {self.servicio_dias} días hábiles", self.servicio_tarde),
            *((f"iniciados_{codigo}", f"Iniciados en {nombre}", n) for codigo, nombre, n in self.provincias),
        ]

    def a_dict(self) -> dict[str, str]:
        """The headline figures as issued (InformeEmitido.cifras)."""
        return {clave: str(valor) for clave, _, valor in self._cifras()}

    def presentar(self) -> list[list[str]]:
        """The same figures as the issued document shows them (InformeEmitido.presentacion)."""
        return [[clave, etiqueta, formato.usd(valor) if isinstance(valor, Decimal)
                 else valor_formatear(valor, Formato.ENTERO)] for clave, etiqueta, valor in self._cifras()]


def _valor(resultado, clave: str):
    try:
        return resultado.cifra(clave).valor
    except KeyError:
        return None


def _particion(expedientes, corte: date) -> Particion:
    """One SQL aggregate over the year's processes: payments up to `corte` and the balance
    at `corte` (expedientes.saldos), each process in exactly one part."""
    from expedientes.models import Pago
    from expedientes.saldos import saldos_al

    vigentes = Pago.objects.filter(expediente=OuterRef("pk"), fecha__lte=corte, anulado_en__isnull=True)
    cobrado = Coalesce(Subquery(vigentes.order_by().values("expediente").annotate(s=Sum("monto")).values("s")[:1],
                                output_field=DecimalField(max_digits=14, decimal_places=2)),
                       Value(CERO), output_field=DecimalField(max_digits=14, decimal_places=2))
    filas = (saldos_al(expedientes, corte).annotate(con_pago=Exists(vigentes), cobrado=cobrado)
             .order_by().aggregate(
                 pagados=Count("pk", filter=Q(con_pago=True, saldo_total__lte=0)),
                 pagados_cobrado=Sum("cobrado", filter=Q(con_pago=True, saldo_total__lte=0)),
                 parciales=Count("pk", filter=Q(con_pago=True, saldo_total__gt=0)),
                 parciales_cobrado=Sum("cobrado", filter=Q(con_pago=True, saldo_total__gt=0)),
                 parciales_pendiente=Sum("saldo_total", filter=Q(con_pago=True, saldo_total__gt=0)),
                 sin_cobro=Count("pk", filter=Q(con_pago=False)),
                 sin_cobro_pendiente=Sum("saldo_total", filter=Q(con_pago=False)),
             ))
    return Particion(**{k: (v if v is not None else CERO) for k, v in filas.items()})


def gestion_cifras(anio: int, usuario) -> CifrasGestion:
    """The figures of the annual report for `anio`, over what `usuario` may see."""
    from expedientes.informes.base import informe_obtener
    from expedientes.models import Provincia
    from expedientes.plazos import nivel_servicio_citacion

    periodo, anterior = Periodo.anio(anio), Periodo.anio(anio - 1)
    resultados = {}
    productos = []
    for informe in informes():
        base = informe_calcular(clave=informe.clave, parametros=Parametros(anterior), usuario=usuario)
        actual = informe_calcular(clave=informe.clave, parametros=Parametros(periodo), usuario=usuario)
        resultados[informe.clave] = actual
        lineas = [LineaCifra(c.clave, c.etiqueta, c.formato, _valor(base, c.clave), c.valor) for c in actual.cifras]
        productos.append(SeccionProducto(informe.clave, informe.numero, informe.titulo, informe.a_fecha, lineas))

    matriz = resultados[MATRIZ]
    provincias = [(codigo, etiqueta, int(valor)) for codigo, etiqueta in Provincia.choices
                  if (valor := _valor(matriz, f"iniciados_{codigo}"))]
    visibles = expedientes_del_informe(usuario)
    del_anio = visibles.filter(anio=anio)
    # the year's processes through the same product: what they paid in the year
    recaudacion_propia = informe_obtener(RECAUDACION).calcular(Parametros(periodo), del_anio)
    servicio = nivel_servicio_citacion(visibles, anio=anio)
    cartera = resultados[CARTERA]
    recaudacion = resultados[RECAUDACION]
    cifras = CifrasGestion(
        anio=anio,
        iniciados=int(_valor(matriz, "iniciados") or 0),
        provincias=provincias,
        servicio_dias=settings.CITACION_DIAS_SERVICIO,
        servicio_total=servicio.total, servicio_a_tiempo=servicio.a_tiempo, servicio_tarde=servicio.tarde,
        servicio_sin_citar=servicio.sin_citar,
        particion=_particion(del_anio, periodo.hasta),
        recaudado_procesos_anio=_valor(recaudacion_propia, "total") or CERO,
        recaudado_anio=_valor(recaudacion, "total") or CERO,
        procesos_con_cobro_anio=int(_valor(recaudacion, "procesos_con_cobro") or 0),
        pendientes=int(_valor(cartera, "pendientes") or 0),
        pendiente_total=_valor(cartera, "total") or CERO,
        productos=productos,
    )
    cifras.notas = [nota for resultado in resultados.values() for nota in resultado.notas]
    return cifras


# --- rendering ------------------------------------------------------------------------------

ENCABEZADO = ("MINISTERIO DEL TRABAJO · DIRECCIÓN REGIONAL DE TRABAJO Y SERVICIO PÚBLICO DE CUENCA",
              "JUZGADO DE COACTIVAS")
RECONCILIA = ("Las cifras de este informe se calculan de los registros del portal y concilian: cada "
              "partición suma su total (procesos por provincia, procesos del año por situación de cobro, "
              "recaudado y saldo por recaudar).")


def gestion_titulo(anio: int) -> str:
    return f"{TITULO} {anio}"


def _tablas(cifras: CifrasGestion) -> dict:
    """The rows every format shows, formatted once (the DOCX, the PDF and the screen)."""
    p = cifras.particion
    usd, n = formato.usd, (lambda v: valor_formatear(v, Formato.ENTERO))
    porcentaje = cifras.servicio_porcentaje
    return {
        "resumen": [
            (f"Procesos coactivos iniciados en {cifras.anio}", n(cifras.iniciados)),
            (f"Citados dentro de {cifras.servicio_dias} días hábiles de la orden de cobro",
             f"{n(cifras.servicio_a_tiempo)} de {n(cifras.servicio_a_tiempo + cifras.servicio_tarde)} citados"
             + (f" ({formato.numero(porcentaje, 1)} %)" if porcentaje is not None else "")),
            ("Sin citar al cierre del año", n(cifras.servicio_sin_citar)),
            (f"Recaudado en {cifras.anio} de los procesos del año", usd(cifras.recaudado_procesos_anio)),
            (f"Recaudado en {cifras.anio} de los procesos de todos los años "
             f"({n(cifras.procesos_con_cobro_anio)} procesos con cobro)", usd(cifras.recaudado_anio)),
            (f"Procesos pendientes al {formato.fecha(cifras.corte)} (todos los años)", n(cifras.pendientes)),
            (f"Saldo por recaudar al {formato.fecha(cifras.corte)} (todos los años)", usd(cifras.pendiente_total)),
        ],
        "provincias": [(nombre, n(valor)) for _, nombre, valor in cifras.provincias]
        + [("Total", n(sum(v for _, _, v in cifras.provincias)))],
        "particion": [
            ("Pagados en su totalidad", n(p.pagados), usd(p.pagados_cobrado), usd(CERO)),
            ("Con abonos y saldo pendiente", n(p.parciales), usd(p.parciales_cobrado), usd(p.parciales_pendiente)),
            ("Sin recaudación", n(p.sin_cobro), usd(CERO), usd(p.sin_cobro_pendiente)),
            ("Total", n(p.total), usd(p.cobrado), usd(p.pendiente)),
        ],
        "categorias": [
            ("Con recaudación (pagados + con abonos)", n(p.con_recaudacion), usd(p.cobrado)),
            ("Por recaudar (con abonos + sin recaudación)", n(p.por_recaudar), usd(p.pendiente)),
        ],
    }


def gestion_contexto(cifras: CifrasGestion) -> dict:
    return {"cifras": cifras, "titulo": gestion_titulo(cifras.anio), "encabezado": ENCABEZADO,
            "reconcilia": RECONCILIA, "tablas": _tablas(cifras), "explicacion": cifras.particion.explicacion(),
            "conciliacion": cifras.conciliacion()}


def gestion_pdf(cifras: CifrasGestion) -> bytes:
    from expedientes.documentos import pdf_renderizar

    return pdf_renderizar("expedientes/informes/gestion.html", gestion_contexto(cifras))


def _tabla_docx(documento, encabezados, filas):
    tabla = documento.add_table(rows=1, cols=len(encabezados))
    tabla.style = "Table Grid"
    for celda, texto in zip(tabla.rows[0].cells, encabezados):
        celda.text = texto
        for parrafo in celda.paragraphs:
            for corrida in parrafo.runs:
                corrida.bold = True
    for fila in filas:
        for celda, texto in zip(tabla.add_row().cells, fila):
            celda.text = str(texto)
    return tabla


def gestion_docx(cifras: CifrasGestion) -> bytes:
    """The same content as the PDF, as a Word document the unit edits before the jefe signs."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    contexto = gestion_contexto(cifras)
    tablas = contexto["tablas"]
    documento = Document()
    for linea in ENCABEZADO:
        parrafo = documento.add_paragraph(linea)
        parrafo.alignment = WD_ALIGN_PARAGRAPH.CENTER
    documento.add_heading(contexto["titulo"], level=0)
    documento.add_paragraph(f"Período: del {formato.fecha(date(cifras.anio, 1, 1))} al {formato.fecha(cifras.corte)}.")
    documento.add_paragraph(RECONCILIA)

    documento.add_heading("1. Resumen del año", level=1)
    _tabla_docx(documento, ("Indicador", "Valor"), tablas["resumen"])
    documento.add_heading(f"2. Procesos iniciados en {cifras.anio} por provincia", level=1)
    _tabla_docx(documento, ("Provincia", "Procesos"), tablas["provincias"])
    documento.add_heading(f"3. Recaudación de los procesos de {cifras.anio}", level=1)
    _tabla_docx(documento, ("Situación al " + formato.fecha(cifras.corte), "Procesos", "Recaudado", "Por recaudar"),
                tablas["particion"])
    documento.add_paragraph("")
    _tabla_docx(documento, ("Categoría del informe", "Procesos", "USD"), tablas["categorias"])
    documento.add_paragraph(contexto["explicacion"])
    for linea in contexto["conciliacion"]:
        documento.add_paragraph(linea, style="List Bullet")

    documento.add_heading("4. Productos de la unidad", level=1)
    for seccion in cifras.productos:
        documento.add_heading(f"{seccion.numero}. {seccion.titulo}", level=2)
        if not seccion.lineas:
            documento.add_paragraph("Sin cifras para este producto.")
            continue
        _tabla_docx(documento, ("Cifra", *seccion.encabezados),
                    [(linea.etiqueta, linea.mostrar_base(), linea.mostrar_anio()) for linea in seccion.lineas])
    if cifras.notas:
        documento.add_heading("Notas", level=1)
        for nota in cifras.notas:
            documento.add_paragraph(nota, style="List Bullet")

    documento.add_paragraph("")
    for linea in ("", "", "______________________________", "Jefe de Coactivas", "Nombre:", "Fecha:"):
        parrafo = documento.add_paragraph(linea)
        parrafo.alignment = WD_ALIGN_PARAGRAPH.CENTER
    salida = io.BytesIO()
    documento.save(salida)
    return salida.getvalue()


def gestion_emitir(*, anio: int, usuario, motivo: str = ""):
    """Issue the year's report: both files rendered first, then the custody pipeline."""
    from expedientes.informes.emision import emision_registrar

    cifras = gestion_cifras(anio, usuario)
    nombre = f"informe-de-gestion-{anio}"
    return emision_registrar(
        clave=CLAVE, titulo=gestion_titulo(anio), parametros=Parametros(Periodo.anio(anio)), cifras=cifras.a_dict(),
        presentacion=cifras.presentar(), usuario=usuario, archivos={"pdf": (f"{nombre}.pdf", gestion_pdf(cifras)),
                                   "docx": (f"{nombre}.docx", gestion_docx(cifras))},
        motivo=motivo)
