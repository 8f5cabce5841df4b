"""The account of an expediente at any date: capital of its títulos de crédito, interest
accrued day by day at the rate in force (the unit's rate table), costas, and payments
imputed in a configured order. Pure functions on plain data, exact Decimal arithmetic:
the same code answers the ledger screen, the reports and the property tests.

Rules (settings.LIQUIDACION, to be confirmed by Asesoría Jurídica before go-live):
- interest: simple, on the pending capital, for each day after the título becomes due up to
  and including the date asked, at the annual rate in force that day, over BASE_DIAS days;
- rounding, the one rule (`centavos`): interest accrues exactly (fractions, never rounded
  day by day or between events); only the cumulative interest accrued is rounded, half up to
  the cent, where an amount is shown or a payment is imputed. Pending interest = rounded
  cumulative accrued − interest already paid. So a costa, or a payment that only reaches
  interest and costas, recorded on any day moves no cent of interest (capital alone accrues);
- payments are imputed first to interest, then costas, then capital (by analogy with
  Código Tributario art. 47); a payment above the balance at its date is refused."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.conf import settings

from expedientes import formato

CENTAVO = Decimal("0.01")
CERO = Decimal("0.00")
COMPONENTES = ("intereses", "costas", "capital")


class LiquidacionError(ValueError):
    pass


@dataclass(frozen=True)
class Obligacion:
    """A título de crédito: capital that accrues interest from the day after `exigible_desde`."""

    exigible_desde: date
    capital: Decimal
    referencia: str = ""


@dataclass(frozen=True)
class Cargo:
    """A cost (costas) charged on a date; it does not accrue interest."""

    fecha: date
    monto: Decimal
    referencia: str = ""


@dataclass(frozen=True)
class Abono:
    fecha: date
    monto: Decimal
    referencia: str = ""


@dataclass(frozen=True)
class Tasa:
    vigente_desde: date
    tasa_anual: Decimal  # percent per year


@dataclass(frozen=True)
class Imputacion:
    abono: Abono
    intereses: Decimal
    costas: Decimal
    capital: Decimal


@dataclass(frozen=True)
class EstadoCuenta:
    fecha: date
    capital: Decimal  # pending
    intereses: Decimal  # pending
    costas: Decimal  # pending
    capital_total: Decimal
    intereses_total: Decimal  # accrued up to `fecha`: the exact total, rounded once (`centavos`)
    costas_total: Decimal
    pagado_total: Decimal
    imputaciones: tuple[Imputacion, ...] = ()
    dias_sin_tasa: int = 0  # days with capital pending and no rate registered

    @property
    def saldo(self) -> Decimal:
        return self.capital + self.intereses + self.costas

    @property
    def obligaciones(self) -> Decimal:
        return self.capital_total + self.intereses_total + self.costas_total


def centavos(valor: Fraction | Decimal) -> Decimal:
    """The ledger's one rounding rule: to the cent, half up (away from zero)."""
    exacto = Fraction(valor) * 100
    entero, resto = divmod(abs(exacto.numerator), exacto.denominator)
    if 2 * resto >= exacto.denominator:
        entero += 1
    return (Decimal(-entero if exacto < 0 else entero) / 100).quantize(CENTAVO)


def _orden_imputacion() -> tuple[str, ...]:
    orden = tuple(settings.LIQUIDACION["IMPUTACION"])
    if sorted(orden) != sorted(COMPONENTES):
        raise LiquidacionError(f"LIQUIDACION['IMPUTACION'] debe ordenar {COMPONENTES}")
    return orden


def _tasa_en(tasas: list[Tasa], dia: date) -> Decimal | None:
    vigente = None
    for tasa in tasas:  # sorted by vigente_desde
        if tasa.vigente_desde <= dia:
            vigente = tasa.tasa_anual
        else:
            break
    return vigente


