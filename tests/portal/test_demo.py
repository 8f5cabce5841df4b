import random
from collections import Counter

import pytest
from stdnum.ec import ci, ruc

from expedientes.models import AdjuntoVersion, ExpedientePage, Provincia
from portal.demo import deudor_generar, demo_cargar, plan_de_intake


def test_plan_2025_reproduce_la_distribucion_del_informe():
    plan = plan_de_intake(random.Random(1))
    assert Counter(p for p, _ in plan) == {Provincia.AZUAY: 108, Provincia.CANAR: 23, Provincia.MORONA_SANTIAGO: 4}
    fechas = [f for _, f in plan]
    assert fechas == sorted(fechas) and all(f.year == 2025 and f.weekday() < 5 for f in fechas)


def test_deudores_con_identificacion_valida():
    rng = random.Random(7)
    for provincia in ("01", "03", "14"):
        for _ in range(200):
            deudor = deudor_generar(rng, provincia)
            numero = deudor.identificacion
            assert numero.startswith(provincia)
            assert ci.is_valid(numero) if len(numero) == 10 else ruc.is_valid(numero)


@pytest.mark.servicios
def test_demo_pequena_por_el_circuito_de_custodia(juzgado, bucket):
    salida = []
    creados = demo_cargar(total=4, clave_fija="demo-clave-1", salida=salida.append)
    assert creados == ExpedientePage.objects.count() >= 3
    assert any("secretaria" in linea for linea in salida)
    expediente = ExpedientePage.objects.order_by("numero").first()
    assert expediente.get_children().count() == 4
    versiones = AdjuntoVersion.objects.filter(adjunto__actuacion__path__startswith=expediente.path)
    assert versiones.count() == 2
    assert all(v.tipo_mime == "application/pdf" and v.antivirus_resultado == "OK" for v in versiones)
    assert demo_cargar(total=4, salida=salida.append) == 0  # idempotent
