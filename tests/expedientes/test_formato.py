"""Numbers and dates as Ecuador writes them (expedientes/formato.py) and the form fields that
read them (expedientes/campos.py). Pure functions: no database, no services."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from expedientes import formato
from expedientes.calendario import fecha_formatear
from expedientes.campos import MontoField, NumeroField, PorcentajeField
from expedientes.formato import monto_interpretar, porcentaje_interpretar
from expedientes.templatetags.coactivas import usd as filtro_usd

D = Decimal


@pytest.mark.parametrize("texto, esperado", [
    ("1.850,40", D("1850.40")),
    ("1850,40", D("1850.40")),
    ("1.000", D("1000")),  # a thousand, never one
    ("1850", D("1850")),
    ("USD 1.850,40", D("1850.40")),
    ("usd 1.850,40", D("1850.40")),
    ("$1.850,40", D("1850.40")),
    ("  1.850,40  ", D("1850.40")),
    ("USD\u00a01.850,40", D("1850.40")),  # a non-breaking space, as copied from a PDF
    ("1 850,40", D("1850.40")),  # grouped by spaces, three digits each
    ("140.714,68", D("140714.68")),
    ("1.234.567,8", D("1234567.8")),
    ("0,5", D("0.5")),
    ("0,01", D("0.01")),
    ("12,34", D("12.34")),
    ("999", D("999")),
])
def test_monto_en_la_forma_ecuatoriana(texto, esperado):
    valor = monto_interpretar(texto)
    assert valor == esperado and isinstance(valor, Decimal)


@pytest.mark.parametrize("texto", [
    "1,850.40",   # the US way: refused, not guessed
    "1.85",       # a dot that groups nothing: 1,85 or 185?
    "1850.40",
    "12,345",     # three decimals in an amount (or 12.345 written the US way)
    "1.850,405",  # more than two decimals
    "1.8500,40",  # a group of four
    "12.34.5",
    "1.850,",
    ",50",
    "abc",
    "12a",
    "1.850,4O",   # a letter O for a zero
    "-10,00",     # no signs: an amount is positive
    "+10",
    "",
    "   ",
    "USD",
    "1,850,40",
    "1 8 5 0",
    "10 %",
])
def test_monto_ambiguo_o_mal_escrito_se_rechaza_en_castellano(texto):
    with pytest.raises(ValidationError) as error:
        monto_interpretar(texto)
    assert error.value.messages == ["Escriba el monto así: 1.850,40"]


def test_monto_ya_decimal_pasa_tal_cual():
    assert monto_interpretar(D("1850.40")) == D("1850.40")
    assert monto_interpretar(7) == D("7")
    with pytest.raises(ValidationError):
        monto_interpretar(1850.4)  # a float is never an amount


@pytest.mark.parametrize("texto, esperado", [
    ("8,75", D("8.75")), ("8,75 %", D("8.75")), ("8,75%", D("8.75")), ("9,5", D("9.5")),
    ("8,8575", D("8.8575")), ("9", D("9")), ("0", D("0")),
])
def test_porcentaje_con_coma_decimal(texto, esperado):
    assert porcentaje_interpretar(texto) == esperado


@pytest.mark.parametrize("texto", ["8.75", "8,75555", "ocho", "8,75 %%", "-1"])
def test_porcentaje_mal_escrito(texto):
    with pytest.raises(ValidationError) as error:
        porcentaje_interpretar(texto)
    assert error.value.messages == ["Escriba el porcentaje así: 8,75"]


@pytest.mark.parametrize("valor, esperado", [
    (D("1850.4"), "USD 1.850,40"),
    (D("140714.68"), "USD 140.714,68"),
    (D("1000"), "USD 1.000,00"),
    (D("5000.00"), "USD 5.000,00"),
    (D("0"), "USD 0,00"),
    (D("0.005"), "USD 0,01"),  # half up, the ledger's rule (liquidacion.centavos)
    (D("0.015"), "USD 0,02"),
    (D("1234567.891"), "USD 1.234.567,89"),
    (D("999.999"), "USD 1.000,00"),
    (D("-10.5"), "USD -10,50"),
    ("1850.40", "USD 1.850,40"),  # the stored (Python) text of an amount
    (1850, "USD 1.850,00"),
    (None, ""),
    ("", ""),
])
def test_usd(valor, esperado):
    assert formato.usd(valor) == esperado
    assert filtro_usd(valor) == esperado  # the template filter is the same formatter


def test_usd_no_depende_del_idioma_activo(settings):
    from django.utils import translation

    with translation.override("en"):
        assert formato.usd(D("1850.40")) == "USD 1.850,40"


@pytest.mark.parametrize("valor, esperado", [
    (D("8.75"), "8,75 %"), (D("9.5000"), "9,50 %"), (D("8.8575"), "8,8575 %"), (D("12"), "12,00 %"),
    (D("0"), "0,00 %"), (None, ""),
])
def test_porcentaje(valor, esperado):
    assert formato.porcentaje(valor) == esperado


def test_fecha_dd_mm_aaaa():
    assert formato.fecha(date(2025, 3, 5)) == "05/03/2025"
    assert formato.fecha(None) == ""
    # an aware instant is read in the portal's time zone (America/Guayaquil, UTC−5)
    assert formato.fecha(datetime(2025, 3, 6, 2, 0, tzinfo=ZoneInfo("UTC"))) == "05/03/2025"
    assert fecha_formatear is formato.fecha  # the old name is the same function


# --- the form fields ----------------------------------------------------------------------

def test_campo_monto_lee_y_muestra_la_forma_ecuatoriana():
    campo = MontoField()
    assert campo.clean("1.850,40") == D("1850.40")
    assert campo.clean("1.000") == D("1000")
    assert campo.prepare_value(D("1850.4")) == "1.850,40"
    assert campo.prepare_value("1.85") == "1.85"  # what the user typed is shown back as typed
    assert 'inputmode="decimal"' in campo.widget.render("monto", campo.prepare_value(D("1850.40")))
    assert 'value="1.850,40"' in campo.widget.render("monto", campo.prepare_value(D("1850.40")))


@pytest.mark.parametrize("texto", ["1.85", "1,850.40", "12,345", "doce"])
def test_campo_monto_rechaza_con_el_ejemplo(texto):
    with pytest.raises(ValidationError) as error:
        MontoField().clean(texto)
    assert error.value.messages == ["Escriba el monto así: 1.850,40"]


def test_campo_monto_minimo_y_digitos():
    with pytest.raises(ValidationError, match="El monto debe ser mayor que cero."):
        MontoField().clean("0")
    assert MontoField(min_value=D("0")).clean("0") == D("0")
    with pytest.raises(ValidationError):
        MontoField().clean("1.000.000.000.000,00")  # 15 digits: more than the 14 the ledger keeps
    with pytest.raises(ValidationError, match="Este campo es necesario"):
        MontoField().clean("")


def test_campo_porcentaje():
    campo = PorcentajeField()
    assert campo.clean("8,75 %") == D("8.75")
    assert campo.clean("8,8575") == D("8.8575")
    assert campo.prepare_value(D("9.5000")) == "9,50"
    assert campo.prepare_value(D("8.8575")) == "8,8575"
    with pytest.raises(ValidationError, match="Escriba el porcentaje así: 8,75"):
        campo.clean("8.75")
    with pytest.raises(ValidationError, match="La tasa no puede ser negativa."):
        campo.clean("-1")
    with pytest.raises(ValidationError, match="Escriba el porcentaje así: 8,75"):
        campo.clean("-x")


def test_campo_numero_de_un_modelo_en_wagtail():
    """Any DecimalField of a model edited in the Wagtail admin gets NumeroField."""
    from wagtail.admin.forms.models import formfield_for_dbfield

    from expedientes.models import MedidaCautelar

    campo = formfield_for_dbfield(MedidaCautelar._meta.get_field("monto_retenido"))
    assert isinstance(campo, NumeroField)
    assert campo.clean("1.850,40") == D("1850.40")
