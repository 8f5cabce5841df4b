"""Issue 7, points 3, 4, 7 and 11: lock then decide; no external call (PDF, antivirus, S3)
while a row is locked; no object left in the store by a refused act; double submits record
once; bulk letters resumable; an issued document keeps what it printed. Through the real
PostgreSQL, SeaweedFS and clamd; concurrency with real threads and connections."""

import threading
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections
from django.urls import reverse

from expedientes.custodia import almacen, antivirus
from expedientes.estados import Estado
from expedientes.models import (
    Adjunto, ClaveDocumento, DiaEspecial, DocumentoEmitido, Entidad, EstadoMedida, ExpedientePage,
    MedidaCautelar, ObjetoBusqueda,
)
from expedientes.services import documentos as documentos_servicio
from expedientes.services.cuenta import convenio_registrar, cuenta_liquidar, tasa_registrar
from expedientes.services.documentos import documento_diferencias, documento_generar
from expedientes.services.ilocalizables import busqueda_registrar, insolvencia_declarar
from expedientes.services.medidas import (
    medida_convertir_embargo, medida_levantar, medida_ordenar, medida_respuesta_registrar,
)
from expedientes.services.proceso import expediente_transicion
from tests.factories import expediente_crear

D = Decimal
pytestmark = pytest.mark.servicios
transaccional = pytest.mark.django_db(transaction=True, serialized_rollback=True)



