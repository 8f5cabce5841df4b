"""The balance of many expedientes at a date, in SQL: what the pending-portfolio report, the
dashboard and the annual report read. The contract (issue 11):

    saldos_al(expedientes, fecha) -> the same queryset annotated with Decimal
        saldo_capital, saldo_intereses, saldo_costas, saldo_total (at `fecha`, inclusive)

PROVISIONAL: capital − payments and costas, no interest. It is replaced by the stored account
segments kept by the ledger's services (exact, interest included, equal to
expedientes.liquidacion.liquidar)."""

from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
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
