"""States, payments and payment plans through PostgreSQL: bad input is refused with a
Spanish message and nothing is half-saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from expedientes.estados import Estado
from expedientes.formato import usd
from expedientes.models import ConvenioPago, EstadoConvenio, Pago, Transicion
from expedientes.services.cuenta import (
    convenio_registrar, convenio_revisar, costa_registrar, cuenta_liquidar, pago_registrar,
)
from expedientes.services.proceso import expediente_reanudar, expediente_transicion

D = Decimal
pytestmark = pytest.mark.servicios



def test_transicion_registra_quien_cuando_por_que(expediente, actuacion, usuarios):
    t = expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"],
                              motivo="Citado en persona", fecha=date(2025, 3, 17), actuacion=actuacion)
    expediente.refresh_from_db()
    assert expediente.estado == Estado.CITADO
    assert (t.desde, t.hasta, t.usuario, t.actuacion, t.fecha) == (
        Estado.INICIADO, Estado.CITADO, usuarios["abogado"], actuacion, date(2025, 3, 17))


def test_transicion_ilegal_rechazada_sin_cambios(expediente, usuarios):
    with pytest.raises(ValidationError) as error:
        expediente_transicion(expediente=expediente, hasta=Estado.REMATE, usuario=usuarios["abogado"],
                              motivo="Saltarse pasos")
    assert "está en «Iniciado» y no puede pasar a «Remate»" in error.value.messages[0]
    assert "Estados posibles: Citado" in error.value.messages[0]
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO and not Transicion.objects.exists()


def test_transicion_sin_motivo_rechazada(expediente, usuarios):
    with pytest.raises(ValidationError, match="Indique el motivo"):
        expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"], motivo=" ")


def test_estado_final_no_sale(expediente, usuarios):
    expediente_transicion(expediente=expediente, hasta=Estado.BAJA, usuario=usuarios["jefe"], motivo="Prescripción")
    with pytest.raises(ValidationError, match="ninguno \\(estado final\\)"):
        expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["jefe"], motivo="x")


def test_pago_mayor_al_saldo_rechazado(expediente, usuarios, tasa):
    with pytest.raises(ValidationError) as error:
        pago_registrar(expediente=expediente, fecha=date(2025, 3, 20), monto=D("99999.00"),
                       origen="voluntario", recibo="R-1", usuario=usuarios["secretaria"])
    assert "supera el saldo" in error.value.message_dict["monto"][0]
    assert not Pago.objects.exists()


def test_pago_anterior_a_la_orden_rechazado(expediente, usuarios, tasa):
    with pytest.raises(ValidationError) as error:
        pago_registrar(expediente=expediente, fecha=date(2025, 3, 1), monto=D("10.00"),
                       origen="voluntario", recibo="R-1", usuario=usuarios["secretaria"])
    assert error.value.message_dict["fecha"] == [
        "La fecha del pago (01/03/2025) es anterior a la recepción de la orden de cobro (13/03/2025)."]
    assert not Pago.objects.exists()


def test_pago_total_deja_el_expediente_pagado(expediente, usuarios, tasa):
    saldo = cuenta_liquidar(expediente, date(2025, 4, 1)).saldo
    assert saldo > expediente.monto_titulo  # 19 days of interest
    pago_registrar(expediente=expediente, fecha=date(2025, 4, 1), monto=saldo, origen="voluntario",
                   recibo="R-7", usuario=usuarios["secretaria"])
    expediente.refresh_from_db()
    assert expediente.estado == Estado.PAGADO
    assert cuenta_liquidar(expediente, date(2025, 4, 1)).saldo == 0
    assert "comprobante R-7" in Transicion.objects.get().motivo


def test_pago_atrasado_que_haria_exceder_uno_posterior_se_rechaza(expediente, usuarios, tasa):
    saldo = cuenta_liquidar(expediente, date(2025, 5, 1)).saldo
    # all but a dollar: a full payment would leave it «pagado», which takes no payment at all
    pago_registrar(expediente=expediente, fecha=date(2025, 5, 1), monto=saldo - D("1.00"), origen="voluntario",
                   recibo="R-1", usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError, match="supera el saldo"):
        pago_registrar(expediente=expediente, fecha=date(2025, 4, 1), monto=D("100.00"),
                       origen="voluntario", recibo="R-0", usuario=usuarios["secretaria"])
    assert Pago.objects.count() == 1


def test_costa_anterior_a_la_orden_rechazada(expediente, usuarios):
    with pytest.raises(ValidationError, match="anterior a la recepción"):
        costa_registrar(expediente=expediente, fecha=date(2024, 12, 31), concepto="Publicación",
                        monto=D("80.00"), usuario=usuarios["secretaria"])


def test_convenio_que_no_suma_el_saldo_se_rechaza(expediente, usuarios, tasa):
    saldo = cuenta_liquidar(expediente, date(2025, 4, 1)).saldo
    with pytest.raises(ValidationError) as error:
        convenio_registrar(expediente=expediente, fecha=date(2025, 4, 1), usuario=usuarios["jefe"],
                           cuotas=[(date(2025, 5, 1), D("100.00")), (date(2025, 6, 1), D("100.00"))])
    assert f"Las cuotas suman USD 200,00 y el saldo al 01/04/2025 es {usd(saldo)}" in error.value.message_dict["cuotas"][0]
    assert not ConvenioPago.objects.exists()
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO


def test_convenio_incumplido_reanuda_la_ejecucion(expediente, usuarios, tasa):
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"], motivo="Citado")
    expediente_transicion(expediente=expediente, hasta=Estado.MEDIDAS_CAUTELARES, usuario=usuarios["jefe"],
                          motivo="Retención de cuentas")
    saldo = cuenta_liquidar(expediente, date(2025, 4, 1)).saldo
    primera = (saldo / 3).quantize(D("0.01"))
    convenio = convenio_registrar(
        expediente=expediente, fecha=date(2025, 4, 1), usuario=usuarios["jefe"], dias_gracia=5,
        cuotas=[(date(2025, 5, 1), primera), (date(2025, 6, 1), primera), (date(2025, 7, 1), saldo - 2 * primera)],
    )
    expediente.refresh_from_db()
    assert expediente.estado == Estado.CONVENIO_PAGO
    pago_registrar(expediente=expediente, fecha=date(2025, 5, 2), monto=primera, origen="convenio",
                   recibo="C-1", usuario=usuarios["secretaria"])
    assert convenio_revisar(convenio=convenio, fecha=date(2025, 6, 5)) == EstadoConvenio.VIGENTE  # grace
    assert convenio_revisar(convenio=convenio, fecha=date(2025, 6, 7)) == EstadoConvenio.INCUMPLIDO
    expediente.refresh_from_db()
    assert expediente.estado == Estado.MEDIDAS_CAUTELARES  # where enforcement stood
    ultima = expediente.transiciones.order_by("-pk").first()
    assert "cuota 2" in ultima.motivo and "vencida el 01/06/2025" in ultima.motivo


def test_reanudar_solo_desde_suspension(expediente, usuarios):
    with pytest.raises(ValidationError, match="no está suspendido"):
        expediente_reanudar(expediente=expediente, usuario=usuarios["jefe"], motivo="x")


def test_convenio_cumplido_con_intereses_pendientes_reanuda_y_lo_dice(expediente, usuarios, tasa):
    saldo = cuenta_liquidar(expediente, date(2025, 4, 1)).saldo
    convenio = convenio_registrar(expediente=expediente, fecha=date(2025, 4, 1), usuario=usuarios["jefe"],
                                  cuotas=[(date(2025, 6, 1), saldo)])
    pago_registrar(expediente=expediente, fecha=date(2025, 6, 1), monto=saldo, origen="convenio",
                   recibo="C-9", usuario=usuarios["secretaria"])  # on time, but interest ran meanwhile
    assert convenio_revisar(convenio=convenio, fecha=date(2025, 6, 2)) == EstadoConvenio.CUMPLIDO
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO  # back to where enforcement stood
    ultima = expediente.transiciones.order_by("-pk").first()
    restante = cuenta_liquidar(expediente, date(2025, 6, 2)).saldo
    assert restante > 0 and f"queda un saldo de {usd(restante)}" in ultima.motivo


def test_los_servicios_deciden_sobre_el_estado_guardado_no_sobre_una_copia_vieja(expediente, usuarios, tasa):
    from expedientes.models import ExpedientePage
    from expedientes.services.medidas import medida_ordenar

    copia_vieja = ExpedientePage.objects.get(pk=expediente.pk)
    saldo = cuenta_liquidar(expediente, date(2025, 3, 20)).saldo
    pago_registrar(expediente=expediente, fecha=date(2025, 3, 20), monto=saldo, origen="voluntario",
                   recibo="R-50", usuario=usuarios["secretaria"])
    assert expediente.estado == Estado.PAGADO  # the caller's object follows
    assert copia_vieja.estado == Estado.INICIADO
    with pytest.raises(ValidationError, match="está en «Pagado»"):
        medida_ordenar(expediente=copia_vieja, entidad="sb", usuario=usuarios["secretaria"], fecha=date(2025, 3, 21))


def test_insolvencia_exige_busquedas_de_bienes(expediente, usuarios, tasa):
    from expedientes.models import ObjetoBusqueda, RegistroPublico
    from expedientes.services.ilocalizables import busqueda_registrar, insolvencia_declarar

    busqueda_registrar(expediente=expediente, registro=RegistroPublico.REGISTRO_PROPIEDAD, fecha=date(2025, 4, 1),
                       resultado="Sin bienes", encontrado=False, usuario=usuarios["abogado"])  # an address search
    with pytest.raises(ValidationError) as error:
        insolvencia_declarar(expediente=expediente, usuario=usuarios["abogado"], fecha=date(2025, 4, 2))
    assert "Faltan búsquedas de bienes o fondos sin resultado en: Registro de la Propiedad" in error.value.messages[0]
    busqueda_registrar(expediente=expediente, registro=RegistroPublico.ANT, fecha=date(2025, 4, 1),
                       resultado="Un vehículo", encontrado=True, usuario=usuarios["abogado"],
                       objeto=ObjetoBusqueda.BIENES)
    busqueda_registrar(expediente=expediente, registro=RegistroPublico.REGISTRO_PROPIEDAD, fecha=date(2025, 4, 1),
                       resultado="Sin bienes", encontrado=False, usuario=usuarios["abogado"],
                       objeto=ObjetoBusqueda.BIENES)
    with pytest.raises(ValidationError, match="Una búsqueda encontró bienes o fondos: no procede"):
        insolvencia_declarar(expediente=expediente, usuario=usuarios["abogado"], fecha=date(2025, 4, 2))
