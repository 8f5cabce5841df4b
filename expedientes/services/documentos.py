"""Generated documents: an editable template, the expediente's data, WeasyPrint, and the
custody pipeline, as a new version of the actuación's attachment with its signer."""

import io
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from expedientes.documentos import documento_pdf, plantilla_renderizar
from expedientes.documentos.contexto import EXTRA_EJEMPLO, contexto_documento, contexto_ejemplo
from expedientes.models import ClaveDocumento, PlantillaDocumento, TipoActuacion

from .actuaciones import actuacion_registrar
from .adjuntos import adjunto_crear, adjunto_version_crear

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


def documento_generar(*, expediente, clave: str, usuario, firmante=None, fecha: date | None = None,
                      actuacion=None, extra: dict | None = None, numero: str = ""):
    """Render the document and store it; returns the AdjuntoVersion. A template error or a
    refused file leaves nothing behind (not even the actuación)."""
    plantilla = PlantillaDocumento.objects.get(clave=clave)
    fecha = fecha or timezone.localdate()
    if fecha < expediente.fecha_recepcion:
        raise ValidationError(f"La fecha del documento ({fecha:%d/%m/%Y}) es anterior a la recepción "
                              f"de la orden de cobro ({expediente.fecha_recepcion:%d/%m/%Y}).")
    firmante = firmante or usuario
    pdf = documento_pdf(plantilla.cuerpo, contexto_documento(
        expediente=expediente, fecha=fecha, firmante=firmante, extra=extra))
    revision = plantilla.latest_revision
    origen = {
        "firmante": firmante,
        "generado_con": f"Plantilla «{plantilla.nombre}», revisión {revision.pk if revision else 'inicial'}",
    }
    nombre = f"{plantilla.clave}-{expediente.numero}-{fecha:%Y%m%d}.pdf"
    with transaction.atomic():
        if actuacion is None:
            actuacion = actuacion_registrar(expediente=expediente, tipo=plantilla.tipo_actuacion,
                                            fecha=fecha, usuario=usuario, numero=numero,
                                            resumen=plantilla.nombre)
        existente = actuacion.adjuntos.filter(titulo=plantilla.nombre).first()
        if existente:
            return adjunto_version_crear(adjunto=existente, flujo=io.BytesIO(pdf), nombre=nombre,
                                         usuario=usuario, **origen)
        return adjunto_crear(actuacion=actuacion, titulo=plantilla.nombre, flujo=io.BytesIO(pdf),
                             nombre=nombre, usuario=usuario, **origen)
