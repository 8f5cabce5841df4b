"""Payment plans (facilidades de pago, COA arts. 274–275): which payments count toward a plan
and where each instalment stands. Pure functions on plain values, no database: a plan has
`fecha`, `registrado_en`, `dias_gracia`, `monto_total`; an instalment `numero`, `vence`,
`monto`; a payment `fecha`, `monto`, `registrado_en` (model instances or anything alike).
The review of a plan, the deadlines and the process screen all ask `convenio_situacion`.

Rules:
- A payment counts once. The plan's total is the balance at its date with the payments
  recorded by then, so those are already in it; every other payment counts toward the plan:
  one dated after the plan, or one recorded after the plan (a payment of the plan's own day
  recorded later, or a late-recorded older receipt). Plans recorded before their time of
  registration was kept (`registrado_en` empty) go by date: a payment of the plan's own day
  was in its balance.
- Payments cover the instalments in order: instalment n is covered by a date when the
  payments counted up to that date reach the cumulative amount due through n.
- Instalment n is missed (incumplida) once its due date plus the days of grace has passed
  and the payments counted up to that day did not cover it. A later catch-up payment does
  not erase a default that already happened, whatever day the review runs."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

CERO = Decimal("0.00")


class EstadoCuota(StrEnum):
    PAGADA = "pagada"  # covered by its due date plus the days of grace
    PARCIAL = "parcial"  # not yet due, partly paid
    PENDIENTE = "pendiente"  # not yet due, nothing paid
    VENCIDA = "vencida"  # due, not covered, still within the days of grace
    INCUMPLIDA = "incumplida"  # the days of grace passed without covering it

    @property
    def etiqueta(self) -> str:
        return {
            "pagada": "Pagada", "parcial": "Pagada en parte", "pendiente": "Pendiente",
            "vencida": "Vencida (en días de gracia)", "incumplida": "Incumplida",
        }[self.value]


@dataclass(frozen=True)
class SituacionCuota:
    numero: int
    vence: date
    monto: Decimal
    limite: date  # due date plus the days of grace
    pagado: Decimal  # of this instalment, with the payments counted up to the date asked
    pagado_en_plazo: Decimal  # of this instalment, with the payments counted up to `limite`
    estado: EstadoCuota

    @property
    def etiqueta(self) -> str:
        return self.estado.etiqueta

    @property
    def pendiente(self) -> Decimal:
        return self.monto - self.pagado


@dataclass(frozen=True)
class SituacionConvenio:
    fecha: date  # the date asked
    monto_total: Decimal
    pagado: Decimal  # counted toward the plan up to `fecha`
    cuotas: tuple[SituacionCuota, ...]

    @property
    def incumplida(self) -> SituacionCuota | None:
        """The first missed instalment: the plan is in default."""
        return next((c for c in self.cuotas if c.estado == EstadoCuota.INCUMPLIDA), None)

    @property
    def cumplido(self) -> bool:
        return self.incumplida is None and self.pagado >= self.monto_total

    @property
    def proxima(self) -> SituacionCuota | None:
        """The instalment the plan is waiting on (a missed one stays first, even if paid since)."""
        return next((c for c in self.cuotas if c.estado != EstadoCuota.PAGADA), None)


def pago_cuenta_para_convenio(*, pago, convenio) -> bool:
    """Whether `pago` counts toward `convenio` (otherwise it is in the plan's total)."""
    if pago.fecha > convenio.fecha:
        return True
    if convenio.registrado_en is None:
        return False
    return pago.registrado_en is not None and pago.registrado_en > convenio.registrado_en


def _acotar(valor: Decimal, monto: Decimal) -> Decimal:
    return min(max(valor, CERO), monto)


def convenio_situacion(*, convenio, cuotas, pagos, fecha: date) -> SituacionConvenio:
    """Where the plan and each instalment stand at `fecha`, from the payments counted toward it
    (payments dated after `fecha` are not counted yet; annulled ones never)."""
    contados = [(p.fecha, p.monto) for p in pagos
                if p.fecha <= fecha and getattr(p, "anulado_en", None) is None
                and pago_cuenta_para_convenio(pago=p, convenio=convenio)]

    def pagado_al(dia: date) -> Decimal:
        return sum((monto for f, monto in contados if f <= dia), CERO)

    pagado = pagado_al(fecha)
    situaciones, anterior = [], CERO
    for cuota in sorted(cuotas, key=lambda c: c.numero):
        limite = cuota.vence + timedelta(days=convenio.dias_gracia)
        cubierto = _acotar(pagado - anterior, cuota.monto)
        en_plazo = _acotar(pagado_al(min(limite, fecha)) - anterior, cuota.monto)
        if en_plazo == cuota.monto:
            estado = EstadoCuota.PAGADA
        elif fecha > limite:
            estado = EstadoCuota.INCUMPLIDA
        elif fecha > cuota.vence:
            estado = EstadoCuota.VENCIDA
        elif cubierto > 0:
            estado = EstadoCuota.PARCIAL
        else:
            estado = EstadoCuota.PENDIENTE
        situaciones.append(SituacionCuota(
            numero=cuota.numero, vence=cuota.vence, monto=cuota.monto, limite=limite, pagado=cubierto,
            pagado_en_plazo=en_plazo, estado=estado,
        ))
        anterior += cuota.monto
    return SituacionConvenio(fecha=fecha, monto_total=convenio.monto_total, pagado=pagado,
                             cuotas=tuple(situaciones))
