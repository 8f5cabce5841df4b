"""A baja documental destroys what was read from the versions too: their searchable PDF (OCR
rendition, real store) and their text per page — nothing of the content stays searchable."""

import pytest

from archivo.selectors import versiones_de
from archivo.services.bajas import baja_autorizar, baja_crear, baja_ejecutar
from expedientes.custodia import almacen, custodiar
from expedientes.models import OrigenTexto, PaginaTexto, RendicionOCR

pytestmark = pytest.mark.servicios


def test_la_baja_elimina_la_rendicion_ocr_y_el_texto(usuarios, con_archivos, archivar, serie_sin_plazo, pdf):
    expediente = archivar(con_archivos(), serie=serie_sin_plazo)
    versiones = list(versiones_de(expediente))
    for version in versiones:  # as expedientes/services/texto.py leaves a scanned version
        custodiar(flujo=pdf("OCR"), nombre="escaneo (OCR).pdf",
                  registrar=lambda c, v=version: RendicionOCR.objects.create(version=v, motor="prueba", **c.campos()))
        PaginaTexto.objects.create(version=version, expediente=expediente, numero=1,
                                   texto="notificación del crédito", origen=OrigenTexto.OCR)
    renditions = [(r.clave, r.version_s3) for r in RendicionOCR.objects.filter(version__in=versiones)]
    assert len(renditions) == 2

    baja = baja_crear(usuario=usuarios["archivista"], expedientes=[expediente],
                      valores_primarios="Cumplidos.", valores_secundarios="Ninguno.", justificacion="Plazo cumplido.")
    baja = baja_autorizar(baja=baja, usuario=usuarios["jefe"], referencia="Acta 1")
    baja_ejecutar(baja=baja, usuario=usuarios["archivista"])

    for clave, version_s3 in renditions:
        assert not almacen.existe(almacen.ObjetoAlmacenado(clave, version_s3))
    assert not RendicionOCR.objects.filter(version__in=versiones).exists()
    assert not PaginaTexto.objects.filter(version__in=versiones).exists()
    item = baja.items.get()
    assert {(d["rendicion"]["clave"], d["rendicion"]["version_s3"]) for d in item.destruido} == set(renditions)
