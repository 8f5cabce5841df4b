"""The balance of many expedientes at a date, in SQL: what the pending-portfolio report, the
dashboard and the annual report read. The contract (issue 11):

    saldos_al(expedientes, fecha) -> the same queryset annotated with Decimal
        saldo_capital, saldo_intereses, saldo_costas, saldo_total (at `fecha`, inclusive)
    TRAMOS_ANTIGUEDAD: the ageing buckets, (desde_anios, hasta_anios or None, etiqueta)
    cartera_por_antiguedad(expedientes, fecha) -> one dict per bucket:
        {"clave", "etiqueta", "expedientes" (count with a balance), "total" (Decimal)}
      the age of a debt is counted from the reception of its orden de cobro (fecha_recepcion)

PROVISIONAL: capital − payments and costas, no interest. It is replaced by the stored account
segments kept by the ledger's services (exact, interest included, equal to
expedientes.liquidacion.liquidar)."""

from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest

CERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _suma(modelo, campo: str, filtro: Q) -> Subquery:
    return Coalesce(Subquery(
        modelo.objects.filter(filtro, expediente=OuterRef("pk")).order_by().values("expediente")
        .annotate(s=Sum(campo)).values("s")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=2)), CERO)


def saldos_al(expedientes: QuerySet, fecha: date) -> QuerySet:
    from expedientes.models import Costa, Pago, TituloCredito

    titulos = _suma(TituloCredito, "capital", Q(fecha_emision__lte=fecha))
    pagos = _suma(Pago, "monto", Q(fecha__lte=fecha, anulado_en__isnull=True))
    costas = _suma(Costa, "monto", Q(fecha__lte=fecha))
    return expedientes.annotate(
        saldo_costas=costas,
        saldo_intereses=CERO,
        saldo_capital=Greatest(titulos - pagos, CERO),
        saldo_total=Greatest(titulos + costas - pagos, CERO),
    )


TRAMOS_ANTIGUEDAD = (
    (0, 1, "Hasta 1 año"),
    (1, 3, "De 1 a 3 años"),
    (3, 5, "De 3 a 5 años"),
    (5, 10, "De 5 a 10 años"),
    (10, None, "Más de 10 años"),
)


def _tramo_de(fecha: date):
    """The bucket index of each expediente (by fecha_recepcion) at `fecha`, as SQL."""
    from dateutil.relativedelta import relativedelta

    casos = [When(fecha_recepcion__gt=fecha - relativedelta(years=hasta), then=Value(i))
             for i, (_, hasta, _) in enumerate(TRAMOS_ANTIGUEDAD) if hasta is not None]
    return Case(*casos, default=Value(len(TRAMOS_ANTIGUEDAD) - 1), output_field=IntegerField())


def cartera_por_antiguedad(expedientes: QuerySet, fecha: date) -> list[dict]:
    filas = (saldos_al(expedientes.filter(fecha_recepcion__lte=fecha), fecha)
             .filter(saldo_total__gt=0).annotate(tramo=_tramo_de(fecha))
             .order_by().values("tramo").annotate(n=Count("pk"), total=Sum("saldo_total")))
    por_tramo = {f["tramo"]: f for f in filas}
    return [{"clave": f"antiguedad_{i}", "etiqueta": etiqueta,
             "expedientes": por_tramo.get(i, {}).get("n", 0),
             "total": por_tramo.get(i, {}).get("total") or Decimal("0.00")}
            for i, (_, _, etiqueta) in enumerate(TRAMOS_ANTIGUEDAD)]
