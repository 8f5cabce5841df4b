"""Generated documents: an editable template, the expediente's data, WeasyPrint, and the
custody pipeline, as a new version of the actuación's attachment with its signer."""

import hashlib
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
from .firmantes import firmante_resolver
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


# SHA-256 of the default texts shipped before (git history of documentos/plantillas/): a
# template whose text is one of them was never edited by the unit, and gets the current
# default (as a new revision). Any other text is the unit's and is never touched.
DEFECTOS_ANTERIORES = frozenset({
    "577f703a730fc655cd6d629f1d444b865483b5a2580974952e29b4452442333e",
    "08347f29d8c41f1e55a60c5188c271aefebb8a47e7cc77298d167ba11d011ff3",
    "877999e32c437f2814960761fa58a3d4683e8008dd0ddff50c6866ae9c29042f",
    "4fde442e26ca5a3ef19054e1b306030bb6b154b993ab6aedc0585f3e8fc4ed9a",
    "0ac93a6f5c64dc05cc17bdfa7bab7c9204709593939f3b1409c28208d6939dde",
    "1f638a41440e81027690b7fcfe8413b02058739e4355757319ac9fa33ea84954",
    "ff3343806fd7365040777594c2ca6a4199d2da9f27e788257e9ada01bba27219",
    "5de8441caa2553e70fde07918464a51f7da6fcff1a6a0172be0fd0cf8c963fff",
    "a2a987603803f8e804e3a9551dcc2b5d37dde4339acceb9c7fe517d99dd57cf3",
})


def plantilla_defecto(clave: str) -> str:
    return (PLANTILLAS / f"{clave}.html").read_text(encoding="utf-8")


def plantillas_asegurar() -> list[PlantillaDocumento]:
    """Create the templates that are missing from the defaults in documentos/plantillas/, and
    bring an untouched earlier default up to date. Templates edited by the unit are never
    touched."""
    creadas = []
    for clave in ClaveDocumento:
        existente = PlantillaDocumento.objects.filter(clave=clave).first()
        if existente is not None:
            defecto = plantilla_defecto(clave.value)
            huella = hashlib.sha256(existente.cuerpo.encode("utf-8")).hexdigest()
            if existente.cuerpo != defecto and huella in DEFECTOS_ANTERIORES:
                existente.cuerpo = defecto
                existente.save(update_fields=["cuerpo", "actualizada_en"])
                existente.save_revision(log_action=True)
            continue
        plantilla = PlantillaDocumento.objects.create(
            clave=clave, nombre=clave.label, tipo_actuacion=ACTUACION_DE[clave],
            cuerpo=plantilla_defecto(clave.value),
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


class _Preparacion:
    """What generating and previewing a document share: its template, date, signer (chosen,
    or the document's default: services/firmantes.py), its rules and its context."""

    def __init__(self, *, expediente, clave, firmante, fecha, actuacion, extra, numero, validar, preparar):
        self.plantilla = PlantillaDocumento.objects.get(clave=clave)
        self.clave = clave
        self.fecha = fecha or timezone.localdate()
        self.firmante = firmante_resolver(clave, firmante)
        if clave in UNA_VEZ and actuacion is None:
            validar = _emitido_una_vez(clave, validar)
        self.validar, self.preparar, self.numero, self.extra = validar, preparar, numero, extra
        fecha_acto_validar(expediente=expediente, fecha=self.fecha, que="del documento")

    def contexto_de(self, e) -> tuple[str, dict]:
        numero_doc, extra_doc = self.preparar(e) if self.preparar else (self.numero, self.extra or {})
        extra_doc = {**extra_doc, "plazos": plazos_del_documento(self.clave, self.fecha)}
        return numero_doc, contexto_documento(expediente=e, fecha=self.fecha, firmante=self.firmante, extra=extra_doc)


def documento_vista_previa(*, expediente, clave: str, usuario, firmante=None, fecha: date | None = None,
                           actuacion=None, extra: dict | None = None, numero: str = "", validar=None,
                           preparar=None) -> bytes:
    """The PDF a documento_generar with the same arguments would store, marked «Vista previa»,
    and nothing else: no actuación, no file, no row, no lock."""
    p = _Preparacion(expediente=expediente, clave=clave, firmante=firmante, fecha=fecha, actuacion=actuacion,
                     extra=extra, numero=numero, validar=validar, preparar=preparar)
    expediente.refresh_from_db()
    if p.validar:
        p.validar(expediente)
    _numero, contexto = p.contexto_de(expediente)
    return documento_pdf(p.plantilla.cuerpo, contexto, vista_previa=True)


def documento_generar(*, expediente, clave: str, usuario, firmante=None, fecha: date | None = None,
                      actuacion=None, extra: dict | None = None, numero: str = "",
                      validar=None, preparar=None, registrar=None):
    """Render a document, take it into custody and record it; returns the AdjuntoVersion.

    The signer is `firmante` (who must hold a signing role) or the document's default: the
    funcionario ejecutor, the secretaría for oficios (services/firmantes.py); never simply
    `usuario`, who generated it.

    The order keeps external work out of row locks (issue 7): the act's rules are checked
    first (fail before any work), the PDF is rendered and goes through the antivirus and the
    store with no row locked, and only then, in the custody transaction, the expediente is
    locked, the rules checked again on the fresh row and the figures printed compared with
    the figures now (a concurrent change: nothing is kept, render again). Any refusal there
    rolls back and the stored version is removed.

    validar(expediente): the act's own rules (ValidationError).
    preparar(expediente) -> (numero, extra): what depends on the record (an oficio's number).
    registrar(expediente, version): the act's own rows (measure, transition), same transaction."""
    p = _Preparacion(expediente=expediente, clave=clave, firmante=firmante, fecha=fecha, actuacion=actuacion,
                     extra=extra, numero=numero, validar=validar, preparar=preparar)
    plantilla, fecha, validar, contexto_de = p.plantilla, p.fecha, p.validar, p.contexto_de
    revision = plantilla.latest_revision
    origen = {
        "firmante": p.firmante,
        "generado_con": f"Plantilla «{plantilla.nombre}», revisión {revision.pk if revision else 'inicial'}",
    }
    nombre = f"{plantilla.clave}-{expediente.numero}-{fecha:%Y%m%d}.pdf"

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
