"""The custody log: every event an entry, hash-chained, append-only in the database, read and
exported only by the jefe and the auditor."""

import csv
import hashlib
import io
import threading
from datetime import date, timedelta

import openpyxl
import pgtrigger
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.urls import reverse
from django.utils import timezone

from expedientes.estados import Estado
from expedientes.services.adjuntos import adjunto_crear
from expedientes.services.correcciones import expediente_asignar
from expedientes.services.proceso import expediente_transicion
from permisos import roles
from permisos.custodia import CAMPOS, Accion, cadena_verificar, registro_anotar, registro_hash
from permisos.direcciones import direccion_resolver
from permisos.exportacion import COLUMNAS
from permisos.models import RegistroCustodia
from tests.factories import usuario_con_rol

pytestmark = pytest.mark.servicios

CLAVE = "clave-de-prueba"  # tests/factories.py
SIN_TRIGGER = "permisos.RegistroCustodia:solo_anotar"


def _verificar():
    """(exit code, stdout, stderr) of manage.py custodia_verificar."""
    salida, errores = io.StringIO(), io.StringIO()
    try:
        call_command("custodia_verificar", stdout=salida, stderr=errores)
        codigo = 0
    except SystemExit as salida_del_comando:
        codigo = salida_del_comando.code
    return codigo, salida.getvalue(), errores.getvalue()


def _registros(accion):
    return RegistroCustodia.objects.filter(accion=accion).order_by("secuencia")


@pytest.fixture
def eventos(client, usuarios, expediente, actuacion, pdf):
    """Upload, download, view, state change and assignment, by the people who do them."""
    version = adjunto_crear(actuacion=actuacion, titulo="Auto de pago", flujo=pdf(), nombre="auto.pdf",
                            usuario=usuarios["secretaria"])
    client.force_login(usuarios["abogado"])
    assert client.get(f"/adjuntos/{version.uuid}/descargar/").status_code == 200
    assert client.get(reverse("expedientes_proceso", args=[expediente.pk])).status_code == 200
    expediente_transicion(expediente=expediente, hasta=Estado.CITADO, usuario=usuarios["abogado"],
                          motivo="Citación en persona.", fecha=date(2025, 3, 20))
    # the fixture's expediente is assigned to «abogado»: the jefe hands it over to another
    otra = usuario_con_rol(roles.ROL_ABOGADO, username="abogada2")
    expediente_asignar(expediente=expediente, abogado=otra, usuario=usuarios["jefe"])
    return version


# --- the events -----------------------------------------------------------------------------

def test_los_eventos_quedan_en_una_cadena_integra(eventos, usuarios, expediente):
    version = eventos
    carga, descarga = _registros(Accion.CARGA).get(), _registros(Accion.DESCARGA).get()
    assert carga.sha256 == descarga.sha256 == version.sha256
    assert carga.usuario == usuarios["secretaria"] and carga.expediente_id == expediente.pk
    assert descarga.usuario_nombre == "abogado" and descarga.ip == "127.0.0.1"
    assert "auto.pdf" in descarga.objeto
    vista = _registros(Accion.VISTA).get()
    assert vista.expediente_id == expediente.pk and vista.ip == "127.0.0.1"
    cambio = _registros(Accion.CAMBIO_ESTADO).get()
    assert cambio.datos["desde"] == "iniciado" and cambio.datos["hasta"] == "citado"
    assert cambio.datos["fecha"] == "2025-03-20" and cambio.objeto == "Iniciado → Citado"
    asignacion = _registros(Accion.ASIGNACION).get()
    assert asignacion.usuario == usuarios["jefe"] and asignacion.datos["nuevo"] == "abogada2"
    retiro, concesion = _registros(Accion.RETIRO).get(), _registros(Accion.CONCESION).filter(expediente=expediente).last()
    assert retiro.datos["usuario"] == "abogado" and concesion.datos["usuario"] == "abogada2"
    assert retiro.usuario == concesion.usuario == usuarios["jefe"]
    assert _registros(Accion.INICIO_SESION).filter(usuario=usuarios["abogado"]).exists()

    secuencias = list(RegistroCustodia.objects.order_by("secuencia").values_list("secuencia", flat=True))
    assert secuencias == list(range(1, len(secuencias) + 1))
    codigo, salida, _ = _verificar()
    assert codigo == 0
    assert f"Cadena íntegra: {len(secuencias)} registros" in salida


