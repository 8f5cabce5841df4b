"""The dossier's PDF from local files (no database, no store): folios on pages of any size and
rotation, images as pages, what cannot be incorporated listed with the reason."""

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

from expedientes.documentos.dossier import Pieza, dossier_pdf


def _pieza(ruta: Path, tipo: str, orden: int) -> Pieza:
    return Pieza(ruta=str(ruta), datos={
        "orden": orden, "actuacion": "Providencia 1", "titulo": ruta.name, "nombre": ruta.name, "version": 1,
        "tipo_mime": tipo, "tamano": ruta.stat().st_size, "sha256": f"{orden:064x}"})


def _contexto(piezas):
    return {"titulo": "Dossier de prueba", "referencia": "prueba", "armado_en": None, "armado_por": "Jefe",
            "juzgado": {"nombre": "Juzgado", "entidad": "MDT", "direccion_regional": "Cuenca"},
            "expediente": {"numero": "MDT-DRTSPC-2025-0001", "monto_titulo": 10, "estado": "Insolvencia"},
            "coactivado": {"nombre": "PRUEBA S.A.", "identificacion": "0190000000001", "tipo_identificacion": "RUC"},
            "actuaciones": [{"titulo": "Providencia 1", "piezas": piezas}]}


def test_folios_en_paginas_giradas_imagenes_y_no_incorporados(tmp_path):
    girada = PdfWriter()
    girada.add_blank_page(width=612, height=792).rotate(90)
    girada.add_blank_page(width=420, height=595)
    girada.write(tmp_path / "girada.pdf")
    cifrada = PdfWriter()
    cifrada.add_blank_page(width=595, height=842)
    cifrada.encrypt("secreto")
    cifrada.write(tmp_path / "cifrada.pdf")
    cuadros = [Image.new("L", (300, 400), 255), Image.new("L", (300, 400), 0)]
    cuadros[0].save(tmp_path / "escaneo.tif", save_all=True, append_images=cuadros[1:])
    (tmp_path / "hoja.xlsx").write_bytes(b"PK\x03\x04")
    piezas = [_pieza(tmp_path / "girada.pdf", "application/pdf", 1),
              _pieza(tmp_path / "cifrada.pdf", "application/pdf", 2),
              _pieza(tmp_path / "escaneo.tif", "image/tiff", 3),
              _pieza(tmp_path / "hoja.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 4)]

    folios = dossier_pdf(piezas=piezas, contexto=_contexto(piezas), destino=tmp_path / "dossier.pdf")

    lector = PdfReader(tmp_path / "dossier.pdf")
    assert folios["total"] == len(lector.pages) == 1 + 2 + 2 + 1
    assert [(p.folio_desde, p.folio_hasta) for p in piezas] == [(2, 3), (None, None), (4, 5), (None, None)]
    assert piezas[1].observacion == "no incorporado (PDF protegido con contraseña)"
    assert piezas[3].observacion == "no incorporado (formato hoja de Excel)"
    for folio, pagina in enumerate(lector.pages, start=1):
        assert f"Folio {folio}" in pagina.extract_text()
        assert pagina.rotation == 0  # the rotation went into the content, the folio reads upright
    # the rotated letter page is now landscape, and its folio sits in its top right corner
    assert (float(lector.pages[1].mediabox.width), float(lector.pages[1].mediabox.height)) == (792, 612)
    indice = lector.pages[0].extract_text()
    assert "2–3" in indice and "4–5" in indice and "no incorporado (PDF protegido con contraseña)" in indice
    assert [o.title for o in lector.outline][0] == "Índice" and "Manifiesto" in [o.title for o in lector.outline]
    assert io.BytesIO((tmp_path / "dossier.pdf").read_bytes()).read(5) == b"%PDF-"
