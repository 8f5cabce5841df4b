"""The queue: background work on procrastinate (issue 12).

Why procrastinate and not Celery: the jobs live in PostgreSQL, which every machine of the
portal already shares, so a worker is `manage.py procrastinate worker` on any machine with no
broker to run and secure; a job deferred inside a transaction disappears with a rollback (an
upload that fails queues nothing); periodic jobs run in every worker and the database keeps them
from running twice (measured in /work/shared/design/BACKENDS.md «Background work»).

The queue-wide pieces live here (listed in PROCRASTINATE_IMPORT_PATHS; each app keeps its own
tasks in <app>/tasks.py):
- REINTENTOS: retry with exponential backoff, 5 attempts in all (3, 9, 27, 81 s between them);
- cola_trabajos_atascados: every 10 minutes, jobs whose worker stopped sending heartbeats
  (killed, machine lost) go back to the queue: procrastinate leaves them «doing» otherwise;
- trabajo_ejecutar: runs a job that has a portal.Trabajo record (progress, failure reason)."""

from __future__ import annotations

import json
import logging

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

logger = logging.getLogger("portal.cola")

COLA_DOCUMENTOS = "documentos"
COLA_TRABAJOS = "trabajos"
COLA_PERIODICA = "periodicas"
COLAS = (COLA_DOCUMENTOS, COLA_TRABAJOS, COLA_PERIODICA)

INTENTOS = 5
# max_attempts counts the retries after the first run: 4 retries = 5 attempts in all
REINTENTOS = RetryStrategy(max_attempts=INTENTOS - 1, exponential_wait=3)

# A worker sends a heartbeat every 10 s (procrastinate's default); silent for this long = dead.
SEGUNDOS_SIN_LATIDO = 60


def trabajos_atascados_reintentar(*, segundos_sin_latido: float = SEGUNDOS_SIN_LATIDO) -> list[int]:
    """Send back to the queue the jobs left «doing» by a worker that died (BACKENDS.md trap 1).
    Each goes back with one more attempt counted; one that already used them all is marked
    failed instead (a job that kills its worker every time must not loop forever)."""
    # Synchronous, through Django's connection (procrastinate's DjangoConnector): callable from a
    # sync task in the worker's thread, a command or a test, with no event loop involved.
    from procrastinate import jobs as jobs_module
    from procrastinate import sql, utils
    from procrastinate.contrib.django.django_connector import DjangoConnector

    conector = DjangoConnector()
    filas = conector.execute_query_all(query=sql.queries["select_stalled_jobs_by_heartbeat"], queue=None,
                                       task_name=None, seconds_since_heartbeat=segundos_sin_latido)
    reintentados = []
    for job in (jobs_module.Job.from_row(fila) for fila in filas):
        if job.attempts + 1 >= INTENTOS:
            conector.execute_query(query=sql.queries["finish_job"], job_id=job.id,
                                   status=jobs_module.Status.FAILED.value, delete_job=False)
            _trabajo_perdido(job, definitivo=True)
            logger.warning("trabajo de la cola %s (%s) atascado sin intentos restantes: fallido",
                           job.id, job.task_name)
            continue
        conector.execute_query(query=sql.queries["retry_job"], job_id=job.id, retry_at=utils.utcnow(),
                               new_priority=None, new_queue_name=None, new_lock=None)
        _trabajo_perdido(job, definitivo=False)
        reintentados.append(job.id)
        logger.warning("trabajo de la cola %s (%s) atascado: devuelto a la cola", job.id, job.task_name)
    return reintentados


def _trabajo_perdido(job, *, definitivo: bool) -> None:
    argumentos = job.task_kwargs or {}
    if isinstance(argumentos, str):  # jsonb through Django's connection comes back as text
        argumentos = json.loads(argumentos)
    trabajo_id = argumentos.get("trabajo_id")
    if not trabajo_id:
        return
    from .models import Trabajo
    from .trabajos import trabajo_fallar

    if Trabajo.objects.filter(pk=trabajo_id).exists():
        trabajo_fallar(trabajo_id, definitivo=definitivo,
                       error="El proceso que lo ejecutaba se detuvo sin terminar (reinicio o caída del servidor).")


@app.periodic(cron="*/10 * * * *")
@app.task(queue=COLA_PERIODICA, queueing_lock="retry_stalled_jobs", pass_context=True)
def cola_trabajos_atascados(context, timestamp: int) -> None:
    trabajos_atascados_reintentar()


def trabajo_ejecutar(context, trabajo_id: int, hacer) -> None:
    """Run `hacer(trabajo_id)` for a job with a Trabajo record: a failure is written to the record
    in Spanish (retried or final, as the queue will decide) and re-raised for the queue."""
    from .trabajos import trabajo_fallar

    try:
        hacer(trabajo_id)
    except Exception as error:
        quedan = context.job.attempts + 1 < INTENTOS
        trabajo_fallar(trabajo_id, error=_explicar(error), definitivo=not quedan)
        raise


def _explicar(error: Exception) -> str:
    mensaje = getattr(error, "mensaje", None) or " ".join(getattr(error, "messages", []) or []) or str(error)
    return mensaje or error.__class__.__name__


def trabajo_periodico(*, tipo: str, titulo: str, marca: int, job_id: int | None = None) -> int:
    """The Trabajo record of one run of a periodic job (the same record when that run is retried)."""
    from .models import Trabajo
    from .trabajos import trabajo_crear

    existente = Trabajo.objects.filter(tipo=tipo, parametros__marca=marca).values_list("pk", flat=True).first()
    if existente:
        return existente
    trabajo = trabajo_crear(tipo=tipo, titulo=titulo, parametros={"marca": marca})
    Trabajo.objects.filter(pk=trabajo.pk).update(job_id=job_id)
    return trabajo.pk


def diferir(tarea, **argumentos) -> int:
    """Defer a job through Django's own connection, so it is a row of the caller's transaction
    (a rollback removes it; the worker cannot take it before the commit) also inside a worker:
    there procrastinate's app holds a psycopg connector of its own, and a plain `tarea.defer()`
    from a task would queue the job outside the task's transaction."""
    from procrastinate import manager
    from procrastinate.contrib.django.django_connector import DjangoConnector

    diferidor = tarea.configure()
    diferidor.job_manager = manager.JobManager(DjangoConnector())
    return diferidor.defer(**argumentos)
