"""The portal as a person uses it, in headless Chromium (Debian's, driven by Playwright)."""

import pytest

pytestmark = [pytest.mark.servicios, pytest.mark.navegador]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_abogado_entra_ve_su_expediente_y_adjunta_un_pdf(live_server, navegador, usuarios, actuacion, pdf, tmp_path):
    from expedientes.models import AdjuntoVersion

    archivo = tmp_path / "providencia firmada.pdf"
    archivo.write_bytes(pdf("providencia").getvalue())
    expediente = actuacion.get_parent().specific

    pagina = navegador.new_page()
    pagina.goto(f"{live_server.url}{expediente.url}")
    assert "/admin/login/" in pagina.url  # nothing without signing in
    assert "Portal Coactivas" in pagina.content()
    pagina.fill("#id_username", "abogado")
    pagina.fill("#id_password", "clave-de-prueba")
    pagina.click("button[type=submit]")
    pagina.wait_for_load_state()
    # the expediente's own URL opens its process screen
    assert pagina.url.endswith(f"/admin/coactivas/expedientes/{expediente.pk}/")
    assert pagina.locator("h1").inner_text().startswith(f"Expediente {expediente.numero}")
    assert "USD 1.234,56" in pagina.content()

    pagina.goto(f"{live_server.url}/admin/coactivas/actuaciones/{actuacion.pk}/adjuntos/")
    pagina.fill("#id_titulo", "Providencia firmada")
    pagina.set_input_files("#id_archivo", str(archivo))
    pagina.click("text=Adjuntar")
    pagina.wait_for_load_state()
    assert "versión 1 guardada" in pagina.content()
    assert "providencia firmada.pdf" in pagina.content()

    with pagina.expect_download() as descarga:
        pagina.click("text=providencia firmada.pdf")
    assert descarga.value.suggested_filename == "providencia firmada.pdf"
    assert open(descarga.value.path(), "rb").read() == archivo.read_bytes()
    pagina.close()

    version = AdjuntoVersion.objects.get()
    assert version.subido_por == usuarios["abogado"] and version.nombre_original == "providencia firmada.pdf"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitante_sin_permiso_no_ve_el_expediente(live_server, navegador, usuarios, expediente):
    pagina = navegador.new_page()
    pagina.goto(f"{live_server.url}/admin/login/")
    pagina.fill("#id_username", "archivista")
    pagina.fill("#id_password", "clave-de-prueba")
    pagina.click("button[type=submit]")
    pagina.wait_for_load_state()
    respuesta = pagina.goto(f"{live_server.url}{expediente.url}")
    assert respuesta.status == 404
    assert expediente.coactivado.nombre not in pagina.content()
    pagina.close()
