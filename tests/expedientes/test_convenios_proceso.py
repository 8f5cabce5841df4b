"""Payment plans through PostgreSQL: a payment counts once (toward the plan or toward the
balance the plan was agreed for), a missed instalment is never hidden, and the review, the
deadlines and the process screen answer from the same rule (expedientes/convenios.py)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from expedientes import plazos
from expedientes.estados import Estado
from expedientes.models import EstadoConvenio
from expedientes.services.cuenta import (
    convenio_registrar, convenio_revisar, cuenta_liquidar, pago_registrar,
)
from tests.factories import expediente_crear

D = Decimal
pytestmark = pytest.mark.servicios



def _pagar(expediente, usuarios, fecha, monto, recibo):
    return pago_registrar(expediente=expediente, fecha=fecha, monto=monto, origen="convenio", recibo=recibo,
                          usuario=usuarios["secretaria"])


def _convenio_en_dos(expediente, usuarios, fecha=date(2025, 4, 1), dias_gracia=0):
    saldo = cuenta_liquidar(expediente, fecha).saldo
    mitad = (saldo / 2).quantize(D("0.01"))
    cuotas = [(date(2025, 5, 1), mitad), (date(2025, 6, 1), saldo - mitad)]
    convenio = convenio_registrar(expediente=expediente, fecha=fecha, usuario=usuarios["jefe"], cuotas=cuotas,
                                  dias_gracia=dias_gracia)
    return convenio, [monto for _, monto in cuotas]


def test_un_pago_del_mismo_dia_anterior_al_convenio_no_cuenta_dos_veces(expediente, usuarios, tasa):
    _pagar(expediente, usuarios, date(2025, 4, 1), D("200.00"), "ANT-1")  # already out of the plan's total
    convenio, (c1, c2) = _convenio_en_dos(expediente, usuarios)
    assert convenio.monto_total == c1 + c2
    _pagar(expediente, usuarios, date(2025, 5, 1), c1, "C-1")
    _pagar(expediente, usuarios, date(2025, 6, 1), c2 - D("100.00"), "C-2")  # short by 100
    assert convenio_revisar(convenio=convenio, fecha=date(2025, 6, 2)) == EstadoConvenio.INCUMPLIDO
    ultima = expediente.transiciones.order_by("-pk").first()
    assert "cuota 2" in ultima.motivo


def test_un_pago_del_mismo_dia_posterior_al_convenio_cuenta_para_el(expediente, usuarios, tasa):
    convenio, (c1, _) = _convenio_en_dos(expediente, usuarios)
    _pagar(expediente, usuarios, date(2025, 4, 1), c1, "C-1")  # the same day, after the plan
    assert convenio_revisar(convenio=convenio, fecha=date(2025, 5, 2)) == EstadoConvenio.VIGENTE


def test_un_pago_tardio_no_borra_el_incumplimiento_aunque_se_revise_despues(expediente, usuarios, tasa):
    convenio, (c1, _) = _convenio_en_dos(expediente, usuarios, dias_gracia=3)
    _pagar(expediente, usuarios, date(2025, 5, 10), c1, "C-1")  # due 01/05, grace to 04/05
    assert convenio_revisar(convenio=convenio, fecha=date(2025, 5, 15)) == EstadoConvenio.INCUMPLIDO
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO
    ultima = expediente.transiciones.order_by("-pk").first()
    assert "cuota 1" in ultima.motivo and "vencida el 01/05/2025" in ultima.motivo


def test_los_vencimientos_no_saltan_la_cuota_impaga(expediente, usuarios, tasa):
    _pagar(expediente, usuarios, date(2025, 4, 1), D("700.00"), "ANT-1")  # before the plan, same day
    convenio, (c1, _) = _convenio_en_dos(expediente, usuarios)
    assert c1 < D("700.00")
    (cuota,) = [v for v in plazos.vencimientos_de(expediente) if "convenio" in v.concepto]
    assert cuota.concepto == "Cuota 1 del convenio" and cuota.vence == date(2025, 5, 1)
    assert "incumplida" in cuota.explicacion


def test_la_ficha_muestra_cada_cuota_pagada_en_parte_o_incumplida(client, usuarios, tasa):
    hoy = timezone.localdate()
    expediente = expediente_crear(usuario=usuarios["secretaria"], fecha=hoy - timedelta(days=90))
    fecha = hoy - timedelta(days=60)
    saldo = cuenta_liquidar(expediente, fecha).saldo
    tercio = (saldo / 3).quantize(D("0.01"))
    vences = [hoy - timedelta(days=30), hoy - timedelta(days=5), hoy + timedelta(days=25)]
    convenio_registrar(expediente=expediente, fecha=fecha, usuario=usuarios["jefe"], dias_gracia=2,
                       cuotas=list(zip(vences, [tercio, tercio, saldo - 2 * tercio])))
    _pagar(expediente, usuarios, hoy - timedelta(days=31), tercio, "C-1")
    _pagar(expediente, usuarios, hoy - timedelta(days=6), D("10.00"), "C-2")
    client.force_login(usuarios["secretaria"])
    pantalla = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    assert '<td class="num">USD 10,00</td><td>Incumplida</td>' in pantalla  # cuota 2: part paid, missed
    assert "<td>Pagada</td>" in pantalla and "<td>Pendiente</td>" in pantalla