def _en_paralelo(n, funcion):
    """Run `funcion` in n threads released together; returns (results, errors)."""
    barrera, resultados, errores = threading.Barrier(n), [], []

    def correr():
        try:
            barrera.wait()
            resultados.append(funcion())
        except Exception as exc:  # noqa: BLE001 (asserted by the caller)
            errores.append(exc)
        finally:
            connection.close()

    hilos = [threading.Thread(target=correr) for _ in range(n)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    return resultados, errores


# --- point 3: double submits record once ------------------------------------------------------

@transaccional
def test_doble_envio_de_un_oficio_produce_uno(usuarios, tasa, versiones_en_bucket):
    expediente = expediente_crear(usuario=usuarios["secretaria"])
    antes = versiones_en_bucket()
    resultados, errores = _en_paralelo(2, lambda: medida_ordenar(
        expediente=ExpedientePage.objects.get(pk=expediente.pk), entidad=Entidad.SUPERINTENDENCIA_BANCOS,
        usuario=usuarios["secretaria"], fecha=date(2025, 3, 20)))
    assert len(resultados) == 1 and len(errores) == 1
    assert "Ya hay un oficio abierto" in " ".join(errores[0].messages)
    assert MedidaCautelar.objects.filter(expediente=expediente).count() == 1
    assert Adjunto.objects.filter(actuacion__path__startswith=expediente.path).count() == 1
    assert len(versiones_en_bucket() - antes) == 1  # the refused one left nothing in the store


@transaccional
def test_doble_envio_de_un_auto_de_pago_produce_uno(usuarios, tasa):
    expediente = expediente_crear(usuario=usuarios["secretaria"])
    resultados, errores = _en_paralelo(2, lambda: documento_generar(
        expediente=ExpedientePage.objects.get(pk=expediente.pk), clave=ClaveDocumento.AUTO_PAGO,
        usuario=usuarios["secretaria"], fecha=date(2025, 3, 14)))
    assert len(resultados) == 1 and len(errores) == 1
    assert "se emite una sola vez" in " ".join(errores[0].messages)
    assert DocumentoEmitido.objects.filter(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO).count() == 1


@transaccional
def test_doble_embargo_de_la_misma_medida_produce_uno(usuarios, tasa):
    expediente = expediente_crear(usuario=usuarios["secretaria"])
    medida = medida_ordenar(expediente=expediente, entidad=Entidad.SEPS, usuario=usuarios["secretaria"],
                            fecha=date(2025, 3, 20))
    medida_respuesta_registrar(medida=medida, fecha=date(2025, 3, 24), monto_retenido=D("300.00"))
    resultados, errores = _en_paralelo(2, lambda: medida_convertir_embargo(
        medida=MedidaCautelar.objects.get(pk=medida.pk), fecha=date(2025, 3, 25), usuario=usuarios["jefe"]))
    assert len(resultados) == 1 and len(errores) == 1
    assert DocumentoEmitido.objects.filter(expediente=expediente, clave=ClaveDocumento.AUTO_EMBARGO).count() == 1
    assert ExpedientePage.objects.get(pk=expediente.pk).estado == Estado.EMBARGO


def test_formulario_enviado_dos_veces_registra_una(client, expediente, usuarios, tasa):
    client.force_login(usuarios["secretaria"])
    url = reverse("expedientes_proceso_accion", args=[expediente.pk, "costa"])
    datos = {"costa-envio": "0b7a3c1e-3f7e-4a44-9d5c-2f4e7f1c9a01", "costa-fecha": "20/03/2025",
             "costa-concepto": "Movilización", "costa-monto": "12,50"}
    assert client.post(url, datos).status_code == 302
    segunda = client.post(url, datos, follow=True)
    assert "ya se había enviado" in segunda.content.decode()
    assert expediente.costas.count() == 1


def test_no_se_embarga_durante_un_convenio(expediente, usuarios, tasa):
    medida = medida_ordenar(expediente=expediente, entidad=Entidad.SEPS, usuario=usuarios["secretaria"],
                            fecha=date(2025, 3, 20))
    medida_respuesta_registrar(medida=medida, fecha=date(2025, 3, 24), monto_retenido=D("300.00"))
    saldo = cuenta_liquidar(expediente, date(2025, 3, 25)).saldo
    convenio_registrar(expediente=expediente, fecha=date(2025, 3, 25), usuario=usuarios["jefe"],
                       cuotas=[(date(2025, 4, 25), saldo)])
    with pytest.raises(ValidationError, match="suspendida"):
        medida_convertir_embargo(medida=medida, fecha=date(2025, 3, 26), usuario=usuarios["jefe"])
    medida.refresh_from_db()
    assert medida.estado == EstadoMedida.RESPONDIDA
    assert not DocumentoEmitido.objects.filter(clave=ClaveDocumento.AUTO_EMBARGO).exists()


def test_respuesta_anterior_al_oficio_o_repetida_rechazada(expediente, usuarios, tasa):
    medida = medida_ordenar(expediente=expediente, entidad=Entidad.SEPS, usuario=usuarios["secretaria"],
                            fecha=date(2025, 3, 20))
    with pytest.raises(ValidationError, match="anterior al oficio"):
        medida_respuesta_registrar(medida=medida, fecha=date(2025, 3, 19), monto_retenido=D("1.00"))
    medida_respuesta_registrar(medida=medida, fecha=date(2025, 3, 21), monto_retenido=D("1.00"))
    with pytest.raises(ValidationError, match="ya no espera respuesta"):
        medida_respuesta_registrar(medida=MedidaCautelar.objects.get(pk=medida.pk), fecha=date(2025, 3, 22),
                                   monto_retenido=D("2.00"))


# --- point 4: no external call inside a row lock; no orphan after a refusal ---------------------

@pytest.fixture
def vigilante(monkeypatch):
    """Wrap the PDF engine, the antivirus and the S3 put: each call checks, from another
    connection, that no row of the expediente is locked at that moment."""
    vistos, bloqueados = [], []
    estado = {"pk": None}

    def fila_bloqueada() -> bool:
        resultado = {}

        def probar():
            try:
                with connections["default"].cursor() as cursor:
                    cursor.execute("BEGIN")
                    cursor.execute("SELECT 1 FROM wagtailcore_page WHERE id = %s FOR UPDATE NOWAIT", [estado["pk"]])
                    cursor.execute("SELECT 1 FROM expedientes_expedientepage WHERE page_ptr_id = %s "
                                   "FOR UPDATE NOWAIT", [estado["pk"]])
                    cursor.execute("ROLLBACK")
                resultado["bloqueada"] = False
            except OperationalError:
                resultado["bloqueada"] = True
            finally:
                connections["default"].close()

        hilo = threading.Thread(target=probar)
        hilo.start()
        hilo.join()
        return resultado["bloqueada"]

    def envolver(modulo, nombre):
        original = getattr(modulo, nombre)

        def envuelta(*args, **kwargs):
            vistos.append(nombre)
            if estado["pk"] and fila_bloqueada():
                bloqueados.append(nombre)
            return original(*args, **kwargs)

        monkeypatch.setattr(modulo, nombre, envuelta)

    envolver(documentos_servicio, "documento_pdf")
    envolver(antivirus, "escanear")
    envolver(almacen, "guardar")
    return estado, vistos, bloqueados


@transaccional
def test_ninguna_llamada_externa_con_la_fila_bloqueada(usuarios, tasa, settings, vigilante):
    estado, vistos, bloqueados = vigilante
    expediente = expediente_crear(usuario=usuarios["secretaria"], abogado=usuarios["abogado"])
    estado["pk"] = expediente.pk
    documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO, usuario=usuarios["abogado"],
                      fecha=date(2025, 3, 14))
    medida = medida_ordenar(expediente=expediente, entidad=Entidad.SEPS, usuario=usuarios["secretaria"],
                            fecha=date(2025, 3, 20))
    medida_respuesta_registrar(medida=medida, fecha=date(2025, 3, 24), monto_retenido=D("300.00"))
    medida_convertir_embargo(medida=medida, fecha=date(2025, 3, 25), usuario=usuarios["jefe"])
    medida_levantar(medida=medida, fecha=date(2025, 3, 26), usuario=usuarios["jefe"])
    for registro in settings.INSOLVENCIA["REGISTROS_EXIGIDOS"]:
        busqueda_registrar(expediente=expediente, registro=registro, fecha=date(2025, 3, 27), resultado="Nada",
                           encontrado=False, usuario=usuarios["abogado"], objeto=ObjetoBusqueda.BIENES)
    insolvencia_declarar(expediente=expediente, usuario=usuarios["jefe"], fecha=date(2025, 3, 28))
    assert vistos.count("documento_pdf") == 5 and vistos.count("guardar") == 5, vistos
    assert bloqueados == []