def test_el_servicio_sin_request_toma_la_ip_de_la_peticion_en_curso(client, usuarios, expediente):
    """The state change runs in a service that gets no request: the middleware's address."""
    client.force_login(usuarios["secretaria"])
    respuesta = client.post(
        reverse("expedientes_proceso_accion", args=[expediente.pk, "transicion"]),
        {"transicion-hasta": "medidas_cautelares", "transicion-fecha": "20/03/2025",
         "transicion-motivo": "Medidas ordenadas en el auto de pago."},
        REMOTE_ADDR="192.0.2.44",
    )
    assert respuesta.status_code == 302
    assert _registros(Accion.CAMBIO_ESTADO).get().ip == "192.0.2.44"


def test_vistas_del_expediente_en_su_pagina_y_en_el_editor(client, usuarios, expediente):
    client.force_login(usuarios["secretaria"])
    assert client.get(expediente.url, follow=True).status_code == 200  # its process screen
    assert client.get(reverse("wagtailadmin_pages:edit", args=[expediente.pk])).status_code == 200
    assert sorted(_registros(Accion.VISTA).values_list("objeto", flat=True)) == [
        f"Expediente {expediente.numero} (editor)", f"Expediente {expediente.numero} (pantalla del proceso)"]
    client.force_login(usuarios["archivista"])
    assert client.get(expediente.url).status_code == 404
    denegado = _registros(Accion.ACCESO_DENEGADO).get()
    assert denegado.usuario == usuarios["archivista"] and denegado.expediente_id == expediente.pk


def test_inicio_cierre_e_inicio_fallido_con_ip(client, usuarios):
    login = reverse("wagtailadmin_login")
    assert client.post(login, {"username": "jefe", "password": "mala-clave"}).status_code == 200
    assert client.post(login, {"username": "nadie", "password": "otra-clave"}).status_code == 200
    assert client.post(login, {"username": "jefe", "password": CLAVE}).status_code == 302
    assert client.post(reverse("wagtailadmin_logout")).status_code == 302

    fallidos = list(_registros(Accion.INICIO_FALLIDO))
    assert [f.usuario_nombre for f in fallidos] == ["jefe", "nadie"]
    assert all(f.usuario is None and f.ip == "127.0.0.1" for f in fallidos)
    assert fallidos[0].datos == {"usuario_intentado": "jefe"}
    texto = str(list(RegistroCustodia.objects.values()))
    assert "mala-clave" not in texto and "otra-clave" not in texto and CLAVE not in texto
    inicio, cierre = _registros(Accion.INICIO_SESION).get(), _registros(Accion.CIERRE_SESION).get()
    assert inicio.usuario == cierre.usuario == usuarios["jefe"]
    assert inicio.ip == cierre.ip == "127.0.0.1"
    assert inicio.secuencia < cierre.secuencia


