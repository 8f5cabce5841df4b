"""Which payments count toward a payment plan and where each instalment stands: the pure
rule of expedientes/convenios.py, without the database."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings as hsettings, strategies as st

from expedientes.convenios import EstadoCuota, convenio_situacion, pago_cuenta_para_convenio

D = Decimal
UTC = timezone.utc


@dataclass
class Convenio:
    fecha: date
    registrado_en: datetime | None
    dias_gracia: int
    monto_total: Decimal


@dataclass
class Cuota:
    numero: int
    vence: date
    monto: Decimal


@dataclass
class Pago:
    fecha: date
    monto: Decimal
    registrado_en: datetime


PLAN = Convenio(date(2025, 4, 1), datetime(2025, 4, 1, 15, 0, tzinfo=UTC), 5, D("300.00"))
CUOTAS = [Cuota(1, date(2025, 5, 1), D("100.00")), Cuota(2, date(2025, 6, 1), D("100.00")),
          Cuota(3, date(2025, 7, 1), D("100.00"))]


def _pago(fecha, monto, registrado=None):
    return Pago(fecha, D(monto), registrado or datetime.combine(fecha, datetime.min.time(), UTC) + timedelta(hours=16))


def test_un_pago_del_dia_del_convenio_cuenta_una_sola_vez():
    antes = _pago(date(2025, 4, 1), "50.00", datetime(2025, 4, 1, 9, 0, tzinfo=UTC))  # in the plan's total
    despues = _pago(date(2025, 4, 1), "50.00", datetime(2025, 4, 1, 16, 0, tzinfo=UTC))
    assert not pago_cuenta_para_convenio(pago=antes, convenio=PLAN)
    assert pago_cuenta_para_convenio(pago=despues, convenio=PLAN)
    assert pago_cuenta_para_convenio(pago=_pago(date(2025, 4, 2), "1.00"), convenio=PLAN)
    assert not pago_cuenta_para_convenio(pago=_pago(date(2025, 3, 30), "1.00", PLAN.registrado_en
                                                    - timedelta(days=1)), convenio=PLAN)
    # dated before the plan but recorded after it: it was not in the plan's total
    assert pago_cuenta_para_convenio(pago=_pago(date(2025, 3, 30), "1.00", datetime(2025, 4, 5, tzinfo=UTC)),
                                     convenio=PLAN)


def test_convenio_anterior_al_registro_de_la_hora_cuenta_por_fecha():
    antiguo = Convenio(PLAN.fecha, None, 5, PLAN.monto_total)
    assert not pago_cuenta_para_convenio(pago=_pago(date(2025, 4, 1), "1.00"), convenio=antiguo)
    assert pago_cuenta_para_convenio(pago=_pago(date(2025, 4, 2), "1.00"), convenio=antiguo)


def test_estado_de_cada_cuota():
    pagos = [_pago(date(2025, 4, 28), "100.00"), _pago(date(2025, 5, 20), "40.00")]
    situacion = convenio_situacion(convenio=PLAN, cuotas=CUOTAS, pagos=pagos, fecha=date(2025, 5, 25))
    assert [c.estado for c in situacion.cuotas] == [EstadoCuota.PAGADA, EstadoCuota.PARCIAL, EstadoCuota.PENDIENTE]
    assert [c.pagado for c in situacion.cuotas] == [D("100.00"), D("40.00"), D("0.00")]
    assert situacion.pagado == D("140.00") and situacion.incumplida is None and not situacion.cumplido
    assert situacion.proxima.numero == 2
    en_gracia = convenio_situacion(convenio=PLAN, cuotas=CUOTAS, pagos=pagos, fecha=date(2025, 6, 6))
    assert en_gracia.cuotas[1].estado == EstadoCuota.VENCIDA and en_gracia.incumplida is None
    vencida = convenio_situacion(convenio=PLAN, cuotas=CUOTAS, pagos=pagos, fecha=date(2025, 6, 7))
    assert vencida.cuotas[1].estado == EstadoCuota.INCUMPLIDA and vencida.incumplida.numero == 2


def test_un_pago_tardio_no_borra_el_incumplimiento():
    pagos = [_pago(date(2025, 5, 10), "100.00")]  # cuota 1 due 01/05, five days of grace: late
    for revision in (date(2025, 5, 7), date(2025, 5, 10), date(2025, 5, 15), date(2026, 1, 1)):
        situacion = convenio_situacion(convenio=PLAN, cuotas=CUOTAS, pagos=pagos, fecha=revision)
        assert situacion.incumplida.numero == 1, revision
    tarde = convenio_situacion(convenio=PLAN, cuotas=CUOTAS, pagos=pagos, fecha=date(2025, 5, 15))
    assert tarde.cuotas[0].pagado == D("100.00") and tarde.cuotas[0].pagado_en_plazo == 0


def test_pagos_posteriores_a_la_revision_no_cuentan_todavia():
    pagos = [_pago(date(2025, 4, 20), "300.00")]
    assert convenio_situacion(convenio=PLAN, cuotas=CUOTAS, pagos=pagos, fecha=date(2025, 4, 19)).pagado == 0
    cumplido = convenio_situacion(convenio=PLAN, cuotas=CUOTAS, pagos=pagos, fecha=date(2025, 4, 20))
    assert cumplido.cumplido and cumplido.proxima is None


pagos_al_azar = st.lists(st.tuples(st.integers(0, 120), st.integers(1, 15000)), max_size=6)


@hsettings(max_examples=200, deadline=None)
@given(pagos_al_azar, st.integers(0, 150), st.integers(0, 150))
def test_un_incumplimiento_nunca_desaparece(pagos, dia1, dia2):
    """Whatever day the review runs and whatever is paid later, a default that happened stays."""
    pagos = [_pago(PLAN.fecha + timedelta(days=d), D(c) / 100) for d, c in pagos]
    primera, segunda = sorted((PLAN.fecha + timedelta(days=dia1), PLAN.fecha + timedelta(days=dia2)))
    antes = convenio_situacion(convenio=PLAN, cuotas=CUOTAS, pagos=pagos, fecha=primera)
    despues = convenio_situacion(convenio=PLAN, cuotas=CUOTAS, pagos=pagos, fecha=segunda)
    if antes.incumplida is not None:
        assert despues.incumplida is not None and despues.incumplida.numero == antes.incumplida.numero
    for cuota in despues.cuotas:
        assert 0 <= cuota.pagado_en_plazo <= cuota.pagado <= cuota.monto
    assert sum(c.pagado for c in despues.cuotas) == min(despues.pagado, PLAN.monto_total)
