"""Serving: the policy first, then the bytes; never a URL of the store."""

import pytest
from django.conf import settings
from wagtail.models import PageLogEntry

from expedientes.services.adjuntos import adjunto_crear
from permisos import auditoria

pytestmark = pytest.mark.servicios


@pytest.fixture
def version(actuacion, usuarios, pdf):
    return adjunto_crear(actuacion=actuacion, titulo="Auto de pago", flujo=pdf(),
                         nombre="auto de pago.pdf", usuario=usuarios["secretaria"])


def _url(version):
    return f"/adjuntos/{version.uuid}/descargar/"


def test_descarga_con_permiso_cabeceras_y_registro(client, usuarios, version):
    client.force_login(usuarios["abogado"])
    respuesta = client.get(_url(version))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in respuesta["Content-Security-Policy"]
    assert "sandbox" in respuesta["Content-Security-Policy"]
    assert respuesta["Content-Disposition"].startswith("attachment;")
    assert "auto%20de%20pago.pdf" in respuesta["Content-Disposition"] or "auto de pago.pdf" in respuesta["Content-Disposition"]
    assert respuesta["Cache-Control"] == "private, no-store"
    assert b"".join(respuesta.streaming_content).startswith(b"%PDF")
    entrada = PageLogEntry.objects.filter(action=auditoria.DESCARGA).get()
    assert entrada.user == usuarios["abogado"]
    assert entrada.data["version_uuid"] == str(version.uuid)
    assert entrada.data["sha256"] == version.sha256
    assert entrada.page_id == version.adjunto.actuacion.pk


@pytest.mark.parametrize("quien", ["archivista", "asesoria", "sin_rol"])
def test_sin_permiso_404_y_sin_url_del_almacen(client, usuarios, version, quien):
    client.force_login(usuarios[quien])
    respuesta = client.get(_url(version))
    assert respuesta.status_code == 404
    endpoint = settings.STORAGES["custodia"]["OPTIONS"]["endpoint_url"]
    assert endpoint.encode() not in respuesta.content
    assert version.clave.encode() not in respuesta.content
    assert "Location" not in respuesta
    denegado = PageLogEntry.objects.filter(action=auditoria.ACCESO_DENEGADO).get()
    assert denegado.user == usuarios[quien]
    assert not PageLogEntry.objects.filter(action=auditoria.DESCARGA).exists()


def test_anonimo_va_al_login(client, version):
    respuesta = client.get(_url(version))
    assert respuesta.status_code == 302
    assert "/admin/login/" in respuesta["Location"]


def test_uuid_inexistente_404(client, usuarios, version):
    client.force_login(usuarios["secretaria"])
    assert client.get("/adjuntos/00000000-0000-4000-8000-000000000000/descargar/").status_code == 404


def test_usuario_de_otro_expediente_no_descarga(client, usuarios, version, juzgado):
    """Page permission on one expediente does not open another one."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from tests.factories import expediente_crear, usuario_con_rol

    otro = expediente_crear(usuario=usuarios["secretaria"], nombre="OTRA EMPRESA S.A.")
    grupo = Group.objects.create(name="Solo otro expediente")
    grupo.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=grupo, page=otro, permission=Permission.objects.get(codename="change_page")
    )
    abogado_externo = usuario_con_rol(grupo.name, username="externo")
    client.force_login(abogado_externo)
    assert client.get(_url(version)).status_code == 404
    assert client.get(version.adjunto.actuacion.url).status_code == 404
    assert client.get(otro.url, follow=True).status_code == 200  # its process screen


def test_el_almacen_no_es_publico(version):
    """Anonymous GET to the S3 endpoint of a stored key is refused by the store itself."""
    import urllib.error
    import urllib.request

    from expedientes.custodia import almacen

    opciones = settings.STORAGES["custodia"]["OPTIONS"]
    url = f"{opciones['endpoint_url']}/{almacen.bucket()}/{version.clave}"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(url, timeout=10)
    assert error.value.code in (401, 403)