def test_detras_de_un_proxy_confiable_y_cabecera_ignorada_de_otros(client, usuarios, settings):
    settings.PORTAL_PROXIES_CONFIABLES = ["10.0.0.0/8"]
    login = reverse("wagtailadmin_login")
    client.post(login, {"username": "jefe", "password": CLAVE},
                REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9, 10.1.2.3")
    assert _registros(Accion.INICIO_SESION).get().ip == "203.0.113.9"
    client.post(login, {"username": "jefe", "password": "mala"},
                REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert _registros(Accion.INICIO_FALLIDO).get().ip == "192.0.2.7"


@pytest.mark.parametrize("remota, cabecera, esperada", [
    ("192.0.2.7", "203.0.113.9", "192.0.2.7"),                       # no proxy: header ignored
    ("10.0.0.5", "203.0.113.9", "203.0.113.9"),
    ("10.0.0.5", "1.1.1.1, 203.0.113.9", "203.0.113.9"),             # right-most untrusted
    ("10.0.0.5", "203.0.113.9, 10.0.0.7", "203.0.113.9"),            # skips trusted hops
    ("10.0.0.5", "", "10.0.0.5"),
    ("10.0.0.5", "10.0.0.8", "10.0.0.8"),                            # all trusted: the farthest
    ("10.0.0.5", "203.0.113.9, basura", "10.0.0.5"),                 # stop at what we can't read
    ("::ffff:10.0.0.5", "2001:DB8::1", "2001:db8::1"),               # mapped IPv4, IPv6 normalised
])
def test_direccion_resolver(settings, remota, cabecera, esperada):
    settings.PORTAL_PROXIES_CONFIABLES = ["10.0.0.0/8"]
    meta = {"REMOTE_ADDR": remota}
    if cabecera:
        meta["HTTP_X_FORWARDED_FOR"] = cabecera
    assert direccion_resolver(meta) == esperada


# --- the chain and the triggers --------------------------------------------------------------

@pytest.fixture
def cadena(usuarios, expediente):
    for n in range(5):
        registro_anotar(accion=Accion.VISTA, usuario=usuarios["abogado"], expediente=expediente,
                        objeto=f"vista {n}", datos={"n": n, "monto": 10.5, "dia": date(2025, 3, n + 1)})
    # the whole chain: the fixtures' own entries (roles given, the assignment) come first
    return list(RegistroCustodia.objects.order_by("secuencia"))


def _vistas(cadena):
    return [r for r in cadena if r.objeto.startswith("vista ")]


def test_la_base_rechaza_update_delete_y_truncate(cadena):
    """PL/pgSQL's RAISE EXCEPTION (SQLSTATE P0001) reaches Django as a ProgrammingError."""
    registro = _vistas(cadena)[2]
    total = RegistroCustodia.objects.count()
    for intento in (
        lambda: RegistroCustodia.objects.filter(pk=registro.pk).update(objeto="otra cosa"),
        lambda: RegistroCustodia.objects.filter(pk=registro.pk).delete(),
        lambda: registro.delete(),
    ):
        with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
            intento()
    with pytest.raises(ProgrammingError, match="Cannot truncate"), transaction.atomic():
        with connection.cursor() as cursor:
            # the test's own transaction has deferred FK checks pending, which TRUNCATE would
            # refuse for its own reason: run them first
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE permisos_registrocustodia CASCADE")
    registro.refresh_from_db()
    assert registro.objeto == "vista 2" and RegistroCustodia.objects.count() == total


def test_los_datos_se_releen_como_se_hashearon(cadena):
    """Floats and dates become text before hashing: what the database returns hashes the same."""
    primero = RegistroCustodia.objects.get(pk=_vistas(cadena)[0].pk)
    assert primero.datos == {"n": 0, "monto": "10.5", "dia": "2025-03-01"}
    assert registro_hash({c: getattr(primero, c) for c in CAMPOS}) == primero.hash
    assert cadena_verificar().integra


def test_un_registro_alterado_se_detecta_y_se_nombra(cadena):
    with pgtrigger.ignore(SIN_TRIGGER):
        RegistroCustodia.objects.filter(pk=cadena[2].pk).update(objeto="nunca lo vio")
    codigo, _, errores = _verificar()
    assert codigo == 1
    assert f"el registro #{cadena[2].secuencia} fue alterado" in errores


def test_un_registro_reescrito_con_su_hash_rompe_el_enlace_siguiente(cadena):
    """Whoever rewrites an entry and recomputes its hash still breaks the next link."""
    alterado = cadena[1]
    alterado.usuario_nombre = "otra persona"
    nuevo = registro_hash({c: getattr(alterado, c) for c in CAMPOS})
    with pgtrigger.ignore(SIN_TRIGGER):
        RegistroCustodia.objects.filter(pk=alterado.pk).update(usuario_nombre="otra persona", hash=nuevo)
    resultado = cadena_verificar()
    assert (resultado.falla, resultado.secuencia) == ("enlace", cadena[2].secuencia)
    assert f"#{cadena[1].secuencia} fue reescrito" in resultado.mensaje()


def test_un_registro_borrado_se_detecta_y_se_nombra(cadena):
    with pgtrigger.ignore(SIN_TRIGGER):
        RegistroCustodia.objects.filter(pk=cadena[3].pk).delete()
    codigo, _, errores = _verificar()
    assert codigo == 1
    s = [r.secuencia for r in cadena]
    assert f"falta el registro #{s[3]}: tras el #{s[2]} sigue el #{s[4]}" in errores
    resultado = cadena_verificar()
    assert (resultado.falla, resultado.secuencia, resultado.registros) == ("faltante", s[3], 3)


def test_el_primer_registro_borrado_tambien(cadena):
    with pgtrigger.ignore(SIN_TRIGGER):
        RegistroCustodia.objects.filter(pk=cadena[0].pk).delete()
    assert "falta el registro #1" in _verificar()[2]


def test_avance_en_stderr(cadena):
    errores = io.StringIO()
    call_command("custodia_verificar", "--cada", "2", stdout=io.StringIO(), stderr=errores)
    assert "… 2 registros verificados" in errores.getvalue()
    assert "… 4 registros verificados" in errores.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_escrituras_concurrentes_forman_una_sola_cadena():
    """Two connections appending at once, each entry in its own transaction that lingers
    after the append: the advisory lock makes each read the true last entry."""
    from django.db import connections

    por_hilo, barrera, errores = 15, threading.Barrier(2), []

    def escribir(nombre):
        try:
            barrera.wait()
            for n in range(por_hilo):
                with transaction.atomic():
                    registro_anotar(accion=Accion.VISTA, usuario_nombre=nombre, objeto=f"{nombre} {n}")
                    RegistroCustodia.objects.count()  # the transaction goes on after the append
        except Exception as error:  # pragma: no cover - reported below
            errores.append(error)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=escribir, args=(nombre,)) for nombre in ("uno", "dos")]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=120)
    assert not errores
    secuencias = list(RegistroCustodia.objects.order_by("secuencia").values_list("secuencia", flat=True))
    assert secuencias == list(range(1, 2 * por_hilo + 1))
    assert cadena_verificar().integra


