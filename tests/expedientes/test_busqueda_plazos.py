"""Finding things and deadlines at a glance (issue 9, points 6 and 7), on the real PostgreSQL:
the listing's search by words without accents or order, inside the permission filter; its
export to XLSX, logged; «mis expedientes» first for an abogado; the home's deadline panels per
user, with counts that match the lists; the stored next deadline kept by the services."""

import hashlib
import io
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from expedientes import calendario
from expedientes.estados import Estado
from expedientes.models import Coactivado, ExpedientePage
from expedientes.services.plazos import plazos_recalcular
from expedientes.services.proceso import expediente_transicion
from permisos.custodia import Accion
from permisos.models import ExpedienteUserObjectPermission, RegistroCustodia
from tests.factories import UsuarioFactory, expediente_crear, usuario_con_rol

pytestmark = pytest.mark.servicios


def _numeros(respuesta):
    return re.findall(r">(MDT-DRTSPC-\d{4}-\d{4})</a>", respuesta.content.decode())


@pytest.fixture
def deudores(usuarios):
    """Three debtors with overlapping words; the first assigned to the abogado, the second to
    another abogado, the third to nobody."""
    from permisos.roles import ROL_ABOGADO

    otro = usuario_con_rol(ROL_ABOGADO, username="otro_abogado")
    crear = lambda nombre, **kw: expediente_crear(usuario=usuarios["secretaria"], nombre=nombre, **kw)  # noqa: E731
    return {
        "silvia": crear("PÉREZ CALLE SILVIA", abogado=usuarios["abogado"]),
        "mario": crear("PEREZ CALLE MARIO", abogado=otro),
        "ana": crear("CALLE MONTES ANA"),
        "otro": otro,
    }


def test_busqueda_ignora_acentos_mayusculas_y_orden(client, usuarios, deudores):
    client.force_login(usuarios["secretaria"])
    url = reverse("expedientes_listado")
    silvia, mario, ana = deudores["silvia"], deudores["mario"], deudores["ana"]

    def buscar(texto):
        return set(_numeros(client.get(url, {"q": texto})))

    assert buscar("perez calle") == {silvia.numero, mario.numero}
    assert buscar("calle PÉREZ silvia") == {silvia.numero}
    assert buscar("  silvia   perez ") == {silvia.numero}
    assert buscar("calle") == {silvia.numero, mario.numero, ana.numero}
    assert buscar("perez montes") == set()
    assert buscar(ana.coactivado.identificacion[:6]) >= {ana.numero}  # cédula/RUC
    assert buscar(silvia.numero.lower()) == {silvia.numero}  # the number
    assert buscar(f"{silvia.numero[-4:]} {silvia.anio}") >= {silvia.numero}
    # a debtor renamed (or corrected) is found by the new name: the database keeps the text
    Coactivado.objects.filter(pk=ana.coactivado_id).update(nombre="ÑANDÚ MONTES ANA")
    assert buscar("nandu") == {ana.numero}
    assert buscar("calle ana") == set()


def test_la_busqueda_no_muestra_expedientes_ajenos_al_abogado(client, usuarios, deudores):
    client.force_login(usuarios["abogado"])
    url = reverse("expedientes_listado")
    for alcance in ("mis", "todos"):
        respuesta = client.get(url, {"q": "perez calle", "alcance": alcance})
        contenido = respuesta.content.decode()
        assert _numeros(respuesta) == [deudores["silvia"].numero]
        assert "MARIO" not in contenido and deudores["mario"].numero not in contenido
        assert "1 expediente" in contenido  # no count of what it may not see


def test_el_abogado_ve_primero_mis_expedientes(client, usuarios, deudores):
    # a colleague's file the abogado may read (a guardian row, without being its lawyer)
    ExpedienteUserObjectPermission.objects.create(
        user=usuarios["abogado"], content_object=deudores["mario"],
        permission=Permission.objects.get(codename="view_expedientepage"))
    client.force_login(usuarios["abogado"])
    url = reverse("expedientes_listado")
    inicial = client.get(url)
    assert _numeros(inicial) == [deudores["silvia"].numero]
    assert "asignado a usted" in inicial.content.decode()
    assert set(_numeros(client.get(url, {"alcance": "todos"}))) == {deudores["silvia"].numero,
                                                                   deudores["mario"].numero}
    # the unit's roles start on everything they may see
    client.force_login(usuarios["jefe"])
    assert len(_numeros(client.get(url))) == 3


