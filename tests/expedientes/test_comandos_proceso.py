from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from expedientes.estados import Estado
from expedientes.models import EstadoConvenio, MedidaCautelar
from expedientes.services.cuenta import convenio_registrar, cuenta_liquidar
from tests.factories import expediente_crear

pytestmark = pytest.mark.servicios


def test_oficios_de_retencion_masivos(usuarios):
    anteriores = [expediente_crear(usuario=usuarios["secretaria"], fecha=date(2019, 5, 6)) for _ in range(3)]
    expediente_crear(usuario=usuarios["secretaria"], fecha=date(2026, 1, 5))  # outside the years asked
    salida = StringIO()
    call_command("oficios_retencion", desde=2009, hasta=2025, usuario="secretaria", firmante="jefe", esperar=True,
                 stdout=salida)
    assert "3 expedientes 2009–2025 en ejecución" in salida.getvalue()
    assert "6 oficios generados" in salida.getvalue()
    assert MedidaCautelar.objects.filter(expediente__in=anteriores).count() == 6
    for expediente in anteriores:
        expediente.refresh_from_db()
        assert expediente.estado == Estado.MEDIDAS_CAUTELARES


def test_revision_diaria_de_convenios(usuarios):
    expediente = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2025, 1, 6))
    saldo = cuenta_liquidar(expediente, date(2025, 1, 10)).saldo
    convenio = convenio_registrar(expediente=expediente, fecha=date(2025, 1, 10), usuario=usuarios["jefe"],
                                  cuotas=[(date(2025, 2, 10), saldo)])
    salida = StringIO()
    call_command("convenios_revisar", stdout=salida)  # today is long after 10/02/2025
    convenio.refresh_from_db()
    assert convenio.estado == EstadoConvenio.INCUMPLIDO
    assert "1 incumplidos" in salida.getvalue() and expediente.numero in salida.getvalue()
