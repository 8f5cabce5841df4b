"""The unit's charts as SVG drawn on the server (pygal): the dashboard, the report screens and
the PDFs (WeasyPrint draws inline SVG) show the same picture, and there is no JavaScript to
vendor or keep. pygal's defaults reach outside: it points a <script> at a CDN (`js`) and
writes its config as inline JavaScript and its home page in comments; every chart here leaves
them out (no network, nothing to run), and tests/informes/test_tablero.py checks that the SVG
carries no http(s) address but the XML namespaces.

Each function answers a `Grafico`: the SVG (role="img", with a <title> and a <desc> that says
the figures in words), and the same figures as a plain table (`columnas`, `filas`, already
written as the unit writes numbers: expedientes/formato.py). `{{ grafico }}` in a template
draws both (templates/expedientes/informes/grafico.html). No data → no axes: `vacio`, a
sentence, instead of the SVG.

    barras(titulo=, etiquetas=, valores=)                one series
    barras_apiladas(titulo=, etiquetas=, series={})      several series stacked, with totals
    lineas(titulo=, etiquetas=, series={})               several series over time
    embudo(titulo=, etiquetas=, valores=)                horizontal bars in the given order
                                                         (the states of the proceeding)

`enlaces` (same shape as the values) makes each bar a link (relative URLs; None: no link)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import pygal
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from pygal.etree import etree
from pygal.style import Style

from expedientes import formato
from expedientes.informes.base import Cifra

ENTERO, USD = "entero", "usd"  # the values of expedientes.informes.base.Formato used here

# Wagtail admin's own colours (its core.css): teal (secondary), indigo (primary), then its
# info, warning, positive and critical tones, then lighter steps of the first ones.
TEAL, INDIGO, AZUL, AMBAR, VERDE, ROJO, GRIS = (
    "#007d7e", "#2e1f5e", "#1f7e9a", "#faa500", "#1b8666", "#cd4444", "#929292")
ROJO_OSCURO, ROJO_CLARO, CELESTE = "#8a1f1f", "#e59a9a", "#6fb4c9"
PALETA = (TEAL, INDIGO, AMBAR, AZUL, VERDE, ROJO, "#5fb3b3", "#7a6aa8", "#fcc862", CELESTE,
          "#6cbd9f", "#e08080", GRIS)
FUENTE = ('-apple-system, BlinkMacSystemFont, "Segoe UI", system-ui, Roboto, "Helvetica Neue", '
          'Arial, sans-serif')

ESTILO = dict(
    background="transparent", plot_background="transparent",
    # the page's text colour: readable in Wagtail's light and dark themes alike
    foreground="currentColor", foreground_strong="currentColor", foreground_subtle="currentColor",
    guide_stroke_color="rgba(128, 128, 128, .45)", major_guide_stroke_color="rgba(128, 128, 128, .6)",
    opacity="1", opacity_hover=".8", stroke_opacity="1", stroke_opacity_hover="1",
    colors=PALETA, font_family=FUENTE, label_font_family=FUENTE, major_label_font_family=FUENTE,
    legend_font_family=FUENTE, value_font_family=FUENTE, value_label_font_family=FUENTE,
    title_font_family=FUENTE, tooltip_font_family=FUENTE, no_data_font_family=FUENTE,
    label_font_size=14, major_label_font_size=14, legend_font_size=14, value_font_size=13,
    value_label_font_size=13, title_font_size=15, tooltip_font_size=13, no_data_font_size=15,
    transition="0s",
)


def _estilo(colores=None) -> Style:
    """The house style; `colores`: the series' colours in order (the palette otherwise)."""
    return Style(**{**ESTILO, **({"colors": tuple(colores)} if colores else {})})

# Everything that could point outside is off: `js` (a CDN by default) and the links pygal
# would add to the legend; `force_uri_protocol` only matters for those.
CONFIGURACION = dict(
    js=[], disable_xml_declaration=True, explicit_size=False, width=560, height=300,
    margin=12, spacing=8, show_x_guides=False, legend_at_bottom=True, legend_box_size=12,
    truncate_legend=-1, truncate_label=-1, print_zeroes=False, classes=["pygal-chart", "grafico"],
    no_data_text="Sin datos",
)


@dataclass(frozen=True)
class Grafico:
    titulo: str
    descripcion: str  # the figures in words: the SVG's <desc>, what a screen reader says
    svg: str = ""  # safe inline <svg>; "" when there is nothing to draw
    columnas: list[str] = field(default_factory=list)
    filas: list[list[str]] = field(default_factory=list)  # the same figures, as text
    vacio: str = ""  # the sentence shown instead of an empty chart

    def __html__(self) -> str:
        return render_to_string("expedientes/informes/grafico.html", {"grafico": self})

    __str__ = __html__


