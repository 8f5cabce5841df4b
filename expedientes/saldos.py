"""The balance of many expedientes at a date, in SQL: what the pending-portfolio report, the
dashboard and the annual report read. The contract (issue 11):

    saldos_al(expedientes, fecha) -> the same queryset annotated with Decimal
        saldo_capital, saldo_intereses, saldo_costas, saldo_total (at `fecha`, inclusive)
      and also saldo_pagado (payments in force up to `fecha`) and saldo_error (why the account
      cannot be liquidated at `fecha`, its amounts then 0; "" or None when it can)
    TRAMOS_ANTIGUEDAD: the ageing buckets, (desde_anios, hasta_anios or None, etiqueta)
    cartera_por_antiguedad(expedientes, fecha) -> one dict per bucket:
        {"clave", "etiqueta", "expedientes" (count with a balance), "total" (Decimal),
         "capital", "intereses", "costas" (Decimal)}
      the age of a debt is counted from the reception of its orden de cobro (fecha_recepcion)

Exact to the cent, equal to expedientes.liquidacion.liquidar(hasta=fecha), without running the
ledger per expediente: the ledger's services store each account as segments between its event
dates (TramoCuenta, services/cuenta.py cuenta_recalcular). Between two events the pending
capital is constant and interest is simple, so the segment containing `fecha` gives
    devengado(fecha) = devengado(desde) + capital · (R(fecha) − R(desde))
with R the cumulative rate (liquidacion.tasa_acumulada; its SQL twin `_tasa_acumulada_sql`
below, one uncorrelated subquery over the small rate table, evaluated once per query). The
interest is rounded once, half up (`centavos`), in exact numeric arithmetic:
cents = div(2·devengado + BASE, 2·BASE). One LEFT JOIN per date on the segments (segments
of an expediente do not overlap: at most one row each), no correlated subquery per row."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce

DINERO = DecimalField(max_digits=16, decimal_places=2)
EXACTO = DecimalField(max_digits=40, decimal_places=6)
CERO = Value(Decimal("0.00"), output_field=DINERO)


def _tasa_acumulada_sql(fecha: date) -> RawSQL:
    """R(fecha) over the rate table: each rate times the days it governed up to `fecha`."""
    from expedientes.models import TasaInteres

    tabla = TasaInteres._meta.db_table
    return RawSQL(
        "(SELECT COALESCE(SUM(t.tasa_anual * GREATEST(0, LEAST(%s::date + 1, "
        "COALESCE(t.siguiente, %s::date + 1)) - t.vigente_desde)), 0) FROM (SELECT tasa_anual, vigente_desde, "
        f"LEAD(vigente_desde) OVER (ORDER BY vigente_desde) AS siguiente FROM {tabla}) t)",
        (fecha, fecha), output_field=EXACTO)


def saldos_al(expedientes: QuerySet, fecha: date, *, prefijo: str = "saldo") -> QuerySet:
    """`prefijo` names the annotations (prefijo_capital, ...): two dates on one queryset."""
    tramo = f"_tramo_{prefijo}"
    en_fecha = FilteredRelation("tramos", condition=Q(tramos__desde__lte=fecha) & (
        Q(tramos__hasta__gte=fecha) | Q(tramos__hasta__isnull=True)))
    base = int(settings.LIQUIDACION["BASE_DIAS"])
    devengado = ExpressionWrapper(
        F(f"{tramo}__devengado") + F(f"{tramo}__capital") * (_tasa_acumulada_sql(fecha) - F(f"{tramo}__tasa_acumulada")),
        output_field=EXACTO)
    centavos = Func(devengado * Value(2) + Value(base), Value(2 * base), function="div", output_field=EXACTO)
    intereses = Coalesce(Cast(centavos / Value(100), DINERO) - F(f"{tramo}__intereses_pagados"), CERO,
                         output_field=DINERO)
    capital = Coalesce(F(f"{tramo}__capital"), CERO, output_field=DINERO)
    costas = Coalesce(F(f"{tramo}__costas"), CERO, output_field=DINERO)
    return expedientes.annotate(**{tramo: en_fecha}).annotate(**{
        f"{prefijo}_capital": capital,
        f"{prefijo}_intereses": intereses,
        f"{prefijo}_costas": costas,
        f"{prefijo}_total": ExpressionWrapper(capital + intereses + costas, output_field=DINERO),
        f"{prefijo}_pagado": Coalesce(F(f"{tramo}__pagado_total"), CERO, output_field=DINERO),
        f"{prefijo}_error": F(f"{tramo}__error"),
    })


TRAMOS_ANTIGUEDAD = (
    (0, 1, "Hasta 1 año"),
    (1, 3, "De 1 a 3 años"),
    (3, 5, "De 3 a 5 años"),
    (5, 10, "De 5 a 10 años"),
    (10, None, "Más de 10 años"),
)


def tramo_de(fecha: date):
    """The bucket index of each expediente (by fecha_recepcion) at `fecha`, as SQL."""
    from dateutil.relativedelta import relativedelta

    casos = [When(fecha_recepcion__gt=fecha - relativedelta(years=hasta), then=Value(i))
             for i, (_, hasta, _) in enumerate(TRAMOS_ANTIGUEDAD) if hasta is not None]
    return Case(*casos, default=Value(len(TRAMOS_ANTIGUEDAD) - 1), output_field=IntegerField())


def cartera_pendiente(expedientes: QuerySet, fecha: date) -> QuerySet:
    """The expedientes received by `fecha` with a balance at `fecha`, annotated with saldo_*
    and `antiguedad` (bucket index): the one definition of «pending portfolio»."""
    return (saldos_al(expedientes.filter(fecha_recepcion__lte=fecha), fecha)
            .filter(saldo_total__gt=0).annotate(antiguedad=tramo_de(fecha)))


def por_expediente_resumir(consulta: QuerySet, columnas: dict, select: str, parametros=(), *,
                          donde: str = "", agrupar: str = "") -> list[tuple]:
    """Sums over values computed once per expediente. `columnas` (name → expression over
    `consulta`; not a name of the model's) become the columns of a MATERIALIZED CTE
    `por_expediente`; `select`, `donde` and `agrupar` are SQL over those names (with
    `parametros` for their %s). Django inlines an annotation into every expression that names
    it: for the history's thirty filtered sums over four balances this is 25 % faster than
    inlining (measured on 100,000 expedientes). For a handful of sums, Django's own
    aggregate is faster (PostgreSQL runs it in parallel, not a CTE): cartera_por_antiguedad."""
    interna, internos = consulta.order_by().values(**columnas).query.sql_with_params()
    sql = (f"WITH por_expediente AS MATERIALIZED ({interna}) SELECT {select} FROM por_expediente"
           + (f" WHERE {donde}" if donde else "") + (f" GROUP BY {agrupar}" if agrupar else ""))
    with connection.cursor() as cursor:
        cursor.execute(sql, (*internos, *parametros))
        return cursor.fetchall()


def cartera_por_antiguedad(expedientes: QuerySet, fecha: date) -> list[dict]:
    filas = (cartera_pendiente(expedientes, fecha).order_by().values("antiguedad")
             .annotate(n=Count("pk"), total=Sum("saldo_total"), capital=Sum("saldo_capital"),
                       intereses=Sum("saldo_intereses"), costas=Sum("saldo_costas")))
    por_tramo = {f["antiguedad"]: f for f in filas}
    cero = Decimal("0.00")
    return [{"clave": f"antiguedad_{i}", "etiqueta": etiqueta,
             "expedientes": por_tramo.get(i, {}).get("n", 0),
             **{campo: por_tramo.get(i, {}).get(campo) or cero
                for campo in ("total", "capital", "intereses", "costas")}}
            for i, (_, _, etiqueta) in enumerate(TRAMOS_ANTIGUEDAD)]
