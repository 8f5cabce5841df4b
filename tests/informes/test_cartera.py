"""The pending portfolio (product 11) and the stored account segments behind it: the balance
read in SQL from the segments equals liquidar to the cent at any date (hypothesis), the
services keep the segments current, the report's totals match the ledger expediente by
expediente, an abogado sees only theirs, and the bulk command reports its progress."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from expedientes.informes.base import Parametros, Periodo, informe_calcular
from expedientes.liquidacion import Abono, Cargo, Obligacion, Tasa, liquidar, tramos
from expedientes.models import (
    Costa,
    ExpedientePage,
    OrigenPago,
    Pago,
    TasaInteres,
    TituloCredito,
    TramoCuenta,
)
from expedientes.saldos import TRAMOS_ANTIGUEDAD, cartera_por_antiguedad, saldos_al
from expedientes.services.cuenta import (
    costa_registrar,
    cuenta_liquidar,
    cuenta_recalcular,
    pago_registrar,
    tasa_registrar,
    titulo_registrar,
)

pytestmark = pytest.mark.servicios

D = Decimal
INICIO = date(2020, 1, 1)
CAMPOS = ("capital", "intereses", "costas", "total")


def _de_liquidar(estado) -> tuple:
    return (estado.capital, estado.intereses, estado.costas, estado.saldo)


def _de_sql(fila) -> tuple:
    return tuple(getattr(fila, f"saldo_{c}") for c in CAMPOS)


def _saldo_sql(expediente, fecha) -> tuple:
    return _de_sql(saldos_al(ExpedientePage.objects.filter(pk=expediente.pk), fecha).get())


def _saldo_python(expediente, fecha) -> tuple:
    expediente = ExpedientePage.objects.prefetch_related("titulos", "costas", "pagos").get(pk=expediente.pk)
    return _de_liquidar(cuenta_liquidar(expediente, fecha))


# --- random accounts ------------------------------------------------------------------------

montos = st.decimals(min_value=D("0.01"), max_value=D("90000"), places=2)
dias = st.integers(min_value=0, max_value=2500)


@st.composite
def cuentas(draw):
    obligaciones = [Obligacion(INICIO + timedelta(days=d), m, f"T-{i}") for i, (d, m) in
                    enumerate(draw(st.lists(st.tuples(dias, montos), min_size=1, max_size=4)))]
    cargos = [Cargo(INICIO + timedelta(days=d), m, f"C-{i}") for i, (d, m) in
              enumerate(draw(st.lists(st.tuples(dias, montos), max_size=3)))]
    fechas_tasa = draw(st.lists(st.integers(-400, 2600), max_size=6, unique=True))
    tasas = [Tasa(INICIO + timedelta(days=d), draw(st.decimals(min_value=D("0"), max_value=D("40"), places=4)))
             for d in fechas_tasa]
    abonos = []  # each a fraction of the balance at its date, so none exceeds it
    for dia, fraccion in sorted(draw(st.lists(st.tuples(dias, st.fractions(0, 1)), max_size=5))):
        fecha = INICIO + timedelta(days=dia)
        saldo = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas, hasta=fecha).saldo
        monto = (saldo * D(fraccion.numerator) / D(fraccion.denominator)).quantize(D("0.01"))
        if monto > 0:
            abonos.append(Abono(fecha, min(monto, saldo), f"R-{len(abonos)}"))
    fechas = [INICIO + timedelta(days=d) for d in draw(st.lists(st.integers(-10, 3000), min_size=1, max_size=5))]
    # the dates of the events themselves and the day before them: the segments' edges
    fechas += draw(st.lists(st.sampled_from([e.fecha for e in abonos + cargos] + [o.exigible_desde for o in obligaciones]),
                            max_size=2))
    return obligaciones, cargos, abonos, tasas, fechas


@hsettings(max_examples=300, deadline=None)
@given(cuentas())
def test_cada_tramo_extendido_a_una_fecha_es_la_liquidacion(cuenta):
    """The identity saldos.py computes in SQL, checked in Python on the segments themselves."""
    from fractions import Fraction

    from django.conf import settings

    from expedientes.liquidacion import centavos, tasa_acumulada

    obligaciones, cargos, abonos, tasas, fechas = cuenta
    segmentos = tramos(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas)
    base = settings.LIQUIDACION["BASE_DIAS"]
    ordenadas = sorted(tasas, key=lambda t: t.vigente_desde)
    for fecha in fechas:
        esperado = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas, hasta=fecha)
        tramo = next((t for t in segmentos if t.desde <= fecha and (t.hasta is None or fecha <= t.hasta)), None)
        if tramo is None:
            assert esperado.saldo == 0 and fecha < segmentos[0].desde
            continue
        devengado = tramo.devengado + tramo.capital * (tasa_acumulada(ordenadas, fecha) - tramo.tasa_acumulada)
        intereses = centavos(Fraction(devengado) / (100 * base))
        assert (tramo.capital, intereses - tramo.intereses_pagados, tramo.costas) == (
            esperado.capital, esperado.intereses, esperado.costas)
        assert tramo.pagado_total == esperado.pagado_total


def _cuenta_guardar(expediente, obligaciones, cargos, abonos, tasas, anulados=()):
    """The rows of one random account, written straight (the services' rules are not what is
    under test here; their path is tested below), then its segments stored."""
    TituloCredito.objects.filter(expediente=expediente).delete()
    Costa.objects.filter(expediente=expediente).delete()
    Pago.objects.filter(expediente=expediente).delete()
    TasaInteres.objects.all().delete()
    TasaInteres.objects.bulk_create(TasaInteres(vigente_desde=t.vigente_desde, tasa_anual=t.tasa_anual, fuente="P")
                                    for t in tasas)
    TituloCredito.objects.bulk_create(
        TituloCredito(expediente=expediente, numero=o.referencia, fecha_emision=o.exigible_desde, resolucion="R",
                      exigible_desde=o.exigible_desde, capital=o.capital) for o in obligaciones)
    Costa.objects.bulk_create(Costa(expediente=expediente, fecha=c.fecha, concepto=c.referencia, monto=c.monto)
                              for c in cargos)
    Pago.objects.bulk_create(
        [Pago(expediente=expediente, fecha=a.fecha, monto=a.monto, origen=OrigenPago.VOLUNTARIO, recibo=a.referencia)
         for a in abonos]
        + [Pago(expediente=expediente, fecha=a.fecha, monto=a.monto, origen=OrigenPago.VOLUNTARIO,
                recibo=f"ANULADO-{a.referencia}", anulado_en=timezone.now(), anulacion_motivo="Error")
           for a in anulados])
    cuenta_recalcular(expediente)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuentas(), st.lists(st.tuples(dias, montos), max_size=2))
def test_saldos_al_en_sql_igual_a_liquidar_al_centavo(expediente, cuenta, anulados):
    obligaciones, cargos, abonos, tasas, fechas = cuenta
    anulados = [Abono(INICIO + timedelta(days=d), m, f"X-{i}") for i, (d, m) in enumerate(anulados)]
    _cuenta_guardar(expediente, obligaciones, cargos, abonos, tasas, anulados)
    for fecha in fechas:
        esperado = liquidar(obligaciones=obligaciones, cargos=cargos, abonos=abonos, tasas=tasas, hasta=fecha)
        assert _saldo_sql(expediente, fecha) == _de_liquidar(esperado), fecha


def test_una_cuenta_que_no_se_puede_liquidar_no_suma_y_lo_dice(expediente):
    _cuenta_guardar(expediente, [Obligacion(INICIO, D("100.00"), "T")], [], [], [Tasa(INICIO, D("10"))])
    Pago.objects.create(expediente=expediente, fecha=INICIO + timedelta(days=10), monto=D("500.00"),
                        origen=OrigenPago.VOLUNTARIO, recibo="R-MAL")
    cuenta_recalcular(expediente)
    antes = saldos_al(ExpedientePage.objects.filter(pk=expediente.pk), INICIO + timedelta(days=9)).get()
    despues = saldos_al(ExpedientePage.objects.filter(pk=expediente.pk), INICIO + timedelta(days=10)).get()
    assert antes.saldo_capital == D("100.00") and antes.saldo_error == ""
    assert despues.saldo_total == 0 and "supera el saldo" in despues.saldo_error


# --- the services keep the segments current ---------------------------------------------------

def _igual_en(expediente, *fechas):
    for fecha in fechas:
        assert _saldo_sql(expediente, fecha) == _saldo_python(expediente, fecha), fecha


def test_los_servicios_mantienen_los_tramos(usuarios, tasa, expediente, settings):
    from expedientes.services.correcciones import titulo_corregir
    from expedientes.services.pagos import pago_anular

    hoy = timezone.localdate()
    fechas = (date(2025, 3, 12), date(2025, 3, 13), date(2025, 6, 30), date(2025, 12, 31), hoy, hoy + timedelta(days=90))
    assert TramoCuenta.objects.filter(expediente=expediente).exists()  # opening stored them
    assert _saldo_sql(expediente, date(2025, 12, 31))[2] == 0 and _saldo_sql(expediente, date(2025, 12, 31))[1] > 0
    _igual_en(expediente, *fechas)
    costa_registrar(expediente=expediente, fecha=date(2025, 4, 2), concepto="Publicación", monto=D("45.10"),
                    usuario=usuarios["secretaria"])
    _igual_en(expediente, *fechas)
    pago = pago_registrar(expediente=expediente, fecha=date(2025, 5, 5), monto=D("300.00"),
                          origen=OrigenPago.VOLUNTARIO, recibo="REC-1", usuario=usuarios["secretaria"])
    _igual_en(expediente, *fechas)
    pagado = _saldo_sql(expediente, date(2025, 6, 30))
    pago_anular(pago=pago, usuario=usuarios["jefe"], motivo="Registrado en el expediente equivocado")
    _igual_en(expediente, *fechas)
    assert _saldo_sql(expediente, date(2025, 6, 30))[3] > pagado[3]
    titulo = expediente.titulos.get()
    titulo_corregir(titulo=titulo, capital=D("2000.00"), motivo="Error de digitación", usuario=usuarios["jefe"])
    _igual_en(expediente, *fechas)
    assert _saldo_sql(expediente, date(2025, 6, 30))[0] == D("2000.00")
    titulo_registrar(expediente=expediente, numero="TC-2", fecha_emision=date(2025, 7, 1), resolucion="R-2",
                     capital=D("99.99"))
    _igual_en(expediente, *fechas)
    antes = _saldo_sql(expediente, date(2025, 12, 31))
    tasa_registrar(vigente_desde=date(2025, 9, 1), tasa_anual=D("17.2500"), fuente="BCE")  # a past rate
    _igual_en(expediente, *fechas)
    assert _saldo_sql(expediente, date(2025, 12, 31))[1] > antes[1]
    assert _saldo_sql(expediente, date(2025, 8, 31)) == _saldo_python(expediente, date(2025, 8, 31))


def test_el_pago_con_su_comprobante_en_el_almacen(usuarios, tasa, expediente, versiones_en_bucket):
    """Through the real store: the receipt's «balance after it» is the stored balance."""
    from expedientes.services.pagos import comprobante_emitir, pago_aplicacion

    pago = pago_registrar(expediente=expediente, fecha=date(2025, 6, 2), monto=D("500.00"),
                          origen=OrigenPago.VOLUNTARIO, recibo="REC-ALM", usuario=usuarios["secretaria"])
    version = comprobante_emitir(pago=pago, usuario=usuarios["secretaria"])
    assert (version.clave, version.version_s3) in versiones_en_bucket()
    cuenta = pago_aplicacion(Pago.objects.get(pk=pago.pk)).cuenta
    assert _saldo_sql(expediente, date(2025, 6, 2)) == _de_liquidar(cuenta)
    # paying the whole balance today closes the account: nothing pending afterwards
    hoy = timezone.localdate()
    saldo = _saldo_sql(expediente, hoy)[3]
    pago_registrar(expediente=expediente, fecha=hoy, monto=saldo, origen=OrigenPago.VOLUNTARIO, recibo="REC-FIN",
                   usuario=usuarios["secretaria"])
    assert _saldo_sql(expediente, hoy) == (0, 0, 0, 0)
    assert _saldo_sql(expediente, hoy + timedelta(days=400)) == (0, 0, 0, 0)