def cifra_formatear(valor, formato_: str = ENTERO) -> str:
    """A value as the table and the <desc> write it: 1.234 expedientes, USD 1.234,56."""
    return formato.usd(valor) if formato_ == USD else formato.numero(valor or 0, 0)


def _eje(valor) -> str:
    """Axis and bar labels: whole numbers with the unit's thousands separator (the table and
    the <desc> carry the exact amounts)."""
    return formato.numero(Decimal(str(valor)), 0)


def _marcas(maximo) -> list[int]:
    """Round ticks from 0 to past `maximo` (1, 2 or 5 × 10^k apart): pygal's own would put
    0,5 expedientes on the axis."""
    maximo = float(maximo or 0)
    if maximo <= 0:
        return [0, 1]
    paso_bruto = maximo / 5
    potencia = 10 ** math.floor(math.log10(paso_bruto)) if paso_bruto >= 1 else 1
    paso = next(m * potencia for m in (1, 2, 5, 10) if m * potencia >= paso_bruto)
    paso = max(1, int(paso))
    return list(range(0, int(math.ceil(maximo / paso) * paso) + paso, paso))


def _valor(valor, enlace=None, color=None):
    dato = {"value": float(valor or 0)}
    if enlace:
        dato["xlink"] = {"href": enlace, "target": "_self"}
    if color:
        dato["color"] = color
    return dato


def _filtro(*, ident: str, titulo: str, descripcion: str, series: list[str]):
    """Makes pygal's tree self-contained and accessible: no script, no comment (pygal's home
    page), role="img" labelled by a <title> and a <desc>, and a native tooltip (<title>) on
    every bar, which needs no JavaScript."""

    def filtrar(raiz):
        for padre in list(raiz.iter()):
            for hijo in list(padre):
                if hijo.tag is etree.Comment or hijo.tag == "script":
                    padre.remove(hijo)
        for g in raiz.iter("g"):
            clases = (g.get("class") or "").split()
            if "series" not in clases:
                continue
            indice = next((int(c[6:]) for c in clases if c.startswith("serie-") and c[6:].isdigit()), None)
            nombre = series[indice] if indice is not None and indice < len(series) else ""
            for barra in g.iter("g"):
                if "bar" not in (barra.get("class") or "").split():
                    continue
                descs = {d.get("class"): d.text for d in barra.iter("desc")}
                partes = [p for p in (nombre, descs.get("x_label"), descs.get("value")) if p]
                destino = next(iter(barra), None)
                destino = destino if destino is not None and destino.tag == "a" else barra
                etree.SubElement(destino, "title").text = ": ".join(partes)
        raiz.set("role", "img")
        raiz.set("aria-labelledby", f"{ident}-titulo {ident}-desc")
        existente = next((e for e in raiz if e.tag == "title"), None)
        if existente is not None:
            raiz.remove(existente)
        nodo_desc = etree.Element("desc", id=f"{ident}-desc")
        nodo_desc.text = descripcion
        raiz.insert(0, nodo_desc)
        nodo_titulo = etree.Element("title", id=f"{ident}-titulo")
        nodo_titulo.text = titulo
        raiz.insert(0, nodo_titulo)
        return raiz

    return filtrar


_contador = iter(range(1, 10**9))


def _dibujar(clase, *, titulo, descripcion, series_nombres, ident, configurar, colores=None, css="", **opciones):
    ident = f"grafico-{ident or next(_contador)}"
    # `css`: rules of this chart only ("{id}" is its root selector), inlined like pygal's own
    propio = [f"inline:{css.replace('{id}', f'#chart-{ident}')}"] if css else []
    grafico = clase(**{**CONFIGURACION, "style": _estilo(colores),
                       "css": ["file://style.css", "file://graph.css", *propio], **opciones})
    grafico.uuid = ident  # pygal prefixes its CSS with #chart-<uuid>: one per chart on the page
    configurar(grafico)
    grafico.add_xml_filter(_filtro(ident=ident, titulo=titulo, descripcion=descripcion,
                                   series=series_nombres))
    return mark_safe(grafico.render(is_unicode=True))


def _descripcion(titulo, etiquetas, valores, formato_) -> str:
    return f"{titulo}. " + "; ".join(
        f"{e}: {cifra_formatear(v, formato_)}" for e, v in zip(etiquetas, valores)) + "."


