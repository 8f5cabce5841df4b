"""Five proceedings from the orden de cobro to their end, through PostgreSQL, the S3 store
and clamd, with the documents they generate (their PDF text checked)."""

from datetime import date
from decimal import Decimal

import pytest

from expedientes.estados import Estado
from expedientes.models import ClaveDocumento, Entidad, EstadoConvenio, EstadoMedida, ObjetoBusqueda, RegistroPublico
from expedientes.services import cuenta, ilocalizables, medidas
from expedientes.services.documentos import documento_generar
from expedientes.services.proceso import expediente_transicion
from tests.expedientes.test_documentos import texto_pdf
from tests.factories import expediente_crear

D = Decimal
pytestmark = pytest.mark.servicios


@pytest.fixture
def tasa(db):
    return cuenta.tasa_registrar(vigente_desde=date(2024, 1, 1), tasa_anual=D("9.0000"), fuente="Prueba")


def _abrir(usuarios, nombre, monto):
    expediente = expediente_crear(usuario=usuarios["secretaria"], nombre=nombre, monto=D(monto),
                                  fecha=date(2025, 3, 13), abogado=usuarios["abogado"])
    auto = documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO, usuario=usuarios["abogado"],
                             firmante=usuarios["jefe"], fecha=date(2025, 3, 14))
    return expediente, auto


def _citar(expediente, usuarios, fecha=date(2025, 3, 17)):
    razon = documento_generar(expediente=expediente, clave=ClaveDocumento.RAZON_CITACION,
                              usuario=usuarios["abogado"], fecha=fecha)
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"], fecha=fecha,
                          motivo="Citación en persona", actuacion=razon.adjunto.actuacion)
    return razon


def test_pagado_voluntariamente(usuarios, tasa):
    expediente, auto = _abrir(usuarios, "COMERCIAL EL EJIDO CÍA. LTDA.", "2500.00")
    assert "COMERCIAL EL EJIDO CÍA. LTDA." in texto_pdf(auto) and "USD 2.500,00" in texto_pdf(auto)
    razon = _citar(expediente, usuarios)
    assert "diecisiete de marzo de dos mil veinticinco" in texto_pdf(razon)
    saldo = cuenta.cuenta_liquidar(expediente, date(2025, 3, 20)).saldo
    assert saldo == D("2500.00") + D("4.32")  # 7 days at 9 % over 365 on 2,500.00
    cuenta.pago_registrar(expediente=expediente, fecha=date(2025, 3, 20), monto=saldo, origen="voluntario",
                          recibo="REC-001", usuario=usuarios["secretaria"])
    expediente.refresh_from_db()
    assert expediente.estado == Estado.PAGADO and medidas.medidas_por_levantar(expediente) == []
    expediente_transicion(expediente=expediente, hasta=Estado.ARCHIVADO, usuario=usuarios["jefe"], motivo="Pagado")
    assert [t.hasta for t in expediente.transiciones.all()] == [Estado.CITADO, Estado.PAGADO, Estado.ARCHIVADO]


def test_retenido_y_embargado_luego_levantado(usuarios, tasa):
    expediente, _ = _abrir(usuarios, "TEXTILES PAUTE S.A.", "1800.00")
    sb = medidas.medida_ordenar(expediente=expediente, entidad=Entidad.SUPERINTENDENCIA_BANCOS,
                                usuario=usuarios["secretaria"], firmante=usuarios["jefe"], fecha=date(2025, 3, 14))
    seps = medidas.medida_ordenar(expediente=expediente, entidad=Entidad.SEPS, usuario=usuarios["secretaria"],
                                  fecha=date(2025, 3, 14))
    oficio = sb.actuacion.adjuntos.get().versiones.get()
    assert "Superintendencia de Bancos" in texto_pdf(oficio) and "TEXTILES PAUTE S.A." in texto_pdf(oficio)
    expediente.refresh_from_db()
    assert expediente.estado == Estado.MEDIDAS_CAUTELARES
    _citar(expediente, usuarios)  # cited after the measures were ordered
    medidas.medida_respuesta_registrar(medida=sb, fecha=date(2025, 3, 21), monto_retenido=D("3000.00"))
    medidas.medida_convertir_embargo(medida=sb, fecha=date(2025, 3, 24), usuario=usuarios["jefe"])
    expediente.refresh_from_db()
    assert expediente.estado == Estado.EMBARGO
    saldo = cuenta.cuenta_liquidar(expediente, date(2025, 3, 31)).saldo
    cuenta.pago_registrar(expediente=expediente, fecha=date(2025, 3, 31), monto=saldo, origen="retencion",
                          recibo="RET-SB-1", usuario=usuarios["secretaria"], medida=sb)
    expediente.refresh_from_db()
    assert expediente.estado == Estado.PAGADO
    por_levantar = medidas.medidas_por_levantar(expediente)
    assert {m.pk for m in por_levantar} == {sb.pk, seps.pk}
    for medida in por_levantar:
        medidas.medida_levantar(medida=medida, fecha=date(2025, 4, 2), usuario=usuarios["jefe"])
    sb.refresh_from_db()
    assert sb.estado == EstadoMedida.LEVANTADA and medidas.medidas_por_levantar(expediente) == []
    levantamiento = expediente.get_descendants().type(type(sb.actuacion)).specific().filter(
        actuacionpage__numero=f"{sb.oficio_numero}-L").get()
    assert "levantamiento de las medidas" in texto_pdf(levantamiento.adjuntos.get().versiones.get())