# --- product 11 -----------------------------------------------------------------------------

def _cartera(usuario, corte, provincia=""):
    return informe_calcular(clave="cartera", parametros=Parametros(Periodo.rango(corte, corte), provincia),
                            usuario=usuario)


@pytest.fixture
def cartera_datos(usuarios, tasa):
    """Expedientes of several ages, provinces and lawyers; partial, full and no payments; costas."""
    from permisos import roles
    from tests.factories import expediente_crear, usuario_con_rol

    otro = usuario_con_rol(roles.ROL_ABOGADO, username="otro_abogado")
    sec = usuarios["secretaria"]
    datos = [
        # (fecha, monto, provincia, abogado, pagos [(fecha, monto)], costas [(fecha, monto)])
        (date(2016, 2, 10), D("8000.00"), "01", usuarios["abogado"], [(date(2024, 5, 2), D("1000.00"))], []),
        (date(2021, 7, 1), D("1500.50"), "03", otro, [(date(2023, 3, 1), D("200.00")), (date(2025, 1, 15), D("300.00"))],
         [(date(2022, 1, 10), D("35.00"))]),
        (date(2023, 9, 30), D("640.00"), "01", usuarios["abogado"], [], [(date(2024, 2, 1), D("12.40"))]),
        (date(2025, 3, 13), D("2300.00"), "14", otro, [(date(2025, 8, 1), D("2300.00"))], []),
        (date(2025, 10, 2), D("999.99"), "01", usuarios["abogado"], [], []),
        (date(2026, 3, 1), D("50.00"), "03", otro, [], []),  # received after the 2025 cut-off
    ]
    expedientes = []
    for n, (fecha, monto, provincia, abogado, pagos, costas) in enumerate(datos):
        expediente = expediente_crear(usuario=sec, fecha=fecha, monto=monto, provincia=provincia, abogado=abogado)
        for fecha_costa, valor in costas:
            costa_registrar(expediente=expediente, fecha=fecha_costa, concepto="Costa", monto=valor, usuario=sec)
        for i, (fecha_pago, valor) in enumerate(pagos):
            saldo = _saldo_python(expediente, fecha_pago)[3]
            pago_registrar(expediente=expediente, fecha=fecha_pago, monto=min(valor, saldo),
                           origen=OrigenPago.VOLUNTARIO, recibo=f"R-{n}-{i}", usuario=sec)
        expedientes.append(expediente)
    return expedientes


