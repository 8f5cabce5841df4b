"""Background tasks of the expedientes (procrastinate autodiscovers this module; the queue's
choice and its shared pieces: portal/cola.py). Delivery is at-least-once: every task here is
safe to run twice."""

from __future__ import annotations

import logging

from django.utils import timezone
from procrastinate.contrib.django import app

from expedientes.texto import TIPOS, TIPOS_PDF
from portal.cola import COLA_DOCUMENTOS, COLA_PERIODICA, COLA_TRABAJOS, REINTENTOS, diferir, trabajo_ejecutar

logger = logging.getLogger("expedientes.tasks")

# what the text reader takes (expedientes/texto.py); signatures live only in PDFs
TIPOS_CON_TEXTO = TIPOS
TIPOS_CON_FIRMA = TIPOS_PDF


# --------------------------------------------------------------------------- each new version


@app.task(queue=COLA_DOCUMENTOS, retry=REINTENTOS)
def version_texto(version_id: int) -> None:
    """The text of every page of a version (OCR or the PDF's own text): expedientes.services.texto."""
    from expedientes.services.texto import version_texto_extraer

    version_texto_extraer(version_id=version_id)


@app.task(queue=COLA_DOCUMENTOS, retry=REINTENTOS)
def version_firmas(version_id: int) -> None:
    """The electronic signatures of a PDF version: expedientes.services.firmas."""
    from expedientes.services.firmas import version_firmas_verificar

    version_firmas_verificar(version_id=version_id)


def version_tareas_encolar(version) -> None:
    """Queue the reading of a new version: text for PDFs and images, signatures for PDFs; the
    other types are marked «no corresponde» at once. Called inside the custody transaction
    (services.adjuntos._version_registrar): the jobs are rows of that same transaction, so an
    upload that rolls back queues nothing, and a committed one is never forgotten."""
    from expedientes.models import AdjuntoVersion, EstadoFirma, EstadoTexto

    tipo = (version.tipo_mime or "").split(";")[0].strip().lower()
    cambios = {}
    if tipo in TIPOS_CON_TEXTO:
        diferir(version_texto, version_id=version.pk)
    else:
        cambios.update(texto_estado=EstadoTexto.NO_APLICA, texto_detalle="No es un PDF ni una imagen.")
    if tipo in TIPOS_CON_FIRMA:
        diferir(version_firmas, version_id=version.pk)
    else:
        cambios.update(firma_estado=EstadoFirma.NO_APLICA)
    if cambios:
        AdjuntoVersion.objects.filter(pk=version.pk).update(**cambios)
        for campo, valor in cambios.items():
            setattr(version, campo, valor)


# --------------------------------------------------------------------------- long actions


@app.task(queue=COLA_TRABAJOS, retry=REINTENTOS, pass_context=True)
def oficios_retencion(context, trabajo_id: int) -> None:
    """The bulk retention letters of a portal.Trabajo (expedientes.services.medidas)."""
    from expedientes.services.medidas import oficios_retencion_trabajo

    trabajo_ejecutar(context, trabajo_id, oficios_retencion_trabajo)


@app.task(queue=COLA_TRABAJOS, retry=REINTENTOS, pass_context=True)
def matriz_importar(context, trabajo_id: int) -> None:
    """The dry run or the import of an uploaded historical matrix (expedientes.services.importacion)."""
    from expedientes.services.importacion import matriz_importar_trabajo

    trabajo_ejecutar(context, trabajo_id, matriz_importar_trabajo)


# --------------------------------------------------------------------------- periodic


def convenios_revisar_todos(fecha=None) -> dict:
    """The daily review of the payment plans in force (`manage.py convenios_revisar`): a plan
    with an instalment overdue past the grace days is declared breached and enforcement resumes.
    Each plan is reviewed under its own lock (services.cuenta.convenio_revisar), so running this
    twice the same day changes nothing the second time."""
    from expedientes.models import ConvenioPago, EstadoConvenio
    from expedientes.services.cuenta import convenio_revisar

    hoy = fecha or timezone.localdate()
    resumen = {"fecha": hoy.isoformat(), EstadoConvenio.VIGENTE.value: 0, EstadoConvenio.CUMPLIDO.value: 0,
               EstadoConvenio.INCUMPLIDO.value: 0, "cambios": []}
    vigentes = ConvenioPago.objects.filter(estado=EstadoConvenio.VIGENTE).select_related("expediente")
    for convenio in vigentes:
        estado = convenio_revisar(convenio=convenio, fecha=hoy)
        resumen[str(estado)] += 1
        if estado != EstadoConvenio.VIGENTE:
            resumen["cambios"].append([convenio.expediente.numero, str(estado)])
    return resumen


# 06:00 UTC = 01:00 in Ecuador, before the unit's working day
@app.periodic(cron="0 6 * * *")
@app.task(queue=COLA_PERIODICA, queueing_lock="convenios_revisar", retry=REINTENTOS)
def convenios_revisar_diario(timestamp: int) -> None:
    resumen = convenios_revisar_todos()
    logger.info("revisión diaria de convenios: %s", resumen)
