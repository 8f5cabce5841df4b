"""The reading room end to end, through the real services (issue 12, done-when 1): a scanned
PDF uploaded to an expediente is read in Spanish by the OCR path, its pages become searchable by
an accented word typed without its accent, the hit points to the page and folio the reader
opens, and another lawyer's search neither finds nor counts it."""

import io

import pytest
from django.urls import reverse

from expedientes.busqueda_texto import buscar
from expedientes.models import EstadoTexto
from expedientes.services.adjuntos import adjunto_crear
from expedientes.services.texto import version_texto_extraer
from portal.demo_escaneos import pdf_escaneado
from tests.factories import usuario_con_rol

pytestmark = pytest.mark.servicios

PAGINAS = [
    ["Auto", "de", "pago", "del", "proceso", "coactivo", "por", "la", "multa", "impuesta"],
    ["El", "título", "de", "crédito", "número", "veinte", "asciende", "a", "mil", "dólares",
     "según", "resolución", "ejecutoriada"],
]


def test_un_escaneo_se_encuentra_sin_tildes_y_solo_por_quien_lo_ve(actuacion, usuarios, client):
    from permisos import roles

    abogado = usuarios["abogado"]
    expediente = actuacion.get_parent().specific
    version = adjunto_crear(actuacion=actuacion, titulo="Título escaneado", flujo=io.BytesIO(pdf_escaneado(PAGINAS)),
                            nombre="titulo.pdf", usuario=usuarios["secretaria"])
    version_texto_extraer(version_id=version.pk)  # what the queue's worker runs
    version.refresh_from_db()
    assert version.texto_estado == EstadoTexto.OCR and version.paginas == 2

    resultado = buscar(abogado, "credito ejecutoriada")
    assert [(h.expediente.pk, h.version.pk, h.pagina, h.folio) for h in resultado.hits] == [
        (expediente.pk, version.pk, 2, 2)]
    assert "<mark>" in resultado.hits[0].fragmento and resultado.total == 1
    assert resultado.hits[0].enlace == f"{reverse('lector', args=[version.uuid])}?pagina=2"

    client.force_login(abogado)
    pagina = client.get(resultado.hits[0].enlace)
    assert pagina.status_code == 200 and "titulo.pdf" in pagina.content.decode()

    otro = usuario_con_rol(roles.ROL_ABOGADO, username="otro_abogado")
    ajeno = buscar(otro, "credito")
    assert ajeno.hits == [] and ajeno.total == 0 and not any(n for f in ajeno.facetas.values() for *_, n in f)
    client.force_login(otro)
    assert client.get(resultado.hits[0].enlace).status_code == 404
