"""Changing the state of an expediente: only along the table of expedientes/estados.py,
always with who, when, why and (when there is one) the actuación that caused it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from archivo.fases import abierto_exigir
from expedientes.estados import SUSPENSIVOS, Estado, transicion_permitida, siguientes
from expedientes.models import ExpedientePage, Transicion
from permisos.custodia import Accion, registro_anotar

from .fechas import fecha_acto_validar
from .plazos import plazo_recalcular
from .precondiciones import precondiciones_verificar


def expediente_bloquear(expediente: ExpedientePage, *, cerrado: bool = False) -> ExpedientePage:
    """The expediente's row, locked until the transaction ends and read fresh: every service
    that decides on the state or the balance decides on this copy, never on the caller's.
    A closed (or transferred) expediente is read-only: refused here, for every service,
    unless the caller is the archive's own (cerrado=True: reopening, transfer, disposal)."""
    actual = ExpedientePage.objects.select_for_update().get(pk=expediente.pk)
    if not cerrado:
        abierto_exigir(actual)
    return actual


def expediente_transicion(*, expediente: ExpedientePage, hasta: str, usuario, motivo: str,
                          fecha: date | None = None, actuacion=None) -> Transicion:
    """The one writer of `estado`: on the locked row, along the table of estados.py, after
    the preconditions of the state entered (precondiciones.py), with who/when/why."""
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo del cambio de estado."})
    fecha = fecha or timezone.localdate()
    with transaction.atomic():
        actual = expediente_bloquear(expediente)
        fecha_acto_validar(expediente=actual, fecha=fecha, que="del cambio de estado")
        desde = actual.estado
        if not transicion_permitida(desde, hasta):
            posibles = ", ".join(str(e.label) for e in siguientes(desde)) or "ninguno (estado final)"
            raise ValidationError(
                f"El expediente {actual.numero} está en «{Estado(desde).label}» y no puede pasar a "
                f"«{Estado(hasta).label}». Estados posibles: {posibles}."
            )
        precondiciones_verificar(actual, hasta, usuario=usuario, fecha=fecha)
        transicion = Transicion(
            expediente=actual, desde=desde, hasta=hasta, fecha=fecha,
            motivo=motivo, actuacion=actuacion, usuario=usuario,
        )
        transicion.full_clean()
        transicion.save()
        ExpedientePage.objects.filter(pk=actual.pk).update(estado=hasta)
        expediente.estado = hasta
        plazo_recalcular(expediente)  # the citation, a plan, the press... start or end deadlines
        # last: the custody log's append lock lasts until the (caller's) transaction ends
        registro_anotar(
            accion=Accion.CAMBIO_ESTADO, usuario=usuario, expediente=actual,
            objeto=f"{Estado(desde).label} → {Estado(hasta).label}",
            datos={"desde": desde, "hasta": hasta, "fecha": fecha, "motivo": motivo,
                   "transicion": transicion.pk, "actuacion": actuacion.pk if actuacion else None},
        )
        return transicion


def estado_anterior_a_suspension(expediente: ExpedientePage) -> str:
    """Where enforcement stood before the current suspension (convenio, impugnación)."""
    entrada = (
        expediente.transiciones.filter(hasta=expediente.estado).order_by("-registrada_en", "-pk").first()
    )
    return entrada.desde if entrada else Estado.INICIADO


def expediente_reanudar(*, expediente: ExpedientePage, usuario, motivo: str, fecha=None,
                        actuacion=None) -> Transicion:
    """Leave a suspensive state (convenio incumplido, impugnación resuelta) back to where
    enforcement was."""
    if expediente.estado not in SUSPENSIVOS:
        raise ValidationError(
            f"El expediente {expediente.numero} no está suspendido (está en «{expediente.get_estado_display()}»)."
        )
    return expediente_transicion(
        expediente=expediente, hasta=estado_anterior_a_suspension(expediente), usuario=usuario,
        motivo=motivo, fecha=fecha, actuacion=actuacion,
    )
