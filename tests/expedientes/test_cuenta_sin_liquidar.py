"""A ledger that cannot be liquidated (a payment above the balance once the rate table was
edited, a misconfigured imputation order) is reported with its reason: the process screen
still renders, and a document is refused with a ValidationError, never a 500."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from expedientes.models import ActuacionPage, ClaveDocumento, TasaInteres
from expedientes.services.cuenta import cuenta_liquidar, pago_registrar, tasa_registrar
from expedientes.services.documentos import documento_generar

D = Decimal
pytestmark = pytest.mark.servicios


@pytest.fixture
def pago_sobre_el_saldo(expediente, usuarios):
    """Paid in full at 10 %; then the rate is corrected to 0 %: the payment now exceeds the balance."""
    tasa_registrar(vigente_desde=date(2024, 1, 1), tasa_anual=D("10.0000"), fuente="Prueba")
    saldo = cuenta_liquidar(expediente, date(2025, 4, 1)).saldo
    pago_registrar(expediente=expediente, fecha=date(2025, 4, 1), monto=saldo, origen="voluntario",
                   recibo="R-1", usuario=usuarios["secretaria"])
    TasaInteres.objects.update(tasa_anual=D("0"))
    return expediente


def test_la_ficha_muestra_por_que_la_cuenta_no_se_puede_liquidar(client, usuarios, pago_sobre_el_saldo):
    expediente = pago_sobre_el_saldo
    client.force_login(usuarios["secretaria"])
    respuesta = client.get(reverse("expedientes_proceso", args=[expediente.pk]))
    assert respuesta.status_code == 200
    pantalla = respuesta.content.decode()
    assert "La cuenta no se puede liquidar" in pantalla
    assert "El pago R-1 de" in pantalla and "supera el saldo" in pantalla
    assert "Historial de estados" in pantalla and "R-1" in pantalla  # the rest of the screen is there


def test_la_ficha_muestra_un_orden_de_imputacion_mal_configurado(client, usuarios, expediente, settings):
    settings.LIQUIDACION = {**settings.LIQUIDACION, "IMPUTACION": ["intereses", "capital"]}
    client.force_login(usuarios["secretaria"])
    respuesta = client.get(reverse("expedientes_proceso", args=[expediente.pk]))
    assert respuesta.status_code == 200
    assert "LIQUIDACION[&#x27;IMPUTACION&#x27;] debe ordenar" in respuesta.content.decode()


def test_un_documento_con_la_cuenta_sin_liquidar_se_rechaza_con_el_motivo(usuarios, pago_sobre_el_saldo):
    expediente = pago_sobre_el_saldo
    actuaciones = ActuacionPage.objects.count()
    with pytest.raises(ValidationError) as error:
        documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO, usuario=usuarios["secretaria"],
                          fecha=date(2025, 4, 2))
    mensaje = error.value.messages[0]
    assert f"No se puede generar el documento: la cuenta del expediente {expediente.numero} no se puede " \
           "liquidar al 02/04/2025" in mensaje
    assert "supera el saldo" in mensaje
    assert ActuacionPage.objects.count() == actuaciones


def test_generar_documento_por_pantalla_muestra_el_motivo(client, usuarios, pago_sobre_el_saldo):
    expediente = pago_sobre_el_saldo
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "documento"]), {
        "documento-clave": ClaveDocumento.AUTO_PAGO, "documento-fecha": "02/04/2025"})
    assert respuesta.status_code == 200
    assert "no se puede liquidar" in respuesta.content.decode()
