"""Issuing freezes a report: its files in custody (real store and clamd), version n + 1 with a
reason, a custody-log entry; nobody without the permission issues."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from expedientes.informes.base import Parametros, Periodo
from expedientes.informes.emision import emision_registrar
from expedientes.models import DocumentoUnidad, InformeEmitido
from permisos.models import RegistroCustodia
from tests.factories import pdf_bytes

pytestmark = pytest.mark.servicios

PARAMETROS = Parametros(periodo=Periodo.mes(2025, 3), provincia="01")


def _emitir(usuario, motivo=""):
    return emision_registrar(clave="matriz", titulo="Matriz de procesos coactivos — marzo de 2025",
                             parametros=PARAMETROS, cifras={"iniciados": "12"}, usuario=usuario,
                             archivos={"pdf": ("matriz.pdf", pdf_bytes().getvalue())}, motivo=motivo)


def test_emitir_congela_y_reemitir_hace_una_version_nueva(usuarios, versiones_en_bucket):
    primera = _emitir(usuarios["jefe"])
    assert (primera.version, primera.cifras, primera.parametros["provincia"]) == (1, {"iniciados": "12"}, "01")
    assert (primera.pdf.clave, primera.pdf.version_s3) in versiones_en_bucket()  # the bytes are in the store
    with pytest.raises(ValidationError, match="por qué"):
        _emitir(usuarios["jefe"])
    segunda = _emitir(usuarios["jefe"], motivo="Corrección de un pago mal registrado")
    assert segunda.version == 2 and segunda.pdf.sha256 != primera.pdf.sha256
    assert RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.INFORME).count() == 2
    assert Periodo.mes(2025, 3).etiqueta == "marzo de 2025"


def test_sin_permiso_no_se_emite_ni_queda_nada(usuarios):
    with pytest.raises(PermissionDenied):
        _emitir(usuarios["abogado"])
    assert not InformeEmitido.objects.exists() and not DocumentoUnidad.objects.exists()


def test_saldos_provisionales(usuarios, expediente):
    from expedientes.models import ExpedientePage
    from expedientes.saldos import saldos_al

    fila = saldos_al(ExpedientePage.objects.filter(pk=expediente.pk), date(2025, 12, 31)).get()
    assert fila.saldo_total == expediente.monto_titulo


def test_cartera_por_antiguedad_provisional(usuarios, expediente):
    from expedientes.models import ExpedientePage
    from expedientes.saldos import cartera_por_antiguedad

    tramos = cartera_por_antiguedad(ExpedientePage.objects.all(), date(2026, 12, 1))
    assert [t["expedientes"] for t in tramos] == [0, 1, 0, 0, 0]
    assert tramos[1]["total"] == expediente.monto_titulo