def _hoja(respuesta):
    contenido = b"".join(respuesta.streaming_content)
    filas = list(load_workbook(io.BytesIO(contenido), read_only=True).active.iter_rows(values_only=True))
    return contenido, filas


def test_exportar_el_listado_filtrado_a_xlsx(client, usuarios, deudores):
    client.force_login(usuarios["secretaria"])
    respuesta = client.get(reverse("expedientes_listado_exportar"), {"q": "perez calle"})
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"].startswith("application/vnd.openxmlformats")
    contenido, filas = _hoja(respuesta)
    assert filas[0][:3] == ("Número", "Coactivado", "Cédula/RUC")
    datos = {fila[0]: fila for fila in filas[1:]}
    assert set(datos) == {deudores["silvia"].numero, deudores["mario"].numero}
    silvia = datos[deudores["silvia"].numero]
    assert silvia[1] == "PÉREZ CALLE SILVIA" and silvia[3] == "Azuay" and silvia[5] == "Iniciado"
    assert silvia[4].date() == date(2025, 3, 13) and float(silvia[7]) == 1234.56
    assert silvia[8] == "Citación (nivel de servicio)" and silvia[9] is not None
    # the export is an entry of the custody log, with the hash of the file handed out
    registro = RegistroCustodia.objects.filter(accion=Accion.EXPORTACION).get()
    assert registro.sha256 == hashlib.sha256(contenido).hexdigest() == respuesta["X-Content-SHA256"]
    assert registro.usuario == usuarios["secretaria"] and "2 expedientes" in registro.objeto
    assert registro.datos["filtros"]["q"] == "perez calle"

    # the abogado's export holds only what the abogado may see, whatever the scope asked
    client.force_login(usuarios["abogado"])
    _, filas = _hoja(client.get(reverse("expedientes_listado_exportar"), {"q": "calle", "alcance": "todos"}))
    assert [fila[0] for fila in filas[1:]] == [deudores["silvia"].numero]
    # and a user without expedientes gets an empty sheet
    client.force_login(usuarios["archivista"])
    _, filas = _hoja(client.get(reverse("expedientes_listado_exportar"), {"alcance": "todos"}))
    assert filas[1:] == []


def test_el_plazo_guardado_sigue_las_transiciones(usuarios, expediente):
    assert expediente.plazo_concepto == "Citación (nivel de servicio)"
    guardado = ExpedientePage.objects.get(pk=expediente.pk)
    esperado = calendario.termino_vencimiento(desde=expediente.fecha_recepcion, dias=10).vence
    assert (guardado.plazo_vence, guardado.plazo_concepto) == (esperado, "Citación (nivel de servicio)")

    citacion = date(2025, 3, 20)
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"],
                          motivo="Citado en persona", fecha=citacion)
    guardado.refresh_from_db()
    assert guardado.plazo_concepto == "Pago o dimisión de bienes"
    assert guardado.plazo_vence == calendario.termino_vencimiento(desde=citacion, dias=3).vence
    assert "la citación del 20/03/2025" in guardado.plazo_explicacion
    # and the citation service level counts it from the stored dates, in SQL
    assert (guardado.citado_el, guardado.citacion_limite) == (citacion, esperado)
    from expedientes.plazos import nivel_servicio_citacion

    servicio = nivel_servicio_citacion(ExpedientePage.objects.all(), anio=2025)
    assert (servicio.total, servicio.a_tiempo, servicio.tarde, servicio.sin_citar) == (1, 1, 0, 0)

    # a final state waits on nothing
    ExpedientePage.objects.filter(pk=expediente.pk).update(plazo_vence=None, plazo_concepto="")
    salida = io.StringIO()
    call_command("plazos_recalcular", stdout=salida)  # the command puts it back, saying how far it got
    guardado.refresh_from_db()
    assert guardado.plazo_concepto == "Pago o dimisión de bienes"
    assert "1/1 expedientes (100 %)" in salida.getvalue()