# --- reading and exporting -------------------------------------------------------------------

URL = "/admin/custodia/"


def _exportar(client, formato, **filtros):
    respuesta = client.get(f"{URL}exportar/{formato}/", filtros)
    assert respuesta.status_code == 200
    return respuesta, b"".join(respuesta.streaming_content)


@pytest.mark.parametrize("quien", ["jefe", "auditor"])
def test_jefe_y_auditor_leen_filtran_y_exportan(client, usuarios, eventos, expediente, quien):
    client.force_login(usuarios[quien])
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    pagina = client.get(URL).content.decode()
    assert "Descarga" in pagina and expediente.numero in pagina and "Cambio de estado" in pagina
    hoy = timezone.localdate()
    ultimo = RegistroCustodia.objects.order_by("secuencia").last()
    assert timezone.localtime(ultimo.registrado_en).strftime("%d/%m/%Y %H:%M") in pagina

    def filas(**filtros):
        respuesta = client.get(URL, filtros)
        assert respuesta.status_code == 200
        return list(respuesta.context["pagina"].object_list)

    assert {r.accion for r in filas(accion="descarga")} == {"descarga"}
    assert {r.usuario_nombre for r in filas(usuario="secretaria")} == {"secretaria"}
    assert {r.expediente_id for r in filas(expediente=expediente.numero[-9:])} == {expediente.pk}
    assert len(filas(desde=f"{hoy:%d/%m/%Y}", hasta=f"{hoy:%d/%m/%Y}")) == RegistroCustodia.objects.count()
    assert filas(hasta=f"{hoy - timedelta(days=1):%d/%m/%Y}") == []
    assert client.get(URL, {"desde": "2025-03-01"}).context["filtro"].errors  # dd/mm/aaaa only

    respuesta, contenido = _exportar(client, "csv", expediente=expediente.numero)
    lineas = list(csv.reader(io.StringIO(contenido.decode("utf-8-sig"))))
    assert tuple(lineas[0]) == COLUMNAS
    esperados = RegistroCustodia.objects.filter(expediente=expediente).exclude(accion=Accion.EXPORTACION)
    assert [int(fila[0]) for fila in lineas[1:]] == sorted(esperados.values_list("secuencia", flat=True))
    descarga = next(fila for fila in lineas[1:] if fila[3] == "Descarga")
    assert descarga[7] == eventos.sha256 and descarga[2] == "abogado" and descarga[4] == expediente.numero
    exportacion = _registros(Accion.EXPORTACION).get()
    assert exportacion.usuario == usuarios[quien] and exportacion.expediente_id == expediente.pk
    assert exportacion.sha256 == hashlib.sha256(contenido).hexdigest() == respuesta["X-Content-SHA256"]
    assert exportacion.datos["filtros"] == {"expediente": expediente.numero}
    assert exportacion.datos["registros"] == len(lineas) - 1

    respuesta, contenido = _exportar(client, "xlsx", accion="cambio_estado")
    hoja = openpyxl.load_workbook(io.BytesIO(contenido), read_only=True).active
    filas_xlsx = list(hoja.iter_rows(values_only=True))
    assert filas_xlsx[0] == COLUMNAS and len(filas_xlsx) == 2
    assert filas_xlsx[1][3] == "Cambio de estado" and filas_xlsx[1][1].date() == hoy
    assert _registros(Accion.EXPORTACION).last().sha256 == hashlib.sha256(contenido).hexdigest()
    assert cadena_verificar().integra


