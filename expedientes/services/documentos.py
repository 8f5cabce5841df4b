"""Generated documents: an editable template, the expediente's data, WeasyPrint, and the
custody pipeline, as a new version of the actuación's attachment with its signer."""

import io
import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from expedientes import plazos
from expedientes.calendario import fecha_formatear, termino_vencimiento
from expedientes.custodia import custodiar
from expedientes.documentos import documento_pdf, plantilla_renderizar
from expedientes.documentos.contexto import (
    EXTRA_EJEMPLO, contexto_documento, contexto_ejemplo, cuenta_para_documento,
)
from expedientes.formato import usd
from expedientes.models import ClaveDocumento, DocumentoEmitido, PlantillaDocumento, TipoActuacion

from .actuaciones import actuacion_registrar
from .adjuntos import adjunto_registrar
from .fechas import fecha_acto_validar
from .proceso import expediente_bloquear

PLANTILLAS = Path(__file__).resolve().parent.parent / "documentos" / "plantillas"
ACTUACION_DE = {
    ClaveDocumento.AUTO_PAGO: TipoActuacion.AUTO_DE_PAGO,
    ClaveDocumento.PROVIDENCIA_IMPULSO: TipoActuacion.PROVIDENCIA,
    ClaveDocumento.OFICIO_RETENCION: TipoActuacion.OFICIO,
    ClaveDocumento.OFICIO_LEVANTAMIENTO: TipoActuacion.OFICIO,
    ClaveDocumento.AUTO_EMBARGO: TipoActuacion.EMBARGO,
    ClaveDocumento.RAZON_CITACION: TipoActuacion.RAZON,
    ClaveDocumento.INFORME_INSOLVENCIA: TipoActuacion.INFORME_INSOLVENCIA,
}


def plantilla_validar(cuerpo: str) -> None:
    """Raise a ValidationError if the template does not render with the documented names."""
    plantilla_renderizar(cuerpo, contexto_ejemplo(EXTRA_EJEMPLO))


def plantillas_asegurar() -> list[PlantillaDocumento]:
    """Create the templates that are missing from the defaults in documentos/plantillas/.
    Existing ones (edited by the unit) are never touched."""
    creadas = []
    for clave in ClaveDocumento:
        if PlantillaDocumento.objects.filter(clave=clave).exists():
            continue
        plantilla = PlantillaDocumento.objects.create(
            clave=clave, nombre=clave.label, tipo_actuacion=ACTUACION_DE[clave],
            cuerpo=(PLANTILLAS / f"{clave.value}.html").read_text(encoding="utf-8"),
        )
        plantilla.save_revision(log_action=True)
        creadas.append(plantilla)
    return creadas


# Issued once per expediente: a second one is a double submit or a mistake (correct the
# first by generating a new version of its actuación).
UNA_VEZ = (ClaveDocumento.AUTO_PAGO,)


def _emitido_una_vez(clave: str, validar):
    def comprobar(e):
        previo = DocumentoEmitido.objects.filter(expediente=e, clave=clave).first()
        if previo:
            raise ValidationError(f"El documento «{ClaveDocumento(clave).label}» ya se emitió en el expediente "
                                  f"{e.numero} el {fecha_formatear(previo.fecha)}: se emite una sola vez.")
        if validar:
            validar(e)
    return comprobar


class _Desactualizado(Exception):
    """The record changed between rendering and locking: what was printed is not what holds."""


INTENTOS = 3


def plazos_del_documento(clave: str, fecha: date) -> dict:
    """The deadlines a document prints, counted on the calendar as it is when it is issued."""
    if clave == ClaveDocumento.OFICIO_RETENCION:
        c = termino_vencimiento(desde=fecha, dias=plazos.DIAS_RESPUESTA_OFICIO, evento="la fecha del oficio")
        return {"respuesta": {"vence": c.vence, "explicacion": c.explicacion}}
    if clave == ClaveDocumento.RAZON_CITACION:
        c = termino_vencimiento(desde=fecha, dias=plazos.DIAS_PAGO_TRAS_CITACION, evento="la citación")
        return {"pago": {"vence": c.vence, "explicacion": c.explicacion}}
    return {}


def _cifras(contexto: dict) -> dict:
    """What a document asserts that a later recomputation could contradict, as JSON."""
    datos = {"cuenta": contexto["cuenta"], "plazos": contexto.get("plazos", {})}
    return json.loads(json.dumps(datos, cls=DjangoJSONEncoder))