def test_un_dia_feriado_nuevo_mueve_el_plazo_guardado(client, usuarios, expediente):
    from expedientes.models import DiaEspecial

    antes = ExpedientePage.objects.get(pk=expediente.pk).plazo_vence  # a working day: the term's last
    client.force_login(usuarios["jefe"])
    respuesta = client.post(reverse("wagtailsnippets_expedientes_diaespecial:add"), {
        "fecha": antes.strftime("%Y-%m-%d"), "laborable": "", "tipo": "decretado",
        "nombre": "Día decretado de prueba", "fuente": "Decreto de prueba"})
    assert respuesta.status_code in (200, 302)
    assert DiaEspecial.objects.filter(fecha=antes).exists(), respuesta.content.decode()[:2000]
    assert ExpedientePage.objects.get(pk=expediente.pk).plazo_vence > antes


def _inicio(client, **params):
    return client.get(reverse("wagtailadmin_home"), params).content.decode()


def test_paneles_de_plazos_por_usuario_con_totales_que_coinciden(client, usuarios, deudores):
    silvia, mario, ana = deudores["silvia"], deudores["mario"], deudores["ana"]
    # this week: a citation today gives three working days to pay
    hoy = date.today()
    expediente_transicion(expediente=ana, hasta=Estado.CITADO, usuario=usuarios["secretaria"],
                          motivo="Citado en persona", fecha=hoy)
    ana.refresh_from_db()
    semana = ana.plazo_vence <= hoy + timedelta(days=7)

    client.force_login(usuarios["abogado"])
    inicio = _inicio(client)
    assert "Plazos de mis expedientes" in inicio
    assert "Vencidos (1)" in inicio and silvia.numero in inicio
    assert mario.numero not in inicio and ana.numero not in inicio
    assert "PÉREZ CALLE SILVIA" in inicio and "Citación (nivel de servicio)" in inicio
    assert "USD 1.234,56" in inicio  # the balance (no rate: no interest)

    client.force_login(usuarios["jefe"])
    inicio = _inicio(client)
    assert "Plazos de la unidad" in inicio and "Vencidos (2)" in inicio
    assert silvia.numero in inicio and mario.numero in inicio
    if semana:
        assert "Vencen esta semana (1)" in inicio and ana.numero in inicio
    # sortable: by debtor, «PEREZ CALLE MARIO» before «PÉREZ CALLE SILVIA»; by lawyer, too
    por_deudor = _inicio(client, orden_vencidos="deudor")
    assert por_deudor.index(mario.numero) < por_deudor.index(silvia.numero)
    for orden in ("dias", "abogado", "saldo"):
        assert silvia.numero in _inicio(client, orden_vencidos=orden)


def test_el_total_del_panel_coincide_con_la_lista(client, usuarios):
    numeros = {expediente_crear(usuario=usuarios["secretaria"], nombre=f"DEUDOR {n:02d}",
                                abogado=usuarios["abogado"]).numero for n in range(23)}
    client.force_login(usuarios["abogado"])
    inicio = _inicio(client)
    assert "Vencidos (23)" in inicio
    mostrados = set(_numeros_en(inicio)) & numeros
    assert len(mostrados) == 20  # the panel's limit
    enlace = re.search(r'href="([^"]*plazo=vencidos[^"]*)">Ver los 23', inicio).group(1).replace("&amp;", "&")
    listado = client.get(enlace)
    assert set(_numeros(listado)) == numeros and "23 expedientes" in listado.content.decode()


def _numeros_en(html):
    return re.findall(r">(MDT-DRTSPC-\d{4}-\d{4})</a>", html)


def test_recalcular_todo_en_lotes(usuarios):
    for n in range(3):
        expediente_crear(usuario=usuarios["secretaria"], nombre=f"LOTE {n}")
    ExpedientePage.objects.update(plazo_vence=None, plazo_concepto="", plazo_explicacion="")
    avance = []
    assert plazos_recalcular(tamano=2, progreso=lambda hechos, total: avance.append((hechos, total))) == 3
    assert avance == [(2, 3), (3, 3)]
    assert not ExpedientePage.objects.filter(plazo_vence=None).exists()


def test_usuario_sin_grupo_no_ve_lo_suyo_primero(db):
    from expedientes.selectors import ve_primero_lo_suyo

    assert ve_primero_lo_suyo(UsuarioFactory()) is False
