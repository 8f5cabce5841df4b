"""The stored next deadline of each expediente (`plazo_vence`, `plazo_concepto`,
`plazo_explicacion`): what the home's panels and the listing read with SQL, instead of computing
every expediente's deadlines in Python on each request.

The value is expedientes.plazos.vencimientos_de (the one rule) of the expediente, soonest first;
an expediente in a final state waits on nothing. With it, the two dates of the citation
service level (plazos.citacion_servicio), which the home counts in SQL. It depends on the state and its transitions
(citation), the reception date, the retention letters, the payment plans and their payments,
the press publications and the legal calendar; each service that changes one of them calls
`plazo_recalcular` inside its transaction, on the locked row, after its own writes (and before
the custody-log entry, which must stay last). Calendar edits call `plazos_recalcular_desde`.
The value does not drift with time: every date it shows was fixed by a recorded act (a plan's
pending instalment changes only with a payment, and payments are never dated in the future).

`manage.py plazos_recalcular` recomputes them all (the initialisation runs it)."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from expedientes.estados import FINALES
from expedientes.models import ExpedientePage

_VACIO = {"plazo_vence": None, "plazo_concepto": "", "plazo_explicacion": ""}
CAMPOS = [*_VACIO, "citacion_limite", "citado_el"]


def _valores(expediente) -> dict:
    from expedientes import plazos  # plazos reads the ledger services, which call here

    limite, citado = plazos.citacion_servicio(expediente)
    valores = dict(_VACIO, citacion_limite=limite, citado_el=citado)
    pendientes = [] if expediente.estado in FINALES else plazos.vencimientos_de(expediente)
    if pendientes:
        primero = pendientes[0]
        valores.update(plazo_vence=primero.vence, plazo_concepto=primero.concepto[:120],
                       plazo_explicacion=primero.explicacion)
    return valores


def plazo_recalcular(expediente: ExpedientePage) -> dict:
    """Recompute and store the expediente's next deadline from the database (the caller's
    transaction sees its own writes). Returns the stored values; the caller's copy follows."""
    fresco = plazos_con_relaciones(ExpedientePage.objects.filter(pk=expediente.pk)).get()
    valores = _valores(fresco)
    ExpedientePage.objects.filter(pk=expediente.pk).update(**valores)
    for campo, valor in valores.items():
        setattr(expediente, campo, valor)
    return valores


def plazos_con_relaciones(expedientes):
    from expedientes import plazos

    return plazos.expedientes_con_vencimientos(expedientes)


def plazos_recalcular(expedientes=None, *, tamano: int = 500, progreso=None) -> int:
    """Recompute the stored deadline of `expedientes` (all by default), `tamano` at a time, each
    batch in its own transaction with its rows locked, in pk order (a service working on one of
    them waits for the batch, or the batch for it). Only rows whose values changed are written.
    Calls progreso(hechos, total) after each batch. Returns how many expedientes were read."""
    from expedientes import calendario

    base = ExpedientePage.objects.all() if expedientes is None else expedientes
    ids = list(base.order_by("pk").values_list("pk", flat=True))
    total, hechos = len(ids), 0
    for inicio in range(0, total, tamano):
        lote_ids = ids[inicio:inicio + tamano]
        with transaction.atomic():
            lote = list(plazos_con_relaciones(
                ExpedientePage.objects.filter(pk__in=lote_ids).select_for_update().order_by("pk")))
            if lote:
                desde = min(e.fecha_recepcion for e in lote)
                hoy = timezone.localdate()
                with calendario.precargado(min(desde, hoy - timedelta(days=400)), hoy + timedelta(days=400)):
                    cambios = []
                    for expediente in lote:
                        valores = _valores(expediente)
                        if any(getattr(expediente, c) != v for c, v in valores.items()):
                            for campo, valor in valores.items():
                                setattr(expediente, campo, valor)
                            cambios.append(expediente)
                ExpedientePage.objects.bulk_update(cambios, CAMPOS)
        hechos += len(lote_ids)
        if progreso is not None:
            progreso(hechos, total)
    return total


def plazos_recalcular_desde(fecha: date) -> int:
    """After a day of the legal calendar is added, changed or removed: only terms ending on or
    after it can move (a término that ended before it never counted it), and they stay on or
    after it, so an expediente whose first deadline is earlier keeps it."""
    return plazos_recalcular(ExpedientePage.objects.filter(Q(plazo_vence__gte=fecha) | Q(citacion_limite__gte=fecha)))
