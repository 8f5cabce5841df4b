"""Issue 10, point 4: the clean-up of the processes contested before the TCA. The jefe or the
archivist selects; the archivist then sees that expediente (and only it) and records the
case and the ruling; the jefe reactivates or closes. Through the real PostgreSQL."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from archivo.models import EstadoCausa, ProcesoImpugnado, ResultadoDepuracion
from archivo.services.impugnados import (
    depuracion_avance,
    impugnado_cerrar,
    impugnado_reactivar,
    impugnado_registrar,
    impugnado_seleccionar,
)
from expedientes.estados import Estado
from expedientes.models import ExpedientePage
from expedientes.services.proceso import expediente_transicion
from permisos import policies
from permisos.models import RegistroCustodia
from tests.factories import expediente_crear

pytestmark = pytest.mark.servicios
Accion = RegistroCustodia.Accion
R = ResultadoDepuracion


def _fresco(usuario):
    """The user as a new request reads them (rights are kept on the object for one request)."""
    return get_user_model().objects.get(pk=usuario.pk)


def _impugnado(usuarios, nombre="CONTRIBUYENTE IMPUGNANTE S.A."):
    expediente = expediente_crear(usuario=usuarios["secretaria"], nombre=nombre)
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["jefe"], motivo="Citación",
                          fecha=date(2025, 3, 20))
    expediente_transicion(expediente=expediente, hasta=Estado.IMPUGNADO, usuario=usuarios["jefe"],
                          motivo="Excepciones ante el TCA", fecha=date(2025, 4, 2))
    return ExpedientePage.objects.get(pk=expediente.pk)


def _sentencia(proceso, usuario):
    return impugnado_registrar(proceso=proceso, usuario=usuario, estado_causa=EstadoCausa.SENTENCIA,
                               fecha_sentencia=date(2026, 6, 1), sentencia="Rechaza las excepciones",
                               numero_causa="17811-2025-00042", tribunal="TDCA Quito")


def test_seleccionar_da_al_archivista_ese_expediente_y_solo_ese(usuarios):
    elegido, otro = _impugnado(usuarios), _impugnado(usuarios, "OTRO IMPUGNANTE S.A.")
    assert not policies.expediente_puede_ver(_fresco(usuarios["archivista"]), elegido)

    proceso = impugnado_seleccionar(expediente=elegido, usuario=usuarios["jefe"], tribunal="TDCA Quito")

    archivista = _fresco(usuarios["archivista"])
    assert policies.expediente_puede_ver(archivista, elegido)
    assert not policies.expediente_puede_ver(archivista, otro)
    assert not policies.expediente_puede_trabajar(archivista, elegido)
    assert proceso.resultado == R.PENDIENTE and proceso.seleccionado_por == usuarios["jefe"]
    acciones = set(RegistroCustodia.objects.filter(expediente=elegido, accion__in=[Accion.CONCESION, Accion.DEPURACION])
                   .values_list("accion", flat=True))
    assert acciones == {Accion.CONCESION, Accion.DEPURACION}

    with pytest.raises(ValidationError, match="ya está seleccionado"):
        impugnado_seleccionar(expediente=elegido, usuario=usuarios["jefe"])
    # the archivist cannot pick what they do not see
    with pytest.raises(ValidationError, match="No tiene acceso"):
        impugnado_seleccionar(expediente=otro, usuario=archivista)
    assert ProcesoImpugnado.objects.count() == 1


def test_solo_lo_impugnado_entra_en_la_depuracion(expediente, usuarios):
    with pytest.raises(ValidationError, match="nunca fue impugnado"):
        impugnado_seleccionar(expediente=expediente, usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="No tiene permiso"):
        impugnado_seleccionar(expediente=_impugnado(usuarios), usuario=usuarios["secretaria"])
    assert not ProcesoImpugnado.objects.exists()


def test_con_historia_de_impugnacion_tambien_se_selecciona(usuarios):
    expediente = _impugnado(usuarios)
    expediente_transicion(expediente=expediente, hasta=Estado.EMBARGO, usuario=usuarios["jefe"],
                          motivo="Excepciones rechazadas", fecha=date(2025, 5, 2))
    assert impugnado_seleccionar(expediente=expediente, usuario=usuarios["jefe"]).pk


def test_el_archivista_registra_y_el_jefe_reactiva(usuarios):
    expediente = _impugnado(usuarios)
    proceso = impugnado_seleccionar(expediente=expediente, usuario=usuarios["jefe"])
    archivista = _fresco(usuarios["archivista"])

    with pytest.raises(ValidationError, match="Registre primero"):
        impugnado_reactivar(proceso=proceso, usuario=usuarios["jefe"], hasta=Estado.CITADO, motivo="x")
    with pytest.raises(ValidationError, match="fecha"):
        impugnado_registrar(proceso=proceso, usuario=archivista, estado_causa=EstadoCausa.SENTENCIA)

    proceso = _sentencia(proceso, archivista)
    assert proceso.resultado == R.REVISADO and proceso.revisado_por == archivista
    assert proceso.numero_causa == "17811-2025-00042"

    with pytest.raises(ValidationError, match="Solo el jefe"):
        impugnado_reactivar(proceso=proceso, usuario=archivista, hasta=Estado.CITADO, motivo="Sentencia firme")
    with pytest.raises(ValidationError, match="etapas"):
        impugnado_reactivar(proceso=proceso, usuario=usuarios["jefe"], hasta=Estado.ARCHIVADO, motivo="x")
    assert ExpedientePage.objects.get(pk=expediente.pk).estado == Estado.IMPUGNADO

    proceso = impugnado_reactivar(proceso=proceso, usuario=usuarios["jefe"], hasta=Estado.CITADO,
                                  motivo="Sentencia ejecutoriada")
    expediente.refresh_from_db()
    assert expediente.estado == Estado.CITADO
    assert proceso.resultado == R.REACTIVADO
    assert proceso.decision.usuario == usuarios["jefe"] and proceso.decision.desde == Estado.IMPUGNADO
    assert "Sentencia ejecutoriada" in proceso.decision.motivo
    assert "17811-2025-00042" in proceso.decision.motivo and "01/06/2026" in proceso.decision.motivo
    assert "Rechaza las excepciones" in proceso.decision.motivo
    cambio = RegistroCustodia.objects.filter(expediente=expediente, accion=Accion.CAMBIO_ESTADO).latest("secuencia")
    assert cambio.datos["hasta"] == Estado.CITADO and cambio.usuario == usuarios["jefe"]
    assert RegistroCustodia.objects.filter(expediente=expediente, accion=Accion.DEPURACION).count() == 3

    with pytest.raises(ValidationError, match="la depuración terminó"):
        impugnado_cerrar(proceso=proceso, usuario=usuarios["jefe"], motivo="x")


def test_el_jefe_cierra(usuarios):
    expediente = _impugnado(usuarios)
    proceso = impugnado_seleccionar(expediente=expediente, usuario=usuarios["jefe"])
    impugnado_registrar(proceso=proceso, usuario=usuarios["jefe"], estado_causa=EstadoCausa.ARCHIVADA)
    with pytest.raises(ValidationError, match="motivo"):
        impugnado_cerrar(proceso=proceso, usuario=usuarios["jefe"], motivo=" ")
    proceso = impugnado_cerrar(proceso=proceso, usuario=usuarios["jefe"], motivo="Causa abandonada")
    assert ExpedientePage.objects.get(pk=expediente.pk).estado == Estado.ARCHIVADO
    assert proceso.resultado == R.CERRADO and proceso.decision.hasta == Estado.ARCHIVADO


def test_avance_en_una_consulta(usuarios, django_assert_num_queries):
    jefe = usuarios["jefe"]
    procesos = [impugnado_seleccionar(expediente=_impugnado(usuarios, f"IMPUGNANTE {n} S.A."), usuario=jefe)
                for n in range(4)]
    _impugnado(usuarios, "SIN SELECCIONAR S.A.")
    _sentencia(procesos[1], jefe)
    impugnado_reactivar(proceso=_sentencia(procesos[2], jefe), usuario=jefe, hasta=Estado.EMBARGO, motivo="Firme")
    impugnado_cerrar(proceso=_sentencia(procesos[3], jefe), usuario=jefe, motivo="Aceptadas las excepciones")

    with django_assert_num_queries(1):
        avance = depuracion_avance()
    assert avance == {"seleccionados": 4, "pendientes": 1, "revisados": 1, "reactivados": 1, "cerrados": 1,
                      "impugnados_sin_seleccionar": 1}
    # the archivist counts only what was handed over (the four selected)
    assert depuracion_avance(usuario=_fresco(usuarios["archivista"]))["impugnados_sin_seleccionar"] == 0
    assert depuracion_avance(usuario=_fresco(usuarios["archivista"]))["seleccionados"] == 4


# --- Screens


def test_pantallas_del_jefe_y_del_archivista(client, usuarios):
    elegido, otro = _impugnado(usuarios), _impugnado(usuarios, "OTRO IMPUGNANTE S.A.")

    client.force_login(usuarios["jefe"])
    listado = client.get(reverse("archivo_impugnados")).content.decode()
    assert elegido.numero in listado and otro.numero in listado  # both offered for selection
    assert client.post(reverse("archivo_impugnados"), {"expediente": elegido.numero}).status_code == 302
    proceso = ProcesoImpugnado.objects.get(expediente=elegido)
    assert client.get(reverse("archivo_impugnado", args=[proceso.pk])).status_code == 200

    client.force_login(usuarios["archivista"])
    listado = client.get(reverse("archivo_impugnados")).content.decode()
    assert elegido.numero in listado and otro.numero not in listado
    assert "Reactivar la ejecución" not in listado
    url = reverse("archivo_impugnado_accion", args=[proceso.pk, "registrar"])
    prefijo = f"p{proceso.pk}-"
    respuesta = client.post(url, {prefijo + "estado_causa": EstadoCausa.SENTENCIA, prefijo + "sentencia": "Rechaza",
                                  prefijo + "fecha_sentencia": "01/06/2026", prefijo + "numero_causa": "42-2025"})
    assert respuesta.status_code == 302
    proceso.refresh_from_db()
    assert proceso.resultado == R.REVISADO and proceso.fecha_sentencia == date(2026, 6, 1)
    detalle = client.get(reverse("archivo_impugnado", args=[proceso.pk])).content.decode()
    assert "lo decide el jefe de coactivas" in detalle
    # the jefe's action, posted by the archivist: refused, nothing changes
    respuesta = client.post(reverse("archivo_impugnado_accion", args=[proceso.pk, "cerrar"]),
                            {prefijo + "motivo": "Cerrar"})
    assert "Solo el jefe" in respuesta.content.decode()
    assert ExpedientePage.objects.get(pk=elegido.pk).estado == Estado.IMPUGNADO

    client.force_login(usuarios["jefe"])
    listado = client.get(reverse("archivo_impugnados") + "?resultado=revisado").content.decode()
    assert "Reactivar la ejecución" in listado and "Revisados, sin decisión" in listado
    respuesta = client.post(reverse("archivo_impugnado_accion", args=[proceso.pk, "reactivar"]),
                            {prefijo + "hasta": Estado.EMBARGO, prefijo + "motivo": "Firme", "volver": "listado"})
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("archivo_impugnados")
    assert ExpedientePage.objects.get(pk=elegido.pk).estado == Estado.EMBARGO
    vacio = client.get(reverse("archivo_impugnados") + "?resultado=pendiente").content.decode()
    assert "Ningún proceso coincide con el filtro" in vacio


def test_lo_ajeno_es_404(client, usuarios):
    elegido, otro = _impugnado(usuarios), _impugnado(usuarios, "OTRO IMPUGNANTE S.A.")
    visible = impugnado_seleccionar(expediente=elegido, usuario=usuarios["jefe"])
    # a row of an expediente never handed over to the archive (no view rows)
    ajeno = ProcesoImpugnado.objects.create(expediente=otro, seleccionado_por=usuarios["jefe"])
    client.force_login(usuarios["archivista"])
    assert client.get(reverse("archivo_impugnado", args=[visible.pk])).status_code == 200
    assert client.get(reverse("archivo_impugnado", args=[ajeno.pk])).status_code == 404
    assert client.post(reverse("archivo_impugnado_accion", args=[ajeno.pk, "registrar"]), {}).status_code == 404
    client.force_login(usuarios["abogado"])
    for url in (reverse("archivo_impugnados"), reverse("archivo_impugnado", args=[visible.pk])):
        assert client.get(url).status_code == 404
