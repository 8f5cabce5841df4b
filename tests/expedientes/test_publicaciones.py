"""Press publications are dated in order: not before the untraceable declaration, not
before the last publication, not in the future; a refused one writes nothing (no costa)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from expedientes.estados import Estado
from expedientes.models import Costa, PublicacionPrensa, RegistroPublico
from expedientes.services import ilocalizables
from expedientes.services.proceso import expediente_transicion
from tests.factories import expediente_crear

pytestmark = pytest.mark.servicios

DECLARACION = date(2025, 3, 19)


@pytest.fixture
def ilocalizable(usuarios):
    expediente = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2025, 3, 13))
    for registro in (RegistroPublico.REGISTRO_CIVIL, RegistroPublico.SRI):
        ilocalizables.busqueda_registrar(expediente=expediente, registro=registro, fecha=date(2025, 3, 18),
                                         resultado="Domicilio registrado no existe", encontrado=False,
                                         usuario=usuarios["abogado"])
    ilocalizables.ilocalizable_declarar(expediente=expediente, usuario=usuarios["abogado"], fecha=DECLARACION)
    return expediente


def _publicar(expediente, usuarios, fecha, periodico="El Mercurio", costo=Decimal("85.40")):
    return ilocalizables.publicacion_registrar(expediente=expediente, periodico=periodico, fecha=fecha,
                                               costo=costo, usuario=usuarios["secretaria"])


def _nada_escrito(expediente):
    return not PublicacionPrensa.objects.filter(expediente=expediente).exists() and \
        not Costa.objects.filter(expediente=expediente).exists()


def _rechazo(error) -> str:
    return " ".join(error.value.message_dict.get("fecha", []))


def test_publicaciones_en_orden_se_registran_con_su_costa(ilocalizable, usuarios):
    for dia in (DECLARACION, date(2025, 3, 24), date(2025, 3, 24), date(2025, 3, 31)):
        _publicar(ilocalizable, usuarios, dia)
    assert [p.fecha for p in ilocalizable.publicaciones.all()] == [
        DECLARACION, date(2025, 3, 24), date(2025, 3, 24), date(2025, 3, 31)]
    assert Costa.objects.filter(expediente=ilocalizable).count() == 4


def test_no_antes_de_la_declaracion_de_ilocalizable(ilocalizable, usuarios):
    with pytest.raises(ValidationError) as error:
        _publicar(ilocalizable, usuarios, DECLARACION - timedelta(days=1))
    assert "anterior a la declaración del coactivado como ilocalizable (19/03/2025)" in _rechazo(error)
    assert _nada_escrito(ilocalizable)


def test_cuenta_la_ultima_declaracion_de_ilocalizable(ilocalizable, usuarios):
    """Cited, contested, back to the start, untraceable again: publications answer to the
    latest declaration."""
    abogado = usuarios["abogado"]
    for hasta, fecha in ((Estado.CITADO, date(2025, 4, 1)), (Estado.IMPUGNADO, date(2025, 4, 2)),
                         (Estado.INICIADO, date(2025, 4, 10))):
        expediente_transicion(expediente=ilocalizable, hasta=hasta, usuario=abogado, fecha=fecha,
                              motivo="Prueba")
    expediente_transicion(expediente=ilocalizable, hasta=Estado.ILOCALIZABLE, usuario=abogado,
                          fecha=date(2025, 5, 5), motivo="Nuevo domicilio inexistente")
    with pytest.raises(ValidationError) as error:
        _publicar(ilocalizable, usuarios, date(2025, 4, 28))
    assert "(05/05/2025)" in _rechazo(error)
    assert _publicar(ilocalizable, usuarios, date(2025, 5, 5)).fecha == date(2025, 5, 5)


def test_no_antes_de_la_ultima_publicacion(ilocalizable, usuarios):
    _publicar(ilocalizable, usuarios, date(2025, 3, 31), periodico="El Tiempo")
    with pytest.raises(ValidationError) as error:
        _publicar(ilocalizable, usuarios, date(2025, 3, 24))
    assert "anterior a la última publicación registrada (31/03/2025, El Tiempo)" in _rechazo(error)
    assert PublicacionPrensa.objects.filter(expediente=ilocalizable).count() == 1
    assert Costa.objects.filter(expediente=ilocalizable).count() == 1


def test_no_en_el_futuro(ilocalizable, usuarios):
    manana = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _publicar(ilocalizable, usuarios, manana)
    assert "La fecha de la publicación" in _rechazo(error) and "posterior a hoy" in _rechazo(error)
    assert _nada_escrito(ilocalizable)


def test_rechazada_no_escribe_nada(ilocalizable, usuarios):
    """Validation happens before any write: not a costa inserted and then rolled back."""
    casos = [
        {"fecha": DECLARACION - timedelta(days=1)},
        {"fecha": date(2025, 3, 24), "periodico": ""},
        {"fecha": date(2025, 3, 24), "periodico": "x" * 121},
    ]
    for caso in casos:
        with CaptureQueriesContext(connection) as consultas, pytest.raises(ValidationError):
            _publicar(ilocalizable, usuarios, **caso)
        escrituras = [q["sql"] for q in consultas.captured_queries
                      if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert escrituras == [], (caso, escrituras)
    assert _nada_escrito(ilocalizable)


def test_solo_para_ilocalizable(usuarios):
    expediente = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2025, 3, 13))
    with pytest.raises(ValidationError, match="declarado ilocalizable"):
        _publicar(expediente, usuarios, date(2025, 3, 24))
    assert _nada_escrito(expediente)
