"""Documents a lawyer would sign (issue 9, point 4): the signer is chosen (the funcionario
ejecutor by default, the secretaría for oficios), never simply whoever clicks, and the
document prints their name and title; a preview renders the PDF and stores nothing. Through
the real PostgreSQL, S3 and clamd."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from expedientes.models import (
    ActuacionPage, AdjuntoVersion, ClaveDocumento, DocumentoEmitido, EnvioFormulario, MedidaCautelar,
)
from expedientes.services.documentos import documento_generar
from permisos.models import RegistroCustodia
from tests.expedientes.test_documentos import texto_pdf

pytestmark = pytest.mark.servicios


def _nombre(usuario):
    return usuario.get_full_name()


def test_el_auto_de_pago_lo_firma_el_funcionario_ejecutor_aunque_lo_genere_la_secretaria(expediente, usuarios, tasa):
    version = documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO,
                                usuario=usuarios["secretaria"], fecha=date(2025, 3, 14))
    assert version.firmante == usuarios["jefe"] and version.subido_por == usuarios["secretaria"]
    texto = texto_pdf(version)
    assert f"{_nombre(usuarios['jefe'])} Funcionario ejecutor" in texto
    assert _nombre(usuarios["secretaria"]) not in texto


def test_los_oficios_los_firma_la_secretaria_por_omision(client, usuarios, expediente, tasa):
    client.force_login(usuarios["abogado"])
    pantalla = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    # preselected in the forms: the secretaría for the oficio, the jefe for the documents
    assert f'<option value="{usuarios["secretaria"].pk}" selected>' in pantalla
    assert f'<option value="{usuarios["jefe"].pk}" selected>' in pantalla
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "medida"]), {
        "medida-entidad": "sb", "medida-fecha": "14/03/2025", "medida-firmante": usuarios["secretaria"].pk})
    assert respuesta.status_code == 302
    version = MedidaCautelar.objects.get().actuacion.adjuntos.get().versiones.get()
    assert version.firmante == usuarios["secretaria"] and version.subido_por == usuarios["abogado"]
    assert f"{_nombre(usuarios['secretaria'])} Secretario/a de coactivas" in texto_pdf(version)


def test_el_firmante_se_elige_en_el_formulario(client, usuarios, expediente, tasa):
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "documento"]), {
        "documento-clave": "providencia_impulso", "documento-fecha": "14/03/2025",
        "documento-firmante": usuarios["abogado"].pk})
    assert respuesta.status_code == 302
    version = AdjuntoVersion.objects.get(emitido__clave=ClaveDocumento.PROVIDENCIA_IMPULSO)
    assert version.firmante == usuarios["abogado"]
    assert f"{_nombre(usuarios['abogado'])} Abogado/a de coactivas" in texto_pdf(version)


def test_quien_no_tiene_un_rol_que_firma_no_firma(usuarios, expediente, tasa):
    with pytest.raises(ValidationError, match="no puede firmar documentos"):
        documento_generar(expediente=expediente, clave=ClaveDocumento.PROVIDENCIA_IMPULSO,
                          usuario=usuarios["secretaria"], firmante=usuarios["auditor"], fecha=date(2025, 3, 14))
    usuarios["jefe"].is_active = False
    usuarios["jefe"].save()
    with pytest.raises(ValidationError, match="elija quién lo firma"):
        documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_PAGO, usuario=usuarios["secretaria"],
                          fecha=date(2025, 3, 14))
    assert not DocumentoEmitido.objects.exists() and not AdjuntoVersion.objects.exists()


def test_vista_previa_muestra_el_pdf_y_no_guarda_nada(client, usuarios, expediente, tasa, versiones_en_bucket):
    client.force_login(usuarios["secretaria"])
    pantalla = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    assert 'name="vista_previa"' in pantalla and "Vista previa" in pantalla
    antes = versiones_en_bucket()
    actuaciones = ActuacionPage.objects.count()
    custodia = RegistroCustodia.objects.exclude(accion="vista").count()
    datos = {"documento-clave": "auto_pago", "documento-fecha": "14/03/2025",
             "documento-firmante": usuarios["jefe"].pk, "documento-envio": "0b6f3b2e-8f0c-4d4e-9d55-1c2a3b4c5d6e",
             "vista_previa": "1"}
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "documento"]), datos)
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"].startswith("inline;")
    assert "no-store" in respuesta["Cache-Control"]
    lector = PdfReader(io.BytesIO(respuesta.content))
    texto = " ".join(" ".join(p.extract_text().split()) for p in lector.pages)
    assert "VISTA PREVIA" in texto and "AUTO DE PAGO" in texto
    assert f"{_nombre(usuarios['jefe'])} Funcionario ejecutor" in texto
    # nothing stored: no object, no actuación, no version, no document, no custody entry
    # but the view; and the form's one-time token is still unused
    assert versiones_en_bucket() == antes
    assert ActuacionPage.objects.count() == actuaciones
    assert not AdjuntoVersion.objects.exists() and not DocumentoEmitido.objects.exists()
    assert RegistroCustodia.objects.exclude(accion="vista").count() == custodia
    assert not EnvioFormulario.objects.exists()
    # «Generar» with the same form then stores it, once
    del datos["vista_previa"]
    assert client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "documento"]), datos).status_code == 302
    version = AdjuntoVersion.objects.get()
    assert version.firmante == usuarios["jefe"] and "VISTA PREVIA" not in texto_pdf(version)
