"""Background tasks of the archive (procrastinate autodiscovers this module; see portal/cola.py)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from portal.cola import COLA_PERIODICA, REINTENTOS, trabajo_ejecutar, trabajo_periodico

TRABAJO_FIJEZA = "fijeza_auditar"


def fijeza_trabajo(trabajo_id: int) -> None:
    """The fixity audit of the whole store, with progress on its Trabajo. Resumable by design
    (archivo.services.fijeza keeps a cursor): a retry continues where the killed run stopped."""
    from archivo.models import EstadoAuditoria
    from archivo.services.fijeza import fijeza_auditar
    from portal.trabajos import trabajo_avanzar, trabajo_empezar, trabajo_fallar, trabajo_terminar

    trabajo_empezar(trabajo_id, mensaje="Auditoría de integridad del almacén")

    def avanzar(avance):
        if avance.revisadas % 100 == 0 or avance.revisadas == avance.total:
            trabajo_avanzar(trabajo_id, avance.revisadas, avance.total,
                            f"{avance.revisadas} de {avance.total} versiones revisadas")

    auditoria = fijeza_auditar(lote=0, progreso=avanzar)
    resumen = {"auditoria": auditoria.pk, "revisadas": auditoria.revisadas, "correctas": auditoria.correctas,
               "alteradas": auditoria.alteradas, "faltantes": auditoria.faltantes, "errores": auditoria.errores}
    if auditoria.estado != EstadoAuditoria.COMPLETA:
        raise RuntimeError(f"La auditoría n.º {auditoria.pk} quedó en curso.")
    if auditoria.alteradas or auditoria.faltantes or auditoria.errores:
        # findings are a result, not a crash: no retry, the record says what to look at
        trabajo_fallar(trabajo_id, resultado=resumen, error=(
            f"Integridad comprometida en la auditoría n.º {auditoria.pk}: {auditoria.alteradas} versiones "
            f"alteradas, {auditoria.faltantes} faltantes y {auditoria.errores} ilegibles."))
        return
    trabajo_terminar(trabajo_id, resultado=resumen, mensaje=(
        f"Auditoría n.º {auditoria.pk}: las {auditoria.revisadas} versiones coinciden con su registro."))


# Sundays 07:00 UTC (02:00 in Ecuador)
@app.periodic(cron="0 7 * * 0")
@app.task(queue=COLA_PERIODICA, queueing_lock="fijeza_auditar", retry=REINTENTOS, pass_context=True)
def fijeza_semanal(context, timestamp: int) -> None:
    trabajo_id = trabajo_periodico(tipo=TRABAJO_FIJEZA, titulo="Auditoría semanal de integridad",
                                   marca=timestamp, job_id=context.job.id)
    trabajo_ejecutar(context, trabajo_id, fijeza_trabajo)
