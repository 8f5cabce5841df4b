"""Legal holds through the real S3 store: placing one puts an S3 legal hold on every object
version of the expediente (a delete of a held version fails), a version added later is held
too, lifting needs a reason and turns the holds OFF only when no other hold remains."""

import pytest
from botocore.exceptions import ClientError
from django.core.exceptions import ValidationError

from archivo.models import MotivoBloqueo
from archivo.selectors import versiones_de
from archivo.services.bloqueos import bloqueo_levantar, bloqueo_poner
from expedientes.custodia import almacen
from permisos.models import RegistroCustodia

pytestmark = pytest.mark.servicios


def _estado(version) -> str:
    try:
        respuesta = almacen.cliente().get_object_legal_hold(Bucket=almacen.bucket(), Key=version.clave,
                                                            VersionId=version.version_s3)
    except ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchObjectLegalHold":
            return "OFF"  # never set
        raise
    return respuesta["LegalHold"]["Status"]


def _estados(expediente) -> list[str]:
    return [_estado(v) for v in versiones_de(expediente)]


def test_poner_retiene_cada_version_y_borrarla_falla(usuarios, con_archivos):
    expediente = con_archivos()
    bloqueo = bloqueo_poner(expediente=expediente, motivo=MotivoBloqueo.IMPUGNACION,
                            detalle="Causa 01803-2026-00123 ante el TCA", usuario=usuarios["jefe"])
    assert bloqueo.activo and _estados(expediente) == ["ON", "ON"]
    version = versiones_de(expediente).first()
    with pytest.raises(ClientError):  # even with the portal's keys, straight to the store
        almacen.eliminar(almacen.ObjetoAlmacenado(version.clave, version.version_s3))
    assert almacen.existe(almacen.ObjetoAlmacenado(version.clave, version.version_s3))
    entrada = RegistroCustodia.objects.get(accion=RegistroCustodia.Accion.BLOQUEO)
    assert entrada.expediente_id == expediente.pk and entrada.datos["motivo"] == MotivoBloqueo.IMPUGNACION


def test_una_version_nueva_de_un_expediente_retenido_tambien(usuarios, con_archivos, pdf,
                                                              django_capture_on_commit_callbacks):
    from expedientes.services.adjuntos import adjunto_version_crear

    expediente = con_archivos()
    bloqueo_poner(expediente=expediente, motivo=MotivoBloqueo.AUDITORIA, detalle="Examen especial",
                  usuario=usuarios["jefe"])
    adjunto = versiones_de(expediente).first().adjunto
    with django_capture_on_commit_callbacks(execute=True):
        nueva = adjunto_version_crear(adjunto=adjunto, flujo=pdf("Tercera"), nombre="v3.pdf",
                                      usuario=usuarios["secretaria"])
    assert _estado(nueva) == "ON"


def test_levantar_exige_motivo_y_solo_apaga_sin_otro_bloqueo(usuarios, con_archivos):
    expediente = con_archivos()
    primero = bloqueo_poner(expediente=expediente, motivo=MotivoBloqueo.IMPUGNACION, detalle="Causa 1",
                            usuario=usuarios["jefe"])
    segundo = bloqueo_poner(expediente=expediente, motivo=MotivoBloqueo.INSOLVENCIA, detalle="Juicio 2",
                            usuario=usuarios["jefe"])
    with pytest.raises(ValidationError) as error:
        bloqueo_levantar(bloqueo=primero, usuario=usuarios["jefe"], motivo="  ")
    assert "motivo" in error.value.message_dict
    primero.refresh_from_db()
    assert primero.activo
    bloqueo_levantar(bloqueo=primero, usuario=usuarios["jefe"], motivo="Sentencia ejecutoriada")
    assert _estados(expediente) == ["ON", "ON"]  # the second hold still holds
    with pytest.raises(ValidationError, match="ya fue levantado"):
        bloqueo_levantar(bloqueo=primero, usuario=usuarios["jefe"], motivo="Otra vez")
    segundo = bloqueo_levantar(bloqueo=segundo, usuario=usuarios["jefe"], motivo="Juicio archivado")
    assert not segundo.activo and segundo.levantado_por == usuarios["jefe"]
    assert _estados(expediente) == ["OFF", "OFF"]
    assert RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.LEVANTAMIENTO).count() == 2


def test_sin_permiso_o_sin_detalle_se_rechaza(usuarios, con_archivos):
    expediente = con_archivos()
    with pytest.raises(ValidationError, match="No tiene permiso"):
        bloqueo_poner(expediente=expediente, motivo=MotivoBloqueo.OTRO, detalle="x", usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError, match="No tiene permiso"):  # the archivist does not see it
        bloqueo_poner(expediente=expediente, motivo=MotivoBloqueo.OTRO, detalle="x", usuario=usuarios["archivista"])
    with pytest.raises(ValidationError) as error:
        bloqueo_poner(expediente=expediente, motivo="inventado", detalle="", usuario=usuarios["jefe"])
    assert set(error.value.message_dict) == {"motivo", "detalle"}
    assert _estados(expediente) == ["OFF", "OFF"]


def test_pantalla_del_expediente_muestra_y_permite_poner_y_levantar(client, usuarios, con_archivos):
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.urls import reverse

    from archivo.models import BloqueoLegal

    expediente = con_archivos()
    client.force_login(usuarios["jefe"])
    url = reverse("archivo_bloqueo", args=[expediente.pk])
    respuesta = client.post(url, {"accion": "poner", "motivo": MotivoBloqueo.AUDITORIA, "detalle": "Oficio 12"})
    assert respuesta.status_code == 302
    bloqueo = BloqueoLegal.objects.get(expediente=expediente)
    solicitud = RequestFactory().get("/")
    solicitud.user = usuarios["jefe"]
    html = Template("{% load archivo_bloqueos %}{% bloqueos_legales expediente %}").render(
        Context({"expediente": expediente, "request": solicitud}))
    assert "Bloqueo legal: Auditoría / control" in html and "Levantar" in html
    respuesta = client.post(url, {"accion": "levantar", "bloqueo": bloqueo.pk, "motivo": ""}, follow=True)
    bloqueo.refresh_from_db()
    assert bloqueo.activo and "motivo del levantamiento" in respuesta.content.decode()
    client.post(url, {"accion": "levantar", "bloqueo": bloqueo.pk, "motivo": "Auditoría concluida"})
    bloqueo.refresh_from_db()
    assert not bloqueo.activo
    client.force_login(usuarios["archivista"])  # does not see the expediente: as if missing
    assert client.post(url, {"accion": "poner", "motivo": "otro", "detalle": "x"}).status_code == 404
