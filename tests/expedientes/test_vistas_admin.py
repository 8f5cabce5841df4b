"""The admin screens: opening an expediente and attaching files, as users do it."""

import io
from datetime import date

import pytest
from django.urls import reverse

from expedientes.models import AdjuntoVersion, ExpedientePage
from tests.conftest import EICAR
from tests.factories import cedula_valida

pytestmark = pytest.mark.servicios


def _datos_apertura(**cambios):
    datos = {
        "identificacion": cedula_valida("03"), "nombre": "Comercial Azogues Cía. Ltda.",
        "provincia": "03", "fecha_recepcion": "13/03/2025", "monto_titulo": "1250,75",
        "orden_cobro_numero": "OC-2025-118", "titulo_numero": "TC-2025-0451", "titulo_fecha": "10/03/2025",
    }
    return datos | cambios


def test_abrir_expediente_desde_el_formulario(client, usuarios):
    client.force_login(usuarios["secretaria"])
    pantalla = client.get(reverse("expedientes_abrir"))
    assert pantalla.status_code == 200
    assert "Abrir expediente" in pantalla.content.decode()
    respuesta = client.post(reverse("expedientes_abrir"), _datos_apertura())
    assert respuesta.status_code == 302
    expediente = ExpedientePage.objects.get()
    assert expediente.numero == "MDT-DRTSPC-2025-0001"
    assert str(expediente.monto_titulo) == "1250.75"
    assert expediente.fecha_recepcion.isoformat() == "2025-03-13"
    assert expediente.owner == usuarios["secretaria"]


@pytest.mark.parametrize(
    "cambios, mensaje",
    [
        ({"identificacion": "0102030405"}, "el dígito verificador no corresponde"),
        ({"identificacion": "12345"}, "debe tener 10 dígitos"),
        ({"monto_titulo": "0"}, "El monto debe ser mayor que cero"),
        ({"fecha_recepcion": "2025-31-12"}, "Introduzca una fecha válida"),
        ({"provincia": "17"}, "Escoja una opción válida"),
    ],
)
def test_abrir_con_datos_invalidos_muestra_el_error_y_no_crea_nada(client, usuarios, cambios, mensaje):
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_abrir"), _datos_apertura(**cambios))
    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()
    assert not ExpedientePage.objects.exists()


@pytest.mark.parametrize("quien", ["archivista", "asesoria", "sin_rol"])
def test_abrir_requiere_permiso(client, usuarios, quien):
    client.force_login(usuarios[quien])
    assert client.get(reverse("expedientes_abrir")).status_code in (302, 403)
    client.post(reverse("expedientes_abrir"), _datos_apertura())
    assert not ExpedientePage.objects.exists()


def _archivo(contenido, nombre):
    archivo = io.BytesIO(contenido)
    archivo.name = nombre
    return archivo


def test_adjuntar_y_nueva_version_por_la_pantalla(client, usuarios, actuacion, pdf):
    client.force_login(usuarios["abogado"])
    url = reverse("expedientes_adjuntos", args=[actuacion.pk])
    respuesta = client.post(url, {"titulo": "Auto de pago firmado",
                                  "archivo": _archivo(pdf().getvalue(), "auto.pdf")})
    assert respuesta.status_code == 302
    version = AdjuntoVersion.objects.get()
    respuesta = client.post(reverse("expedientes_adjunto_version", args=[version.adjunto.uuid]),
                            {"archivo": _archivo(pdf().getvalue(), "auto-v2.pdf")})
    assert respuesta.status_code == 302
    pantalla = client.get(url).content.decode()
    assert "Auto de pago firmado" in pantalla and "auto-v2.pdf" in pantalla and "vigente" in pantalla
    assert list(AdjuntoVersion.objects.values_list("numero", flat=True)) == [1, 2]


def test_pantalla_muestra_el_rechazo_del_antivirus(client, usuarios, actuacion):
    client.force_login(usuarios["abogado"])
    contenido = b"%PDF-1.4\n% " + EICAR + b"\n%%EOF\n"
    respuesta = client.post(reverse("expedientes_adjuntos", args=[actuacion.pk]),
                            {"titulo": "", "archivo": _archivo(contenido, "escrito.pdf")})
    assert respuesta.status_code == 200
    assert "El antivirus detectó una amenaza en «escrito.pdf»" in respuesta.content.decode()
    assert not AdjuntoVersion.objects.exists()


