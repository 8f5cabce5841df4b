"""Registers that keep their history (issue 9, point 8): a rate that applies to past days is
changed only after a warning that says how many balances move, and every change is kept
(old value, new value, who, when); a calendar day added shows where the user looks for it,
and who registered it comes from the session."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from expedientes.models import DiaEspecial, TasaInteres, TasaInteresCambio
from expedientes.services.cuenta import cuenta_liquidar
from permisos.models import RegistroCustodia
from tests.factories import expediente_crear

pytestmark = pytest.mark.servicios


def _url(modelo, vista, *args):
    return reverse(f"wagtailsnippets_expedientes_{modelo}:{vista}", args=args)


def test_cambiar_una_tasa_pasada_avisa_cuantos_saldos_cambian_y_queda_en_el_historial(client, usuarios, tasa):
    antiguo = expediente_crear(usuario=usuarios["secretaria"], nombre="ANTIGUO S.A.", fecha=date(2025, 3, 13))
    expediente_crear(usuario=usuarios["secretaria"], nombre="NUEVO S.A.", fecha=date.today())  # no past day
    saldo_antes = cuenta_liquidar(antiguo).saldo
    client.force_login(usuarios["jefe"])
    url = _url("tasainteres", "edit", tasa.pk)
    datos = {"vigente_desde": "01/01/2024", "tasa_anual": "12,5", "fuente": "BCE, corrección"}

    aviso = client.post(url, datos)
    assert aviso.status_code == 200  # not saved: it asks first
    html = aviso.content.decode()
    assert "cambia el saldo de 1 expediente" in html and antiguo.numero in html
    assert "desde el 01/01/2024" in html and "marque esta casilla y guarde de nuevo" in html
    tasa.refresh_from_db()
    assert tasa.tasa_anual == Decimal("10.0000") and not TasaInteresCambio.objects.filter(
        accion="modificacion").exists()

    assert client.post(url, {**datos, "confirmar": "on"}).status_code == 302
    tasa.refresh_from_db()
    assert tasa.tasa_anual == Decimal("12.5000")
    assert cuenta_liquidar(antiguo).saldo > saldo_antes
    cambio = TasaInteresCambio.objects.get(accion="modificacion")
    assert (cambio.tasa_anual_anterior, cambio.tasa_anual) == (Decimal("10.0000"), Decimal("12.5000"))
    assert (cambio.vigente_desde_anterior, cambio.vigente_desde) == (date(2024, 1, 1), date(2024, 1, 1))
    assert (cambio.usuario, cambio.expedientes_afectados) == (usuarios["jefe"], 1)
    assert RegistroCustodia.objects.filter(accion="cambio_tasa", usuario=usuarios["jefe"]).exists()

    # shown: the rate's history on its page, the last change in the listing
    pagina = client.get(url).content.decode()
    assert "Historial de cambios de esta tasa" in pagina
    assert "10,00 % desde el 01/01/2024" in pagina and "12,50 % desde el 01/01/2024" in pagina
    assert usuarios["jefe"].get_full_name() in pagina
    assert usuarios["jefe"].get_full_name() in client.get(_url("tasainteres", "list")).content.decode()
    # queryable
    assert list(TasaInteresCambio.objects.filter(tasa=tasa).values_list("accion", flat=True)) == [
        "modificacion", "alta"]


def test_una_tasa_futura_no_pide_confirmacion(client, usuarios, tasa):
    expediente_crear(usuario=usuarios["secretaria"])
    client.force_login(usuarios["jefe"])
    respuesta = client.post(_url("tasainteres", "add"), {
        "vigente_desde": "01/01/2099", "tasa_anual": "9", "fuente": "BCE, futura"})
    assert respuesta.status_code == 302
    nueva = TasaInteres.objects.get(vigente_desde=date(2099, 1, 1))
    assert nueva.registrada_por == usuarios["jefe"]
    assert TasaInteresCambio.objects.get(tasa=nueva).expedientes_afectados == 0


def test_el_dia_agregado_se_muestra_y_quien_lo_registro_sale_de_la_sesion(client, usuarios):
    DiaEspecial.objects.get_or_create(fecha=date(2025, 12, 25),
                                      defaults={"laborable": False, "tipo": "nacional", "nombre": "Navidad"})
    client.force_login(usuarios["jefe"])
    url = _url("diaespecial", "add")
    assert 'name="creado_por"' not in client.get(url).content.decode()  # never chosen by hand
    respuesta = client.post(url, {
        "fecha": "02/01/2026", "tipo": "decretado", "nombre": "Jornada suspendida",
        "fuente": "Decreto Ejecutivo N.º 250", "creado_por": usuarios["secretaria"].pk,
    })
    assert respuesta.status_code == 302
    assert respuesta["Location"].endswith("?anio=2026")  # the listing opens on the day's year
    dia = DiaEspecial.objects.get(fecha=date(2026, 1, 2))
    assert dia.creado_por == usuarios["jefe"]
    mensajes = [str(m) for m in get_messages(respuesta.wsgi_request)]
    assert any("02/01/2026" in m and "Jornada suspendida" in m for m in mensajes), mensajes
    listado = client.get(respuesta["Location"]).content.decode()
    assert "Jornada suspendida" in listado and "25/12/2025" not in listado
    assert usuarios["jefe"].get_full_name() in listado
