"""The unit's dashboard on the admin home (issue 11, point 4): five charts over the expedientes
a report may read for the viewer (`expedientes_del_informe`: the jefe, the secretaría and the
auditor see the unit, an abogado his own), each linked to the report behind it.

    processes by province and year     last ten years, by reception of the orden de cobro
    states of the proceeding           where every expediente is today, in the proceeding's order
    collection by month                last twelve months, by origin, payments not annulled
    portfolio by age                   expedientes.saldos.cartera_por_antiguedad at today
    deadlines                          overdue and due this week, from the stored next deadline

Cost: one aggregate query per chart (GROUP BY in PostgreSQL), whatever the number of
expedientes; nothing is computed per expediente (the deadlines are the stored `plazo_vence`
that expedientes.services.plazos keeps, the balances the SQL of expedientes.saldos). The
panel of deadlines (portal/wagtail_hooks.py) keeps its lists: the chart here counts them by
day, with the same definition (plazos.con_plazo), so their totals agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Case, Count, F, IntegerField, Sum, Value, When
from django.db.models.functions import ExtractYear, TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from expedientes import formato, plazos
from expedientes.estados import EJECUCION, FINALES, SUSPENSIVOS, Estado
from expedientes.informes import graficos
from expedientes.informes.base import MESES, expedientes_del_informe

PERMISO = "expedientes.ver_informes"
ANIOS = 10
MESES_RECAUDACION = 12
DIAS_SEMANA = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")


def enlace_informe(clave: str, cifra: str = "", **consulta) -> str | None:
    """The report screen (`informes_informe`) or the expedientes behind one of its figures
    (`informes_cifra`), with the query string of the contract; None while those screens do
    not exist (the dashboard then shows the chart without the link)."""
    try:
        url = (reverse("informes_cifra", kwargs={"clave": clave, "cifra": cifra}) if cifra
               else reverse("informes_informe", kwargs={"clave": clave}))
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(consulta)}" if consulta else url


def _anio(anio: int) -> dict:
    return {"periodo": "anio", "anio": anio}


def _mes(d: date) -> dict:
    return {"periodo": "mes", "anio": d.year, "mes": d.month}


def _rango(desde: date, hasta: date) -> dict:
    return {"periodo": "rango", "desde": formato.fecha(desde), "hasta": formato.fecha(hasta)}


@dataclass
class Tarjeta:
    clave: str
    titulo: str
    grafico: graficos.Grafico
    enlace: str | None = None  # the report behind the chart
    enlace_texto: str = "Ver el informe"
    nota: str = ""


# --- the five charts -------------------------------------------------------------------------

def procesos_por_provincia(expedientes, hoy: date) -> Tarjeta:
    from expedientes.models import Provincia

    anios = list(range(hoy.year - ANIOS + 1, hoy.year + 1))
    filas = (expedientes.filter(fecha_recepcion__gte=date(anios[0], 1, 1), fecha_recepcion__lte=hoy)
             .order_by().annotate(a=ExtractYear("fecha_recepcion")).values("a", "provincia")
             .annotate(n=Count("pk")))
    cuentas = {(f["a"], f["provincia"]): f["n"] for f in filas}
    provincias = sorted({p for _, p in cuentas})  # INEC code order: Azuay 01, Cañar 03...
    nombres = dict(Provincia.choices)
    series = {nombres.get(p, p): [cuentas.get((a, p), 0) for a in anios] for p in provincias}
    enlaces = {nombres.get(p, p): [enlace_informe("matriz", f"iniciados_{p}", **_anio(a)) for a in anios]
               for p in provincias}
    grafico = graficos.barras_apiladas(
        titulo="Procesos recibidos por provincia y año", etiquetas=[str(a) for a in anios], series=series,
        enlaces=enlaces, encabezado="Año", ident="provincias",
        vacio=f"No hay procesos recibidos desde {anios[0]}.")
    return Tarjeta("provincias", "Procesos por provincia y año", grafico, enlace_informe("matriz", **_anio(hoy.year)),
                   "Ver la matriz de procesos",
                   f"Por la fecha de recepción de la orden de cobro, {anios[0]}–{hoy.year}.")


def _color_de_estado(estado: str) -> str:
    if estado in FINALES:
        return graficos.GRIS
    if estado in SUSPENSIVOS:
        return graficos.AMBAR
    if estado in EJECUCION:
        return graficos.TEAL
    return graficos.INDIGO  # ilocalizable, insolvencia


def estados_actuales(expedientes, hoy: date) -> tuple[Tarjeta, int]:
    """The funnel, and the number of expedientes (the panel's empty state reads it)."""
    cuentas = dict(expedientes.order_by().values_list("estado").annotate(n=Count("pk")))
    estados = list(Estado)  # the order of the proceeding (expedientes/estados.py)
    enlaces = [enlace_informe("estado", f"estado_{e.value}", **_rango(date(hoy.year, 1, 1), hoy))
               or f"{reverse('expedientes_listado')}?{urlencode({'estado': e.value, 'alcance': 'todos'})}"
               for e in estados]
    grafico = graficos.embudo(
        titulo="Expedientes por estado, hoy", etiquetas=[str(e.label) for e in estados],
        valores=[cuentas.get(e.value, 0) for e in estados], colores=[_color_de_estado(e) for e in estados],
        enlaces=enlaces, encabezado="Estado", columna="Expedientes", ident="estados",
        vacio="No hay expedientes.")
    tarjeta = Tarjeta("estados", "Estado de los procedimientos", grafico,
                      enlace_informe("estado", **_rango(date(hoy.year, 1, 1), hoy)),
                      "Ver el estado de los procedimientos",
                      "En el orden del procedimiento: en ejecución (verde azulado), suspendidos (ámbar), "
                      "ilocalizables e insolventes (índigo), terminados (gris).")
    return tarjeta, sum(cuentas.values())


def _meses(hoy: date, n: int) -> list[date]:
    primero = date(hoy.year, hoy.month, 1)
    meses = []
    for _ in range(n):
        meses.append(primero)
        primero = (primero - timedelta(days=1)).replace(day=1)
    return list(reversed(meses))


def _mes_etiqueta(mes: date) -> str:
    return MESES[mes.month - 1][:3]


def recaudacion_por_mes(expedientes, hoy: date) -> Tarjeta:
    from expedientes.models import OrigenPago, Pago

    meses = _meses(hoy, MESES_RECAUDACION)
    filas = (Pago.objects.filter(expediente__in=expedientes, anulado_en__isnull=True,
                                 fecha__gte=meses[0], fecha__lte=hoy)
             .order_by().annotate(m=TruncMonth("fecha")).values("m", "origen").annotate(total=Sum("monto")))
    sumas = {(f["m"], f["origen"]): f["total"] for f in filas}
    origenes = [o for o in OrigenPago if any((m, o.value) in sumas for m in meses)] or list(OrigenPago)
    series = {str(o.label): [sumas.get((m, o.value), Decimal("0")) for m in meses] for o in origenes}
    enlaces = {str(o.label): [enlace_informe("recaudacion", o.value, **_mes(m)) for m in meses] for o in origenes}
    colores = {str(OrigenPago.VOLUNTARIO.label): graficos.TEAL, str(OrigenPago.RETENCION.label): graficos.INDIGO,
               str(OrigenPago.REMATE.label): graficos.AMBAR, str(OrigenPago.CONVENIO.label): graficos.CELESTE}
    grafico = graficos.barras_apiladas(
        titulo="Recaudación por mes y origen (USD)", etiquetas=[_mes_etiqueta(m) for m in meses],
        series=series, formato=graficos.USD, enlaces=enlaces, colores=colores, encabezado="Mes", ident="recaudacion",
        vacio="No se registraron pagos en los últimos doce meses.")
    return Tarjeta("recaudacion", "Recaudación de los últimos doce meses", grafico,
                   enlace_informe("recaudacion", **_rango(meses[0], hoy)), "Ver el informe de recaudación",
                   f"De {MESES[meses[0].month - 1]} de {meses[0].year} a {MESES[hoy.month - 1]} de {hoy.year}: "
                   "pagos no anulados, por la fecha del pago.")


def cartera_antiguedad(expedientes, hoy: date) -> Tarjeta:
    from expedientes.saldos import cartera_por_antiguedad

    tramos = cartera_por_antiguedad(expedientes, hoy)
    grafico = graficos.barras(
        titulo="Cartera pendiente por antigüedad (USD)", etiquetas=[t["etiqueta"] for t in tramos],
        valores=[t["total"] for t in tramos], formato=graficos.USD, columna="Saldo", encabezado="Antigüedad",
        enlaces=[enlace_informe("cartera", t["clave"], **_rango(date(hoy.year, 1, 1), hoy)) for t in tramos],
        extra={"Expedientes": [formato.numero(t["expedientes"], 0) for t in tramos]}, ident="cartera",
        horizontal=True, alto=260, vacio="No hay saldos pendientes.")
    return Tarjeta("cartera", "Cartera pendiente por antigüedad", grafico,
                   enlace_informe("cartera", **_rango(date(hoy.year, 1, 1), hoy)), "Ver la cartera pendiente",
                   f"Saldo al {formato.fecha(hoy)}, por la antigüedad de la orden de cobro.")


# Overdue deadlines by how late they are (days), then every day of the week ahead.
ATRASOS = ((30, "Más de 30 días"), (7, "8 a 30 días"), (0, "1 a 7 días"))


def plazos_por_dia(expedientes, hoy: date, *, propios: bool) -> Tarjeta:
    pendientes = (plazos.con_plazo(expedientes, plazos.VENCIDOS, hoy=hoy)
                  | plazos.con_plazo(expedientes, plazos.SEMANA, hoy=hoy))
    tramo = Case(*(When(plazo_vence__lt=hoy - timedelta(days=dias), then=Value(i))
                   for i, (dias, _) in enumerate(ATRASOS)), default=Value(len(ATRASOS)), output_field=IntegerField())
    filas = (pendientes.order_by().annotate(tramo=tramo, dia=Case(When(plazo_vence__gte=hoy, then=F("plazo_vence"))))
             .values("tramo", "dia").annotate(n=Count("pk")))
    atrasados = [0] * len(ATRASOS)
    por_dia = {}
    for fila in filas:  # at most 3 + 8 rows
        if fila["tramo"] < len(ATRASOS):
            atrasados[fila["tramo"]] += fila["n"]
        else:
            por_dia[fila["dia"]] = fila["n"]
    dias = [hoy + timedelta(days=i) for i in range(plazos.DIAS_SEMANA + 1)]
    listado = reverse("expedientes_listado")
    alcance = "mis" if propios else "todos"
    vencidos = f"{listado}?{urlencode({'plazo': plazos.VENCIDOS, 'alcance': alcance})}"
    semana = f"{listado}?{urlencode({'plazo': plazos.SEMANA, 'alcance': alcance})}"
    etiquetas = [f"Vencidos: {e.lower()}" for _, e in ATRASOS] + [
        "Hoy" if d == hoy else f"{DIAS_SEMANA[d.weekday()]} {d.day:02d}/{d.month:02d}" for d in dias]
    colores = [graficos.ROJO_OSCURO, graficos.ROJO, graficos.ROJO_CLARO, graficos.AMBAR] + [graficos.TEAL] * (len(dias) - 1)
    grafico = graficos.barras(
        titulo="Plazos vencidos y de los próximos siete días", etiquetas=etiquetas,
        valores=atrasados + [por_dia.get(d, 0) for d in dias], colores=colores, columna="Expedientes",
        encabezado="Plazo", enlaces=[vencidos] * len(ATRASOS) + [semana] * len(dias), ident="plazos",
        horizontal=True, alto=360, vacio="Nada vencido y nada vence en los próximos siete días.")
    total_vencidos, total_semana = sum(atrasados), sum(por_dia.values())
    return Tarjeta("plazos", "Plazos", grafico, vencidos, "Ver los vencidos en el listado",
                   f"{formato.numero(total_vencidos, 0)} vencido{'s' if total_vencidos != 1 else ''} y "
                   f"{formato.numero(total_semana, 0)} que vence{'n' if total_semana != 1 else ''} hasta el "
                   f"{formato.fecha(dias[-1])}: el próximo plazo de cada expediente en trámite "
                   "(las listas están en el panel «Plazos»).")


# --- the panel ---------------------------------------------------------------------------------

def tablero_tarjetas(usuario, *, hoy: date | None = None) -> dict:
    """What the panel shows for `usuario`: the cards, or none when there is no expediente to
    chart (the template then says so in one sentence)."""
    from expedientes.selectors import ve_primero_lo_suyo

    hoy = hoy or timezone.localdate()
    expedientes = expedientes_del_informe(usuario)
    propios = ve_primero_lo_suyo(usuario)
    estados, total = estados_actuales(expedientes, hoy)
    tarjetas = []
    if total:
        tarjetas = [plazos_por_dia(expedientes, hoy, propios=propios), estados,
                    procesos_por_provincia(expedientes, hoy), recaudacion_por_mes(expedientes, hoy),
                    cartera_antiguedad(expedientes, hoy)]
    return {"hoy": hoy, "propios": propios, "total": total, "tarjetas": tarjetas,
            "informes": _enlace_indice()}


def _enlace_indice() -> str | None:
    try:
        return reverse("informes_indice")
    except NoReverseMatch:
        return None


class TableroPanel(Component):
    """The charts of the dashboard, before the panel of deadlines (order 50) whose lists the
    first chart counts."""

    name = "tablero"
    order = 45
    template_name = "expedientes/informes/tablero/panel.html"

    def __init__(self, request):
        self.usuario = request.user

    def get_context_data(self, parent_context):
        return tablero_tarjetas(self.usuario)


def tablero_puede_ver(usuario) -> bool:
    return usuario.is_authenticated and usuario.has_perm(PERMISO)
