"""Nothing leaves the file room through Wagtail: expedientes, actuaciones and the containers
above them are not deleted, unpublished, copied or moved by any admin view (single-page
views, bulk actions, the «more» menu) nor by scheduled expiry, not even by a superuser, and
no attempt ends in a server error. Disposal is a later, authorised act of the archive."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from expedientes.estados import Estado
from expedientes.models import ActuacionPage, AnioPage, ExpedientePage, JuzgadoIndexPage
from expedientes.services.adjuntos import adjunto_crear
from expedientes.services.proceso import expediente_transicion
from tests.factories import UsuarioFactory, expediente_crear

pytestmark = pytest.mark.servicios

TIPOS = ("expediente", "actuacion", "anio", "juzgado", "inicio")


@pytest.fixture
def arbol(usuarios, expediente, actuacion, pdf):
    """The expediente with a file in custody and a state change resting on its actuación,
    plus somewhere else a move or a copy could go (another year, another expediente)."""
    adjunto_crear(actuacion=actuacion, titulo="Auto de pago", flujo=pdf(), nombre="auto.pdf",
                  usuario=usuarios["secretaria"])
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["jefe"],
                          fecha=date(2025, 3, 17), motivo="Citación en persona", actuacion=actuacion)
    otro = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2024, 6, 3))
    anio = expediente.get_parent().specific
    juzgado = anio.get_parent().specific
    inicio = juzgado.get_parent().specific
    paginas = {"expediente": expediente, "actuacion": actuacion, "anio": anio, "juzgado": juzgado,
               "inicio": inicio}
    destinos = {"expediente": otro.get_parent(), "actuacion": otro, "anio": juzgado, "juzgado": inicio,
                "inicio": Page.get_first_root_node()}
    return paginas, destinos


@pytest.fixture(params=["jefe", "superusuario"])
def quien(request, usuarios):
    if request.param == "superusuario":
        return UsuarioFactory(username="root", is_superuser=True, is_staff=True)
    return usuarios[request.param]


def _estado(paginas):
    return {tipo: (p.pk, p.path, p.live, p.expire_at) for tipo, p in
            ((t, Page.objects.get(pk=pg.pk)) for t, pg in paginas.items())}


def _cuentas():
    return (Page.objects.count(), ExpedientePage.objects.count(), ActuacionPage.objects.count(),
            AnioPage.objects.count(), JuzgadoIndexPage.objects.count())


def _peticiones(pagina, destino):
    """(description, method, url, data) of every way the admin offers to take it away."""
    pk, bulk = pagina.pk, "/admin/bulk/wagtailcore/page/{}/?id={}"
    copia = {"new_title": "Copia", "new_slug": "copia", "new_parent_page": destino.pk,
             "copy_subpages": "on", "publish_copies": "on", "alias": ""}
    acciones = [
        ("borrar", reverse("wagtailadmin_pages:delete", args=[pk]), {}),
        ("despublicar", reverse("wagtailadmin_pages:unpublish", args=[pk]), {"include_descendants": "on"}),
        ("copiar", reverse("wagtailadmin_pages:copy", args=[pk]), copia),
        ("mover", reverse("wagtailadmin_pages:move", args=[pk]), {"new_parent_page": destino.pk}),
        ("confirmar movida", reverse("wagtailadmin_pages:move_confirm", args=[pk, destino.pk]), {}),
        ("borrar en lote", bulk.format("delete", pk), {}),
        ("despublicar en lote", bulk.format("unpublish", pk), {"include_descendants": "on"}),
        ("mover en lote", bulk.format("move", pk), {"chooser": destino.pk}),
    ]
    for nombre, url, datos in acciones:
        yield f"GET {nombre}", "get", url, None
        yield f"POST {nombre}", "post", url, datos


@pytest.mark.parametrize("tipo", TIPOS)
def test_ninguna_vista_del_admin_quita_la_pagina(client, arbol, quien, tipo):
    paginas, destinos = arbol
    client.force_login(quien)
    antes, cuentas = _estado(paginas), _cuentas()
    respuestas = {}
    for descripcion, metodo, url, datos in _peticiones(paginas[tipo], destinos[tipo]):
        respuesta = getattr(client, metodo)(url, datos) if datos is not None else client.get(url)
        respuestas[descripcion] = respuesta.status_code
        assert respuesta.status_code < 500, (descripcion, respuesta.status_code)
        assert _estado(paginas) == antes, descripcion
        assert _cuentas() == cuentas, descripcion
    # the single-page views refuse before showing anything (Wagtail: a redirect with a message)
    for accion in ("borrar", "despublicar", "copiar", "mover"):
        assert respuestas[f"GET {accion}"] == 302, (accion, respuestas)


def test_menu_mas_no_ofrece_quitar(client, arbol, quien):
    paginas, _ = arbol
    client.force_login(quien)
    for tipo in ("expediente", "actuacion", "anio", "juzgado"):
        pagina = paginas[tipo]
        for pantalla in (reverse("wagtailadmin_explore", args=[pagina.get_parent().pk]),
                         reverse("wagtailadmin_pages:edit", args=[pagina.pk])):
            html = client.get(pantalla).content.decode()
            for vista in ("delete", "unpublish", "copy", "move"):
                assert reverse(f"wagtailadmin_pages:{vista}", args=[pagina.pk]) not in html, (tipo, pantalla, vista)


def test_el_editor_no_programa_caducidad(client, arbol, quien):
    paginas, _ = arbol
    client.force_login(quien)
    expediente = paginas["expediente"]
    url = reverse("wagtailadmin_pages:edit", args=[expediente.pk])
    assert 'name="expire_at"' not in client.get(url).content.decode()
    respuesta = client.post(url, {
        "provincia": "01", "fecha_recepcion": "13/03/2025", "monto_titulo": "1234,56",
        "expire_at": "2025-01-01 00:00", "go_live_at": "", "action-publish": "action-publish",
    })
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    expediente.refresh_from_db()
    assert expediente.expire_at is None and expediente.live


@pytest.mark.parametrize("tipo", ["expediente", "actuacion", "anio", "juzgado"])
def test_caducidad_rechazada_en_el_modelo(arbol, tipo):
    pagina = arbol[0][tipo]
    pagina.expire_at = pagina.latest_revision_created_at or pagina.first_published_at
    with pytest.raises(ValidationError, match="no caducan"):
        pagina.full_clean()
