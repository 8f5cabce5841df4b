"""Acts as the unit records them (issue 9, point 3): the opening takes what the orden de cobro
says (its number and scan, the título, the debtor's contact data), and the citation is an act
with its date, manner and razón; through the real PostgreSQL, S3 and clamd."""

import io
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from expedientes import plazos
from expedientes.custodia import ArchivoRechazado, almacen
from expedientes.estados import Estado
from expedientes.models import (
    ActuacionPage, Adjunto, AdjuntoVersion, AnioPage, Citacion, Coactivado, ExpedientePage, TipoActuacion,
)
from expedientes.services import expedientes as servicio_expedientes
from expedientes.services.citaciones import citacion_registrar
from expedientes.services.coactivados import coactivado_registrar
from expedientes.services.expedientes import expediente_abrir
from tests.conftest import EICAR
from tests.factories import cedula_valida

pytestmark = pytest.mark.servicios


def _apertura(**cambios):
    return {
        "orden_cobro_numero": "OC-2025-118", "fecha_recepcion": "13/03/2025",
        "titulo_numero": "TC-2025-0451", "titulo_fecha": "10/03/2025", "monto_titulo": "1850,40",
        "identificacion": cedula_valida("01"), "nombre": "PÉREZ CALLE SILVIA", "provincia": "01",
        "domicilio": "Av. Solano 2-45 y Remigio Crespo", "telefono": "07 283 1234",
        "correo": "silvia.perez@ejemplo.ec", "casillero_judicial": "1234",
    } | cambios


def test_apertura_por_pantalla_con_el_escaneo_de_la_orden(client, usuarios, pdf, versiones_en_bucket):
    client.force_login(usuarios["secretaria"])
    antes = versiones_en_bucket()
    escaneo = SimpleUploadedFile("orden de cobro.pdf", pdf("orden de cobro").read(), "application/pdf")
    respuesta = client.post(reverse("expedientes_abrir"), _apertura(archivo=escaneo))
    assert respuesta.status_code == 302, respuesta.content.decode()[-3000:]
    expediente = ExpedientePage.objects.get()
    assert expediente.orden_cobro_numero == "OC-2025-118"
    titulo = expediente.titulos.get()
    assert (titulo.numero, titulo.fecha_emision) == ("TC-2025-0451", date(2025, 3, 10))
    assert titulo.resolucion == "la orden de cobro N.º OC-2025-118"
    coactivado = expediente.coactivado
    assert (coactivado.telefono, coactivado.correo, coactivado.casillero_judicial) == (
        "07 283 1234", "silvia.perez@ejemplo.ec", "1234")
    domicilio = coactivado.domicilios.get()
    assert domicilio.direccion == "Av. Solano 2-45 y Remigio Crespo" and domicilio.fuente == "Orden de cobro OC-2025-118"
    # the first actuación is the orden de cobro, with its scan in custody
    orden = ActuacionPage.objects.child_of(expediente).get()
    assert (orden.tipo, orden.numero, orden.fecha) == (TipoActuacion.ORDEN_DE_COBRO, "OC-2025-118", date(2025, 3, 13))
    version = AdjuntoVersion.objects.get(adjunto__actuacion=orden)
    assert version.antivirus_resultado == "OK" and version.subido_por == usuarios["secretaria"]
    assert version.nombre_original == "orden de cobro.pdf"
    assert almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3)).read().startswith(b"%PDF")
    assert len(versiones_en_bucket() - antes) == 1


def test_apertura_con_un_virus_no_deja_nada(client, usuarios, versiones_en_bucket):
    """A refused scan is refused before the opening's transaction: no expediente, no debtor,
    no year page, no actuación, no stored object; the form says why and keeps the data."""
    client.force_login(usuarios["secretaria"])
    antes = versiones_en_bucket()
    escaneo = SimpleUploadedFile("orden.pdf", EICAR, "application/pdf")
    respuesta = client.post(reverse("expedientes_abrir"), _apertura(archivo=escaneo))
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "El expediente no se abrió." in contenido
    assert "PÉREZ CALLE SILVIA" in contenido  # the typed data is still on the form
    assert not ExpedientePage.objects.exists() and not AnioPage.objects.filter(anio=2025).exists()
    assert not Coactivado.objects.exists() and not ActuacionPage.objects.exists()
    assert not Adjunto.objects.exists() and not AdjuntoVersion.objects.exists()
    assert versiones_en_bucket() == antes


def test_apertura_rechazada_despues_de_guardar_el_escaneo_lo_retira(usuarios, pdf, versiones_en_bucket,
                                                                      monkeypatch):
    """The scan passed and was stored, then the opening failed: the stored version goes too."""
    def fallar(**kwargs):
        raise ValidationError("El título de crédito no pudo registrarse.")

    monkeypatch.setattr(servicio_expedientes, "titulo_registrar", fallar)
    antes = versiones_en_bucket()
    archivo = pdf("orden")
    archivo.name = "orden.pdf"
    with pytest.raises(ValidationError):
        expediente_abrir(identificacion=cedula_valida("01"), nombre="ALFA S.A.", provincia="01",
                         fecha_recepcion=date(2025, 3, 13), monto_titulo=1, usuario=usuarios["secretaria"],
                         orden_cobro_numero="OC-1", orden_cobro_archivo=archivo)
    assert not ExpedientePage.objects.exists() and not Coactivado.objects.exists()
    assert not AdjuntoVersion.objects.exists()
    assert versiones_en_bucket() == antes