@dataclass
class _Cuenta:
    tasas: list[Tasa]
    base: int
    capital: Decimal = CERO
    costas: Decimal = CERO
    capital_total: Decimal = CERO
    costas_total: Decimal = CERO
    pagado_total: Decimal = CERO
    devengado: Fraction = Fraction(0)  # interest accrued, exact
    intereses_pagados: Decimal = CERO
    dias_sin_tasa: int = 0
    imputaciones: list = field(default_factory=list)
    fecha: date | None = None  # the event date being applied (_recorrer)

    @property
    def intereses_total(self) -> Decimal:
        return centavos(self.devengado)

    @property
    def intereses(self) -> Decimal:
        return self.intereses_total - self.intereses_pagados

    def devengar(self, desde: date, hasta: date) -> None:
        """Interest for each day in (desde, hasta], split where the rate changes; exact."""
        if hasta <= desde or self.capital <= 0:
            return
        cortes = {desde, hasta} | {
            t.vigente_desde - timedelta(days=1) for t in self.tasas if desde < t.vigente_desde <= hasta
        }
        puntos = sorted(cortes)
        for inicio, fin in zip(puntos, puntos[1:]):
            tasa = _tasa_en(self.tasas, fin)
            dias = (fin - inicio).days
            if tasa is None:
                self.dias_sin_tasa += dias
                continue
            self.devengado += Fraction(self.capital) * Fraction(tasa) / 100 * dias / self.base

    def abonar(self, abono: Abono, orden: tuple[str, ...]) -> None:
        if abono.monto <= 0:
            raise LiquidacionError(f"El pago {abono.referencia} debe ser mayor que cero.")
        pendiente = {"intereses": self.intereses, "costas": self.costas, "capital": self.capital}
        saldo = sum(pendiente.values())
        if abono.monto > saldo:
            raise LiquidacionError(
                f"El pago {abono.referencia} de {formato.usd(abono.monto)} supera el saldo de "
                f"{formato.usd(saldo)} al {formato.fecha(abono.fecha)}."
            )
        restante = abono.monto
        partes = {}
        for componente in orden:
            partes[componente] = min(restante, pendiente[componente])
            restante -= partes[componente]
        self.intereses_pagados += partes["intereses"]
        self.costas -= partes["costas"]
        self.capital -= partes["capital"]
        self.pagado_total += abono.monto
        self.imputaciones.append(Imputacion(abono=abono, **partes))


def _eventos(obligaciones, cargos, abonos) -> list:
    """On one day, obligations and costs come before payments."""
    return sorted(
        [(o.exigible_desde, 0, o) for o in obligaciones]
        + [(c.fecha, 1, c) for c in cargos]
        + [(a.fecha, 2, a) for a in abonos],
        key=lambda e: (e[0], e[1]),
    )


def _cuenta_nueva(tasas) -> _Cuenta:
    return _Cuenta(tasas=sorted(tasas, key=lambda t: t.vigente_desde),
                   base=int(settings.LIQUIDACION["BASE_DIAS"]))


def _recorrer(cuenta: _Cuenta, eventos: list, orden: tuple[str, ...], hasta: date | None = None):
    """THE ledger's walk: applies the events in order (up to `hasta`), accruing between them.
    Yields each event date once all of that day's events are applied (interest accrued up to
    and including it). `cuenta.fecha` is the date being applied (the failing one on an error)."""
    cursor = None
    for fecha, _, evento in eventos:
        if hasta is not None and fecha > hasta:
            break
        if cursor is not None:
            if fecha != cursor:
                yield cursor
            cuenta.devengar(cursor, fecha)
        cursor = cuenta.fecha = fecha
        if isinstance(evento, Obligacion):
            cuenta.capital += evento.capital
            cuenta.capital_total += evento.capital
        elif isinstance(evento, Cargo):
            cuenta.costas += evento.monto
            cuenta.costas_total += evento.monto
        else:
            cuenta.abonar(evento, orden)
    if cursor is not None:
        yield cursor


def liquidar(*, obligaciones, cargos=(), abonos=(), tasas=(), hasta: date) -> EstadoCuenta:
    """The account at `hasta` (inclusive). Events after `hasta` are ignored. On one day,
    obligations and costs come before payments."""
    cuenta = _cuenta_nueva(tasas)
    cursor = None
    for cursor in _recorrer(cuenta, _eventos(obligaciones, cargos, abonos), _orden_imputacion(), hasta):
        pass
    if cursor is not None:
        cuenta.devengar(cursor, hasta)
    return EstadoCuenta(
        fecha=hasta, capital=cuenta.capital, intereses=cuenta.intereses, costas=cuenta.costas,
        capital_total=cuenta.capital_total, intereses_total=cuenta.intereses_total,
        costas_total=cuenta.costas_total, pagado_total=cuenta.pagado_total,
        imputaciones=tuple(cuenta.imputaciones), dias_sin_tasa=cuenta.dias_sin_tasa,
    )


