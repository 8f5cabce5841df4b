"""The living demo: the current year's intake up to the day it is loaded, carried through the
proceeding, and the 2025 processes' follow-up, so that the deadlines show a unit at work."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from expedientes.estados import FINALES
from expedientes.liquidacion import Tasa
from expedientes.models import ExpedientePage, Pago
from expedientes.plazos import SEMANA, VENCIDOS, con_plazo
from portal import demo_actual
from portal.demo import CIERRE_2025, COBRO_2025, TASAS_DEMO, demo_cargar, plan_demo, resumen_calcular

TASAS = [Tasa(desde, tasa) for desde, tasa in TASAS_DEMO]


def _planes(hoy, semilla=2025):
    return demo_actual.plan_vivo(semilla, plan_demo(random.Random(semilla), tasas=TASAS), hoy, tasas=TASAS,
                                 es_habil=lambda d: d.weekday() < 5)


@pytest.mark.parametrize("hoy", [date(2026, 12, 2), date(2026, 6, 15), date(2026, 2, 9)])
def test_el_anio_en_curso_llega_hasta_hoy_y_nada_despues(hoy):
    actuales, seguimiento = _planes(hoy)
    esperado = round(135 * ((hoy - timedelta(days=3) - date(hoy.year, 1, 1)).days + 1) / 365)
    assert abs(len(actuales) - esperado) <= 2  # about 135 a year (at least one per province)
    provincias = Counter(p.provincia for p in actuales)
    assert provincias["01"] > provincias["03"] >= provincias["14"] >= 1  # the 2025 proportions
    for plan in actuales:
        assert date(hoy.year, 1, 2) <= plan.fecha <= hoy - timedelta(days=3) and plan.fecha.weekday() < 5
        assert all(paso.fecha < hoy for paso in plan.pasos)  # nothing has happened after today
    # the 2025 processes' follow-up falls in the current year only: 2025 stays as it was
    pasos = [paso for lista in seguimiento.values() for paso in lista]
    assert all(CIERRE_2025 < paso.fecha < hoy for paso in pasos)
    recibos = [p.datos["recibo"] for plan in actuales for p in plan.pasos if p.accion == "pago"]
    assert len(set(recibos)) == len(recibos)
    # deterministic given the load date
    otra_vez, _ = _planes(hoy)
    assert [(p.fecha, p.monto, [(s.fecha, s.accion, s.datos.get("monto")) for s in p.pasos]) for p in otra_vez] == \
        [(p.fecha, p.monto, [(s.fecha, s.accion, s.datos.get("monto")) for s in p.pasos]) for p in actuales]


def test_al_final_del_anio_la_mayoria_siguio_su_curso():
    actuales, seguimiento = _planes(date(2026, 12, 2))
    assert sum(1 for p in actuales if p.pagos) > len(actuales) / 3
    assert any(p.accion == "medida" for lista in seguimiento.values() for p in lista)  # the cited ones of 2025
    assert any(p.accion == "pago" for lista in seguimiento.values() for p in lista)  # instalments of 2026


@pytest.mark.servicios
def test_demo_viva_por_los_servicios(juzgado, bucket):
    hoy = timezone.localdate()
    salida = []
    creados = demo_cargar(total=12, clave_fija="demo-clave-1", salida=salida.append, hoy=hoy)
    del_anio = ExpedientePage.objects.filter(anio=hoy.year)
    assert creados == ExpedientePage.objects.filter(anio__gte=2025).count() > ExpedientePage.objects.filter(
        anio=2025).count()
    assert del_anio.exists() and not del_anio.filter(fecha_recepcion__gt=hoy).exists()
    assert not Pago.objects.filter(fecha__gte=hoy).exists()
    # the 2025 figures stay the 2025 figures: payments up to its close
    resumen = resumen_calcular()
    pagadores = Pago.objects.filter(expediente__anio=2025, fecha__lte=CIERRE_2025).values("expediente").distinct()
    assert resumen.con_cobro == pagadores.count() and resumen.cobrado == (
        COBRO_2025 * pagadores.count() / 74).quantize(resumen.cobrado)
    # a unit at work: few deadlines overdue among the open processes
    abiertos = ExpedientePage.objects.exclude(estado__in=FINALES).count()
    vencidos = con_plazo(ExpedientePage.objects.all(), VENCIDOS, hoy=hoy).count()
    assert vencidos <= max(3, abiertos // 4), (vencidos, abiertos)
    assert con_plazo(ExpedientePage.objects.all(), SEMANA, hoy=hoy).count() <= abiertos
    assert any(linea.startswith(f"  {hoy.year} hasta el") for linea in salida)
