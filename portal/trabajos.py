"""The record of a background job (portal.Trabajo): created when a long action is asked for,
advanced by the task as it goes, ended once. Every state change locks the row (a job may run
twice: delivery is at-least-once, and a worker killed mid-task is retried), and start / failure
are written to the custody log (Accion.TRABAJO).

Progress writes are short transactions of their own: the task never holds this row locked
while it does the slow work."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from permisos.custodia import Accion, registro_anotar
from permisos.roles import ROL_AUDITOR, ROL_JEFE

from .models import EstadoTrabajo, Trabajo

logger = logging.getLogger("portal.trabajos")

MENSAJE_MAXIMO = 500


def _corto(texto: str) -> str:
    texto = " ".join(str(texto or "").split())
    return texto if len(texto) <= MENSAJE_MAXIMO else texto[: MENSAJE_MAXIMO - 1] + "…"


def trabajo_crear(*, tipo: str, titulo: str, usuario=None, parametros: dict | None = None,
                  total: int | None = None, tarea=None, **argumentos) -> Trabajo:
    """The record, and (with `tarea`, a procrastinate task) the job that does it, deferred in
    the caller's transaction: if that rolls back, neither exists. The task receives
    trabajo_id plus `argumentos`."""
    with transaction.atomic():
        trabajo = Trabajo.objects.create(tipo=tipo, titulo=_corto(titulo)[:200], creado_por=usuario,
                                         parametros=parametros or {}, total=total,
                                         mensaje="En espera de un proceso de la cola.")
        if tarea is not None:
            from .cola import diferir

            trabajo.job_id = diferir(tarea, trabajo_id=trabajo.pk, **argumentos)
            trabajo.save(update_fields=["job_id"])
        registro_anotar(accion=Accion.TRABAJO, usuario=usuario, objeto=f"trabajo {trabajo.pk}",
                        datos={"evento": "creado", "tipo": tipo, "titulo": trabajo.titulo},
                        usuario_nombre="" if usuario else "cola")
    return trabajo


def trabajo_empezar(trabajo_id: int, *, total: int | None = None, mensaje: str = "") -> Trabajo:
    """The task starts (or starts again after a retry: the counters go back to zero; the work
    itself is idempotent and skips what an earlier attempt finished)."""
    with transaction.atomic():
        trabajo = Trabajo.objects.select_for_update().get(pk=trabajo_id)
        trabajo.estado = EstadoTrabajo.EN_CURSO
        trabajo.intentos += 1
        trabajo.empezado_en = timezone.now()
        trabajo.terminado_en = None
        trabajo.error = ""
        trabajo.hechos = 0
        trabajo.total = total if total is not None else trabajo.total
        trabajo.mensaje = _corto(mensaje or ("Reanudado" if trabajo.intentos > 1 else "Empezado"))
        trabajo.save()
    return trabajo


def trabajo_avanzar(trabajo_id: int, hechos: int, total: int | None, mensaje: str = "") -> None:
    """Progress: one short UPDATE (no lock held across the task's work)."""
    campos = {"hechos": max(0, int(hechos)), "total": total}
    if mensaje:
        campos["mensaje"] = _corto(mensaje)
    Trabajo.objects.filter(pk=trabajo_id, estado=EstadoTrabajo.EN_CURSO).update(**campos)


def trabajo_terminar(trabajo_id: int, *, resultado: dict | None = None, mensaje: str = "") -> Trabajo:
    with transaction.atomic():
        trabajo = Trabajo.objects.select_for_update().get(pk=trabajo_id)
        trabajo.estado = EstadoTrabajo.TERMINADO
        trabajo.resultado = resultado or {}
        trabajo.mensaje = _corto(mensaje or "Terminado")
        if trabajo.total is not None:
            trabajo.hechos = trabajo.total
        trabajo.terminado_en = timezone.now()
        trabajo.save()
    return trabajo


def trabajo_fallar(trabajo_id: int, *, error: str, resultado: dict | None = None,
                   definitivo: bool = True) -> Trabajo:
    """A failure, with its reason in Spanish. definitivo=False: the queue will try again (the
    record says so and stays «en curso» until the next attempt starts)."""
    with transaction.atomic():
        trabajo = Trabajo.objects.select_for_update().get(pk=trabajo_id)
        trabajo.error = str(error)
        if resultado is not None:
            trabajo.resultado = resultado
        if definitivo:
            trabajo.estado = EstadoTrabajo.FALLIDO
            trabajo.terminado_en = timezone.now()
            trabajo.mensaje = _corto(f"Falló: {error}")
        else:
            trabajo.estado = EstadoTrabajo.PENDIENTE
            trabajo.mensaje = _corto(f"Se reintentará: {error}")
        trabajo.save()
        registro_anotar(accion=Accion.TRABAJO, usuario=trabajo.creado_por, objeto=f"trabajo {trabajo.pk}",
                        datos={"evento": "fallido" if definitivo else "reintento", "tipo": trabajo.tipo,
                               "error": _corto(error)},
                        usuario_nombre="" if trabajo.creado_por else "cola")
    logger.warning("trabajo %s (%s) %s: %s", trabajo.pk, trabajo.tipo,
                   "falló" if definitivo else "se reintentará", error)
    return trabajo


def trabajos_visibles(usuario):
    """Each user sees his own jobs; jefe and auditor (and superusers) see every job."""
    qs = Trabajo.objects.select_related("creado_por")
    if not usuario.is_authenticated:
        return qs.none()
    if usuario.is_superuser or usuario.groups.filter(name__in=[ROL_JEFE, ROL_AUDITOR]).exists():
        return qs
    return qs.filter(creado_por=usuario)
