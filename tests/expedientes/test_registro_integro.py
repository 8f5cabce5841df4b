"""Issue 7: nothing changes a proceeding behind its own rules. Revisions, the page editor and
the generic state change cannot rewrite what the services own (points 1, 2 and 5)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from expedientes.estados import Estado
from expedientes.models import Correccion, ExpedientePage, ObjetoBusqueda, RegistroPublico, TipoActuacion, Transicion
from expedientes.services.actuaciones import actuacion_registrar
from expedientes.services.correcciones import expediente_asignar, expediente_corregir, titulo_corregir
from expedientes.services.cuenta import pago_registrar
from expedientes.services.ilocalizables import busqueda_registrar
from expedientes.services.proceso import expediente_transicion

D = Decimal
pytestmark = pytest.mark.servicios
from tests.factories import usuario_con_rol
from permisos import roles



def _a_embargo(expediente, usuario):
    for hasta in (Estado.CITADO, Estado.EMBARGO):
        expediente_transicion(expediente=expediente, hasta=hasta, usuario=usuario, motivo="Prueba",
                              fecha=date(2025, 4, 1))


# --- point 1: revisions and the editor -------------------------------------------------------

def test_publicar_la_ultima_revision_no_devuelve_el_estado(expediente, usuarios):
    _a_embargo(expediente, usuarios["jefe"])
    pagina = ExpedientePage.objects.get(pk=expediente.pk)
    pagina.get_latest_revision().publish(user=usuarios["jefe"])  # the revision from the opening
    pagina.save_revision(user=usuarios["jefe"]).publish(user=usuarios["jefe"])  # a draft, published
    pagina.refresh_from_db()
    assert pagina.estado == Estado.EMBARGO
    assert Transicion.objects.filter(expediente=expediente).count() == 2


def test_revertir_a_una_revision_antigua_no_cambia_datos_propios(expediente, usuarios):
    primera = expediente.get_latest_revision()
    _a_embargo(expediente, usuarios["jefe"])
    restaurada = primera.as_object()
    assert restaurada.estado == Estado.EMBARGO  # what the database holds, not the revision
    restaurada.monto_titulo = D("1.00")
    restaurada.save_revision(user=usuarios["jefe"]).publish(user=usuarios["jefe"])
    expediente.refresh_from_db()
    assert (expediente.estado, expediente.monto_titulo) == (Estado.EMBARGO, D("1234.56"))


def test_el_editor_de_paginas_no_cambia_monto_fecha_ni_abogado(client, expediente, usuarios):
    _a_embargo(expediente, usuarios["jefe"])
    client.force_login(usuarios["jefe"])
    url = reverse("wagtailadmin_pages:edit", args=[expediente.pk])
    assert client.get(url).status_code == 200
    respuesta = client.post(url, {
        "monto_titulo": "1,00", "fecha_recepcion": "01/01/2020", "provincia": "17",
        "abogado": usuarios["jefe"].pk, "estado": Estado.INICIADO, "action-publish": "action-publish",
    })
    assert respuesta.status_code in (200, 302)
    expediente.refresh_from_db()
    assert (expediente.monto_titulo, expediente.fecha_recepcion, expediente.provincia, expediente.abogado,
            expediente.estado) == (D("1234.56"), date(2025, 3, 13), "01", usuarios["abogado"], Estado.EMBARGO)


def test_actuacion_su_tipo_y_fecha_no_cambian_por_revision(expediente, usuarios):
    actuacion = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
                                    fecha=date(2025, 3, 14), usuario=usuarios["abogado"])
    actuacion.tipo, actuacion.fecha, actuacion.resumen = TipoActuacion.ESCRITO, date(2025, 5, 1), "Editado"
    actuacion.save_revision(user=usuarios["abogado"]).publish(user=usuarios["abogado"])
    actuacion.refresh_from_db()
    assert (actuacion.tipo, actuacion.fecha, actuacion.resumen) == (TipoActuacion.AUTO_DE_PAGO, date(2025, 3, 14), "Editado")


def test_titulo_se_corrige_solo_por_servicio_con_motivo(expediente, usuarios, tasa):
    titulo = expediente.titulos.get()
    with pytest.raises(ValidationError, match="Solo el jefe"):
        titulo_corregir(titulo=titulo, capital=D("1000.00"), motivo="Error de digitación", usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError, match="motivo"):
        titulo_corregir(titulo=titulo, capital=D("1000.00"), motivo=" ", usuario=usuarios["jefe"])
    titulo_corregir(titulo=titulo, capital=D("1000.00"), motivo="Error de digitación", usuario=usuarios["jefe"])
    expediente.refresh_from_db()
    titulo.refresh_from_db()
    assert expediente.monto_titulo == titulo.capital == D("1000.00")
    correccion = Correccion.objects.get(expediente=expediente)
    assert (correccion.anterior, correccion.nuevo, correccion.usuario) == ("USD 1.234,56", "USD 1.000,00", usuarios["jefe"])
    assert PageLogEntry.objects.filter(page=expediente, action="coactivas.correccion").exists()


def test_titulo_no_se_corrige_por_debajo_de_lo_pagado(expediente, usuarios, tasa):
    pago_registrar(expediente=expediente, fecha=date(2025, 3, 20), monto=D("1000.00"), origen="voluntario",
                   recibo="R-1", usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError, match="la cuenta no cuadra"):
        titulo_corregir(titulo=expediente.titulos.get(), capital=D("500.00"), motivo="x", usuario=usuarios["jefe"])
    expediente.refresh_from_db()
    assert expediente.monto_titulo == D("1234.56") and not Correccion.objects.exists()


def test_fecha_de_recepcion_no_posterior_a_los_actos(expediente, usuarios):
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"], motivo="x",
                          fecha=date(2025, 3, 20))
    with pytest.raises(ValidationError, match="Hay actos del expediente desde el 20/03/2025"):
        expediente_corregir(expediente=expediente, usuario=usuarios["jefe"], motivo="x", fecha_recepcion=date(2025, 3, 25))
    expediente_corregir(expediente=expediente, usuario=usuarios["jefe"], motivo="Fecha del sello",
                        fecha_recepcion=date(2025, 3, 12), provincia="03")
    expediente.refresh_from_db()
    assert (expediente.fecha_recepcion, expediente.provincia) == (date(2025, 3, 12), "03")
    assert Correccion.objects.filter(expediente=expediente).count() == 2


def test_asignacion_de_abogado_queda_registrada(expediente, usuarios):
    otra = usuario_con_rol(roles.ROL_ABOGADO, username="abogada2")
    with pytest.raises(ValidationError, match="Solo el jefe de coactivas asigna"):
        expediente_asignar(expediente=expediente, abogado=otra, usuario=usuarios["secretaria"])
    expediente_asignar(expediente=expediente, abogado=otra, usuario=usuarios["jefe"])
    expediente.refresh_from_db()
    assert expediente.abogado == otra
    assert Correccion.objects.get(expediente=expediente).campo == "abogado impulsor"


# --- point 5: the generic state change obeys the same rules ---------------------------------

@pytest.mark.parametrize("hasta, mensaje", [
    (Estado.PAGADO, "solo con saldo cero"),
    (Estado.ILOCALIZABLE, "Faltan búsquedas de domicilio"),
    (Estado.CONVENIO_PAGO, "se registra con sus cuotas"),
    (Estado.BAJA, "Solo el jefe"),
])
def test_cambio_generico_exige_las_precondiciones(expediente, usuarios, tasa, hasta, mensaje):
    with pytest.raises(ValidationError, match=mensaje):
        expediente_transicion(expediente=expediente, hasta=hasta, usuario=usuarios["secretaria"], motivo="x",
                              fecha=date(2025, 4, 1))
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO and not Transicion.objects.exists()


def test_insolvencia_generica_exige_el_informe(expediente, usuarios):
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"], motivo="x",
                          fecha=date(2025, 3, 20))
    with pytest.raises(ValidationError, match="con su informe"):
        expediente_transicion(expediente=expediente, hasta=Estado.INSOLVENCIA, usuario=usuarios["jefe"], motivo="x")


def test_ilocalizable_generico_con_las_busquedas_hechas(expediente, usuarios, settings):
    for registro in settings.ILOCALIZABLES["REGISTROS_EXIGIDOS"]:
        busqueda_registrar(expediente=expediente, registro=registro, fecha=date(2025, 3, 20), resultado="Sin domicilio",
                           encontrado=False, usuario=usuarios["abogado"], objeto=ObjetoBusqueda.DOMICILIO)
    expediente_transicion(expediente=expediente, hasta=Estado.ILOCALIZABLE, usuario=usuarios["abogado"], motivo="x")
    assert expediente.estado == Estado.ILOCALIZABLE


def test_baja_solo_por_el_jefe(expediente, usuarios):
    expediente_transicion(expediente=expediente, hasta=Estado.BAJA, usuario=usuarios["jefe"], motivo="Prescripción")
    expediente.refresh_from_db()
    assert expediente.estado == Estado.BAJA


def test_correcciones_y_asignacion_solo_en_el_menu_del_jefe(client, expediente, usuarios):
    url = reverse("expedientes_proceso", args=[expediente.pk])
    client.force_login(usuarios["secretaria"])
    pantalla = client.get(url).content.decode()
    assert "Corrección del título" not in pantalla and "Abogado impulsor</summary>" not in pantalla
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "asignar"]),
                            {"asignar-abogado": usuario_con_rol(roles.ROL_ABOGADO, username="abogada2").pk,
                             "asignar-motivo": "x"})
    assert "Solo el jefe de coactivas asigna" in respuesta.content.decode()
    expediente.refresh_from_db()
    assert expediente.abogado == usuarios["abogado"]
    client.force_login(usuarios["jefe"])
    pantalla = client.get(url).content.decode()
    assert "Corrección del título" in pantalla and "Abogado impulsor</summary>" in pantalla


def test_pantalla_de_proceso_muestra_la_precondicion(client, expediente, usuarios, tasa):
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(reverse("expedientes_proceso_accion", args=[expediente.pk, "transicion"]), {
        "transicion-hasta": Estado.PAGADO, "transicion-fecha": "01/04/2025", "transicion-motivo": "Pagó",
    })
    assert respuesta.status_code == 200
    assert "solo con saldo cero" in respuesta.content.decode()


# --- point 2: nothing dated in the future ----------------------------------------------------

def test_actos_con_fecha_futura_rechazados(expediente, usuarios, tasa):
    manana = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="posterior a hoy"):
        pago_registrar(expediente=expediente, fecha=manana, monto=D("10.00"), origen="voluntario", recibo="R-F",
                       usuario=usuarios["secretaria"])
    with pytest.raises(ValidationError, match="posterior a hoy"):
        expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"],
                              motivo="x", fecha=manana)
    with pytest.raises(ValidationError, match="posterior a hoy"):
        busqueda_registrar(expediente=expediente, registro=RegistroPublico.SRI, fecha=manana, resultado="x",
                           encontrado=False, usuario=usuarios["abogado"])
    with pytest.raises(ValidationError, match="posterior a hoy"):
        actuacion_registrar(expediente=expediente, tipo=TipoActuacion.PROVIDENCIA, fecha=manana,
                            usuario=usuarios["abogado"])
    expediente.refresh_from_db()
    assert expediente.estado == Estado.INICIADO
    assert not expediente.pagos.exists() and not expediente.busquedas.exists()
    assert expediente.get_children().count() == 0
