"""The reader in headless Chromium (Debian's, driven by Playwright): the vendored pdf.js draws
page N of a multi-page PDF, opened by page or by folio; it moves between pages and documents;
nothing is asked of any other host. Screenshots in var/capturas/lector/."""

from pathlib import Path

import pytest

from expedientes.models import AdjuntoVersion
from expedientes.services.adjuntos import adjunto_crear
from permisos.models import RegistroCustodia
from tests.expedientes.test_lector import pdf_de_paginas

pytestmark = [pytest.mark.servicios, pytest.mark.navegador]

CAPTURAS = Path(__file__).resolve().parents[2] / "var" / "capturas" / "lector"
VENDIDO = Path(__file__).resolve().parents[2] / "portal" / "static" / "vendor" / "pdfjs" / "pdf.min.mjs"

# How dark the canvas is at the middle of each of the n stripes (0 white, 255 black): the
# test PDF's page k is black only in stripe k.
FRANJAS = """(n) => {
  const lienzo = document.getElementById("lector-lienzo");
  const ctx = lienzo.getContext("2d");
  return Array.from({length: n}, (_, i) => {
    const [r, g, b] = ctx.getImageData(Math.floor(lienzo.width / 2), Math.floor(lienzo.height * (i + 0.5) / n), 1, 1).data;
    return 255 - Math.round((r + g + b) / 3);
  });
}"""


def _pagina_dibujada(pagina, numero, n):
    pagina.wait_for_selector(f'#lector[data-estado="listo"][data-pagina-mostrada="{numero}"]', timeout=30_000)
    oscuridad = pagina.evaluate(FRANJAS, n)
    assert [o > 200 for o in oscuridad] == [k == numero for k in range(1, n + 1)], oscuridad


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_el_visor_dibuja_la_pagina_pedida_de_un_pdf_de_varias(live_server, navegador, usuarios, actuacion):
    assert VENDIDO.exists(), "pdf.js no está copiado: scripts/estaticos.sh (lo corre scripts/bootstrap.sh)"
    secretaria = usuarios["secretaria"]
    primero = adjunto_crear(actuacion=actuacion, titulo="Auto de pago", flujo=pdf_de_paginas(2, "Auto de pago"),
                            nombre="auto-de-pago.pdf", usuario=secretaria)
    citacion = adjunto_crear(actuacion=actuacion, titulo="Razón de citación", flujo=pdf_de_paginas(5, "Citación"),
                             nombre="razon-citacion.pdf", usuario=secretaria)
    # as the text reading leaves them: folios 1-2 and 3-7
    AdjuntoVersion.objects.filter(pk=primero.pk).update(paginas=2, texto_estado="nativo")
    AdjuntoVersion.objects.filter(pk=citacion.pk).update(paginas=5, texto_estado="nativo")
    CAPTURAS.mkdir(parents=True, exist_ok=True)

    contexto = navegador.new_context(viewport={"width": 1280, "height": 1000}, locale="es-EC")
    pagina = contexto.new_page()
    fuera, errores = [], []
    pagina.on("request", lambda r: None if r.url.startswith(live_server.url) or r.url.startswith(("data:", "blob:"))
              else fuera.append(r.url))
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    pagina.goto(f"{live_server.url}/admin/login/")
    pagina.fill("#id_username", "abogado")
    pagina.fill("#id_password", "clave-de-prueba")
    pagina.click("button[type=submit]")
    pagina.wait_for_load_state()

    # page 3 of the five-page citación
    pagina.goto(f"{live_server.url}/admin/coactivas/lector/{citacion.uuid}/?pagina=3")
    _pagina_dibujada(pagina, 3, 5)
    assert pagina.locator("#paginas-total").inner_text() == "5"
    assert pagina.locator("#folio-actual").inner_text() == "folio 5"
    pagina.screenshot(path=str(CAPTURAS / "pagina-3-de-5.png"), full_page=True)

    # the next page, by the button and by the keyboard; the URL follows
    pagina.click("#pagina-siguiente")
    _pagina_dibujada(pagina, 4, 5)
    assert pagina.url.endswith("?pagina=4")
    pagina.keyboard.press("ArrowRight")
    _pagina_dibujada(pagina, 5, 5)
    assert pagina.locator("#pagina-siguiente").is_disabled()

    # a folio of the expediente, asked from the first document: folio 4 is page 2 of the citación
    pagina.goto(f"{live_server.url}/admin/coactivas/lector/{primero.uuid}/?folio=4")
    assert pagina.url.endswith(f"/lector/{citacion.uuid}/?pagina=2")
    _pagina_dibujada(pagina, 2, 5)
    pagina.screenshot(path=str(CAPTURAS / "folio-4.png"), full_page=True)

    # the previous document in folio order
    pagina.click("#documento-anterior")
    pagina.wait_for_url(f"**/lector/{primero.uuid}/")
    _pagina_dibujada(pagina, 1, 2)
    assert pagina.locator("#folio-actual").inner_text() == "folio 1"
    pagina.screenshot(path=str(CAPTURAS / "documento-anterior.png"), full_page=True)
    contexto.close()

    assert fuera == [], fuera  # the viewer and its resources come from this server only
    assert errores == [], errores
    lecturas = RegistroCustodia.objects.filter(accion="lectura", datos__version_uuid=str(citacion.uuid))
    assert lecturas.filter(datos__contenido=True).count() == 2  # two openings, two readings of the bytes
    assert sorted(lecturas.filter(datos__has_key="pagina").values_list("datos__pagina", flat=True)) == [2, 3]
