"""The queue with its real worker: `manage.py procrastinate worker` as a subprocess against this
test database, bucket and clamd. No timed assertions: the waits poll for a state, bounded only
so that a broken worker fails the test instead of hanging it."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from expedientes.models import AdjuntoVersion, EstadoFirma, EstadoTexto, MedidaCautelar
from expedientes.services.medidas import TRABAJO_OFICIOS, oficios_retencion_parametros
from expedientes.tasks import oficios_retencion, version_tareas_encolar
from portal.cola import trabajos_atascados_reintentar
from portal.models import EstadoTrabajo, Trabajo
from portal.trabajos import trabajo_crear
from tests.factories import expediente_crear

pytestmark = [pytest.mark.servicios, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RAIZ = Path(__file__).resolve().parent.parent.parent
LIMITE = 180  # seconds: only so a broken worker fails instead of hanging


def _sql(consulta, *parametros):
    with connection.cursor() as cursor:
        cursor.execute(consulta, parametros)
        return cursor.fetchall() if cursor.description else None


def _cola_vaciar():
    _sql("DELETE FROM procrastinate_periodic_defers")
    _sql("DELETE FROM procrastinate_jobs")
    _sql("DELETE FROM procrastinate_workers")


@pytest.fixture
def cola(bucket):
    """Empty queue tables (procrastinate's tables are not flushed between tests) and a way to
    start real workers on this test database; every worker started is stopped at the end."""
    _cola_vaciar()
    procesos = []
    db = settings.DATABASES["default"]
    entorno = dict(os.environ,
                   DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
                   DJANGO_SETTINGS_MODULE="portal.settings.test", PORTAL_BUCKET_PRUEBA=bucket)

    def iniciar(colas="trabajos"):
        registro = open(RAIZ / "var" / f"worker-prueba-{os.getpid()}.log", "ab")  # noqa: SIM115
        proceso = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "-q", colas, "-c", "1", "-p", "0.5"],
            cwd=RAIZ, env=entorno, stdout=registro, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        procesos.append(proceso)
        return proceso

    (RAIZ / "var").mkdir(exist_ok=True)
    yield iniciar
    for proceso in procesos:
        if proceso.poll() is None:
            os.killpg(proceso.pid, signal.SIGTERM)
            try:
                proceso.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proceso.pid, signal.SIGKILL)
                proceso.wait()
    _cola_vaciar()


def _esperar(condicion, que):
    fin = time.monotonic() + LIMITE
    while time.monotonic() < fin:
        if valor := condicion():
            return valor
        time.sleep(0.2)
    pytest.fail(f"no ocurrió en {LIMITE} s: {que}")


def _alguien_espera_un_bloqueo():
    _sql("SELECT pg_stat_clear_snapshot()")  # the view is a snapshot per transaction otherwise
    return _sql("SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'")[0][0]


def _job(job_id):
    return _sql("SELECT status, attempts FROM procrastinate_jobs WHERE id = %s", job_id)[0]


def _oficios_trabajo(usuarios):
    parametros = oficios_retencion_parametros(desde=2019, hasta=2019, entidades=["sb"], usuario=usuarios["secretaria"],
                                              fecha=date(2019, 6, 3))
    return trabajo_crear(tipo=TRABAJO_OFICIOS, titulo="Oficios de retención 2019", usuario=usuarios["secretaria"],
                         parametros=parametros, tarea=oficios_retencion)


def test_el_trabajador_real_ejecuta_un_trabajo_con_su_avance(usuarios, tasa, cola):
    expedientes = [expediente_crear(usuario=usuarios["secretaria"], fecha=date(2019, 5, 6)) for _ in range(2)]
    trabajo = _oficios_trabajo(usuarios)
    assert trabajo.estado == EstadoTrabajo.PENDIENTE and trabajo.job_id
    assert _job(trabajo.job_id) == ("todo", 0)

    cola()
    _esperar(lambda: Trabajo.objects.get(pk=trabajo.pk).estado in (EstadoTrabajo.TERMINADO, EstadoTrabajo.FALLIDO),
             "el trabajo terminó")
    trabajo.refresh_from_db()
    assert trabajo.estado == EstadoTrabajo.TERMINADO, trabajo.error
    assert (trabajo.hechos, trabajo.total) == (2, 2) and trabajo.porcentaje == 100
    assert len(trabajo.resultado["oficios"]) == 2
    assert MedidaCautelar.objects.filter(expediente__in=expedientes).count() == 2
    _esperar(lambda: _job(trabajo.job_id)[0] == "succeeded", "la cola marcó el trabajo como hecho")
    # each generated letter is a new PDF version: its reading was queued in its own transaction
    versiones = AdjuntoVersion.objects.filter(
        adjunto__actuacion__in=MedidaCautelar.objects.filter(expediente__in=expedientes).values("actuacion"))
    assert versiones.count() == 2
    encolados = _sql("SELECT task_name, (args->>'version_id')::int FROM procrastinate_jobs "
                     "WHERE queue_name = 'documentos'")
    assert sorted(encolados) == sorted([(t, v.pk) for v in versiones
                                        for t in ("expedientes.tasks.version_firmas", "expedientes.tasks.version_texto")])


def test_sin_commit_no_se_encola_nada_y_lo_que_no_es_pdf_no_se_lee(usuarios, actuacion, pdf, cola):
    from expedientes.services.adjuntos import adjunto_crear

    version = adjunto_crear(actuacion=actuacion, titulo="Escrito", flujo=pdf(),
                            nombre="escrito.pdf", usuario=usuarios["secretaria"])
    antes = _sql("SELECT count(*) FROM procrastinate_jobs")[0][0]
    assert antes == 2
    with pytest.raises(RuntimeError), transaction.atomic():
        version_tareas_encolar(version)
        assert _sql("SELECT count(*) FROM procrastinate_jobs")[0][0] == 4
        raise RuntimeError("rollback")
    assert _sql("SELECT count(*) FROM procrastinate_jobs")[0][0] == antes  # a rolled-back upload queues nothing
    AdjuntoVersion.objects.filter(pk=version.pk).update(tipo_mime="application/vnd.oasis.opendocument.text")
    version.refresh_from_db()
    version_tareas_encolar(version)
    version.refresh_from_db()
    assert (version.texto_estado, version.firma_estado) == (EstadoTexto.NO_APLICA, EstadoFirma.NO_APLICA)
    assert _sql("SELECT count(*) FROM procrastinate_jobs")[0][0] == antes


def test_un_trabajador_muerto_a_mitad_de_tarea_deja_el_trabajo_reintentado_no_perdido(usuarios, tasa, cola):
    expediente = expediente_crear(usuario=usuarios["secretaria"], fecha=date(2019, 5, 6))
    trabajo = _oficios_trabajo(usuarios)
    with transaction.atomic():
        # the test holds the job's record: the task blocks on it in its first write, mid-task
        Trabajo.objects.select_for_update().get(pk=trabajo.pk)
        primero = cola()
        _esperar(lambda: _job(trabajo.job_id)[0] == "doing", "el trabajador tomó el trabajo")
        _esperar(_alguien_espera_un_bloqueo, "la tarea espera el bloqueo")
        os.killpg(primero.pid, signal.SIGKILL)  # the whole worker, no chance to clean up
        primero.wait()
        assert _job(trabajo.job_id) == ("doing", 0)  # procrastinate alone would leave it so forever
    # the periodic stalled-job retry (portal.cola), once the dead worker's heartbeat is old
    # (outside the test's transaction: there NOW() would stay at its start)
    _esperar(lambda: trabajos_atascados_reintentar(segundos_sin_latido=1), "el trabajo atascado volvió a la cola")
    assert _job(trabajo.job_id) == ("todo", 1)
    trabajo.refresh_from_db()
    assert trabajo.estado == EstadoTrabajo.PENDIENTE and "Se reintentará" in trabajo.mensaje

    cola()
    _esperar(lambda: Trabajo.objects.get(pk=trabajo.pk).estado == EstadoTrabajo.TERMINADO, "el reintento terminó")
    _esperar(lambda: _job(trabajo.job_id)[0] == "succeeded", "la cola marcó el reintento como hecho")
    assert _job(trabajo.job_id)[1] == 2  # the killed attempt and the one that finished
    assert MedidaCautelar.objects.filter(expediente=expediente).count() == 1  # done once, not twice


def test_un_trabajo_atascado_sin_intentos_restantes_queda_fallido(usuarios, tasa, cola):
    trabajo = _oficios_trabajo(usuarios)
    # as if four earlier attempts had died with their workers and this fifth one too
    _sql("UPDATE procrastinate_jobs SET status = 'doing', attempts = 4, worker_id = NULL WHERE id = %s",
         trabajo.job_id)
    assert trabajos_atascados_reintentar(segundos_sin_latido=1) == []
    assert _job(trabajo.job_id) == ("failed", 5)  # the fifth attempt counted, none left
    trabajo.refresh_from_db()
    assert trabajo.estado == EstadoTrabajo.FALLIDO and "se detuvo sin terminar" in trabajo.error


def test_la_importacion_de_una_matriz_corre_en_el_trabajador_real(usuarios, cola):
    """The screen's import is a job: the real worker reads the pending workbook from the database,
    imports it, and the job's record links to the result."""
    from expedientes.models import ExpedientePage, ImportacionMatriz, LibroPendiente
    from expedientes.services.importacion import libro_pendiente_guardar, matriz_importar_pedir
    from tests.informes.test_importacion import _bytes, _cedulas, libro_2014

    secretaria = usuarios["secretaria"]
    libro = libro_pendiente_guardar(contenido=_bytes(libro_2014(_cedulas(5))), nombre_archivo="enero-2014.xlsx",
                                    usuario=secretaria)
    trabajo = matriz_importar_pedir(libro=libro, usuario=secretaria, corte=date(2014, 12, 31), simular=False)
    cola()
    _esperar(lambda: Trabajo.objects.get(pk=trabajo.pk).estado in (EstadoTrabajo.TERMINADO, EstadoTrabajo.FALLIDO),
             "la importación terminó")
    trabajo.refresh_from_db()
    assert trabajo.estado == EstadoTrabajo.TERMINADO, trabajo.error
    importacion = ImportacionMatriz.objects.get(pk=trabajo.resultado["importacion"])
    assert importacion.estado == ImportacionMatriz.Resultado.IMPORTADA and importacion.trabajo_id == trabajo.pk
    assert ExpedientePage.objects.filter(fila_importada__importacion=importacion).count() == 5
    assert not LibroPendiente.objects.exists() and importacion.documento.sha256