@transaccional
def test_acto_rechazado_bajo_el_bloqueo_no_deja_objeto(usuarios, tasa, settings, versiones_en_bucket, monkeypatch):
    """The state changes while the informe renders (another user registers an impugnación):
    the check on the locked row refuses, and the stored PDF is removed."""
    expediente = expediente_crear(usuario=usuarios["secretaria"])
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"], motivo="x",
                          fecha=date(2025, 3, 20))
    for registro in settings.INSOLVENCIA["REGISTROS_EXIGIDOS"]:
        busqueda_registrar(expediente=expediente, registro=registro, fecha=date(2025, 3, 27), resultado="Nada",
                           encontrado=False, usuario=usuarios["abogado"], objeto=ObjetoBusqueda.BIENES)
    original = documentos_servicio.documento_pdf

    def pdf_y_mientras_tanto(*args, **kwargs):
        pdf = original(*args, **kwargs)
        _en_paralelo(1, lambda: expediente_transicion(
            expediente=ExpedientePage.objects.get(pk=expediente.pk), hasta=Estado.IMPUGNADO,
            usuario=usuarios["jefe"], motivo="Excepciones ante el TCA", fecha=date(2025, 3, 28)))
        return pdf

    monkeypatch.setattr(documentos_servicio, "documento_pdf", pdf_y_mientras_tanto)
    antes = versiones_en_bucket()
    with pytest.raises(ValidationError, match="no procede declarar la insolvencia"):
        insolvencia_declarar(expediente=expediente, usuario=usuarios["jefe"], fecha=date(2025, 3, 28))
    assert versiones_en_bucket() == antes
    assert not DocumentoEmitido.objects.filter(expediente=expediente).exists()
    assert ExpedientePage.objects.get(pk=expediente.pk).estado == Estado.IMPUGNADO


