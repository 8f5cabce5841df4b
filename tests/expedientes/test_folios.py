"""Folios run across the expediente's documents in the foliado's order (expedientes/folios.py)."""


from expedientes.folios import documento_del_folio, documentos_foliados
from expedientes.services.adjuntos import adjunto_crear, adjunto_version_crear


def test_los_folios_siguen_el_orden_del_expediente(actuacion, usuarios, pdf):
    abogado = usuarios["abogado"]
    primero = adjunto_crear(actuacion=actuacion, titulo="Auto de pago", flujo=pdf(), nombre="a.pdf",
                            usuario=abogado)
    segundo = adjunto_crear(actuacion=actuacion, titulo="Citación", flujo=pdf(), nombre="b.pdf",
                            usuario=abogado)
    type(primero).objects.filter(pk=primero.pk).update(paginas=3)
    expediente = actuacion.get_parent().specific
    documentos = documentos_foliados(expediente)
    assert [(d.version.pk, d.desde, d.hasta, d.paginas_conocidas) for d in documentos] == [
        (primero.pk, 1, 3, True), (segundo.pk, 4, 4, False)]
    assert documentos[0].folio(2) == 2 and documentos[1].folio(1) == 4 and documentos[0].folio(9) == 3
    assert documento_del_folio(documentos, 4) == (documentos[1], 1) and documento_del_folio(documentos, 5) is None
    # a new version replaces the old one in the run of folios
    nueva = adjunto_version_crear(adjunto=primero.adjunto, flujo=pdf(), nombre="a2.pdf", usuario=abogado)
    assert [d.version.pk for d in documentos_foliados(expediente)] == [nueva.pk, segundo.pk]
