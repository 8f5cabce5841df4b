"""Seized assets, their valuation and auction, and payments tied to the retention or the auction
they came from: through PostgreSQL, and the auto de embargo through the real store and clamd."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from expedientes.estados import Estado
from expedientes.models import (
    BienEmbargado, Entidad, EstadoBien, EstadoMedida, OrigenPago, Pago, Remate, ResultadoRemate, TipoBien,
)
from expedientes.services import cuenta, embargos, medidas
from expedientes.services.proceso import expediente_transicion
from tests.expedientes.test_documentos import texto_pdf
from tests.factories import expediente_crear

D = Decimal
pytestmark = pytest.mark.servicios
VEHICULO = "Camioneta Mazda BT-50, placa ABC-1234"


@pytest.fixture
def tasa(db):
    return cuenta.tasa_registrar(vigente_desde=date(2024, 1, 1), tasa_anual=D("0"), fuente="Prueba")


def _citado(usuarios, monto="5000.00", nombre="COMERCIAL EL EJIDO CÍA. LTDA."):
    expediente = expediente_crear(usuario=usuarios["secretaria"], nombre=nombre, monto=D(monto),
                                  abogado=usuarios["abogado"])
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"],
                          fecha=date(2025, 3, 17), motivo="Citación en persona")
    return expediente


def _vehiculo(expediente, usuarios, fecha=date(2025, 4, 1), avaluo=None):
    return embargos.bien_embargar(expediente=expediente, tipo=TipoBien.VEHICULO, descripcion=VEHICULO, fecha=fecha,
                                  usuario=usuarios["abogado"], firmante=usuarios["jefe"], avaluo=avaluo)


def test_embargo_avaluo_remate_adjudicado_y_su_pago(usuarios, tasa, versiones_en_bucket):
    expediente = _citado(usuarios)
    bien = _vehiculo(expediente, usuarios)
    expediente.refresh_from_db()
    assert expediente.estado == Estado.EMBARGO and bien.estado == EstadoBien.EMBARGADO
    # the auto de embargo names the asset, and its PDF is in the store
    version = bien.actuacion.adjuntos.get().versiones.get()
    assert (version.clave, version.version_s3) in versiones_en_bucket()
    assert "placa ABC-1234" in texto_pdf(version).replace("\n", " ")
    assert expediente.transiciones.get(hasta=Estado.EMBARGO).actuacion_id == bien.actuacion_id

    embargos.bien_avaluar(bien=bien, avaluo=D("9000.00"), fecha=date(2025, 4, 8), usuario=usuarios["secretaria"],
                          perito="Ing. Molina")
    assert (bien.avaluo, bien.fecha_avaluo) == (D("9000.00"), date(2025, 4, 8))
    remate = embargos.remate_senalar(bien=bien, fecha=date(2025, 4, 10), fecha_senalada=date(2025, 5, 5),
                                     base=D("6000.00"), usuario=usuarios["jefe"])
    expediente.refresh_from_db()
    assert expediente.estado == Estado.REMATE
    with pytest.raises(ValidationError, match="ya tiene un remate señalado"):
        embargos.remate_senalar(bien=bien, fecha=date(2025, 4, 11), fecha_senalada=date(2025, 5, 6),
                                base=D("6000.00"), usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="remate señalado"):  # the base stands on this avalúo
        embargos.bien_avaluar(bien=bien, avaluo=D("8000.00"), fecha=date(2025, 4, 12), usuario=usuarios["jefe"])

    embargos.remate_registrar_resultado(remate=remate, resultado=ResultadoRemate.ADJUDICADO, fecha=date(2025, 5, 5),
                                        valor_adjudicado=D("6500.00"), adjudicatario="Luis Pesántez",
                                        usuario=usuarios["jefe"])
    bien.refresh_from_db()
    assert bien.estado == EstadoBien.REMATADO and remate.resultado == ResultadoRemate.ADJUDICADO
    with pytest.raises(ValidationError, match="ya tiene resultado"):
        embargos.remate_registrar_resultado(remate=remate, resultado=ResultadoRemate.DESIERTO,
                                            fecha=date(2025, 5, 6), usuario=usuarios["jefe"])

    with pytest.raises(ValidationError, match="anterior a la adjudicación"):
        cuenta.pago_registrar(expediente=expediente, fecha=date(2025, 5, 2), monto=D("100.00"),
                              origen=OrigenPago.REMATE, recibo="REM-0", usuario=usuarios["secretaria"], remate=remate)
    with pytest.raises(ValidationError, match="indica el remate adjudicado"):
        cuenta.pago_registrar(expediente=expediente, fecha=date(2025, 5, 8), monto=D("100.00"),
                              origen=OrigenPago.REMATE, recibo="REM-0", usuario=usuarios["secretaria"])
    pago = cuenta.pago_registrar(expediente=expediente, fecha=date(2025, 5, 8), monto=D("5000.00"),
                                 origen=OrigenPago.REMATE, recibo="REM-1", usuario=usuarios["secretaria"],
                                 remate=remate)
    assert Pago.objects.get(pk=pago.pk).remate_id == remate.pk
    expediente.refresh_from_db()
    assert expediente.estado == Estado.PAGADO  # REMATE → PAGADO along the table


def test_remate_desierto_devuelve_el_proceso_a_embargo(usuarios, tasa):
    expediente = _citado(usuarios)
    bien = _vehiculo(expediente, usuarios, avaluo=D("3000.00"))
    remate = embargos.remate_senalar(bien=bien, fecha=date(2025, 4, 2), fecha_senalada=date(2025, 4, 20),
                                     base=D("2000.00"), usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="anterior a la fecha señalada"):
        embargos.remate_registrar_resultado(remate=remate, resultado=ResultadoRemate.DESIERTO,
                                            fecha=date(2025, 4, 19), usuario=usuarios["jefe"])
    embargos.remate_registrar_resultado(remate=remate, resultado=ResultadoRemate.DESIERTO, fecha=date(2025, 4, 21),
                                        usuario=usuarios["jefe"], observaciones="Sin posturas")
    expediente.refresh_from_db()
    bien.refresh_from_db()
    assert expediente.estado == Estado.EMBARGO and bien.estado == EstadoBien.EMBARGADO
    assert [t.hasta for t in expediente.transiciones.all()] == [Estado.CITADO, Estado.EMBARGO, Estado.REMATE,
                                                                Estado.EMBARGO]
    # a deserted auction produces no payment
    with pytest.raises(ValidationError, match="desierto: solo un remate adjudicado"):
        cuenta.pago_registrar(expediente=expediente, fecha=date(2025, 4, 22), monto=D("100.00"),
                              origen=OrigenPago.REMATE, recibo="REM-X", usuario=usuarios["secretaria"], remate=remate)
    # a second auction may be set on the same asset
    segundo = embargos.remate_senalar(bien=bien, fecha=date(2025, 4, 22), fecha_senalada=date(2025, 5, 10),
                                      base=D("1500.00"), usuario=usuarios["jefe"])
    assert segundo.resultado == ResultadoRemate.SENALADO and bien.remates.count() == 2


def test_rechazos_de_embargo_y_remate(usuarios, tasa):
    expediente = _citado(usuarios)
    with pytest.raises(ValidationError, match="desde su medida de retención"):
        embargos.bien_embargar(expediente=expediente, tipo=TipoBien.FONDOS, descripcion="Cuenta", usuario=None,
                               fecha=date(2025, 4, 1))
    with pytest.raises(ValidationError, match="Describa el bien"):
        embargos.bien_embargar(expediente=expediente, tipo=TipoBien.VEHICULO, descripcion=" ", usuario=None,
                               fecha=date(2025, 4, 1))
    bien = _vehiculo(expediente, usuarios)
    with pytest.raises(ValidationError, match="ya está embargado"):
        _vehiculo(expediente, usuarios, fecha=date(2025, 4, 2))
    with pytest.raises(ValidationError, match="Registre el avalúo"):
        embargos.remate_senalar(bien=bien, fecha=date(2025, 4, 2), fecha_senalada=date(2025, 4, 20),
                                base=D("100.00"), usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="anterior al embargo"):
        embargos.bien_avaluar(bien=bien, avaluo=D("2000.00"), fecha=date(2025, 3, 31), usuario=usuarios["jefe"])
    embargos.bien_avaluar(bien=bien, avaluo=D("2000.00"), fecha=date(2025, 4, 2), usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="no puede superar el avalúo"):
        embargos.remate_senalar(bien=bien, fecha=date(2025, 4, 2), fecha_senalada=date(2025, 4, 20),
                                base=D("2500.00"), usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="fecha posterior"):
        embargos.remate_senalar(bien=bien, fecha=date(2025, 4, 2), fecha_senalada=date(2025, 4, 2),
                                base=D("1500.00"), usuario=usuarios["jefe"])
    remate = embargos.remate_senalar(bien=bien, fecha=date(2025, 4, 2), fecha_senalada=date(2025, 4, 20),
                                     base=D("1500.00"), usuario=usuarios["jefe"])
    for valor, mensaje in ((D("0"), "mayor que cero"), (D("-5"), "mayor que cero"), (None, "mayor que cero"),
                           (D("1499.99"), "menor que la base")):
        with pytest.raises(ValidationError, match=mensaje):
            embargos.remate_registrar_resultado(remate=remate, resultado=ResultadoRemate.ADJUDICADO,
                                                fecha=date(2025, 4, 20), valor_adjudicado=valor,
                                                adjudicatario="X", usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="a quién se adjudicó"):
        embargos.remate_registrar_resultado(remate=remate, resultado=ResultadoRemate.ADJUDICADO,
                                            fecha=date(2025, 4, 20), valor_adjudicado=D("1600"),
                                            usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="cancélelo"):
        embargos.bien_levantar(bien=bien, fecha=date(2025, 4, 3), usuario=usuarios["jefe"], motivo="Pago")
    embargos.remate_registrar_resultado(remate=remate, resultado=ResultadoRemate.CANCELADO, fecha=date(2025, 4, 3),
                                        usuario=usuarios["jefe"])
    embargos.bien_levantar(bien=bien, fecha=date(2025, 4, 4), usuario=usuarios["jefe"],
                           motivo="Bien de un tercero, probado con la matrícula.")
    assert (bien.estado, bien.fecha_levantamiento) == (EstadoBien.LEVANTADO, date(2025, 4, 4))
    # the remate of a released asset is refused
    with pytest.raises(ValidationError, match="levantado: no se remata"):
        embargos.remate_senalar(bien=bien, fecha=date(2025, 4, 5), fecha_senalada=date(2025, 4, 25),
                                base=D("1500.00"), usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="levantado: no se levanta"):
        embargos.bien_levantar(bien=bien, fecha=date(2025, 4, 5), usuario=usuarios["jefe"], motivo="Otra vez")
    assert Remate.objects.filter(resultado=ResultadoRemate.SENALADO).count() == 0


def test_no_se_embarga_con_la_ejecucion_suspendida(usuarios, tasa):
    expediente = _citado(usuarios)
    expediente_transicion(expediente=expediente, hasta=Estado.IMPUGNADO, usuario=usuarios["abogado"],
                          fecha=date(2025, 3, 20), motivo="Excepciones")
    with pytest.raises(ValidationError, match="Impugnado"):
        _vehiculo(expediente, usuarios)
    assert not BienEmbargado.objects.exists()


def _retencion(expediente, usuarios, retenido="2000.00", entidad=Entidad.SUPERINTENDENCIA_BANCOS):
    medida = medidas.medida_ordenar(expediente=expediente, entidad=entidad, usuario=usuarios["secretaria"],
                                    fecha=date(2025, 3, 18))
    medidas.medida_respuesta_registrar(medida=medida, fecha=date(2025, 3, 21), monto_retenido=D(retenido))
    return medida


def test_pago_de_fondos_retenidos_indica_su_medida(usuarios, tasa):
    expediente = _citado(usuarios)
    otro = _citado(usuarios, nombre="TEXTILES PAUTE S.A.")
    medida = _retencion(expediente, usuarios)
    ajena = _retencion(otro, usuarios)
    vacia = _retencion(expediente, usuarios, retenido="0", entidad=Entidad.SEPS)
    medidas.medida_convertir_embargo(medida=medida, fecha=date(2025, 3, 24), usuario=usuarios["jefe"])
    # the seized funds are a BienEmbargado of their measure
    fondos = BienEmbargado.objects.get(medida=medida)
    assert (fondos.tipo, fondos.estado, fondos.valor, fondos.expediente_id) == (
        TipoBien.FONDOS, EstadoBien.EMBARGADO, D("2000.00"), expediente.pk)

    def pagar(monto, **kwargs):
        datos = {"expediente": expediente, "fecha": date(2025, 3, 26), "monto": D(monto),
                 "origen": OrigenPago.RETENCION, "recibo": "RET-1", "usuario": usuarios["secretaria"], **kwargs}
        return cuenta.pago_registrar(**datos)

    with pytest.raises(ValidationError, match="indica la medida"):
        pagar("100.00")
    with pytest.raises(ValidationError, match="es de otro expediente"):
        pagar("100.00", medida=ajena)
    with pytest.raises(ValidationError, match="no retuvo fondos"):
        pagar("100.00", medida=vacia)
    with pytest.raises(ValidationError, match="quedan USD 2.000,00"):
        pagar("2000.01", medida=medida)
    with pytest.raises(ValidationError, match="Solo un pago de fondos retenidos"):
        pagar("100.00", medida=medida, origen=OrigenPago.VOLUNTARIO)
    assert not Pago.objects.exists()  # nothing half-done
    primero = pagar("1500.00", medida=medida)
    with pytest.raises(ValidationError, match="ya se aplicaron USD 1.500,00: quedan USD 500,00"):
        pagar("600.00", medida=medida, recibo="RET-2")
    assert primero.medida_id == medida.pk and medida.pagos.get() == primero

    # lifting the measure releases the funds it had seized, and no payment comes from it after
    medidas.medida_levantar(medida=medida, fecha=date(2025, 3, 28), usuario=usuarios["jefe"])
    fondos.refresh_from_db()
    assert (fondos.estado, fondos.fecha_levantamiento) == (EstadoBien.LEVANTADO, date(2025, 3, 28))
    medida.refresh_from_db()
    assert medida.estado == EstadoMedida.LEVANTADA
    with pytest.raises(ValidationError, match="fue levantado"):
        pagar("100.00", medida=medida, recibo="RET-3", fecha=date(2025, 3, 29))


def test_embargar_y_rematar_por_la_pantalla_del_proceso(client, usuarios, tasa):
    expediente = _citado(usuarios)
    client.force_login(usuarios["secretaria"])
    accion = lambda nombre: reverse("expedientes_proceso_accion", args=[expediente.pk, nombre])  # noqa: E731
    respuesta = client.post(accion("bien"), {
        "bien-tipo": "inmueble", "bien-descripcion": "Casa en la calle Larga 5-23, Cuenca",
        "bien-fecha": "01/04/2025", "bien-avaluo": "12.000,00"})
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    bien = BienEmbargado.objects.get()
    assert (bien.tipo, bien.avaluo, bien.registrado_por) == (TipoBien.INMUEBLE, D("12000.00"), usuarios["secretaria"])
    respuesta = client.post(accion("remate"), {"bien_id": bien.pk, "remate-fecha": "02/04/2025",
                                               "remate-fecha_senalada": "05/05/2025", "remate-base": "8.000,00"})
    assert respuesta.status_code == 302
    remate = Remate.objects.get()
    respuesta = client.post(accion("resultado_remate"), {
        "remate_id": remate.pk, "resultado_remate-resultado": "adjudicado", "resultado_remate-fecha": "05/05/2025",
        "resultado_remate-valor_adjudicado": "0", "resultado_remate-adjudicatario": "Ana Tapia"})
    assert respuesta.status_code == 200 and "No se guardó" in respuesta.content.decode()
    client.post(accion("resultado_remate"), {
        "remate_id": remate.pk, "resultado_remate-resultado": "adjudicado", "resultado_remate-fecha": "05/05/2025",
        "resultado_remate-valor_adjudicado": "8.100,00", "resultado_remate-adjudicatario": "Ana Tapia"})
    remate.refresh_from_db()
    assert remate.resultado == ResultadoRemate.ADJUDICADO and remate.valor_adjudicado == D("8100.00")
    # the payment form offers the adjudicated auction and records it
    pantalla = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    assert "Casa en la calle Larga 5-23, Cuenca — USD 8.100,00" in pantalla
    respuesta = client.post(accion("pago"), {"pago-fecha": "06/05/2025", "pago-monto": "5.000,00",
                                             "pago-origen": "remate", "pago-recibo": "REM-9",
                                             "pago-remate": remate.pk})
    assert respuesta.status_code == 302
    assert Pago.objects.get().remate_id == remate.pk
    # an auction of another expediente cannot be chosen
    otro = _citado(usuarios, nombre="OTRA S.A.")
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[otro.pk, "pago"]), {
        "pago-fecha": "06/05/2025", "pago-monto": "10,00", "pago-origen": "remate", "pago-recibo": "REM-10",
        "pago-remate": remate.pk})
    assert respuesta.status_code == 200 and Pago.objects.count() == 1


def test_bienes_de_la_demostracion(usuarios, tasa):
    from portal.demo_bienes import bienes_demo

    iniciado = expediente_crear(usuario=usuarios["secretaria"], nombre="SIN CITAR S.A.")  # skipped: not cited
    uno, dos = _citado(usuarios), _citado(usuarios, nombre="TEXTILES PAUTE S.A.")
    remates = bienes_demo([iniciado, uno, dos], {"jefe": usuarios["jefe"], "secretaria": usuarios["secretaria"]})
    assert [(r.bien.expediente_id, r.bien.tipo, r.resultado) for r in remates] == [
        (uno.pk, TipoBien.VEHICULO, ResultadoRemate.ADJUDICADO), (dos.pk, TipoBien.INMUEBLE, ResultadoRemate.DESIERTO)]
    pago = Pago.objects.get(remate=remates[0])
    assert pago.origen == OrigenPago.REMATE and pago.monto == remates[0].valor_adjudicado
    uno.refresh_from_db()
    dos.refresh_from_db()
    assert (uno.estado, dos.estado) == (Estado.REMATE, Estado.EMBARGO)
    assert not iniciado.bienes.exists()
