"""The ledger never loses a cent: for any sequence of títulos, costas, rate changes and
payments, balance = obligations + interest + costas − payments, exactly (hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings as hsettings, strategies as st

from expedientes.liquidacion import (
    Abono, Cargo, LiquidacionError, Obligacion, Tasa, liquidar,
)

D = Decimal
INICIO = date(2020, 1, 1)


def test_interes_simple_de_un_anio():
    estado = liquidar(obligaciones=[Obligacion(INICIO, D("1000.00"))],
                      tasas=[Tasa(date(2019, 1, 1), D("10"))], hasta=date(2020, 12, 31))
    # 2020 has 366 days; from 02/01 to 31/12 inclusive: 365 days at 10 % over 365
    assert estado.intereses == D("100.00")
    assert estado.saldo == D("1100.00")


def test_cambio_de_tasa_a_mitad_de_periodo():
    estado = liquidar(
        obligaciones=[Obligacion(date(2025, 1, 1), D("3650.00"))],
        tasas=[Tasa(date(2024, 1, 1), D("10")), Tasa(date(2025, 1, 11), D("20"))],
        hasta=date(2025, 1, 20),
    )
    # 2..10 Jan: 9 days at 10 % = 9.00; 11..20 Jan: 10 days at 20 % = 20.00
    assert estado.intereses == D("29.00")


def test_pago_se_imputa_a_intereses_costas_y_capital():
    estado = liquidar(
        obligaciones=[Obligacion(date(2025, 1, 1), D("3650.00"))],
        cargos=[Cargo(date(2025, 1, 5), D("40.00"), "publicación por la prensa")],
        abonos=[Abono(date(2025, 1, 11), D("100.00"), "R-1")],
        tasas=[Tasa(date(2024, 1, 1), D("10"))], hasta=date(2025, 1, 11),
    )
    (imputacion,) = estado.imputaciones
    assert (imputacion.intereses, imputacion.costas, imputacion.capital) == (D("10.00"), D("40.00"), D("50.00"))
    assert estado.capital == D("3600.00") and estado.saldo == D("3600.00")


def test_pago_mayor_al_saldo_se_rechaza():
    with pytest.raises(LiquidacionError, match="supera el saldo"):
        liquidar(obligaciones=[Obligacion(INICIO, D("100.00"))],
                 abonos=[Abono(INICIO + timedelta(days=1), D("100.01"), "R-9")], hasta=date(2020, 2, 1))


def test_sin_tasa_registrada_se_cuenta_y_no_se_inventa():
    estado = liquidar(obligaciones=[Obligacion(INICIO, D("100.00"))], hasta=INICIO + timedelta(days=30))
    assert estado.intereses == 0 and estado.dias_sin_tasa == 30


# --- property tests -------------------------------------------------------------------------

montos = st.decimals(min_value=D("0.01"), max_value=D("50000"), places=2)
dias = st.integers(min_value=0, max_value=2000)
tasas = st.lists(st.tuples(dias, st.decimals(min_value=D("0"), max_value=D("40"), places=4)), max_size=6)


@st.composite
def cuentas(draw):
    obligaciones = [Obligacion(INICIO + timedelta(days=d), m) for d, m in
                    draw(st.lists(st.tuples(dias, montos), min_size=1, max_size=4))]
    cargos = [Cargo(INICIO + timedelta(days=d), m) for d, m in draw(st.lists(st.tuples(dias, montos), max_size=4))]
    tasas_ = [Tasa(INICIO + timedelta(days=d - 200), t) for d, t in draw(tasas)]
    # payments: each a fraction of the balance at its date, so none exceeds it
    abonos = []
    for dia, fraccion in sorted(draw(st.lists(st.tuples(dias, st.fractions(0, 1)), max_size=6))):
        fecha = INICIO + timedelta(days=dia)
        saldo = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas_, hasta=fecha).saldo
        monto = (saldo * D(fraccion.numerator) / D(fraccion.denominator or 1)).quantize(D("0.01"))
        if monto > 0:
            abonos.append(Abono(fecha, min(monto, saldo), f"R-{len(abonos)}"))
    hasta = INICIO + timedelta(days=draw(st.integers(0, 2500)))
    return obligaciones, cargos, abonos, tasas_, hasta


@hsettings(max_examples=300, deadline=None)
@given(cuentas())
def test_nunca_se_pierde_un_centavo(cuenta):
    obligaciones, cargos, abonos, tasas_, hasta = cuenta
    e = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas_, hasta=hasta)
    assert e.saldo == e.capital_total + e.intereses_total + e.costas_total - e.pagado_total
    assert min(e.capital, e.intereses, e.costas) >= 0
    assert e.pagado_total == sum((a.monto for a in abonos if a.fecha <= hasta), D(0))
    assert e.capital_total == sum((o.capital for o in obligaciones if o.exigible_desde <= hasta), D(0))
    for i in e.imputaciones:
        assert i.intereses + i.costas + i.capital == i.abono.monto
    for valor in (e.capital, e.intereses, e.costas, e.intereses_total):
        assert valor == valor.quantize(D("0.01"))  # always whole cents


@hsettings(max_examples=150, deadline=None)
@given(cuentas(), st.integers(0, 400))
def test_los_intereses_devengados_no_disminuyen_con_el_tiempo(cuenta, mas_dias):
    obligaciones, cargos, abonos, tasas_, hasta = cuenta
    antes = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas_, hasta=hasta)
    despues = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas_,
                       hasta=hasta + timedelta(days=mas_dias))
    assert despues.intereses_total >= antes.intereses_total


@hsettings(max_examples=150, deadline=None)
@given(cuentas())
def test_pagar_el_saldo_lo_deja_en_cero(cuenta):
    obligaciones, cargos, abonos, tasas_, hasta = cuenta
    abonos = [a for a in abonos if a.fecha <= hasta]
    saldo = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas_, hasta=hasta).saldo
    if saldo > 0:
        final = liquidar(obligaciones=obligaciones, cargos=cargos, tasas=tasas_, hasta=hasta,
                         abonos=[*abonos, Abono(hasta, saldo, "total")])
        assert final.saldo == 0


# --- one rounding rule: interest accrues exactly, only the cumulative total is rounded ------

def test_la_regla_de_redondeo_es_medio_centavo_hacia_arriba():
    from fractions import Fraction

    from expedientes.liquidacion import centavos

    assert centavos(Fraction(1, 200)) == D("0.01")  # half a cent goes up
    assert centavos(Fraction(1, 201)) == D("0.00")
    assert centavos(Fraction(5479452, 10_000_000)) == D("0.55")
    assert centavos(D("12.345")) == D("12.35")


def _un_dia_de_mas(**extra):
    """1.000,00 at 10 % from 01/01/2025: 0,2739726… a day."""
    return liquidar(obligaciones=[Obligacion(date(2025, 1, 1), D("1000.00"))],
                    tasas=[Tasa(date(2024, 1, 1), D("10"))], hasta=date(2025, 1, 3), **extra)


def test_una_costa_en_otro_dia_no_mueve_un_centavo_de_interes():
    sin_costa = _un_dia_de_mas()
    con_costa = _un_dia_de_mas(cargos=[Cargo(date(2025, 1, 2), D("15.00"), "notificación")])
    # two days of 0,2739726… = 0,5479452… → 0,55, whether or not a costa falls in between
    assert sin_costa.intereses_total == con_costa.intereses_total == D("0.55")
    assert con_costa.saldo == D("1015.55")


def test_un_pago_de_intereses_no_mueve_un_centavo_de_interes():
    estado = _un_dia_de_mas(abonos=[Abono(date(2025, 1, 2), D("0.27"), "R-1")])
    (imputacion,) = estado.imputaciones
    assert imputacion.intereses == D("0.27") and imputacion.capital == 0
    assert estado.intereses_total == D("0.55") and estado.intereses == D("0.28")


@hsettings(max_examples=200, deadline=None)
@given(cuentas(), dias, montos)
def test_una_costa_en_cualquier_dia_no_cambia_los_intereses(cuenta, dia, monto):
    """A costa does not accrue interest and does not split the accrual. (A payment after it
    is imputed to it instead of capital, which rightly changes interest: no payments after.)"""
    obligaciones, cargos, abonos, tasas_, hasta = cuenta
    fecha = INICIO + timedelta(days=dia)
    abonos = [a for a in abonos if a.fecha < fecha]
    sin = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas_, hasta=hasta)
    con = liquidar(obligaciones=obligaciones, cargos=[*cargos, Cargo(fecha, monto, "nueva")], abonos=abonos,
                   tasas=tasas_, hasta=hasta)
    assert con.intereses_total == sin.intereses_total
    assert con.saldo == sin.saldo + (monto if fecha <= hasta else 0)


@hsettings(max_examples=200, deadline=None)
@given(cuentas(), dias, st.fractions(0, 1))
def test_un_pago_imputado_solo_a_intereses_y_costas_no_cambia_los_intereses(cuenta, dia, fraccion):
    obligaciones, cargos, abonos, tasas_, hasta = cuenta
    fecha = INICIO + timedelta(days=dia)
    abonos = [a for a in abonos if a.fecha <= fecha]
    antes = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas_, hasta=fecha)
    monto = ((antes.intereses + antes.costas) * D(fraccion.numerator) / D(fraccion.denominator)).quantize(
        D("0.01"), rounding="ROUND_DOWN")
    assume(monto > 0)
    sin = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas_, hasta=hasta)
    con = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=[*abonos, Abono(fecha, monto, "extra")],
                   tasas=tasas_, hasta=hasta)
    assert con.intereses_total == sin.intereses_total
    if fecha <= hasta:
        assert con.imputaciones[-1].capital == 0
        assert con.saldo == sin.saldo - monto