def test_subida_que_excede_se_corta_con_mensaje(client, usuarios, actuacion, pdf, limites):
    limites(TAMANO_MAXIMO=4096)
    client.force_login(usuarios["abogado"])
    respuesta = client.post(reverse("expedientes_adjuntos", args=[actuacion.pk]),
                            {"titulo": "Grande", "archivo": _archivo(pdf(relleno=20000).getvalue(), "g.pdf")})
    assert respuesta.status_code == 200
    assert "supera el tamaño máximo permitido (4,0" in respuesta.content.decode()
    assert not AdjuntoVersion.objects.exists()


def test_sin_permiso_no_ve_ni_adjunta(client, usuarios, actuacion, pdf):
    client.force_login(usuarios["archivista"])
    url = reverse("expedientes_adjuntos", args=[actuacion.pk])
    assert client.get(url).status_code == 404  # as if it did not exist
    client.post(url, {"titulo": "x", "archivo": _archivo(pdf().getvalue(), "x.pdf")})
    assert not AdjuntoVersion.objects.exists()


def test_no_se_borra_una_actuacion_con_archivos_en_custodia(client, usuarios, actuacion, pdf):
    from expedientes.services.adjuntos import adjunto_crear

    from tests.factories import UsuarioFactory

    adjunto_crear(actuacion=actuacion, titulo="A", flujo=pdf(), nombre="a.pdf", usuario=usuarios["jefe"])
    client.force_login(UsuarioFactory(username="root", is_superuser=True))
    respuesta = client.post(reverse("wagtailadmin_pages:delete", args=[actuacion.pk]), follow=True)
    assert "contiene archivos en custodia y no puede eliminarse" in respuesta.content.decode()
    assert type(actuacion).objects.filter(pk=actuacion.pk).exists()


def _datos_de_solo_lectura(pantalla):
    import re

    return [" ".join(d.split()) for d in re.findall(r'class="w-field__textoutput"[^>]*>(.*?)</div>', pantalla, re.S)]


def test_editor_sin_abogado_asignado_no_muestra_none(client, usuarios):
    from tests.factories import expediente_crear

    expediente = expediente_crear(usuario=usuarios["secretaria"])  # nobody assigned yet
    client.force_login(usuarios["jefe"])
    datos = _datos_de_solo_lectura(client.get(reverse("wagtailadmin_pages:edit", args=[expediente.pk])).content.decode())
    assert "—" in datos and "None" not in datos


def test_editor_de_pagina_del_expediente_muestra_sin_editar_en_formato_local(client, usuarios, expediente):
    """The amount, the date and the lawyer belong to the services (issue 7): the page editor
    shows them the local way, read-only; the process screen offers the lawyers by name."""
    client.force_login(usuarios["secretaria"])
    url = reverse("wagtailadmin_pages:edit", args=[expediente.pk])
    pantalla = client.get(url).content.decode()
    datos = _datos_de_solo_lectura(pantalla)
    assert "USD 1.234,56" in datos and "13/03/2025" in datos
    assert usuarios["abogado"].get_full_name() in datos  # by name, not by username
    assert 'name="monto_titulo"' not in pantalla and 'name="fecha_recepcion"' not in pantalla
    respuesta = client.post(url, {
        "provincia": "17", "fecha_recepcion": "14/03/2025", "monto_titulo": "1500,25",
        "abogado": usuarios["jefe"].pk, "action-publish": "action-publish",
    })
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    expediente.refresh_from_db()
    assert (str(expediente.monto_titulo), expediente.fecha_recepcion, expediente.abogado) == (
        "1234.56", date(2025, 3, 13), usuarios["abogado"])
    assert expediente.numero == "MDT-DRTSPC-2025-0001"
    client.force_login(usuarios["jefe"])  # the jefe assigns the lawyer
    proceso = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    assert usuarios["abogado"].get_full_name() in proceso  # lawyers by name in «Abogado impulsor»