def test_apertura_de_un_coactivado_conocido_guarda_el_historial_de_contacto(client, usuarios):
    cedula = cedula_valida("01")
    coactivado = coactivado_registrar(identificacion=cedula, nombre="PÉREZ CALLE SILVIA")
    client.force_login(usuarios["secretaria"])
    client.post(reverse("expedientes_abrir"), _apertura(identificacion=cedula, domicilio="Calle Larga 1-10"))
    respuesta = client.post(reverse("expedientes_abrir"), _apertura(
        identificacion=cedula, orden_cobro_numero="OC-2025-200", domicilio="Av. Huayna Cápac 3-20",
        correo="nuevo@ejemplo.ec"))
    assert respuesta.status_code == 302
    avisos = [str(m.message) for m in get_messages(respuesta.wsgi_request) if m.level_tag == "warning"]
    assert any("el anterior («Calle Larga 1-10») se conserva" in a for a in avisos), avisos
    assert any("Se actualizó el correo electrónico del coactivado: antes «silvia.perez@ejemplo.ec», "
               "ahora «nuevo@ejemplo.ec»." in a for a in avisos), avisos
    coactivado.refresh_from_db()
    assert [d.direccion for d in coactivado.domicilios.all()] == ["Av. Huayna Cápac 3-20", "Calle Larga 1-10"]
    assert coactivado.correo == "nuevo@ejemplo.ec"


# --- the citation ---------------------------------------------------------------------------

def _citar(client, expediente, archivo, **cambios):
    datos = {"citacion-fecha": "18/03/2025", "citacion-forma": "boletas",
             "citacion-observaciones": "Se dejaron tres boletas en el domicilio.", "citacion-archivo": archivo}
    return client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "citacion"]), datos | cambios)


def test_citacion_por_pantalla_con_su_razon(client, usuarios, expediente, tasa, pdf, versiones_en_bucket):
    client.force_login(usuarios["secretaria"])
    pantalla = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    assert 'name="citacion-archivo"' in pantalla and 'enctype="multipart/form-data"' in pantalla
    # the bare change of state no longer offers «Citado»: the citation is recorded as an act
    assert '<option value="citado">' not in pantalla
    antes = versiones_en_bucket()
    respuesta = _citar(client, expediente, SimpleUploadedFile("razón.pdf", pdf("razón").read(), "application/pdf"))
    assert respuesta.status_code == 302
    citacion = Citacion.objects.get()
    assert (citacion.fecha, citacion.forma, citacion.registrada_por) == (
        date(2025, 3, 18), "boletas", usuarios["secretaria"])
    actuacion = citacion.actuacion
    assert actuacion.tipo == TipoActuacion.CITACION and actuacion.fecha == date(2025, 3, 18)
    assert actuacion.resumen == "Citación por boletas. Se dejaron tres boletas en el domicilio."
    razon = actuacion.adjuntos.get()
    assert razon.titulo == "Razón de citación" and razon.versiones.get().antivirus_resultado == "OK"
    assert len(versiones_en_bucket() - antes) == 1
    expediente.refresh_from_db()
    assert expediente.estado == Estado.CITADO
    transicion = expediente.transiciones.get()
    assert (transicion.fecha, transicion.actuacion_id) == (date(2025, 3, 18), actuacion.pk)
    # the three days to pay count from the recorded date
    vencimiento = next(v for v in plazos.vencimientos_de(expediente) if v.concepto == "Pago o dimisión de bienes")
    assert "desde la citación del 18/03/2025" in vencimiento.explicacion


def test_citacion_con_un_virus_no_deja_nada(client, usuarios, expediente, versiones_en_bucket):
    client.force_login(usuarios["secretaria"])
    antes = versiones_en_bucket()
    respuesta = _citar(client, expediente, SimpleUploadedFile("razon.pdf", EICAR, "application/pdf"))
    assert respuesta.status_code == 200
    assert "No se guardó" in respuesta.content.decode()
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO and not expediente.transiciones.exists()
    assert not Citacion.objects.exists()
    assert not ActuacionPage.objects.filter(tipo=TipoActuacion.CITACION).exists()
    assert versiones_en_bucket() == antes


def test_citacion_sin_razon_o_fuera_de_orden_se_rechaza(usuarios, expediente, pdf):
    razon = pdf("razón")
    razon.name = "razon.pdf"
    with pytest.raises(ValidationError, match="Adjunte la razón"):
        citacion_registrar(expediente=expediente, fecha=date(2025, 3, 18), forma="personal", archivo=None,
                           usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError, match="Solo se cita por la prensa"):
        citacion_registrar(expediente=expediente, fecha=date(2025, 3, 18), forma="prensa", archivo=razon,
                           usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError, match="anterior a la recepción"):
        citacion_registrar(expediente=expediente, fecha=date(2025, 3, 1), forma="personal", archivo=razon,
                           usuario=usuarios["secretaria"])
    assert not Citacion.objects.exists() and not AdjuntoVersion.objects.exists()


def test_citacion_rechazada_por_tipo_de_archivo(usuarios, expediente):
    with pytest.raises(ArchivoRechazado):
        citacion_registrar(expediente=expediente, fecha=date(2025, 3, 18), forma="personal",
                           archivo=io.BytesIO(b"#!/bin/sh\necho hola\n"), nombre="razon.sh",
                           usuario=usuarios["secretaria"])
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO and not Citacion.objects.exists()


def test_razon_demasiado_grande_se_corta_con_mensaje(client, usuarios, expediente, pdf, limites):
    limites(TAMANO_MAXIMO=4096)
    client.force_login(usuarios["secretaria"])
    grande = SimpleUploadedFile("razon.pdf", pdf(relleno=20000).getvalue(), "application/pdf")
    respuesta = _citar(client, expediente, grande)
    assert respuesta.status_code == 200
    assert "supera el tamaño máximo permitido (4,0" in respuesta.content.decode()
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO and not Citacion.objects.exists()
