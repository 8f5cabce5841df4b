"""The citation as an act: its date, its manner, the razón de citación (a file in custody)
and observations. It creates the actuación «Citación» with the razón attached, the Citacion
row the deadlines count from (plazos.py) and the change of state, all or nothing."""

from datetime import date

from django.core.exceptions import ValidationError

from expedientes.custodia import custodiar
from expedientes.estados import Estado, transicion_permitida
from expedientes.models import Citacion, FormaCitacion, TipoActuacion

from .actuaciones import actuacion_registrar
from .adjuntos import adjunto_registrar
from .fechas import fecha_acto_validar
from .proceso import expediente_bloquear, expediente_transicion


def _citacion_validar(expediente, *, fecha: date, forma: str) -> None:
    from .ilocalizables import citacion_prensa_efecto

    fecha_acto_validar(expediente=expediente, fecha=fecha, que="de la citación")
    if not transicion_permitida(expediente.estado, Estado.CITADO):
        raise ValidationError(
            f"El expediente {expediente.numero} está en «{expediente.get_estado_display()}»: "
            "no procede registrar una citación."
        )
    if forma == FormaCitacion.PRENSA:
        if expediente.estado != Estado.ILOCALIZABLE:
            raise ValidationError({"forma": "Solo se cita por la prensa a un coactivado declarado ilocalizable."})
        efecto = citacion_prensa_efecto(expediente)
        if efecto is None:
            raise ValidationError({"forma": "Faltan publicaciones por la prensa: regístrelas antes de la citación."})
        if fecha < efecto.vence:
            raise ValidationError({"fecha": f"La citación por la prensa aún no surte efecto: {efecto.explicacion}."})


def citacion_registrar(*, expediente, fecha: date, forma: str, archivo, usuario, observaciones: str = "",
                       nombre: str | None = None) -> Citacion:
    """Record a citation with its razón (`archivo`, a file object). The rules are checked
    first; the razón goes through the custody pipeline (antivirus, store) with no row locked;
    then, in the custody transaction, the expediente is locked, the rules checked again on the
    fresh row, and the actuación, its file, the Citacion and the transition are written. A
    refused file or a refused act leaves none of them (and no stored file)."""
    forma = FormaCitacion(forma)
    observaciones = (observaciones or "").strip()
    expediente.refresh_from_db()
    _citacion_validar(expediente, fecha=fecha, forma=forma)
    if archivo is None:
        raise ValidationError({"archivo": "Adjunte la razón de citación (el escaneo firmado)."})

    def registrar(custodiado) -> Citacion:
        actual = expediente_bloquear(expediente)
        _citacion_validar(actual, fecha=fecha, forma=forma)
        descripcion = f"Citación {forma.label.lower()}"
        actuacion = actuacion_registrar(
            expediente=actual, tipo=TipoActuacion.CITACION, fecha=fecha, usuario=usuario,
            resumen=f"{descripcion}. {observaciones}".strip() if observaciones else f"{descripcion}.")
        adjunto_registrar(actuacion=actuacion, titulo="Razón de citación", custodiado=custodiado, usuario=usuario)
        citacion = Citacion(expediente=actual, actuacion=actuacion, fecha=fecha, forma=forma,
                            observaciones=observaciones, registrada_por=usuario)
        citacion.full_clean()
        citacion.save()
        expediente_transicion(expediente=actual, hasta=Estado.CITADO, usuario=usuario, fecha=fecha,
                              motivo=f"{descripcion}; razón adjunta.", actuacion=actuacion)
        expediente.estado = actual.estado
        return citacion

    return custodiar(flujo=archivo, nombre=nombre or getattr(archivo, "name", None), registrar=registrar)