def test_convenio_de_pago_y_luego_incumplimiento(usuarios, tasa):
    expediente, _ = _abrir(usuarios, "CONSTRUCTORA YANUNCAY S.A.S.", "3000.00")
    _citar(expediente, usuarios)
    saldo = cuenta.cuenta_liquidar(expediente, date(2025, 4, 1)).saldo
    cuota = (saldo / 2).quantize(D("0.01"))
    convenio = cuenta.convenio_registrar(expediente=expediente, fecha=date(2025, 4, 1), usuario=usuarios["jefe"],
                                         cuotas=[(date(2025, 5, 1), cuota), (date(2025, 6, 2), saldo - cuota)])
    cuenta.pago_registrar(expediente=expediente, fecha=date(2025, 4, 30), monto=cuota, origen="convenio",
                          recibo="CONV-1", usuario=usuarios["secretaria"])
    assert cuenta.convenio_revisar(convenio=convenio, fecha=date(2025, 5, 15)) == EstadoConvenio.VIGENTE
    assert cuenta.convenio_revisar(convenio=convenio, fecha=date(2025, 6, 3)) == EstadoConvenio.INCUMPLIDO
    expediente.refresh_from_db()
    assert expediente.estado == Estado.CITADO  # enforcement resumes where it stood
    medidas.medida_ordenar(expediente=expediente, entidad=Entidad.SUPERINTENDENCIA_BANCOS,
                           usuario=usuarios["secretaria"], fecha=date(2025, 6, 4))
    expediente.refresh_from_db()
    assert expediente.estado == Estado.MEDIDAS_CAUTELARES
    assert cuenta.cuenta_liquidar(expediente, date(2025, 6, 4)).saldo > saldo - cuota  # interest kept running


def test_ilocalizable_y_citado_por_la_prensa(usuarios, tasa):
    expediente, _ = _abrir(usuarios, "DISTRIBUIDORA SUCÚA CÍA. LTDA.", "900.00")
    for registro in (RegistroPublico.REGISTRO_CIVIL, RegistroPublico.SRI):
        ilocalizables.busqueda_registrar(expediente=expediente, registro=registro, fecha=date(2025, 3, 18),
                                         resultado="Domicilio registrado no existe", encontrado=False,
                                         usuario=usuarios["abogado"])
    ilocalizables.ilocalizable_declarar(expediente=expediente, usuario=usuarios["abogado"], fecha=date(2025, 3, 19))
    for dia in (date(2025, 3, 24), date(2025, 3, 31), date(2025, 4, 7)):
        ilocalizables.publicacion_registrar(expediente=expediente, periodico="El Mercurio", fecha=dia,
                                            costo=D("85.40"), usuario=usuarios["secretaria"])
    efecto = ilocalizables.citacion_prensa_efecto(expediente)
    # 20 working days after Monday 07/04/2025 on the seeded calendar, counted by hand:
    # 8–11 Apr (4), 14–17 (8; Fri 18 is Good Friday), 21–25 (13), 28–30 (16), Thu 1 May (17:
    # Labour Day was moved to Fri 2 May, so the 1st is a working day), 5, 6, 7 May (20).
    assert efecto.vence == date(2025, 5, 7)
    assert "20 días hábiles desde la última publicación por la prensa del 07/04/2025" in efecto.explicacion
    ilocalizables.citacion_prensa_registrar(expediente=expediente, usuario=usuarios["abogado"], fecha=date(2025, 5, 8))
    expediente.refresh_from_db()
    assert expediente.estado == Estado.CITADO
    estado_cuenta = cuenta.cuenta_liquidar(expediente, date(2025, 5, 8))
    assert estado_cuenta.costas == D("256.20")  # three publications, charged to the debtor


def test_insolvencia_con_informe(usuarios, tasa):
    expediente, _ = _abrir(usuarios, "PANIFICADORA AZOGUES S.A.", "4200.00")
    _citar(expediente, usuarios)
    sb = medidas.medida_ordenar(expediente=expediente, entidad=Entidad.SUPERINTENDENCIA_BANCOS,
                                usuario=usuarios["secretaria"], fecha=date(2025, 3, 18))
    medidas.medida_respuesta_registrar(medida=sb, fecha=date(2025, 3, 25), monto_retenido=D("0.00"),
                                       observaciones="Sin cuentas")
    for registro in (RegistroPublico.REGISTRO_PROPIEDAD, RegistroPublico.SRI, RegistroPublico.ANT):
        ilocalizables.busqueda_registrar(expediente=expediente, registro=registro, fecha=date(2025, 4, 1),
                                         resultado="Sin bienes registrados", encontrado=False,
                                         usuario=usuarios["abogado"], objeto=ObjetoBusqueda.BIENES)
    # the debtor was cited at a known address: that is no obstacle to insolvency
    ilocalizables.busqueda_registrar(expediente=expediente, registro=RegistroPublico.REGISTRO_CIVIL,
                                     fecha=date(2025, 4, 1), resultado="Domicilio confirmado", encontrado=True,
                                     usuario=usuarios["abogado"])
    informe = ilocalizables.insolvencia_declarar(expediente=expediente, usuario=usuarios["abogado"],
                                                 firmante=usuarios["jefe"], fecha=date(2025, 4, 10))
    texto = texto_pdf(informe)
    assert "INFORME DE INSOLVENCIA" in texto and "PANIFICADORA AZOGUES S.A." in texto
    assert "Agencia Nacional de Tránsito: Sin bienes registrados" in texto and "Domicilio confirmado" not in texto
    saldo = cuenta.cuenta_liquidar(expediente, date(2025, 4, 10)).saldo
    assert f"USD {saldo:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in texto
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INSOLVENCIA
    expediente_transicion(expediente=expediente, hasta=Estado.ARCHIVADO, usuario=usuarios["jefe"],
                          motivo="Remitido a Asesoría Jurídica")
