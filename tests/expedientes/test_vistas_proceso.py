"""The unit's screens: the listing with filters, the process screen of an expediente with
its actions, and the dashboard of deadlines, as users see them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from expedientes.estados import Estado
from expedientes.models import MedidaCautelar, Pago
from expedientes.services.cuenta import tasa_registrar
from expedientes.services.proceso import expediente_transicion
from tests.factories import expediente_crear

pytestmark = pytest.mark.servicios


@pytest.fixture
def tasa(db):
    return tasa_registrar(vigente_desde=date(2024, 1, 1), tasa_anual=Decimal("0"), fuente="Prueba")


def test_listado_filtra_por_estado_provincia_y_texto(client, usuarios, tasa):
    a = expediente_crear(usuario=usuarios["secretaria"], nombre="ALFA S.A.", provincia="01")
    b = expediente_crear(usuario=usuarios["secretaria"], nombre="BETA CÍA. LTDA.", provincia="03")
    expediente_transicion(expediente=b, hasta=Estado.CITADO, usuario=usuarios["abogado"], motivo="Citado")
    client.force_login(usuarios["secretaria"])
    url = reverse("expedientes_listado")
    assert {a.numero, b.numero} <= set(_numeros(client.get(url)))
    assert _numeros(client.get(url, {"estado": "citado"})) == [b.numero]
    assert _numeros(client.get(url, {"provincia": "01"})) == [a.numero]
    assert _numeros(client.get(url, {"q": "beta"})) == [b.numero]
    assert "Ningún expediente coincide" in client.get(url, {"q": "gamma"}).content.decode()


def _numeros(respuesta):
    import re

    return re.findall(r'>(MDT-DRTSPC-\d{4}-\d{4})</a>', respuesta.content.decode())


def test_listado_vacio_para_quien_no_tiene_expedientes(client, usuarios, expediente):
    client.force_login(usuarios["archivista"])
    contenido = client.get(reverse("expedientes_listado")).content.decode()
    assert expediente.numero not in contenido and expediente.coactivado.nombre not in contenido


def test_ficha_del_proceso_y_pago_por_pantalla(client, usuarios, expediente, tasa):
    client.force_login(usuarios["secretaria"])
    url = reverse("expedientes_proceso", args=[expediente.pk])
    pantalla = client.get(url).content.decode()
    assert "Iniciado" in pantalla and "USD 1.234,56" in pantalla
    assert "Citación (nivel de servicio)" in pantalla  # the deadline with how it was counted
    assert "10 días hábiles desde la recepción de la orden de cobro del 13/03/2025" in pantalla
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "pago"]), {
        "pago-fecha": "20/03/2025", "pago-monto": "234,56", "pago-origen": "voluntario", "pago-recibo": "R-100"})
    assert respuesta.status_code == 302
    assert Pago.objects.get().monto == Decimal("234.56")
    assert "USD 1.000,00" in client.get(url).content.decode()


def test_pago_excesivo_por_pantalla_muestra_el_error_y_no_guarda(client, usuarios, expediente, tasa):
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "pago"]), {
        "pago-fecha": "20/03/2025", "pago-monto": "9999,00", "pago-origen": "voluntario", "pago-recibo": "R-101"})
    assert respuesta.status_code == 200
    assert "supera el saldo" in respuesta.content.decode()
    assert not Pago.objects.exists()


def _pagar(client, expediente, monto, recibo, fecha="20/03/2025"):
    return client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "pago"]), {
        "pago-fecha": fecha, "pago-monto": monto, "pago-origen": "voluntario", "pago-recibo": recibo})


def test_abogado_registra_un_pago_escrito_como_en_ecuador(client, usuarios, tasa):
    expediente = expediente_crear(usuario=usuarios["secretaria"], abogado=usuarios["abogado"],
                                  monto=Decimal("3000.00"))
    client.force_login(usuarios["abogado"])
    url = reverse("expedientes_proceso", args=[expediente.pk])
    assert _pagar(client, expediente, "1.850,40", "R-200").status_code == 302
    assert Pago.objects.get().monto == Decimal("1850.40")
    pantalla = client.get(url).content.decode()
    assert "USD 1.850,40" in pantalla and "USD 1.149,60" in pantalla  # the payment and the balance

    # "1.000" is a thousand; a dot that groups nothing is refused with the expected form
    assert _pagar(client, expediente, "1.000", "R-201").status_code == 302
    assert Pago.objects.get(recibo="R-201").monto == Decimal("1000")
    respuesta = _pagar(client, expediente, "1.85", "R-202")
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 200 and "Escriba el monto así: 1.850,40" in contenido
    assert 'value="1.85"' in contenido  # shown back as typed, to be corrected
    assert not Pago.objects.filter(recibo="R-202").exists()


def test_pago_excesivo_dice_los_montos_en_la_forma_ecuatoriana(client, usuarios, expediente, tasa):
    client.force_login(usuarios["abogado"])
    respuesta = _pagar(client, expediente, "5.000,00", "R-300")
    assert respuesta.status_code == 200
    assert ("El pago R-300 de USD 5.000,00 supera el saldo de USD 1.234,56 al 20/03/2025."
            in respuesta.content.decode())
    assert not Pago.objects.exists()


def test_transicion_fuera_de_la_tabla_no_se_ofrece(client, usuarios, expediente):
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "transicion"]), {
        "transicion-hasta": "remate", "transicion-fecha": "20/03/2025", "transicion-motivo": "x"})
    assert "Escoja una opción válida" in respuesta.content.decode()
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO


def test_ordenar_medida_genera_el_oficio(client, usuarios, expediente, tasa):
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "medida"]), {
        "medida-entidad": "sb", "medida-fecha": "14/03/2025"})
    assert respuesta.status_code == 302
    medida = MedidaCautelar.objects.get()
    assert medida.actuacion.adjuntos.get().versiones.get().tipo_mime == "application/pdf"
    pantalla = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    assert medida.oficio_numero in pantalla and "Respuesta de Superintendencia de Bancos" in pantalla


@pytest.mark.parametrize("quien", ["archivista", "sin_rol"])
def test_ficha_ajena_prohibida(client, usuarios, expediente, quien):
    client.force_login(usuarios[quien])
    # 404 as if it did not exist; without access to the admin at all, the login page
    assert client.get(reverse("expedientes_proceso", args=[expediente.pk])).status_code == (
        404 if quien != "sin_rol" else 302)
    client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "costa"]), {
        "costa-fecha": "20/03/2025", "costa-concepto": "x", "costa-monto": "10"})
    assert not expediente.costas.exists()


def test_panel_de_vencimientos_en_el_inicio(client, usuarios, expediente, tasa):
    client.force_login(usuarios["secretaria"])
    inicio = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Vencidos (1)" in inicio and expediente.numero in inicio  # cited? never: overdue since 2025
    assert "sin citar" in inicio
    client.force_login(usuarios["archivista"])
    assert expediente.numero not in client.get(reverse("wagtailadmin_home")).content.decode()
