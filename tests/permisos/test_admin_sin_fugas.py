"""Admin screens that show page titles (which carry the debtor's name) never show those of
an expediente the user may not see: choosers, bulk actions, reports, search."""

import pytest
from django.urls import reverse

from expedientes.services.adjuntos import adjunto_crear

pytestmark = pytest.mark.servicios


@pytest.fixture
def rastros(expediente, actuacion, usuarios, pdf):
    adjunto_crear(actuacion=actuacion, titulo="Oficio reservado", flujo=pdf(), nombre="oficio.pdf",
                  usuario=usuarios["secretaria"])
    return [expediente.coactivado.nombre, expediente.coactivado.identificacion, actuacion.title,
            "Oficio reservado"]


def _urls(expediente, actuacion):
    anio = expediente.get_parent()
    return [
        "/admin/", "/admin/pages/", f"/admin/pages/{anio.pk}/", "/admin/pages/search/?q=EMPRESA",
        f"/admin/pages/{expediente.pk}/", f"/admin/pages/{expediente.pk}/edit/",
        f"/admin/pages/{expediente.pk}/history/", f"/admin/pages/{actuacion.pk}/edit/",
        f"/admin/choose-page/{anio.pk}/", f"/admin/choose-page/{expediente.pk}/",
        "/admin/choose-page/search/?q=EMPRESA", f"/admin/choose-page/chosen-multiple/?id={expediente.pk}",
        f"/admin/bulk/wagtailcore/page/delete/?id={expediente.pk}",
        f"/admin/bulk/wagtailcore/page/publish/?id=all&childOf={anio.pk}",
        f"/admin/bulk/wagtailcore/page/move/?id={actuacion.pk}",
        "/admin/reports/site-history/", "/admin/reports/locked/", "/admin/reports/aging-pages/",
        f"/admin/coactivas/actuaciones/{actuacion.pk}/adjuntos/",
        "/admin/snippets/expedientes/coactivado/",
        f"/admin/api/main/pages/{expediente.pk}/", "/admin/api/main/pages/?search=EMPRESA",
        f"/admin/documents/", "/admin/images/",
    ]


@pytest.mark.parametrize("quien", ["archivista", "asesoria", "administrador", "sin_rol"])
def test_nada_del_expediente_ajeno_en_el_admin(client, usuarios, expediente, actuacion, rastros, quien):
    client.force_login(usuarios[quien])
    for url in _urls(expediente, actuacion):
        respuesta = client.get(url)
        contenido = respuesta.content.decode()
        for rastro in rastros:
            assert rastro not in contenido, f"{url} ({respuesta.status_code}) muestra «{rastro}»"


def _acciones(expediente, actuacion):
    """What issue 7 added or re-routed: the tree's refused actions (their own view for the
    file room's page types), the process screen and each of its actions, corrections and
    assignment included. GET and POST, following redirects to read the flash messages."""
    from expedientes.views.proceso import ACCIONES

    anio = expediente.get_parent()
    paginas = [f"/admin/pages/{p.pk}/{accion}/" for p in (expediente, actuacion)
               for accion in ("delete", "unpublish", "copy", "move")]
    return paginas + [
        f"/admin/pages/{actuacion.pk}/move/{anio.pk}/confirm/",
        f"/admin/bulk/wagtailcore/page/unpublish/?id={expediente.pk}",
        reverse("expedientes_proceso", args=[expediente.pk]),
        *[reverse("expedientes_proceso_accion", args=[expediente.pk, accion]) for accion in ACCIONES],
    ]


@pytest.mark.parametrize("quien", ["archivista", "asesoria", "administrador", "sin_rol"])
def test_acciones_del_proceso_y_del_arbol_no_muestran_lo_ajeno(client, usuarios, expediente, actuacion,
                                                               rastros, quien):
    client.force_login(usuarios[quien])
    for url in _acciones(expediente, actuacion):
        for metodo in (client.get, client.post):
            respuesta = metodo(url, follow=True)
            assert respuesta.status_code != 500, url
            contenido = respuesta.content.decode()
            for rastro in rastros:
                assert rastro not in contenido, f"{metodo.__name__.upper()} {url} muestra «{rastro}»"
    expediente.refresh_from_db()
    assert expediente.live and expediente.estado == "iniciado" and not expediente.correcciones.exists()


def test_quien_tiene_permiso_sigue_usando_el_selector(client, usuarios, expediente):
    client.force_login(usuarios["abogado"])
    anio = expediente.get_parent()
    assert expediente.coactivado.nombre in client.get(f"/admin/choose-page/{anio.pk}/").content.decode()
    assert client.get(f"/admin/choose-page/{expediente.pk}/").status_code == 200
    assert client.get(f"/admin/choose-page/chosen-multiple/?id={expediente.pk}").status_code == 200


def test_bibliotecas_de_wagtail_cerradas_incluso_para_superusuario(client, juzgado):
    from tests.factories import UsuarioFactory

    client.force_login(UsuarioFactory(username="root", is_superuser=True))
    for url in ["/admin/documents/", "/admin/documents/multiple/add/", "/admin/images/",
                "/admin/images/multiple/add/"]:
        assert client.get(url).status_code == 404
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "/admin/documents/" not in menu and "/admin/images/" not in menu
