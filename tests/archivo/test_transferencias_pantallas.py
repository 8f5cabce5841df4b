"""The transfer screens and the archive records' download, as the unit and the archivist."""

import pytest
from django.urls import reverse

from archivo.models import EstadoTransferencia, Transferencia
from archivo.models import TipoDocumentoArchivo as Tipo
from permisos.models import RegistroCustodia

pytestmark = [pytest.mark.servicios, pytest.mark.django_db]


def test_recorrido_de_la_unidad_y_del_archivo_central(client, usuarios, expediente_cerrado):
    secretaria, archivista = usuarios["secretaria"], usuarios["archivista"]
    a, b = expediente_cerrado(folios=11, caja="CJ-7", nombre="UNO S.A."), expediente_cerrado(nombre="DOS S.A.")

    client.force_login(secretaria)
    assert client.get(reverse("archivo_transferencias")).status_code == 200
    propuesta = client.get(reverse("archivo_transferencia_nueva")).content.decode()
    assert a.numero in propuesta and b.numero in propuesta
    respuesta = client.post(reverse("archivo_transferencia_nueva"), {"expedientes": [a.pk, b.pk]}, follow=True)
    t = Transferencia.objects.get()
    assert respuesta.redirect_chain[-1][0] == reverse("archivo_transferencia", args=[t.pk])

    client.force_login(archivista)  # a draft is the unit's: not even its URL answers
    assert client.get(reverse("archivo_transferencia", args=[t.pk])).status_code == 404
    assert t.numero not in client.get(reverse("archivo_transferencias")).content.decode()

    client.force_login(secretaria)
    detalle = client.get(reverse("archivo_transferencia", args=[t.pk])).content.decode()
    assert "CJ-7" in detalle and "Solicitar la transferencia" in detalle
    client.post(reverse("archivo_transferencia_accion", args=[t.pk, "solicitar"]))
    t.refresh_from_db()
    assert t.estado == EstadoTransferencia.SOLICITADA
    detalle = client.get(reverse("archivo_transferencia", args=[t.pk])).content.decode()
    inventario = t.documentos.get(tipo=Tipo.INVENTARIO_XLSX)
    assert reverse("archivo_documento", args=[inventario.uuid]) in detalle
    assert "Quitar los marcados" not in detalle
    filtrado = client.get(reverse("archivo_transferencias") + "?estado=borrador").content.decode()
    assert t.numero not in filtrado

    descarga = client.get(reverse("archivo_documento", args=[inventario.uuid]))
    assert descarga.status_code == 200
    assert descarga["Content-Security-Policy"].startswith("default-src 'none'")
    assert descarga["X-Content-Type-Options"] == "nosniff" and "attachment" in descarga["Content-Disposition"]
    assert b"".join(descarga.streaming_content)[:2] == b"PK"  # an XLSX is a ZIP container
    assert RegistroCustodia.objects.filter(accion="descarga", sha256=inventario.sha256).exists()
    client.force_login(usuarios["abogado"])
    assert client.get(reverse("archivo_documento", args=[inventario.uuid])).status_code == 404

    client.force_login(archivista)
    items = list(t.items.order_by("orden"))
    url = reverse("archivo_transferencia_accion", args=[t.pk, "cotejar"])
    client.post(url, {"item": items[0].pk, "resultado": "conforme"})
    client.post(url, {"item": items[1].pk, "resultado": "rechazado", "discrepancias": ""})  # refused: no reason
    assert t.items.get(pk=items[1].pk).cotejo == "pendiente"
    client.post(url, {"item": items[1].pk, "resultado": "rechazado", "discrepancias": "Sin carátula"})
    client.post(reverse("archivo_transferencia_accion", args=[t.pk, "revisar"]))
    client.post(reverse("archivo_transferencia_accion", args=[t.pk, "aceptar"]))
    t.refresh_from_db()
    assert t.estado == EstadoTransferencia.ACEPTADA
    detalle = client.get(reverse("archivo_transferencia", args=[t.pk])).content.decode()
    assert "Sin carátula" in detalle and "Manifiesto SHA-256" in detalle
    assert reverse("expedientes_proceso", args=[a.pk]) in detalle  # the archivist sees the accepted one
    assert reverse("expedientes_proceso", args=[b.pk]) not in detalle