def documento_generar(*, expediente, clave: str, usuario, firmante=None, fecha: date | None = None,
                      actuacion=None, extra: dict | None = None, numero: str = "",
                      validar=None, preparar=None, registrar=None):
    """Render a document, take it into custody and record it; returns the AdjuntoVersion.

    The order keeps external work out of row locks (issue 7): the act's rules are checked
    first (fail before any work), the PDF is rendered and goes through the antivirus and the
    store with no row locked, and only then, in the custody transaction, the expediente is
    locked, the rules checked again on the fresh row and the figures printed compared with
    the figures now (a concurrent change: nothing is kept, render again). Any refusal there
    rolls back and the stored version is removed.

    validar(expediente): the act's own rules (ValidationError).
    preparar(expediente) -> (numero, extra): what depends on the record (an oficio's number).
    registrar(expediente, version): the act's own rows (measure, transition), same transaction."""
    plantilla = PlantillaDocumento.objects.get(clave=clave)
    fecha = fecha or timezone.localdate()
    firmante = firmante or usuario
    if clave in UNA_VEZ and actuacion is None:
        validar = _emitido_una_vez(clave, validar)
    fecha_acto_validar(expediente=expediente, fecha=fecha, que="del documento")
    revision = plantilla.latest_revision
    origen = {
        "firmante": firmante,
        "generado_con": f"Plantilla «{plantilla.nombre}», revisión {revision.pk if revision else 'inicial'}",
    }
    nombre = f"{plantilla.clave}-{expediente.numero}-{fecha:%Y%m%d}.pdf"

    def contexto_de(e) -> tuple[str, dict]:
        numero_doc, extra_doc = preparar(e) if preparar else (numero, extra or {})
        extra_doc = {**extra_doc, "plazos": plazos_del_documento(clave, fecha)}
        return numero_doc, contexto_documento(expediente=e, fecha=fecha, firmante=firmante, extra=extra_doc)

    for _intento in range(INTENTOS):
        expediente.refresh_from_db()  # the caller's copy (and what it prefetched) may be stale
        if validar:
            validar(expediente)
        numero_doc, contexto = contexto_de(expediente)
        pdf = documento_pdf(plantilla.cuerpo, contexto)

        def registrar_en_custodia(custodiado):
            bloqueado = expediente_bloquear(expediente)
            if validar:
                validar(bloqueado)
            if contexto_de(bloqueado) != (numero_doc, contexto):
                raise _Desactualizado
            destino = actuacion or actuacion_registrar(
                expediente=bloqueado, tipo=plantilla.tipo_actuacion, fecha=fecha, usuario=usuario,
                numero=numero_doc, resumen=plantilla.nombre)
            version = adjunto_registrar(actuacion=destino, titulo=plantilla.nombre, custodiado=custodiado,
                                        usuario=usuario, **origen)
            emitido = DocumentoEmitido(version=version, expediente=bloqueado, clave=clave, fecha=fecha,
                                       cifras=_cifras(contexto))
            emitido.full_clean()
            emitido.save()
            if registrar:
                registrar(bloqueado, version)
            expediente.estado = bloqueado.estado
            return version

        try:
            return custodiar(flujo=io.BytesIO(pdf), nombre=nombre, registrar=registrar_en_custodia)
        except _Desactualizado:
            continue
    raise ValidationError("El expediente cambió mientras se generaba el documento (otra persona registró "
                          "algo al mismo tiempo). No se guardó nada: intente de nuevo.")


def documento_diferencias(emitido: DocumentoEmitido, *, expediente=None) -> list[str]:
    """What a recomputation today (rates, calendar, ledger as they are now) says differently
    from what the document printed. The document stays as issued; the screen says it.
    `expediente`: the emitido's, with its ledger prefetched (one read for all its documents)."""
    impreso = emitido.cifras
    try:
        cuenta = cuenta_para_documento(expediente or emitido.expediente, emitido.fecha)
    except ValidationError as error:
        return [f"no se puede recalcular la cuenta: {' '.join(error.messages)}"]
    ahora = _cifras({"cuenta": cuenta, "plazos": plazos_del_documento(emitido.clave, emitido.fecha)})
    diferencias = []
    for concepto, valor in impreso.get("cuenta", {}).items():
        if ahora["cuenta"].get(concepto) != valor:
            diferencias.append(f"{concepto}: se notificó {usd(valor)}; recalculado hoy, {usd(ahora['cuenta'].get(concepto))}")
    for concepto, plazo in impreso.get("plazos", {}).items():
        nuevo = ahora["plazos"].get(concepto, {}).get("vence")
        if nuevo != plazo.get("vence"):
            diferencias.append(f"plazo de {concepto}: se notificó el {_dma(plazo.get('vence'))}; "
                               f"con el calendario de hoy vence el {_dma(nuevo)}")
    return diferencias


def _dma(iso: str | None) -> str:
    return fecha_formatear(date.fromisoformat(iso)) if iso else "—"