def barras(*, titulo: str, etiquetas: list[str], valores: list, formato: str = ENTERO,
           enlaces: list | None = None, colores: list | None = None, columna: str = "",
           extra: dict[str, list[str]] | None = None, vacio: str = "Sin datos.", ident: str = "",
           horizontal: bool = False, alto: int = 300, encabezado: str = "") -> Grafico:
    """One series. `extra`: more columns for the table (title → cells already written),
    e.g. the number of expedientes behind each amount."""
    columnas = [encabezado or "", columna or ("Monto" if formato == USD else "Cantidad"), *(extra or {})]
    filas = [[e, cifra_formatear(v, formato), *(c[i] for c in (extra or {}).values())]
             for i, (e, v) in enumerate(zip(etiquetas, valores))]
    descripcion = _descripcion(titulo, etiquetas, valores, formato)
    if not any(valores):
        return Grafico(titulo, descripcion, "", columnas, filas, vacio)
    enlaces = enlaces or [None] * len(valores)
    colores = colores or [None] * len(valores)
    orden = (lambda lista: list(reversed(lista))) if horizontal else list  # pygal draws them bottom-up

    def configurar(g):
        g.x_labels = orden(etiquetas)
        g.add(titulo, orden([_valor(v, e, c) for v, e, c in zip(valores, enlaces, colores)]))

    svg = _dibujar(pygal.HorizontalBar if horizontal else pygal.Bar, titulo=titulo, descripcion=descripcion,
                   series_nombres=[""], ident=ident, configurar=configurar, show_legend=False,
                   print_values=True, print_values_position="top", value_formatter=_eje,
                   y_labels=_marcas(max(valores)), height=alto,
                   # the figure just past the end of its bar, not across it
                   css="{id} .text-overlay text.value{text-anchor:start;transform:translateX(5px)}" if horizontal
                   else "", **({"margin_right": 64} if horizontal else {}))  # room for the longest figure
    return Grafico(titulo, descripcion, svg, columnas, filas)


def embudo(*, titulo: str, etiquetas: list[str], valores: list, **opciones) -> Grafico:
    """The stages of a process in their order, top to bottom (horizontal bars: a stage can
    hold more than the one before it, which a drawn funnel would hide)."""
    opciones.setdefault("alto", max(220, 34 * len(etiquetas) + 40))
    return barras(titulo=titulo, etiquetas=etiquetas, valores=valores, horizontal=True, **opciones)


def _tabla_de_series(etiquetas, series, formato_, encabezado):
    nombres = list(series)
    columnas = [encabezado or "", *nombres, "Total"]
    filas = []
    for i, etiqueta in enumerate(etiquetas):
        fila = [series[n][i] for n in nombres]
        filas.append([etiqueta, *(cifra_formatear(v, formato_) for v in fila),
                      cifra_formatear(sum(fila, Decimal(0) if formato_ == USD else 0), formato_)])
    return columnas, filas


def _descripcion_series(titulo, etiquetas, series, formato_) -> str:
    partes = []
    for i, etiqueta in enumerate(etiquetas):
        valores = [f"{n} {cifra_formatear(v[i], formato_)}" for n, v in series.items() if v[i]]
        partes.append(f"{etiqueta}: {', '.join(valores) if valores else 'ninguno'}")
    return f"{titulo}. " + "; ".join(partes) + "."


def _varias_series(clase, *, titulo, etiquetas, series, formato, enlaces, colores, vacio, ident,
                   encabezado, maximo, **opciones) -> Grafico:
    columnas, filas = _tabla_de_series(etiquetas, series, formato, encabezado)
    descripcion = _descripcion_series(titulo, etiquetas, series, formato)
    if not any(any(v) for v in series.values()):
        return Grafico(titulo, descripcion, "", columnas, filas, vacio)
    enlaces = enlaces or {}
    colores = colores or {}

    def configurar(g):
        g.x_labels = etiquetas
        for nombre, valores in series.items():
            propios = enlaces.get(nombre) or [None] * len(valores)
            g.add(nombre, [_valor(v, e) for v, e in zip(valores, propios)],
                  **({"stroke_style": {"width": 3}} if clase is pygal.Line else {}))

    svg = _dibujar(clase, titulo=titulo, descripcion=descripcion, series_nombres=list(series), ident=ident,
                   configurar=configurar, value_formatter=_eje, y_labels=_marcas(maximo),
                   show_legend=len(series) > 1,
                   colores=[colores.get(n, PALETA[i % len(PALETA)]) for i, n in enumerate(series)],
                   **opciones)
    return Grafico(titulo, descripcion, svg, columnas, filas)


