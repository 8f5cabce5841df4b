"""Cédula and RUC validation (python-stdnum), with the messages users see."""

import pytest
from django.core.exceptions import ValidationError

from expedientes.identificacion import identificacion_validar
from expedientes.models import Coactivado
from expedientes.services.coactivados import coactivado_registrar


@pytest.mark.parametrize(
    "valor, numero, tipo",
    [
        ("1710034065", "1710034065", "cedula"),
        ("0102030400", None, None),  # replaced below by a computed valid one
        ("1790011674001", "1790011674001", "ruc"),  # sociedad
        ("1710034065001", "1710034065001", "ruc"),  # persona natural con RUC
        (" 171003406-5 ", "1710034065", "cedula"),  # separators are tolerated
    ],
)
def test_identificaciones_validas(valor, numero, tipo):
    if numero is None:
        from tests.factories import cedula_valida

        valor = numero = cedula_valida("01")
        tipo = "cedula"
    resultado = identificacion_validar(valor)
    assert (resultado.numero, resultado.tipo, resultado.advertencia) == (numero, tipo, "")


@pytest.mark.parametrize(
    "valor, fragmento",
    [
        ("1710034066", "el dígito verificador no corresponde"),
        ("9910034065", "código de provincia"),
        ("171003406", "debe tener 10 dígitos (cédula) o 13 dígitos (RUC)"),
        ("17100340650", "debe tener 10 dígitos"),
        ("17100A4065", "solo puede contener dígitos"),
        ("1790011674000", "El RUC 1790011674000 no es válido"),
        ("", "Ingrese la cédula o el RUC"),
    ],
)
def test_identificaciones_invalidas_con_mensaje(valor, fragmento):
    with pytest.raises(ValidationError) as error:
        identificacion_validar(valor)
    assert fragmento in error.value.messages[0]


def test_ruc_bien_formado_con_verificador_fallido_se_acepta_con_advertencia():
    resultado = identificacion_validar("1790011675001")
    assert resultado.tipo == "ruc"
    assert "dígito verificador no válido" in resultado.advertencia


@pytest.mark.django_db
def test_coactivado_invalido_no_se_guarda():
    with pytest.raises(ValidationError):
        coactivado_registrar(identificacion="0102030405", nombre="X")
    assert not Coactivado.objects.exists()


@pytest.mark.django_db
def test_coactivado_repetido_devuelve_el_existente_y_guarda_la_advertencia():
    a = coactivado_registrar(identificacion="1790011675001", nombre="  EMPRESA   UNO S.A. ")
    b = coactivado_registrar(identificacion="1790011675-001", nombre="OTRO NOMBRE")
    assert a.pk == b.pk and a.nombre == "EMPRESA UNO S.A."
    assert a.advertencia and a.tipo_identificacion == "ruc"
