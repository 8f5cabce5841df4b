"""The page tree is never public, and lists and searches show only what is the user's."""

import pytest

from tests.factories import expediente_crear

pytestmark = pytest.mark.servicios


def test_anonimo_va_al_login_en_todo_el_arbol(client, expediente, actuacion):
    for url in ["/", expediente.get_parent().url, expediente.url, actuacion.url]:
        respuesta = client.get(url)
        assert respuesta.status_code == 302, url
        assert "/admin/login/" in respuesta["Location"]


def test_con_permiso_el_expediente_abre_su_pantalla_del_proceso(client, usuarios, expediente, actuacion):
    """An expediente's home is its process screen; an actuación's, its files (issue 9)."""
    client.force_login(usuarios["abogado"])
    respuesta = client.get(expediente.url, follow=True)
    assert respuesta.redirect_chain[-1][0] == f"/admin/coactivas/expedientes/{expediente.pk}/"
    pagina = respuesta.content.decode()
    assert expediente.numero in pagina and expediente.coactivado.nombre in pagina
    assert "13/03/2025" in pagina
    assert client.get(actuacion.url)["Location"] == f"/admin/coactivas/actuaciones/{actuacion.pk}/adjuntos/"
    assert client.get(expediente.get_parent().url).status_code == 200


@pytest.mark.parametrize("quien", ["archivista", "sin_rol"])
def test_sin_permiso_404_y_listados_vacios(client, usuarios, expediente, actuacion, quien):
    client.force_login(usuarios[quien])
    assert client.get(expediente.url).status_code == 404
    assert client.get(actuacion.url).status_code == 404
    anio = client.get(expediente.get_parent().url)
    assert anio.status_code == 200
    assert expediente.numero not in anio.content.decode()
    assert "No tiene expedientes asignados" in anio.content.decode()


@pytest.mark.parametrize("quien", ["archivista", "sin_rol"])
def test_busqueda_del_admin_no_muestra_lo_ajeno(client, usuarios, expediente, quien):
    client.force_login(usuarios[quien])
    respuesta = client.get("/admin/pages/search/", {"q": expediente.numero})
    assert expediente.numero not in respuesta.content.decode()
    assert client.get(f"/admin/pages/{expediente.pk}/").status_code in (302, 403, 404)
    assert client.get(f"/admin/pages/{expediente.pk}/edit/").status_code == 404


def test_busqueda_del_admin_encuentra_lo_propio(client, usuarios, expediente):
    client.force_login(usuarios["secretaria"])
    respuesta = client.get("/admin/pages/search/", {"q": expediente.coactivado.nombre.split()[0]})
    assert expediente.numero in respuesta.content.decode()


def test_inicio_en_espanol(client, usuarios, juzgado):
    login = client.get("/admin/login/").content.decode()
    assert "<h1>Portal Coactivas</h1>" in login
    assert "Nombre de usuario" in login and "Contraseña" in login and "Iniciar sesión" in login
    assert "Password" not in login
    client.force_login(usuarios["secretaria"])
    assert "Juzgado de Coactivas" in client.get("/").content.decode()


def test_listado_paginado_del_anio(client, usuarios):
    for _ in range(3):
        expediente_crear(usuario=usuarios["secretaria"])
    client.force_login(usuarios["secretaria"])
    from expedientes.models import AnioPage

    pagina = client.get(AnioPage.objects.get().url).content.decode()
    assert "3 expedientes que puede consultar" in pagina
