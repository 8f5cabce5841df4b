"""When an act may be dated: never in the future (a record states what happened, not what
will), and never before the orden de cobro that opened the expediente. One rule, used by
every service that records an act (payments, costas, plans, measures and their answers,
searches, publications, citations, documents, state changes)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from expedientes.calendario import fecha_formatear


def fecha_no_futura(fecha: date, que: str, *, campo: str = "fecha") -> None:
    """`que` completes «La fecha …»: «del pago», «de la respuesta»."""
    hoy = timezone.localdate()
    if fecha is not None and fecha > hoy:
        raise ValidationError({campo: (
            f"La fecha {que} ({fecha_formatear(fecha)}) es posterior a hoy ({fecha_formatear(hoy)}): "
            "solo se registran actos ya ocurridos."
        )})


def fecha_acto_validar(*, expediente, fecha: date, que: str, campo: str = "fecha") -> None:
    """An act of this expediente: not in the future, not before the orden de cobro."""
    if fecha is None:
        raise ValidationError({campo: f"Indique la fecha {que}."})
    fecha_no_futura(fecha, que, campo=campo)
    if fecha < expediente.fecha_recepcion:
        raise ValidationError({campo: (
            f"La fecha {que} ({fecha_formatear(fecha)}) es anterior a la recepción de la orden de "
            f"cobro ({fecha_formatear(expediente.fecha_recepcion)})."
        )})