def _esperado(expedientes, corte):
    """Independently: every expediente liquidated in Python."""
    cuentas = {}
    for expediente in expedientes:
        if expediente.fecha_recepcion <= corte:
            estado = _saldo_python(expediente, corte)
            if estado[3] > 0:
                cuentas[expediente.numero] = (expediente, estado)
    return cuentas


def _tramo_python(recepcion, corte):
    from dateutil.relativedelta import relativedelta

    for i, (_, hasta, _) in enumerate(TRAMOS_ANTIGUEDAD):
        if hasta is not None and recepcion > corte - relativedelta(years=hasta):
            return i
    return len(TRAMOS_ANTIGUEDAD) - 1


@pytest.mark.parametrize("corte", [date(2025, 12, 31), date(2024, 6, 30)])
def test_totales_de_la_cartera_contra_la_liquidacion(usuarios, cartera_datos, corte):
    from dateutil.relativedelta import relativedelta

    esperado = _esperado(cartera_datos, corte)
    resultado = _cartera(usuarios["jefe"], corte)
    assert resultado.cifra("pendientes").valor == len(esperado) == resultado.cifra("pendientes").expedientes.count()
    for i, campo in enumerate(CAMPOS):
        assert resultado.cifra(campo).valor == sum((e[1][i] for e in esperado.values()), D("0.00")), campo
    assert resultado.cifra("intereses").valor > 0
    por_tramo = cartera_por_antiguedad(ExpedientePage.objects.all(), corte)
    for i, tramo in enumerate(por_tramo):
        miembros = [e for e in esperado.values() if _tramo_python(e[0].fecha_recepcion, corte) == i]
        cifra = resultado.cifra(f"antiguedad_{i}")
        assert cifra.valor == tramo["total"] == sum((e[1][3] for e in miembros), D("0.00"))
        assert tramo["expedientes"] == len(miembros) == cifra.expedientes.count()
    filas = list(resultado.detalle.filas)
    assert [f[0] for f in filas] == sorted(esperado)
    for fila in filas:
        assert tuple(fila[4:8]) == esperado[fila[0]][1]
    # projection, independently: no plans, so pooled recovery of the last three years by bucket
    historia = {}
    for anios in (3, 2, 1):
        inicio, fin = corte - relativedelta(years=anios), corte - relativedelta(years=anios - 1)
        for expediente in cartera_datos:
            if expediente.fecha_recepcion > inicio:
                continue
            saldo = _saldo_python(expediente, inicio)[3]
            if saldo <= 0:
                continue
            pagos = sum((p.monto for p in expediente.pagos.all() if inicio < p.fecha <= fin), D("0"))
            saldo_h, cobrado_h = historia.get(_tramo_python(expediente.fecha_recepcion, inicio), (D(0), D(0)))
            historia[_tramo_python(expediente.fecha_recepcion, inicio)] = (saldo_h + saldo, cobrado_h + min(pagos, saldo))
    proyeccion = D("0.00")
    for i in range(len(TRAMOS_ANTIGUEDAD)):
        saldo_h, cobrado_h = historia.get(i, (D(0), D(0)))
        base = sum((e[1][3] for e in esperado.values() if _tramo_python(e[0].fecha_recepcion, corte) == i), D("0"))
        if saldo_h:
            proyeccion += (base * cobrado_h / saldo_h).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert resultado.cifra("proyeccion").valor == proyeccion
    assert proyeccion > 0 or corte < date(2025, 1, 1)


