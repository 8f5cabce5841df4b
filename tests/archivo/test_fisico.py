"""Issue 10, point 3: the paper originals' boxes, their history of places, and loans with due
dates and returns. Through the real PostgreSQL (row locks, partial unique constraints, the
custody log's chain)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from archivo.models import Caja, Estante, Prestamo, UbicacionFisica
from archivo.services.fisico import (
    caja_crear,
    caja_de,
    estante_crear,
    expediente_ubicar,
    prestamo_devolver,
    prestamo_registrar,
    prestamos_vencidos,
)
from permisos.models import RegistroCustodia

pytestmark = pytest.mark.servicios
Accion = RegistroCustodia.Accion


def _fresco(usuario):
    return get_user_model().objects.get(pk=usuario.pk)


@pytest.fixture
def cajas(usuarios):
    estante = estante_crear(codigo="E-01", ubicacion="Depósito 1, pasillo A", usuario=usuarios["secretaria"])
    return (caja_crear(codigo="C-001", estante=estante, nivel="1", usuario=usuarios["secretaria"]),
            caja_crear(codigo="C-002", estante=estante, nivel="2", usuario=usuarios["secretaria"]))


def _manana():
    return timezone.localdate() + timedelta(days=1)


def test_ubicar_y_mover_conserva_el_historial(expediente, usuarios, cajas):
    a, b = cajas
    assert caja_de(expediente) is None
    expediente_ubicar(expediente=expediente, caja=a, usuario=usuarios["secretaria"])
    expediente_ubicar(expediente=expediente, caja=b, usuario=usuarios["jefe"])

    assert caja_de(expediente) == b
    historial = list(UbicacionFisica.objects.filter(expediente=expediente).order_by("desde"))
    assert [u.caja for u in historial] == [a, b]
    assert historial[0].hasta is not None and historial[1].hasta is None
    registros = RegistroCustodia.objects.filter(expediente=expediente, accion=Accion.UBICACION).order_by("secuencia")
    assert [r.datos["caja"] for r in registros] == ["C-001", "C-002"]
    assert registros.last().datos["anterior"] == "C-001"

    with pytest.raises(ValidationError, match="ya está en la caja C-002"):
        expediente_ubicar(expediente=expediente, caja=b, usuario=usuarios["jefe"])
    assert UbicacionFisica.objects.filter(expediente=expediente).count() == 2


def test_caja_de_codigo_repetido_rechazada(usuarios, cajas):
    with pytest.raises(ValidationError):
        caja_crear(codigo="C-001", usuario=usuarios["jefe"])


def test_ubicar_exige_permiso_y_ver_el_expediente(expediente, usuarios, cajas):
    with pytest.raises(ValidationError, match="No tiene permiso"):
        expediente_ubicar(expediente=expediente, caja=cajas[0], usuario=usuarios["abogado"])
    # the archivist holds the permission but does not see the unit's expedientes
    with pytest.raises(ValidationError, match="No tiene acceso"):
        expediente_ubicar(expediente=expediente, caja=cajas[0], usuario=usuarios["archivista"])
    assert not UbicacionFisica.objects.exists()


def test_prestamo_vencimiento_y_devolucion(expediente, usuarios):
    vence = _manana()
    prestamo = prestamo_registrar(expediente=expediente, solicitante=usuarios["abogado"],
                                  motivo="Revisión del título", vence_el=vence, usuario=usuarios["secretaria"])
    registro = RegistroCustodia.objects.get(expediente=expediente, accion=Accion.PRESTAMO)
    assert vence.strftime("%d/%m/%Y") in registro.objeto

    with pytest.raises(ValidationError, match="está prestado a .* registre primero su devolución"):
        prestamo_registrar(expediente=expediente, solicitante=usuarios["jefe"], motivo="Otra", vence_el=vence,
                           usuario=usuarios["jefe"])

    assert prestamo not in prestamos_vencidos()
    assert list(prestamos_vencidos(hoy=vence + timedelta(days=1))) == [prestamo]

    devuelto = prestamo_devolver(prestamo=prestamo, usuario=usuarios["jefe"], observaciones="Completo, 120 fojas")
    assert devuelto.devuelto_en and devuelto.recibido_por == usuarios["jefe"]
    assert not prestamos_vencidos(hoy=vence + timedelta(days=1)).exists()
    assert RegistroCustodia.objects.get(expediente=expediente, accion=Accion.DEVOLUCION).datos["observaciones"] \
        == "Completo, 120 fojas"
    with pytest.raises(ValidationError, match="ya fue devuelto"):
        prestamo_devolver(prestamo=prestamo, usuario=usuarios["jefe"])
    # returned: it may be lent again
    prestamo_registrar(expediente=expediente, solicitante=usuarios["jefe"], motivo="Firma", vence_el=vence,
                       usuario=usuarios["jefe"])
    assert Prestamo.objects.filter(expediente=expediente).count() == 2


@pytest.mark.parametrize("dias", [0, -3])
def test_prestamo_que_vence_hoy_o_antes_rechazado(expediente, usuarios, dias):
    hoy = timezone.localdate()
    with pytest.raises(ValidationError, match=f"posterior a hoy \\({hoy:%d/%m/%Y}\\)"):
        prestamo_registrar(expediente=expediente, solicitante=usuarios["abogado"], motivo="x",
                           vence_el=hoy + timedelta(days=dias), usuario=usuarios["secretaria"])
    assert not Prestamo.objects.exists()


def test_prestamo_exige_motivo_y_acceso(expediente, usuarios):
    with pytest.raises(ValidationError, match="motivo"):
        prestamo_registrar(expediente=expediente, solicitante=usuarios["abogado"], motivo="  ",
                           vence_el=_manana(), usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError, match="No tiene acceso"):
        prestamo_registrar(expediente=expediente, solicitante=usuarios["abogado"], motivo="x",
                           vence_el=_manana(), usuario=usuarios["archivista"])


# --- Screens


@pytest.fixture
def vencido(expediente, usuarios):
    prestamo = prestamo_registrar(expediente=expediente, solicitante=usuarios["abogado"], motivo="Audiencia",
                                  vence_el=_manana(), usuario=usuarios["secretaria"])
    # overdue: the service refuses a past date, so time passes here
    Prestamo.objects.filter(pk=prestamo.pk).update(vence_el=timezone.localdate() - timedelta(days=2))
    return prestamo


def test_pantallas_del_jefe(client, expediente, usuarios, cajas, vencido):
    client.force_login(usuarios["jefe"])
    assert client.get(reverse("archivo_cajas")).status_code == 200
    respuesta = client.post(reverse("archivo_caja", args=[cajas[0].pk]), {"expediente": expediente.numero})
    assert respuesta.status_code == 302 and caja_de(expediente) == cajas[0]
    detalle = client.get(reverse("archivo_caja", args=[cajas[0].pk])).content.decode()
    assert expediente.numero in detalle

    listado = client.get(reverse("archivo_prestamos")).content.decode()
    assert expediente.numero in listado and 'class="vencido"' in listado
    assert "1 préstamo vencido" in listado
    assert expediente.numero in client.get(reverse("archivo_prestamos") + "?estado=vencidos").content.decode()

    respuesta = client.post(reverse("archivo_prestamo_devolver", args=[vencido.pk]), {"observaciones": "Sin novedad"},
                            follow=True)
    assert f"Devolución del expediente {expediente.numero} registrada" in respuesta.content.decode()
    vencido.refresh_from_db()
    assert vencido.devuelto_en is not None and vencido.observaciones_devolucion == "Sin novedad"
    abiertos = client.get(reverse("archivo_prestamos")).content.decode()
    assert expediente.numero not in abiertos and "No hay préstamos abiertos" in abiertos


def test_registrar_prestamo_y_caja_por_la_pantalla(client, expediente, usuarios):
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("archivo_cajas"), {"estante-codigo": "E-09", "estante-ubicacion": "Depósito 2"})
    assert respuesta.status_code == 302
    estante = Estante.objects.get(codigo="E-09")
    respuesta = client.post(reverse("archivo_cajas"), {"codigo": "C-100", "estante": estante.pk,
                                                       "descripcion": "Coactivas 2025"})
    assert respuesta.status_code == 302 and Caja.objects.get(codigo="C-100").estante == estante
    repetida = client.post(reverse("archivo_cajas"), {"codigo": "C-100"})
    assert repetida.status_code == 200 and Caja.objects.filter(codigo="C-100").count() == 1
    datos = {"expediente": expediente.numero, "solicitante": usuarios["abogado"].pk,
             "vence_el": _manana().strftime("%d/%m/%Y"), "motivo": "Revisión"}
    assert client.post(reverse("archivo_prestamos"), datos).status_code == 302
    # twice: refused on the form, nothing more recorded
    respuesta = client.post(reverse("archivo_prestamos"), datos)
    assert respuesta.status_code == 200 and "registre primero su devolución" in respuesta.content.decode()
    assert Prestamo.objects.filter(expediente=expediente).count() == 1


def test_el_archivista_ve_las_cajas_pero_no_los_expedientes_ajenos(client, expediente, usuarios, cajas, vencido):
    expediente_ubicar(expediente=expediente, caja=cajas[0], usuario=usuarios["secretaria"])
    client.force_login(usuarios["archivista"])
    listado = client.get(reverse("archivo_cajas"))
    assert listado.status_code == 200 and "C-001" in listado.content.decode()
    detalle = client.get(reverse("archivo_caja", args=[cajas[0].pk])).content.decode()
    assert expediente.numero not in detalle and "no tiene expedientes que usted pueda ver" in detalle
    prestamos = client.get(reverse("archivo_prestamos") + "?estado=todos").content.decode()
    assert expediente.numero not in prestamos and 'class="vencido"' not in prestamos and "préstamo vencido" not in prestamos
    # the same number typed in: as if it did not exist
    respuesta = client.post(reverse("archivo_caja", args=[cajas[1].pk]), {"expediente": expediente.numero})
    assert "No hay un expediente número" in respuesta.content.decode()
    assert client.post(reverse("archivo_prestamo_devolver", args=[vencido.pk]), {}).status_code == 404


def test_sin_permiso_todo_es_404(client, expediente, usuarios, cajas, vencido):
    client.force_login(usuarios["abogado"])  # sees the expediente, holds no archive permission
    for url in (reverse("archivo_cajas"), reverse("archivo_caja", args=[cajas[0].pk]),
                reverse("archivo_prestamos")):
        assert client.get(url).status_code == 404
    assert client.post(reverse("archivo_prestamo_devolver", args=[vencido.pk]), {}).status_code == 404
    vencido.refresh_from_db()
    assert vencido.devuelto_en is None


def test_menu_del_archivo_segun_permiso(usuarios):
    from django.test import RequestFactory
    from wagtail import hooks

    items = [f() for f in hooks.get_hooks("register_archivo_menu_item")]
    nombres = {"Cajas y estantes", "Préstamos"}
    for quien, ve in (("jefe", True), ("archivista", True), ("abogado", False)):
        peticion = RequestFactory().get("/admin/")
        peticion.user = _fresco(usuarios[quien])
        vistos = {str(i.label) for i in items if i.is_shown(peticion)}
        assert (nombres <= vistos) is ve, quien
