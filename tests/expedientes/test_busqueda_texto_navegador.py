"""The search in the documents as a lawyer uses it, in headless Chromium; a screenshot of the
results in var/capturas/busqueda/."""

from pathlib import Path

import pytest

from tests.expedientes.test_busqueda_texto import ajeno, documentos  # noqa: F401 (fixtures)
from tests.portal.conftest import navegador  # noqa: F401 (fixture)

pytestmark = [pytest.mark.servicios, pytest.mark.navegador]

CAPTURAS = Path(__file__).resolve().parents[2] / "var" / "capturas" / "busqueda"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_el_abogado_busca_sin_tildes_y_ve_folio_y_fragmento(
        live_server, navegador, usuarios, expediente, documentos, ajeno):  # noqa: F811
    _, expediente_ajeno = ajeno
    pagina = navegador.new_page(viewport={"width": 1280, "height": 900})
    pagina.goto(f"{live_server.url}/admin/login/")
    pagina.fill("#id_username", "abogado")
    pagina.fill("#id_password", "clave-de-prueba")
    pagina.click("button[type=submit]")
    pagina.wait_for_load_state()
    pagina.click("text=Buscar en los documentos")
    pagina.wait_for_load_state()
    pagina.fill("#id_q", "credito tributario")
    pagina.click("button:has-text('Buscar')")
    pagina.wait_for_load_state()
    contenido = pagina.content()
    assert expediente.numero in contenido and "Folio 5" in contenido
    assert pagina.locator(".busqueda-fragmento mark").first.inner_text() in {"crédito", "tributario"}
    assert expediente_ajeno.numero not in contenido
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(CAPTURAS / "resultados.png"), full_page=True)
    pagina.close()
