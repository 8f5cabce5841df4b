"""Generated documents: right names, amounts in figures and words, dates in words; stored
through the custody pipeline as versions with their signer; template errors refused."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from expedientes.custodia import almacen
from expedientes.models import ActuacionPage, AdjuntoVersion, ClaveDocumento, PlantillaDocumento
from expedientes.services.cuenta import tasa_registrar
from expedientes.services.documentos import documento_generar, plantilla_validar
from expedientes.templatetags.coactivas import fecha_letras, letras

pytestmark = pytest.mark.servicios


def texto_pdf(version: AdjuntoVersion) -> str:
    cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3)).read()
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(cuerpo)).pages)


def test_montos_y_fechas_en_letras():
    assert letras(Decimal("140714.68")) == "CIENTO CUARENTA MIL SETECIENTOS CATORCE DÓLARES CON SESENTA Y OCHO CENTAVOS"
    assert letras(Decimal("1001.01")) == "MIL UN DÓLARES CON UN CENTAVO"
    assert fecha_letras(date(2025, 3, 13)) == "trece de marzo de dos mil veinticinco"
    assert fecha_letras(date(2026, 1, 1)) == "primero de enero de dos mil veintiséis"


def test_auto_de_pago_generado_con_datos_del_expediente(expediente, usuarios):
    tasa_registrar(vigente_desde=date(2024, 1, 1), tasa_anual=Decimal("0"), fuente="Prueba")
    version = documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO,
                                usuario=usuarios["secretaria"], firmante=usuarios["jefe"],
                                fecha=date(2025, 3, 14))
    texto = texto_pdf(version)
    assert expediente.numero in texto
    assert expediente.coactivado.nombre in texto and expediente.coactivado.identificacion in texto
    assert "USD 1.234,56" in texto
    assert "MIL DOSCIENTOS TREINTA Y CUATRO DÓLARES CON CINCUENTA Y SEIS CENTAVOS" in texto
    assert "14 de marzo de 2025" in texto
    assert usuarios["jefe"].get_full_name() in texto
    assert version.firmante == usuarios["jefe"] and version.subido_por == usuarios["secretaria"]
    assert version.tipo_mime == "application/pdf" and version.antivirus_resultado == "OK"
    assert "Plantilla «Auto de pago" in version.generado_con
    assert version.adjunto.actuacion.tipo == "auto_pago"


def test_generar_otra_vez_crea_una_nueva_version(expediente, usuarios, actuacion):
    primera = documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO, actuacion=actuacion,
                                usuario=usuarios["secretaria"], fecha=date(2025, 3, 14))
    segunda = documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO, actuacion=actuacion,
                                usuario=usuarios["secretaria"], fecha=date(2025, 3, 15))
    assert segunda.adjunto_id == primera.adjunto_id and segunda.numero == 2
    assert primera.sha256 != segunda.sha256


def test_oficio_de_retencion_dirigido_a_la_entidad(expediente, usuarios):
    version = documento_generar(
        expediente=expediente, clave=ClaveDocumento.OFICIO_RETENCION, usuario=usuarios["secretaria"],
        fecha=date(2025, 3, 20),
        extra={"oficio": {"numero": "OF-7", "entidad": "Superintendencia de Bancos", "destinatario": "Señor Superintendente"}},
    )
    texto = texto_pdf(version)
    assert "Oficio N.º OF-7" in texto and "Superintendencia de Bancos" in texto


def test_variable_inexistente_se_rechaza_al_guardar_y_al_generar(expediente, usuarios):
    with pytest.raises(ValidationError) as error:
        plantilla_validar("<p>{{ coactivado.nombre }} {{ coactivado.apodo }} {{ deuda_total }}</p>")
    assert error.value.messages == [
        "La plantilla usa variables que no existen: {{ coactivado.apodo }}, {{ deuda_total }}. "
        "Revise la lista de variables disponibles."]
    with pytest.raises(ValidationError, match="error de sintaxis"):
        plantilla_validar("<p>{% if %}</p>")
    PlantillaDocumento.objects.filter(clave=ClaveDocumento.AUTO_PAGO).update(cuerpo="<p>{{ no_existe }}</p>")
    paginas = ActuacionPage.objects.count()
    with pytest.raises(ValidationError, match=r"\{\{ no_existe \}\}"):
        documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO, usuario=usuarios["secretaria"],
                          fecha=date(2025, 3, 14))
    assert ActuacionPage.objects.count() == paginas and not AdjuntoVersion.objects.exists()


def test_las_plantillas_por_omision_son_validas(juzgado):
    for plantilla in PlantillaDocumento.objects.all():
        plantilla_validar(plantilla.cuerpo)
    assert PlantillaDocumento.objects.count() == len(ClaveDocumento)


def test_documento_con_fecha_anterior_a_la_orden_se_rechaza(expediente, usuarios):
    with pytest.raises(ValidationError, match="anterior a la recepción"):
        documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO, usuario=usuarios["secretaria"],
                          fecha=date(2025, 1, 1))
