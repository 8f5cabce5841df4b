"""The archivists' dashboard: its figures on a small dataset made of rows, what each role sees
(an archivist only counts the expedientes the archive handed over), and the fixity screen."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from archivo.fases import FaseArchivo
from archivo.models import (
    AuditoriaFijeza,
    BloqueoLegal,
    Cierre,
    EstadoAuditoria,
    EstadoTransferencia,
    HallazgoFijeza,
    MotivoBloqueo,
    Prestamo,
    ProcesoImpugnado,
    ResultadoDepuracion,
    TipoHallazgo,
    Transferencia,
)
from archivo.selectors import panel_resumen
from expedientes.models import ExpedientePage
from permisos import roles
from tests.factories import expediente_crear

pytestmark = pytest.mark.servicios

HOY = timezone.localdate()
HACE_MUCHO = date(2000, 1, 2)  # the default serie's whole term (5 + 10 years) is over


def _archivado(usuario, fase, *, cerrado_el=HACE_MUCHO, nombre="ARCHIVADO S.A."):
    expediente = expediente_crear(usuario=usuario, nombre=nombre)
    Cierre.objects.create(expediente=expediente, fecha=cerrado_el, cerrado_por=usuario, folios=10,
                          fecha_inicial=cerrado_el, fecha_final=cerrado_el)
    ExpedientePage.objects.filter(pk=expediente.pk).update(archivo_fase=fase)
    return expediente


@pytest.fixture
def archivo(usuarios):
    """e1 due for transfer, e2 due for disposal, e3 closed long ago but on hold, e4 closed
    today; one loan overdue (and one not, one returned), transfers in two states, the four
    results of the contested-case clean-up, an audit with one finding."""
    jefe = usuarios["jefe"]
    e1 = _archivado(jefe, FaseArchivo.CERRADO, nombre="TRANSFERIBLE S.A.")
    e2 = _archivado(jefe, FaseArchivo.CENTRAL, nombre="ELIMINABLE S.A.")
    e3 = _archivado(jefe, FaseArchivo.CERRADO, nombre="BLOQUEADO S.A.")
    e4 = _archivado(jefe, FaseArchivo.CERRADO, cerrado_el=HOY, nombre="RECIENTE S.A.")
    BloqueoLegal.objects.create(expediente=e3, motivo=MotivoBloqueo.IMPUGNACION, detalle="Causa en el TCA",
                                puesto_por=jefe)
    BloqueoLegal.objects.create(expediente=e4, motivo=MotivoBloqueo.OTRO, detalle="Levantado", puesto_por=jefe,
                                levantado_en=timezone.now(), levantado_por=jefe)
    prestamo = {"solicitante": usuarios["abogado"], "motivo": "Consulta", "prestado_por": jefe}
    Prestamo.objects.create(expediente=e1, vence_el=HOY - timedelta(days=1), **prestamo)
    Prestamo.objects.create(expediente=e2, vence_el=HOY + timedelta(days=1), **prestamo)
    Prestamo.objects.create(expediente=e4, vence_el=HOY - timedelta(days=9), devuelto_en=timezone.now(),
                            **prestamo)
    Transferencia.objects.create(numero="TP-2026-001", estado=EstadoTransferencia.SOLICITADA, creada_por=jefe)
    Transferencia.objects.create(numero="TP-2026-002", estado=EstadoTransferencia.BORRADOR, creada_por=jefe)
    for expediente, resultado in zip((e1, e2, e3, e4), ResultadoDepuracion):
        ProcesoImpugnado.objects.create(expediente=expediente, resultado=resultado, seleccionado_por=jefe)
    auditoria = AuditoriaFijeza.objects.create(estado=EstadoAuditoria.COMPLETA, terminada_en=timezone.now(),
                                               total=7, revisadas=7, correctas=6, alteradas=1)
    HallazgoFijeza.objects.create(auditoria=auditoria, tipo=TipoHallazgo.ALTERADA, registro="adjunto:x",
                                  expediente=e1, clave="custodia/ab/abc", version_s3="v1", esperado="0" * 64,
                                  obtenido="1" * 64)
    return e1, e2, e3, e4


def _cifras(resumen):
    return {clave: resumen[clave] for clave in
            ("transferibles", "eliminables", "por_cotejar", "prestamos_vencidos", "bloqueos")}


def _avance(resumen):
    return {r["clave"]: r["n"] for r in resumen["depuracion"]["resultados"]}


def test_cifras_de_la_unidad(usuarios, archivo):
    resumen = panel_resumen(usuarios["jefe"])
    assert _cifras(resumen) == {"transferibles": 1, "eliminables": 1, "por_cotejar": 1,
                                "prestamos_vencidos": 1, "bloqueos": 1}
    assert resumen["depuracion"]["total"] == 4
    assert _avance(resumen) == {r.value: 1 for r in ResultadoDepuracion}
    assert resumen["auditoria"].alteradas == 1


def test_el_archivista_cuenta_solo_lo_que_recibio(usuarios, archivo):
    e1, e2, *_ = archivo
    archivista = usuarios["archivista"]
    nada = panel_resumen(archivista)
    # the transfer batches awaiting cotejo are an institution-wide figure; the rest, none of his
    assert _cifras(nada) == {"transferibles": 0, "eliminables": 0, "por_cotejar": 1,
                             "prestamos_vencidos": 0, "bloqueos": 0}
    assert nada["depuracion"]["total"] == 0
    grupo = Group.objects.get(name=roles.ROL_ARCHIVISTA)
    for expediente in (e1, e2):
        assign_perm("expedientes.view_expedientepage", grupo, expediente)
    resumen = panel_resumen(archivista)
    assert _cifras(resumen) == {"transferibles": 1, "eliminables": 1, "por_cotejar": 1,
                                "prestamos_vencidos": 1, "bloqueos": 0}
    assert _avance(resumen) == {"pendiente": 1, "revisado": 1, "reactivado": 0, "cerrado": 0}


def test_las_consultas_no_crecen_con_los_expedientes(usuarios, archivo):
    jefe = usuarios["jefe"]
    panel_resumen(jefe)  # the user's rights are read once per user object
    with CaptureQueriesContext(connection) as antes:
        panel_resumen(jefe)
    for n in range(3):
        e = _archivado(jefe, FaseArchivo.CERRADO, nombre=f"OTRO {n} S.A.")
        ProcesoImpugnado.objects.create(expediente=e, seleccionado_por=jefe)
    with CaptureQueriesContext(connection) as despues:
        resumen = panel_resumen(jefe)
    assert resumen["transferibles"] == 4 and resumen["depuracion"]["total"] == 7
    assert len(despues.captured_queries) == len(antes.captured_queries) <= 8


@pytest.mark.parametrize("quien", ["archivista", "jefe"])
def test_el_panel_se_muestra(client, usuarios, archivo, quien):
    client.force_login(usuarios[quien])
    respuesta = client.get(reverse("archivo_panel"))
    assert respuesta.status_code == 200
    texto = respuesta.content.decode()
    assert "Panel del archivo" in texto and "transferencias por cotejar" in texto
    assert "Última auditoría de integridad" in texto and "1 alteradas" in texto
    assert f"{reverse('archivo_fijeza')}?auditoria=" in texto
    if quien == "jefe":
        assert "4 seleccionados" in texto
    else:  # nothing of the unit's expedientes
        assert "Ningún proceso impugnado seleccionado" in texto


def test_el_abogado_no_tiene_panel(client, usuarios, archivo):
    client.force_login(usuarios["abogado"])
    assert client.get(reverse("archivo_panel")).status_code == 404
    assert client.get(reverse("archivo_fijeza")).status_code == 404
    inicio = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Panel del archivo" not in inicio and "Auditorías de integridad" not in inicio


def test_el_inicio_del_archivista(client, usuarios, archivo):
    client.force_login(usuarios["archivista"])
    inicio = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Panel del archivo" in inicio and "transferencias por cotejar" in inicio
    assert "Plazos" not in inicio  # the unit's deadlines are not his
    client.force_login(usuarios["jefe"])
    inicio = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "transferencias por cotejar" not in inicio and "Plazos" in inicio


def test_pantalla_de_fijeza(client, usuarios, archivo):
    e1, *_ = archivo
    client.force_login(usuarios["jefe"])
    texto = client.get(reverse("archivo_fijeza")).content.decode()
    assert "Hallazgos de la auditoría" in texto and "SHA-256 distinto" in texto and e1.numero in texto
    # the archivist reads the finding, not the number of an expediente he may not see
    client.force_login(usuarios["archivista"])
    texto = client.get(reverse("archivo_fijeza")).content.decode()
    assert "SHA-256 distinto" in texto and e1.numero not in texto
    # without the permission to view audits: 404, and no menu entry
    grupo = Group.objects.get(name=roles.ROL_ARCHIVISTA)
    grupo.permissions.remove(Permission.objects.get(codename="view_auditoriafijeza"))
    assert client.get(reverse("archivo_fijeza")).status_code == 404
    assert client.get(reverse("archivo_panel")).status_code == 200