def test_la_proyeccion_suma_las_cuotas_de_convenios_vigentes(usuarios, tasa, expediente):
    from expedientes.services.cuenta import convenio_registrar, cuotas_iguales

    hoy = timezone.localdate()
    saldo = _saldo_python(expediente, hoy)[3]
    convenio_registrar(expediente=expediente, fecha=hoy, usuario=usuarios["jefe"],
                       cuotas=cuotas_iguales(total=saldo, numero=24, primera=hoy + timedelta(days=30)))
    resultado = _cartera(usuarios["jefe"], hoy)
    anio = hoy.replace(year=hoy.year + 1) if not (hoy.month == 2 and hoy.day == 29) else hoy + timedelta(days=365)
    cuotas = sum((c.monto for c in expediente.convenios.get().cuotas.all() if hoy < c.vence <= anio), D("0"))
    assert resultado.cifra("proyeccion").valor == min(cuotas, saldo)
    seccion = next(s for s in resultado.secciones if s.clave == "proyeccion")
    assert seccion.filas[-1][-1] == min(cuotas, saldo)


def test_el_abogado_ve_solo_su_cartera(usuarios, cartera_datos):
    corte = date(2025, 12, 31)
    propios = [e for e in cartera_datos if e.abogado_id == usuarios["abogado"].pk]
    esperado = _esperado(propios, corte)
    resultado = _cartera(usuarios["abogado"], corte)
    assert resultado.cifra("pendientes").valor == len(esperado) < resultado.cifra("pendientes").valor + 1
    assert {f[0] for f in resultado.detalle.filas} == set(esperado)
    assert resultado.cifra("total").valor == sum((e[1][3] for e in esperado.values()), D("0.00"))
    assert _cartera(usuarios["jefe"], corte).cifra("pendientes").valor > len(esperado)
    azuay = _cartera(usuarios["jefe"], corte, provincia="03")
    assert {f[2] for f in azuay.detalle.filas} == {"03"}


def test_el_comando_recalcula_con_avance(usuarios, cartera_datos):
    corte = date(2025, 12, 31)
    antes = _cartera(usuarios["jefe"], corte).cifras_a_dict()
    TramoCuenta.objects.all().delete()
    assert _cartera(usuarios["jefe"], corte).cifra("total").valor == 0
    salida = io.StringIO()
    call_command("cuentas_recalcular", "--lote", "2", "--faltantes", stdout=salida)
    texto = salida.getvalue()
    assert "2/6 expedientes" in texto and "6/6 expedientes (100 %)" in texto and "6 expedientes" in texto
    assert _cartera(usuarios["jefe"], corte).cifras_a_dict() == antes
    salida = io.StringIO()
    call_command("cuentas_recalcular", "--faltantes", stdout=salida)
    assert "Cuentas recalculadas: 0 expedientes." in salida.getvalue()
    call_command("cuentas_recalcular", stdout=io.StringIO())
    assert _cartera(usuarios["jefe"], corte).cifras_a_dict() == antes
