"""Payments as the unit handles them (issue 9, point 5): the receipt of each payment, issued
once into custody and downloaded by whoever may see the expediente; the statement of account
at a date; the annulment of a mistaken payment (kept, struck through, the balance follows).
Through the process screen, on PostgreSQL, S3 and clamd."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from expedientes.models import Pago
from expedientes.services.cuenta import cuenta_liquidar, pago_registrar
from expedientes.services.pagos import comprobante_emitir, pago_anular
from expedientes.templatetags.coactivas import usd
from permisos import roles
from permisos.models import RegistroCustodia
from tests.factories import usuario_con_rol

pytestmark = pytest.mark.servicios


def _texto(contenido: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(contenido)).pages)


def _descargar(client, url) -> bytes:
    respuesta = client.get(url)
    assert respuesta.status_code == 200, respuesta.status_code
    return b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content


def _pagar(client, expediente, monto, recibo, fecha="20/03/2025"):
    return client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "pago"]), {
        "pago-fecha": fecha, "pago-monto": monto, "pago-origen": "voluntario", "pago-recibo": recibo})


def test_comprobante_del_pago_para_el_abogado_asignado_y_404_para_otro(client, usuarios, expediente, tasa):
    client.force_login(usuarios["abogado"])
    assert _pagar(client, expediente, "234,56", "R-100").status_code == 302
    pago = Pago.objects.get(recibo="R-100")
    assert pago.comprobante is not None  # issued right after the payment, into custody
    pantalla = client.get(reverse("expedientes_proceso", args=[expediente.pk])).content.decode()
    url = reverse("pago_comprobante", args=[pago.pk])
    assert url in pantalla

    texto = _texto(_descargar(client, url))
    cuenta = cuenta_liquidar(expediente, date(2025, 3, 20))
    imputacion = cuenta.imputaciones[-1]
    for esperado in (expediente.numero, expediente.coactivado.nombre, expediente.coactivado.identificacion,
                     "20/03/2025", "USD 234,56", "DOSCIENTOS TREINTA Y CUATRO", "Pago voluntario", "R-100",
                     f"A intereses {usd(imputacion.intereses)}", f"A capital {usd(imputacion.capital)}",
                     f"Saldo {usd(cuenta.saldo)}"):
        assert esperado in texto, esperado
    assert RegistroCustodia.objects.filter(accion="descarga", usuario=usuarios["abogado"],
                                           sha256=pago.comprobante.sha256).exists()

    # issued once: asking again gives the same stored version, whatever changed since
    assert comprobante_emitir(pago=pago, usuario=usuarios["jefe"]).pk == pago.comprobante.pk

    otro = usuario_con_rol(roles.ROL_ABOGADO, username="abogado2")
    client.force_login(otro)
    assert client.get(url).status_code == 404
    assert client.get(reverse("pago_comprobante", args=[987654])).status_code == 404
    assert client.get(reverse("expedientes_estado_cuenta", args=[expediente.pk])).status_code == 404


def test_estado_de_cuenta_a_una_fecha(client, usuarios, expediente, tasa):
    pago_registrar(expediente=expediente, fecha=date(2025, 3, 20), monto=Decimal("200.00"), origen="voluntario",
                   recibo="R-1", usuario=usuarios["secretaria"])
    pago_registrar(expediente=expediente, fecha=date(2025, 6, 2), monto=Decimal("300.00"), origen="voluntario",
                   recibo="R-2", usuario=usuarios["secretaria"])
    client.force_login(usuarios["abogado"])
    url = reverse("expedientes_estado_cuenta", args=[expediente.pk])
    texto = _texto(_descargar(client, url + "?fecha=30/04/2025"))
    cuenta = cuenta_liquidar(expediente, date(2025, 4, 30))
    assert "ESTADO DE CUENTA al 30/04/2025" in texto and expediente.numero in texto
    assert "R-1" in texto and "R-2" not in texto  # a later payment is not in the statement at that date
    assert f"Intereses {usd(cuenta.intereses_total)} {usd(cuenta.intereses)}" in texto
    assert f"Saldo {usd(cuenta.saldo)}" in texto
    assert RegistroCustodia.objects.filter(accion="vista", expediente_id=expediente.pk,
                                           objeto__contains="estado de cuenta al 30/04/2025").exists()
    # a date that is not one says how to write it
    respuesta = client.get(url + "?fecha=2025-13-45", follow=True)
    assert "Escriba la fecha así: 31/12/2025." in respuesta.content.decode()


def test_anular_un_pago_equivocado(client, usuarios, expediente, tasa):
    bueno = pago_registrar(expediente=expediente, fecha=date(2025, 3, 20), monto=Decimal("100.00"),
                           origen="voluntario", recibo="R-1", usuario=usuarios["abogado"])
    errado = pago_registrar(expediente=expediente, fecha=date(2025, 3, 21), monto=Decimal("500.00"),
                            origen="voluntario", recibo="R-2", usuario=usuarios["abogado"])
    accion = reverse("expedientes_proceso_accion", args=[expediente.pk, "anular"])
    proceso = reverse("expedientes_proceso", args=[expediente.pk])

    # the abogado records payments, but does not annul them
    client.force_login(usuarios["abogado"])
    assert "Anular pago" not in client.get(proceso).content.decode()
    respuesta = client.post(accion, {"pago_id": errado.pk, "anular-motivo": "Monto mal digitado"})
    assert "Solo la jefatura y la secretaría de coactivas pueden anular pagos" in respuesta.content.decode()
    errado.refresh_from_db()
    assert not errado.anulado

    client.force_login(usuarios["secretaria"])
    sin_motivo = client.post(accion, {"pago_id": errado.pk, "anular-motivo": " "})
    assert "Escriba el motivo de la anulación." in sin_motivo.content.decode()
    assert client.post(accion, {"pago_id": errado.pk, "anular-motivo": "Monto mal digitado: eran 50,00"}).status_code == 302
    errado.refresh_from_db()
    assert errado.anulado and errado.anulado_por == usuarios["secretaria"]
    assert errado.anulacion_motivo == "Monto mal digitado: eran 50,00"

    # the balance follows: as if only the good payment had been made
    solo_bueno = cuenta_liquidar(expediente, date(2025, 4, 30), pagos=[bueno])
    assert cuenta_liquidar(expediente, date(2025, 4, 30)).saldo == solo_bueno.saldo
    assert cuenta_liquidar(expediente, date(2025, 4, 30)).pagado_total == Decimal("100.00")
    # kept and shown struck through, with who and why
    pantalla = client.get(proceso).content.decode()
    fila = re.search(r'<tr class="anulado">.*?</tr>', pantalla, re.S).group(0)
    assert "R-2" in fila and "Monto mal digitado: eran 50,00" in fila and "Anulado" in fila
    assert "line-through" in pantalla
    assert Pago.objects.filter(pk=errado.pk).exists()
    entrada = RegistroCustodia.objects.get(accion="anulacion_pago")
    assert entrada.expediente_id == expediente.pk and entrada.usuario == usuarios["secretaria"]
    assert entrada.datos["motivo"] == "Monto mal digitado: eran 50,00"

    # twice is refused, by the screen and by the service
    respuesta = client.post(accion, {"pago_id": errado.pk, "anular-motivo": "otra vez"})
    assert "un pago se anula una sola vez" in respuesta.content.decode()
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError, match="una sola vez"):
        pago_anular(pago=errado, usuario=usuarios["jefe"], motivo="otra vez")

    # the receipt's number is free again: the right payment is recorded with it
    pago_registrar(expediente=expediente, fecha=date(2025, 3, 21), monto=Decimal("50.00"), origen="voluntario",
                   recibo="R-2", usuario=usuarios["secretaria"])
    assert Pago.objects.filter(recibo="R-2").count() == 2
    # an annulled payment gets no receipt
    with pytest.raises(ValidationError, match="está anulado"):
        comprobante_emitir(pago=errado, usuario=usuarios["secretaria"])
