"""Expediente numbers are assigned by the system without races."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from wagtail.models import Page

from expedientes.models import AnioPage, ExpedientePage
from expedientes.services.coactivados import coactivado_registrar
from expedientes.services.expedientes import expediente_abrir
from tests.factories import cedula_valida, expediente_crear

pytestmark = pytest.mark.servicios


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_veinte_aperturas_concurrentes_veinte_numeros(usuarios):
    secretaria = usuarios["secretaria"]
    coactivados = [
        coactivado_registrar(identificacion=cedula_valida(), nombre=f"DEUDOR {i}", usuario=secretaria)
        for i in range(20)
    ]
    barrera = threading.Barrier(20)
    numeros, errores = [], []

    def abrir(coactivado):
        try:
            barrera.wait()
            expediente = expediente_abrir(
                coactivado=coactivado, provincia="01", fecha_recepcion=date(2026, 2, 2),
                monto_titulo=Decimal("100.00"), usuario=secretaria,
            )
            numeros.append(expediente.numero)
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errores.append(exc)
        finally:
            connection.close()

    hilos = [threading.Thread(target=abrir, args=(c,)) for c in coactivados]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()

    assert errores == []
    assert sorted(numeros) == [f"MDT-DRTSPC-2026-{n:04d}" for n in range(1, 21)]
    assert ExpedientePage.objects.filter(anio=2026).count() == 20
    assert AnioPage.objects.filter(anio=2026).count() == 1
    assert AnioPage.objects.get(anio=2026).get_children().count() == 20
    problemas = Page.find_problems()
    assert all(not lista for lista in problemas), problemas


def test_numeracion_por_anio_de_recepcion(usuarios):
    a = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2025, 12, 30))
    b = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2025, 1, 2))
    c = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2026, 1, 5))
    assert [a.numero, b.numero, c.numero] == [
        "MDT-DRTSPC-2025-0001", "MDT-DRTSPC-2025-0002", "MDT-DRTSPC-2026-0001"]
    assert a.get_parent().specific.anio == 2025 and c.get_parent().specific.anio == 2026
    assert a.title == f"MDT-DRTSPC-2025-0001 — {a.coactivado.nombre}"
    assert a.slug == "mdt-drtspc-2025-0001"


def test_numero_existente_se_respeta_y_sigue_la_secuencia(usuarios):
    legado = expediente_crear(usuario=usuarios["secretaria"], numero="MDT-DRTSPC-2025-0500")
    siguiente = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2025, 6, 1))
    assert legado.numero == "MDT-DRTSPC-2025-0500"
    assert siguiente.numero == "MDT-DRTSPC-2025-0501"


def test_numero_duplicado_se_rechaza_sin_cambios(usuarios):
    expediente_crear(usuario=usuarios["secretaria"], numero="MDT-DRTSPC-2019-0042")
    paginas = Page.objects.count()
    with pytest.raises(ValidationError) as error:
        expediente_crear(usuario=usuarios["secretaria"], numero="mdt-drtspc-2019-0042")
    assert error.value.message_dict["numero"] == ["Ya existe el expediente MDT-DRTSPC-2019-0042."]
    assert Page.objects.count() == paginas


def test_numero_mal_formado_se_rechaza(usuarios):
    with pytest.raises(ValidationError) as error:
        expediente_crear(usuario=usuarios["secretaria"], numero="42/2019")
    assert "no tiene el formato" in error.value.message_dict["numero"][0]
    assert not ExpedientePage.objects.exists()


@pytest.mark.parametrize("monto, provincia", [(Decimal("0"), "01"), (Decimal("10"), "99")])
def test_datos_invalidos_no_dejan_paginas(usuarios, monto, provincia):
    paginas = Page.objects.count()
    with pytest.raises(ValidationError):
        expediente_crear(usuario=usuarios["secretaria"], monto=monto, provincia=provincia,
                         identificacion=cedula_valida("01"))
    assert Page.objects.count() == paginas  # not even the year page