def test_insolvencia_desde_un_estado_que_no_la_admite_no_deja_objeto(expediente, usuarios, tasa, settings,
                                                                    versiones_en_bucket):
    for registro in settings.INSOLVENCIA["REGISTROS_EXIGIDOS"]:
        busqueda_registrar(expediente=expediente, registro=registro, fecha=date(2025, 3, 27), resultado="Nada",
                           encontrado=False, usuario=usuarios["abogado"], objeto=ObjetoBusqueda.BIENES)
    antes = versiones_en_bucket()
    with pytest.raises(ValidationError, match="Iniciado"):
        insolvencia_declarar(expediente=expediente, usuario=usuarios["jefe"], fecha=date(2025, 3, 28))
    assert versiones_en_bucket() == antes
    assert expediente.get_children().count() == 0


# --- point 7: bulk letters, idempotent and resumable ------------------------------------------

def test_oficios_masivos_no_duplican_y_se_reanudan_tras_un_corte(usuarios, tasa, settings):
    expedientes = [expediente_crear(usuario=usuarios["secretaria"], fecha=date(2019, 5, 6)) for _ in range(3)]
    # one of them already has its letter to the Superintendencia de Bancos
    medida_ordenar(expediente=expedientes[0], entidad=Entidad.SUPERINTENDENCIA_BANCOS,
                   usuario=usuarios["secretaria"], fecha=date(2019, 6, 3))
    settings.CUSTODIA = {**settings.CUSTODIA, "CLAMD_SOCKET": "", "CLAMD_PORT": 9}  # antivirus down
    salida = StringIO()
    with pytest.raises(CommandError, match="ejecute de nuevo el mismo comando"):
        call_command("oficios_retencion", desde=2009, hasta=2025, usuario="secretaria", esperar=True, stdout=salida)
    assert MedidaCautelar.objects.count() == 1  # nothing half-made
    settings.CUSTODIA = {**settings.CUSTODIA, "CLAMD_PORT": 3310}
    call_command("oficios_retencion", desde=2009, hasta=2025, usuario="secretaria", esperar=True, stdout=salida)
    assert "5 oficios generados" in salida.getvalue() and "1 ya emitidos antes" in salida.getvalue()
    salida = StringIO()
    call_command("oficios_retencion", desde=2009, hasta=2025, usuario="secretaria", esperar=True, stdout=salida)
    assert "0 oficios generados" in salida.getvalue() and "6 ya emitidos antes" in salida.getvalue()
    for expediente in expedientes:
        assert expediente.medidas.count() == 2
        assert sorted(expediente.medidas.values_list("entidad", flat=True)) == sorted(["sb", "seps"])


# --- point 11: an issued document keeps what it printed ---------------------------------------

def test_documento_emitido_conserva_cifras_y_plazos(client, expediente, usuarios, tasa):
    medida = medida_ordenar(expediente=expediente, entidad=Entidad.SEPS, usuario=usuarios["secretaria"],
                            fecha=date(2025, 3, 20))  # Thursday: answer due Tuesday 25/03 (3 working days)
    emitido = DocumentoEmitido.objects.get(version__adjunto__actuacion=medida.actuacion)
    impreso = dict(emitido.cifras)
    assert impreso["plazos"]["respuesta"]["vence"] == "2025-03-25"
    assert documento_diferencias(emitido) == []
    sha = emitido.version.sha256
    # later the calendar gains a decreed day off and the rate table a new rate
    DiaEspecial.objects.create(fecha=date(2025, 3, 24), laborable=False, tipo="decretado", nombre="Decretado",
                               fuente="Decreto de prueba")
    tasa_registrar(vigente_desde=date(2025, 3, 1), tasa_anual=D("20.0000"), fuente="Corrección")
    emitido.refresh_from_db()
    assert emitido.cifras == impreso and emitido.version.sha256 == sha
    diferencias = documento_diferencias(emitido)
    assert any("se notificó el 25/03/2025" in d and "26/03/2025" in d for d in diferencias), diferencias
    assert any(d.startswith("intereses") for d in diferencias), diferencias
    client.force_login(usuarios["jefe"])
    pagina = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    assert "Difiere de lo notificado" in pagina and "se notificó el 25/03/2025" in pagina
