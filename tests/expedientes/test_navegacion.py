"""The expediente's home is its process screen; the page tree is the administrator's (issue 9)."""

import json
import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.servicios


def _barra(html: str) -> dict:
    """The admin sidebar's props (menu items, search areas), as Wagtail renders them."""
    return json.loads(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1))


def _menu(html: str) -> str:
    return json.dumps(_barra(html))


@pytest.fixture
def superusuario(db):
    return get_user_model().objects.create_superuser("raiz", "raiz@example.org", "clave-de-prueba-larga")


@pytest.mark.parametrize("quien", ["secretaria", "abogado", "jefe"])
def test_la_unidad_no_ve_el_arbol_de_paginas_ni_sus_paneles(client, usuarios, expediente, quien):
    client.force_login(usuarios[quien])
    inicio = client.get("/admin/").content.decode()
    menu = _menu(inicio)
    assert '"explorer"' not in menu and "Expedientes" in menu
    # the sidebar's search box searches the expedientes, not the pages
    assert "/admin/coactivas/expedientes/" in menu
    assert "Sus ediciones más recientes" not in inicio and "Páginas bloqueadas" not in inicio
    # the home's search box searches the expedientes too
    assert 'action="/admin/coactivas/expedientes/"' in inicio and "todas las páginas" not in inicio
    assert client.get(f"/admin/pages/{expediente.get_parent().pk}/", {"q": "perez"})["Location"] == (
        "/admin/coactivas/expedientes/?q=perez")

    # the explorer of an expediente opens its process screen; of a year, the listing
    assert client.get(f"/admin/pages/{expediente.pk}/")["Location"] == f"/admin/coactivas/expedientes/{expediente.pk}/"
    assert client.get(f"/admin/pages/{expediente.get_parent().pk}/")["Location"] == "/admin/coactivas/expedientes/"


def test_el_administrador_conserva_el_arbol(client, superusuario, expediente):
    client.force_login(superusuario)
    assert '"explorer"' in _menu(client.get("/admin/").content.decode())
    assert client.get(f"/admin/pages/{expediente.pk}/").status_code == 200


def test_lo_ajeno_sigue_siendo_404_antes_de_redirigir(client, usuarios, expediente):
    client.force_login(usuarios["archivista"])
    assert client.get(f"/admin/pages/{expediente.pk}/").status_code == 404
    assert client.get(f"/admin/pages/{expediente.pk + 1000}/").status_code == 404


def test_la_pantalla_del_proceso_muestra_las_actuaciones_con_sus_archivos(client, usuarios, actuacion, pdf):
    from expedientes.services.adjuntos import adjunto_crear

    expediente = actuacion.get_parent().specific
    version = adjunto_crear(actuacion=actuacion, titulo="Providencia firmada", flujo=pdf("providencia"),
                            nombre="providencia.pdf", usuario=usuarios["secretaria"])
    client.force_login(usuarios["abogado"])
    pantalla = client.get(f"/admin/coactivas/expedientes/{expediente.pk}/").content.decode()
    assert 'id="actuaciones"' in pantalla and "Providencia firmada" in pantalla
    assert f"/adjuntos/{version.uuid}/descargar/" in pantalla
    assert f"/admin/coactivas/actuaciones/{actuacion.pk}/adjuntos/" in pantalla
    assert f"/admin/pages/{expediente.pk}/" not in pantalla  # no way into the tree from here
