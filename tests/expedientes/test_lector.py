"""The reader (issue 12): a file version opened at a page or at a folio of its expediente, its
neighbours in folio order, its custody facts; the bytes through the permission-checked,
logged view; 404 for whoever may not see it, as for what does not exist."""

import io
import re
import uuid

import pytest

from expedientes.models import AdjuntoVersion
from expedientes.services.adjuntos import adjunto_crear, adjunto_version_crear
from permisos.models import RegistroCustodia

pytestmark = pytest.mark.servicios

ANCHO, ALTO = 612, 792


def pdf_de_paginas(n: int, titulo: str = "Documento") -> io.BytesIO:
    """A real PDF of `n` pages, new bytes each call: page k has a black band in the k-th of
    `n` horizontal stripes (a browser test reads it off the canvas) and «Página k de n»
    in Helvetica (not embedded: the viewer's standard fonts draw it)."""
    marca = uuid.uuid4().hex
    objetos = ["<</Type/Catalog/Pages 2 0 R>>",
               "<</Type/Pages/Kids[" + " ".join(f"{4 + 2 * k} 0 R" for k in range(n)) + f"]/Count {n}>>",
               "<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"]
    franja = ALTO / n
    for k in range(1, n + 1):
        y = ALTO - k * franja + franja * 0.2
        texto = f"{titulo} - P\\341gina {k} de {n}"  # á in WinAnsi
        flujo = (f"0 g 100 {y:.1f} 412 {franja * 0.6:.1f} re f\n"
                 f"BT /F1 20 Tf 72 {y - franja * 0.12:.1f} Td ({texto}) Tj ET\n").encode("latin-1")
        objetos.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {ANCHO} {ALTO}]"
                       f"/Resources<</Font<</F1 3 0 R>>>>/Contents {5 + 2 * (k - 1)} 0 R>>")
        objetos.append(flujo)
    salida = io.BytesIO()
    salida.write(f"%PDF-1.4\n% {marca}\n".encode())
    desplazamientos = []
    for numero, objeto in enumerate(objetos, start=1):
        desplazamientos.append(salida.tell())
        if isinstance(objeto, bytes):
            salida.write(f"{numero} 0 obj<</Length {len(objeto)}>>stream\n".encode() + objeto + b"endstream endobj\n")
        else:
            salida.write(f"{numero} 0 obj{objeto}endobj\n".encode())
    xref = salida.tell()
    salida.write(f"xref\n0 {len(objetos) + 1}\n0000000000 65535 f \n".encode())
    salida.write("".join(f"{d:010d} 00000 n \n" for d in desplazamientos).encode())
    salida.write(f"trailer<</Size {len(objetos) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode())
    salida.seek(0)
    return salida


def png_bytes() -> io.BytesIO:
    from PIL import Image

    imagen = Image.new("RGB", (40, 30), (200, uuid.uuid4().int % 256, 10))
    salida = io.BytesIO()
    imagen.save(salida, format="PNG")
    salida.seek(0)
    return salida


@pytest.fixture
def documentos(actuacion, usuarios):
    """Three files in folio order: A (2 pages, counted), B (3 pages, counted), C (not read yet)."""
    secretaria = usuarios["secretaria"]
    a = adjunto_crear(actuacion=actuacion, titulo="Auto de pago", flujo=pdf_de_paginas(2), nombre="auto.pdf",
                      usuario=secretaria)
    b = adjunto_crear(actuacion=actuacion, titulo="Citación", flujo=pdf_de_paginas(3), nombre="citacion.pdf",
                      usuario=secretaria)
    c = adjunto_crear(actuacion=actuacion, titulo="Foto del predio", flujo=png_bytes(), nombre="predio.png",
                      usuario=secretaria)
    AdjuntoVersion.objects.filter(pk=a.pk).update(paginas=2, texto_estado="nativo")
    AdjuntoVersion.objects.filter(pk=b.pk).update(paginas=3, texto_estado="ocr")
    return [AdjuntoVersion.objects.get(pk=v.pk) for v in (a, b, c)]


def _lecturas(version):
    return list(RegistroCustodia.objects.filter(accion="lectura", datos__version_uuid=str(version.uuid))
                .order_by("secuencia"))


def test_abre_en_la_pagina_con_sus_datos_y_los_documentos_vecinos(client, usuarios, documentos):
    a, b, c = documentos
    client.force_login(usuarios["abogado"])
    respuesta = client.get(f"/admin/coactivas/lector/{b.uuid}/?pagina=2")
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert 'data-pagina="2"' in html and 'data-folio-desde="3"' in html and "folio 4" in html
    assert f'data-contenido="/admin/coactivas/lector/{b.uuid}/contenido/"' in html
    assert "/static/vendor/pdfjs/pdf.min.mjs" in html and "/static/vendor/pdfjs/pdf.worker.min.mjs" in html
    assert all(src.startswith("/") for src in re.findall(r'(?:src|data-pdfjs[\w-]*)="([^"]*)"', html))  # no CDN
    # the neighbours in folio order, and where the document sits
    assert f'id="documento-anterior" href="/admin/coactivas/lector/{a.uuid}/"' in html
    assert f'id="documento-siguiente" href="/admin/coactivas/lector/{c.uuid}/"' in html
    assert "Documento 2 de 3 · folios 3 a 5 de 6" in html
    # the version's custody facts: who, when, SHA-256, antivirus, text and signature status
    assert b.sha256 in html and "Sin amenazas" in html and b.antivirus_motor in html
    assert usuarios["secretaria"].get_full_name() in html
    assert b.subido_en.astimezone().strftime("%d/%m/%Y") in html
    assert "Texto reconocido (OCR)" in html and "Pendiente de verificar" in html
    # logged as a reading, with the page and its folio
    (lectura,) = _lecturas(b)
    assert lectura.usuario == usuarios["abogado"] and lectura.sha256 == b.sha256
    assert lectura.datos["pagina"] == 2 and lectura.datos["folio"] == 4
    assert lectura.expediente_id == b.adjunto.actuacion.get_parent().pk


def test_abre_en_el_folio_aunque_este_en_otro_documento(client, usuarios, documentos):
    a, b, c = documentos
    client.force_login(usuarios["abogado"])
    # folio 4 is page 2 of B: from A's reader it goes there
    respuesta = client.get(f"/admin/coactivas/lector/{a.uuid}/?folio=4")
    assert respuesta.status_code == 302 and respuesta["Location"] == f"/admin/coactivas/lector/{b.uuid}/?pagina=2"
    assert _lecturas(a) == []  # nothing was shown of A
    html = client.get(f"/admin/coactivas/lector/{b.uuid}/?folio=5").content.decode()
    assert 'data-pagina="3"' in html
    # folio 6 is the image C (one folio: its pages are not counted yet)
    respuesta = client.get(f"/admin/coactivas/lector/{b.uuid}/?folio=6", follow=True)
    assert respuesta.redirect_chain[-1][0] == f"/admin/coactivas/lector/{c.uuid}/?pagina=1"
    html = respuesta.content.decode()
    assert f'<img src="/admin/coactivas/lector/{c.uuid}/contenido/"' in html
    assert "Último documento del expediente" in html


@pytest.mark.parametrize("consulta, aviso, pagina", [
    ("?folio=99", "El expediente no tiene el folio 99 (tiene 6 folios)", 1),
    ("?folio=dos", "«dos» no es un número de folio", 1),
    ("?pagina=-3", "«-3» no es un número de página", 1),
    ("?pagina=9", "El documento tiene 3 páginas; se abre la última.", 3),
    ("?pagina=" + "9" * 5000, "no es un número de página", 1),
    ("?folio='%20OR%201=1--", "no es un número de folio", 1),
])
def test_una_pagina_o_folio_imposible_abre_con_un_aviso(client, usuarios, documentos, consulta, aviso, pagina):
    b = documentos[1]
    client.force_login(usuarios["abogado"])
    respuesta = client.get(f"/admin/coactivas/lector/{b.uuid}/{consulta}")
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert aviso in html and f'data-pagina="{pagina}"' in html


def test_el_contenido_sale_en_linea_con_cabeceras_restrictivas_y_queda_registrado(client, usuarios, documentos):
    b = documentos[1]
    client.force_login(usuarios["abogado"])
    respuesta = client.get(f"/admin/coactivas/lector/{b.uuid}/contenido/")
    assert respuesta.status_code == 200
    cuerpo = b"".join(respuesta.streaming_content)
    import hashlib
    assert hashlib.sha256(cuerpo).hexdigest() == b.sha256  # the exact stored version
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"] == 'inline; filename="citacion.pdf"'
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in respuesta["Content-Security-Policy"] and "default-src 'none'" in respuesta["Content-Security-Policy"]
    assert {"private", "no-store"} <= {p.strip() for p in respuesta["Cache-Control"].split(",")}
    assert respuesta["Cross-Origin-Resource-Policy"] == "same-origin"
    (lectura,) = _lecturas(b)
    assert lectura.datos["contenido"] is True and lectura.sha256 == b.sha256


def test_una_version_anterior_se_lee_sin_folios_y_avisa_de_la_vigente(client, usuarios, documentos):
    a = documentos[0]
    nueva = adjunto_version_crear(adjunto=a.adjunto, flujo=pdf_de_paginas(1), nombre="auto-v2.pdf",
                                  usuario=usuarios["secretaria"])
    client.force_login(usuarios["abogado"])
    html = client.get(f"/admin/coactivas/lector/{a.uuid}/").content.decode()
    assert "no es la vigente" in html and f'href="/admin/coactivas/lector/{nueva.uuid}/">versión 2' in html
    assert 'data-folio-desde=""' in html
    assert _lecturas(a)[0].datos["folio"] is None


def test_leer_desde_la_pantalla_del_proceso_y_los_adjuntos(client, usuarios, documentos):
    a, b, c = documentos
    docx = adjunto_crear(actuacion=a.adjunto.actuacion, titulo="Escrito", flujo=_docx(), nombre="escrito.docx",
                         usuario=usuarios["secretaria"])
    client.force_login(usuarios["abogado"])
    expediente = a.adjunto.actuacion.get_parent()
    proceso = client.get(f"/admin/coactivas/expedientes/{expediente.pk}/").content.decode()
    adjuntos = client.get(f"/admin/coactivas/actuaciones/{a.adjunto.actuacion_id}/adjuntos/").content.decode()
    for html in (proceso, adjuntos):
        for v in (a, b, c):
            assert f'href="/admin/coactivas/lector/{v.uuid}/"' in html
        assert f"/admin/coactivas/lector/{docx.uuid}/" not in html  # the browser cannot show it


def _docx():
    from docx import Document

    salida = io.BytesIO()
    documento = Document()
    documento.add_paragraph(f"Escrito {uuid.uuid4().hex}")
    documento.save(salida)
    salida.seek(0)
    return salida


@pytest.mark.parametrize("quien", ["archivista", "asesoria", "sin_rol", "otro_abogado"])
def test_quien_no_ve_el_expediente_recibe_404_como_si_no_existiera(client, usuarios, documentos, quien):
    from permisos import roles
    from tests.factories import usuario_con_rol

    b = documentos[1]
    usuario = (usuario_con_rol(roles.ROL_ABOGADO, username="otro") if quien == "otro_abogado"
               else usuarios[quien])
    client.force_login(usuario)
    inexistente = "00000000-0000-4000-8000-000000000000"
    for sufijo in ("", "contenido/"):
        visto = client.get(f"/admin/coactivas/lector/{b.uuid}/{sufijo}?folio=4")
        falta = client.get(f"/admin/coactivas/lector/{inexistente}/{sufijo}?folio=4")
        # sin_rol is sent to the login by the admin before any view (the uuid only in ?next=)
        assert (visto.status_code, visto.get("Location", "").split("?")[0]) == \
            (falta.status_code, falta.get("Location", "").split("?")[0])
        assert visto.status_code in (302, 404)
        cuerpo = visto.content.decode(errors="replace")
        assert b.nombre_original not in cuerpo and b.sha256 not in cuerpo and "Citación" not in cuerpo
    assert _lecturas(b) == []
    if visto.status_code == 404:  # reached the view (not turned away by the admin first): refusal logged
        assert RegistroCustodia.objects.filter(accion="acceso_denegado", sha256=b.sha256).exists()


def test_sin_sesion_pide_entrar(client, documentos):
    respuesta = client.get(f"/admin/coactivas/lector/{documentos[1].uuid}/contenido/")
    assert respuesta.status_code == 302 and "/login/" in respuesta["Location"]


def test_un_escaneo_tiff_se_lee_por_su_pdf_con_texto(client, usuarios, actuacion):
    """Browsers do not draw TIFF: the reader shows the OCR rendition (its own custody object)
    and says so; without one it offers the download."""
    import hashlib

    from PIL import Image

    from expedientes.custodia import custodiar
    from expedientes.models import RendicionOCR

    salida = io.BytesIO()
    Image.new("L", (60, 80), uuid.uuid4().int % 200).save(salida, format="TIFF")
    salida.seek(0)
    tiff = adjunto_crear(actuacion=actuacion, titulo="Escaneo de 2009", flujo=salida, nombre="escaneo.tif",
                         usuario=usuarios["secretaria"])
    client.force_login(usuarios["abogado"])
    html = client.get(f"/admin/coactivas/lector/{tiff.uuid}/").content.decode()
    assert "no se muestra en el navegador" in html and 'id="lector"' not in html

    rendicion = custodiar(flujo=pdf_de_paginas(1), nombre="escaneo-ocr.pdf",
                          registrar=lambda c: RendicionOCR.objects.create(version=tiff, motor="prueba", **c.campos()))
    AdjuntoVersion.objects.filter(pk=tiff.pk).update(texto_estado="ocr", paginas=1)
    html = client.get(f"/admin/coactivas/lector/{tiff.uuid}/").content.decode()
    assert f'data-contenido="/admin/coactivas/lector/{tiff.uuid}/contenido/?rendicion=1"' in html
    assert "PDF con texto (OCR)" in html
    respuesta = client.get(f"/admin/coactivas/lector/{tiff.uuid}/contenido/?rendicion=1")
    assert hashlib.sha256(b"".join(respuesta.streaming_content)).hexdigest() == rendicion.sha256
    assert respuesta["Content-Type"] == "application/pdf" and respuesta["Content-Disposition"].startswith("inline")
    assert _lecturas(tiff)[-1].datos["rendicion_sha256"] == rendicion.sha256
    proceso = client.get(f"/admin/coactivas/expedientes/{actuacion.get_parent().pk}/").content.decode()
    assert f'href="/admin/coactivas/lector/{tiff.uuid}/"' in proceso
