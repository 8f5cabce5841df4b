"""The ledger of a closed proceeding holds: no costa or payment after it ended (pagado,
archivado, baja), no plan where the state does not allow one, and two clerks recording the
same receipt at once produce one payment and a Spanish message, never a 500. Through the real
PostgreSQL (locks and unique constraints are the database's)."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expedientes.estados import Estado
from expedientes.models import ConvenioPago, Costa, Pago
from expedientes.services.cuenta import (
    convenio_registrar, costa_registrar, cuenta_liquidar, pago_registrar, tasa_registrar,
)
from expedientes.services.proceso import expediente_transicion
from tests.factories import expediente_crear

D = Decimal
pytestmark = pytest.mark.servicios



def _pagar_todo(expediente, usuario, fecha=date(2025, 3, 20), recibo="R-TOTAL"):
    saldo = cuenta_liquidar(expediente, fecha).saldo
    pago_registrar(expediente=expediente, fecha=fecha, monto=saldo, origen="voluntario", recibo=recibo,
                   usuario=usuario)
    assert expediente.estado == Estado.PAGADO


def test_costa_despues_del_pago_se_rechaza_y_dice_que_no_reabre(expediente, usuarios, tasa):
    _pagar_todo(expediente, usuarios["secretaria"])
    with pytest.raises(ValidationError) as error:
        costa_registrar(expediente=expediente, fecha=date(2025, 3, 21), concepto="Publicación tardía",
                        monto=D("80.00"), usuario=usuarios["secretaria"])
    mensaje = error.value.messages[0]
    assert f"El expediente {expediente.numero} está en «Pagado»" in mensaje
    assert "no reabre el proceso" in mensaje
    assert not Costa.objects.exists()
    assert cuenta_liquidar(expediente, date(2025, 3, 21)).saldo == 0


@pytest.mark.parametrize("final", [Estado.BAJA, Estado.ARCHIVADO])
def test_costa_y_pago_en_expediente_cerrado_se_rechazan(expediente, usuarios, tasa, final):
    if final == Estado.ARCHIVADO:
        _pagar_todo(expediente, usuarios["secretaria"])
    expediente_transicion(expediente=expediente, hasta=final, usuario=usuarios["jefe"], motivo="Cierre",
                          fecha=date(2025, 3, 25))
    etiqueta = Estado(final).label
    with pytest.raises(ValidationError, match=f"está en «{etiqueta}»"):
        costa_registrar(expediente=expediente, fecha=date(2025, 3, 26), concepto="x", monto=D("5.00"),
                        usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError) as error:
        pago_registrar(expediente=expediente, fecha=date(2025, 3, 26), monto=D("10.00"), origen="voluntario",
                       recibo="R-CERRADO", usuario=usuarios["secretaria"])
    assert f"está en «{etiqueta}», un estado final: no admite pagos" in error.value.messages[0]
    assert not Costa.objects.exists() and not Pago.objects.filter(recibo="R-CERRADO").exists()


def test_pago_en_expediente_pagado_dice_por_que(expediente, usuarios, tasa):
    _pagar_todo(expediente, usuarios["secretaria"])
    with pytest.raises(ValidationError) as error:
        pago_registrar(expediente=expediente, fecha=date(2025, 3, 21), monto=D("1.00"), origen="voluntario",
                       recibo="R-2", usuario=usuarios["secretaria"])
    assert "está en «Pagado», un estado final: no admite pagos" in error.value.messages[0]


@pytest.mark.parametrize("estado", [Estado.PAGADO, Estado.IMPUGNADO, Estado.BAJA])
def test_convenio_se_rechaza_si_el_estado_no_lo_admite_sin_escribir_nada(expediente, usuarios, tasa, estado):
    if estado == Estado.PAGADO:
        _pagar_todo(expediente, usuarios["secretaria"])
    else:
        expediente_transicion(expediente=expediente, hasta=estado, usuario=usuarios["jefe"], motivo="x",
                              fecha=date(2025, 3, 20))
    saldo = cuenta_liquidar(expediente, date(2025, 4, 1)).saldo
    cuotas = [(date(2025, 5, 1), saldo)] if saldo else [(date(2025, 5, 1), D("10.00"))]
    with CaptureQueriesContext(connection) as consultas, pytest.raises(ValidationError) as error:
        convenio_registrar(expediente=expediente, fecha=date(2025, 4, 1), usuario=usuarios["jefe"], cuotas=cuotas)
    assert f"está en «{Estado(estado).label}»: no admite un convenio de pago" in error.value.messages[0]
    assert "Se admite en: Iniciado, Citado, Medidas cautelares, Embargo" in error.value.messages[0]
    assert not [q for q in consultas.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert not ConvenioPago.objects.exists()


def test_recibo_de_otro_expediente_es_un_error_de_validacion(expediente, usuarios, tasa):
    otro = expediente_crear(usuario=usuarios["secretaria"])
    pago_registrar(expediente=expediente, fecha=date(2025, 3, 20), monto=D("10.00"), origen="voluntario",
                   recibo="R-55", usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError) as error:
        pago_registrar(expediente=otro, fecha=date(2025, 3, 20), monto=D("10.00"), origen="voluntario",
                       recibo="R-55", usuario=usuarios["secretaria"])
    assert error.value.message_dict["recibo"] == [
        f"El comprobante R-55 ya está registrado (pago de USD 10,00 del 20/03/2025 en el expediente "
        f"{expediente.numero}): un comprobante se registra una sola vez."]


# --- two clerks at once: the real database, real transactions, two threads -------------------

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dos_pagos_identicos_a_la_vez_dan_un_pago_y_un_mensaje(usuarios):
    from django.test import Client

    tasa_registrar(vigente_desde=date(2024, 1, 1), tasa_anual=D("10.0000"), fuente="Prueba")
    expediente = expediente_crear(usuario=usuarios["secretaria"])
    url = reverse("expedientes_proceso_accion", args=[expediente.pk, "pago"])
    datos = {"pago-fecha": "20/03/2025", "pago-monto": "100,00", "pago-origen": "voluntario",
             "pago-recibo": "R-DOBLE"}
    barrera = threading.Barrier(2)
    respuestas, errores = [], []

    def registrar():
        try:
            cliente = Client(raise_request_exception=True)
            cliente.force_login(usuarios["secretaria"])
            barrera.wait()
            respuestas.append(cliente.post(url, datos))
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errores.append(exc)
        finally:
            connection.close()

    hilos = [threading.Thread(target=registrar) for _ in range(2)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()

    assert errores == []
    assert sorted(r.status_code for r in respuestas) == [200, 302]
    rechazo = next(r for r in respuestas if r.status_code == 200).content.decode()
    assert "El comprobante R-DOBLE ya está registrado" in rechazo
    assert Pago.objects.filter(recibo="R-DOBLE").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recibo_en_carrera_con_otro_expediente_es_un_error_de_validacion(usuarios):
    """The other expediente's payment is inserted but not yet committed when this one checks:
    only the unique constraint can see it, and its violation must read as a refusal."""
    uno = expediente_crear(usuario=usuarios["secretaria"])
    otro = expediente_crear(usuario=usuarios["secretaria"])
    insertado, terminar = threading.Event(), threading.Event()

    def primero():
        try:
            with transaction.atomic():
                Pago.objects.create(expediente=uno, fecha=date(2025, 3, 20), monto=D("10.00"),
                                    origen="voluntario", recibo="R-CARRERA")
                insertado.set()
                terminar.wait(10)
        finally:
            connection.close()

    hilo = threading.Thread(target=primero)
    hilo.start()
    insertado.wait(10)
    resultado = {}

    def segundo():
        try:
            pago_registrar(expediente=otro, fecha=date(2025, 3, 20), monto=D("10.00"), origen="voluntario",
                           recibo="R-CARRERA", usuario=usuarios["secretaria"])
        except Exception as exc:  # noqa: BLE001
            resultado["error"] = exc
        finally:
            connection.close()

    hilo2 = threading.Thread(target=segundo)
    hilo2.start()
    with connection.cursor() as cursor:  # wait until the second insert waits on the first
        for _ in range(100):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                break
            time.sleep(0.05)
    terminar.set()
    hilo.join()
    hilo2.join()

    assert isinstance(resultado.get("error"), ValidationError), resultado
    assert "El comprobante R-CARRERA ya está registrado" in resultado["error"].message_dict["recibo"][0]
    assert Pago.objects.filter(recibo="R-CARRERA").count() == 1