# --- The account as stored segments (expedientes.models.TramoCuenta) ---------------------------
# Interest is simple on the pending capital, and the pending capital only changes at events.
# So between two event dates the accrued interest is a straight line in the cumulative rate:
#     accrued(D) = accrued(desde) + capital · (R(D) − R(desde)) / (100 · BASE_DIAS)
# with R(d) = Σ over days x ≤ d of the annual rate (percent) in force on x (0 on days with no
# rate: liquidar accrues nothing on them either). Kept exact as the numerator
# devengado = Σ capital · rate · days (a decimal with 6 places), so SQL rounds it once, half up,
# like `centavos`: interest in cents = floor((2·devengado + BASE) / (2·BASE)).


@dataclass(frozen=True)
class Tramo:
    """The account right after the events of `desde`, valid until the day before the next event
    (`hasta`, None for the last one). `error`: the events of `desde` cannot be liquidated (a
    payment above the balance): the account is unknown from that date on (amounts zero)."""

    desde: date
    hasta: date | None
    capital: Decimal
    costas: Decimal
    intereses_pagados: Decimal
    devengado: Decimal  # Σ capital · rate · days up to `desde`, exact: accrued = devengado / (100 · BASE)
    tasa_acumulada: Decimal  # R(desde)
    capital_total: Decimal
    costas_total: Decimal
    pagado_total: Decimal
    error: str = ""


def tasa_acumulada(tasas, dia: date) -> Decimal:
    """R(dia): Σ over the days up to `dia` (inclusive) of the annual rate in force (percent);
    days before the first rate count 0. `tasas` sorted by vigente_desde (the same choice as
    _tasa_en when two share a date: the later one). saldos.py has its SQL twin."""
    total = Decimal(0)
    for i, tasa in enumerate(tasas):
        if tasa.vigente_desde > dia:
            break
        fin = dia + timedelta(days=1)
        if i + 1 < len(tasas):
            fin = min(fin, tasas[i + 1].vigente_desde)
        total += tasa.tasa_anual * (fin - tasa.vigente_desde).days
    return total


def _numerador(devengado: Fraction, base: int) -> Decimal:
    """The exact accrued interest as Σ capital · rate · days (capital in cents × rate with 4
    decimals: a terminating decimal); refuses to round."""
    valor = devengado * 100 * base
    resultado = Decimal(valor.numerator) / Decimal(valor.denominator)
    if Fraction(resultado) != valor:
        raise LiquidacionError("El interés devengado no es un decimal exacto (tasa con más de 4 decimales).")
    return resultado


def tramos(*, obligaciones, cargos=(), abonos=(), tasas=()) -> list[Tramo]:
    """The account after each event date, by the same walk as `liquidar`: for any D on or after
    the first event, liquidar(hasta=D) equals the segment containing D extended to D."""
    cuenta = _cuenta_nueva(tasas)
    estados: list[tuple] = []
    error = ""
    try:
        for fecha in _recorrer(cuenta, _eventos(obligaciones, cargos, abonos), _orden_imputacion()):
            estados.append((fecha, cuenta.capital, cuenta.costas, cuenta.intereses_pagados,
                            _numerador(cuenta.devengado, cuenta.base), tasa_acumulada(cuenta.tasas, fecha),
                            cuenta.capital_total, cuenta.costas_total, cuenta.pagado_total))
    except LiquidacionError as problema:
        error = str(problema)
        estados.append((cuenta.fecha, CERO, CERO, CERO, Decimal(0), Decimal(0), CERO, CERO, CERO))
    resultado = []
    for i, estado in enumerate(estados):
        hasta = estados[i + 1][0] - timedelta(days=1) if i + 1 < len(estados) else None
        ultimo = i == len(estados) - 1
        resultado.append(Tramo(estado[0], hasta, *estado[1:], error=error if ultimo else ""))
    return resultado