def barras_apiladas(*, titulo: str, etiquetas: list[str], series: dict[str, list], formato: str = ENTERO,
                    enlaces: dict[str, list] | None = None, colores: dict[str, str] | None = None,
                    vacio: str = "Sin datos.", ident: str = "", encabezado: str = "", **opciones) -> Grafico:
    """Several series stacked on each label (e.g. provinces on each year); the table adds a
    «Total» column."""
    maximo = max((sum(valores[i] for valores in series.values()) for i in range(len(etiquetas))), default=0)
    return _varias_series(pygal.StackedBar, titulo=titulo, etiquetas=etiquetas, series=series, formato=formato,
                          enlaces=enlaces, colores=colores, vacio=vacio, ident=ident, encabezado=encabezado,
                          maximo=maximo, **opciones)


def lineas(*, titulo: str, etiquetas: list[str], series: dict[str, list], formato: str = ENTERO,
           enlaces: dict[str, list] | None = None, colores: dict[str, str] | None = None,
           vacio: str = "Sin datos.", ident: str = "", encabezado: str = "", **opciones) -> Grafico:
    maximo = max((max(valores, default=0) for valores in series.values()), default=0)
    return _varias_series(pygal.Line, titulo=titulo, etiquetas=etiquetas, series=series, formato=formato,
                          enlaces=enlaces, colores=colores, vacio=vacio, ident=ident, encabezado=encabezado,
                          maximo=maximo, show_dots=True, dots_size=3, **opciones)


def barras_agrupadas(*, titulo: str, etiquetas: list[str], series: dict[str, list], formato: str = ENTERO,
                     enlaces: dict[str, list] | None = None, colores: dict[str, str] | None = None,
                     vacio: str = "Sin datos.", ident: str = "", encabezado: str = "", **opciones) -> Grafico:
    """Several series side by side on each label (figures that are not parts of one whole,
    e.g. providencias issued and notified)."""
    maximo = max((max(valores, default=0) for valores in series.values()), default=0)
    return _varias_series(pygal.Bar, titulo=titulo, etiquetas=etiquetas, series=series, formato=formato,
                          enlaces=enlaces, colores=colores, vacio=vacio, ident=ident, encabezado=encabezado,
                          maximo=maximo, **opciones)


def de_seccion(seccion, enlace=None) -> Grafico | None:
    """The chart a report's section asks for (`Seccion.grafico`: "barras" or "lineas"), drawn
    from its own table, so the picture and the table can never disagree. The first column
    labels the bars; the figures are the columns in USD if there are any, else the counts; a
    «total» column beside its parts makes the parts stacked (the total is the bar's height);
    a «Total» row is left out. `enlace(cifra)` gives a cell's drill-down URL: each bar links
    to the expedientes behind its cell, or behind its row when the cell has no figure of its
    own."""
    if seccion.grafico not in ("barras", "lineas") or not seccion.filas:
        return None
    def valor(celda):
        return celda.valor if isinstance(celda, Cifra) else celda

    numericas = [i for i, c in enumerate(seccion.columnas[1:], 1) if c.formato in (ENTERO, USD) and not c.opciones]
    formato_ = USD if any(seccion.columnas[i].formato == USD for i in numericas) else ENTERO
    indices = [i for i in numericas if seccion.columnas[i].formato == formato_]
    partes = [i for i in indices if seccion.columnas[i].clave != "total"]
    apilar = len(partes) > 1 and len(partes) < len(indices)
    indices = partes if apilar else indices
    if not indices:
        return None
    filas = [f for f in seccion.filas if str(valor(f[0])).strip().lower() != "total"]
    etiquetas = [str(seccion.columnas[0].mostrar(valor(f[0]))) for f in filas]
    titulos = {i: str(seccion.columnas[i].titulo) for i in indices}  # choices' labels are lazy
    series = {titulos[i]: [valor(f[i]) or 0 for f in filas] for i in indices}
    def cifra_de(fila, i):  # the cell's own figure, else the row's (e.g. the month's total)
        return fila[i] if isinstance(fila[i], Cifra) else next((c for c in fila if isinstance(c, Cifra)), None)

    enlaces = {titulos[i]: [enlace(cifra_de(f, i)) if enlace and cifra_de(f, i) else None for f in filas]
               for i in indices}
    opciones = dict(titulo=str(seccion.titulo), etiquetas=etiquetas, series=series, formato=formato_, enlaces=enlaces,
                    encabezado=str(seccion.columnas[0].titulo), ident=f"seccion-{seccion.clave}")
    if sum(len(e) for e in etiquetas) > 50:  # twelve months side by side would overwrite each other
        opciones["x_label_rotation"] = 35
    if seccion.grafico == "lineas":
        return lineas(**opciones)
    return (barras_apiladas if apilar or len(series) == 1 else barras_agrupadas)(**opciones)