@pytest.mark.parametrize("quien", ["secretaria", "abogado", "archivista"])
def test_nadie_mas_ve_el_registro(client, usuarios, eventos, quien):
    client.force_login(usuarios[quien])
    assert client.get(URL).status_code == 404
    for formato in ("csv", "xlsx"):
        assert client.get(f"{URL}exportar/{formato}/").status_code == 404
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert not _registros(Accion.EXPORTACION).exists()


def test_sin_rol_ni_siquiera_entra_al_admin(client, usuarios, eventos):
    """Without access to the admin, Wagtail sends to the login, as for any /admin/ address."""
    client.force_login(usuarios["sin_rol"])
    for url in (URL, f"{URL}exportar/csv/"):
        respuesta = client.get(url)
        assert respuesta.status_code in (302, 404)
        assert b"Registro de custodia" not in respuesta.content
    assert not _registros(Accion.EXPORTACION).exists()


def test_filtros_invalidos_no_exportan(client, usuarios, eventos):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(f"{URL}exportar/csv/", {"desde": "31/02/2025"})
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(URL)
    assert client.get(f"{URL}exportar/pdf/").status_code == 404
    assert not _registros(Accion.EXPORTACION).exists()



@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sin_interbloqueo_entre_un_registro_y_un_servicio_con_el_expediente_bloqueado(usuarios, expediente):
    """A background job logs an act on an expediente (the entry's foreign key is checked at
    commit, locking the expediente's row) while a service holds that expediente FOR UPDATE and
    then logs too. The job waits for the row before taking the append lock, so both finish;
    before the fix PostgreSQL killed one of them as a deadlock (seen in the demo with the OCR
    worker)."""
    import time

    from django.db import connections

    from expedientes.models import ExpedientePage
    from tests.portal.test_cola import _alguien_espera_un_bloqueo

    bloqueado, errores = threading.Event(), []

    def servicio():
        try:
            with transaction.atomic():
                ExpedientePage.objects.select_for_update().get(pk=expediente.pk)
                bloqueado.set()
                fin = time.monotonic() + 30
                while not _alguien_espera_un_bloqueo() and time.monotonic() < fin:
                    time.sleep(0.05)
                registro_anotar(accion=Accion.CAMBIO_ESTADO, usuario=usuarios["jefe"], expediente=expediente,
                                objeto="servicio")
        except Exception as error:  # noqa: BLE001
            errores.append(error)
        finally:
            connections.close_all()

    def trabajo():
        try:
            bloqueado.wait(30)
            with transaction.atomic():
                registro_anotar(accion=Accion.TRABAJO, expediente=expediente, objeto="trabajo",
                                usuario_nombre="cola")
        except Exception as error:  # noqa: BLE001
            errores.append(error)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=servicio), threading.Thread(target=trabajo)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(60)
    assert not errores, errores
    from permisos.models import RegistroCustodia

    assert set(RegistroCustodia.objects.filter(objeto__in=["servicio", "trabajo"]).values_list("objeto", flat=True)) \
        == {"servicio", "trabajo"}
