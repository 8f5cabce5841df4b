"""Términos and plazos of the Código Orgánico Administrativo (COA), counted on the unit's
legal calendar (DiaEspecial). Pure functions: each computation reads the calendar rows of
its date range in one query and returns how it counted, so every deadline can be shown
with its explanation.

COA Art. 158: términos are fixed in days, plazos in months or years; both are computed from
the working day after the notification (or the act, filing or silence they refer to).
Art. 159: términos exclude Saturdays, Sundays and holidays. Art. 160: plazos run date to
date; if the month of expiry has no such day, the plazo ends on the last day of the month.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from expedientes import formato
from expedientes.models import DiaEspecial

DIAS_SEMANA = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MESES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)

# Art. 160, in the text we could find, says nothing about a plazo whose last day is not a
# working day. We extend it to the next working day, the usual rule of Ecuadorian procedure,
# until the unit's legal advisers confirm it or say otherwise: one switch, here.
PRORROGAR_PLAZO_INHABIL = True


@dataclass(frozen=True)
class Computo:
    """A deadline and how it was counted. For plazos `contados` is empty: they run date to
    date over calendar days; `excluidos` then holds the days skipped by the extension."""

    vence: date
    contados: list[date]
    excluidos: list[tuple[date, str]]
    explicacion: str


# dd/mm/aaaa: the portal's one date formatter (expedientes/formato.py), under its old name.
fecha_formatear = formato.fecha


# A listing that computes many deadlines reads the calendar once (see `precargado`).
_precargado: ContextVar[tuple[date, date, dict] | None] = ContextVar("calendario_precargado", default=None)


def _dias_especiales(desde: date, hasta: date) -> dict[date, tuple[bool, str]]:
    cache = _precargado.get()
    if cache and cache[0] <= desde and hasta <= cache[1]:
        return {f: v for f, v in cache[2].items() if desde <= f <= hasta}
    filas = DiaEspecial.objects.filter(fecha__range=(desde, hasta)).values_list(
        "fecha", "laborable", "nombre"
    )
    return {fecha: (laborable, nombre) for fecha, laborable, nombre in filas}


@contextmanager
def precargado(desde: date, hasta: date):
    """Within this block, computations inside [desde, hasta] use one read of the calendar."""
    token = _precargado.set((desde, hasta, _dias_especiales(desde, hasta)))
    try:
        yield
    finally:
        _precargado.reset(token)


def _es_habil(fecha: date, especiales: dict[date, tuple[bool, str]]) -> bool:
    if fecha in especiales:
        return especiales[fecha][0]
    return fecha.weekday() < 5


def _motivo(fecha: date, especiales: dict[date, tuple[bool, str]]) -> str:
    """Why a day does not count: the calendar entry's name, or the weekday of a weekend."""
    if fecha in especiales:
        return especiales[fecha][1]
    return DIAS_SEMANA[fecha.weekday()]


def dia_habil(fecha: date) -> bool:
    """Hábil: marked laborable in the calendar, or Monday–Friday not marked as a day off."""
    return _es_habil(fecha, _dias_especiales(fecha, fecha))


def termino_vencimiento(*, desde: date, dias: int, evento: str = "la notificación") -> Computo:
    """A término of `dias` días hábiles counted from the working day after `desde`."""
    if dias < 1:
        raise ValueError("Un término se cuenta en días hábiles: al menos 1.")
    contados: list[date] = []
    excluidos: list[tuple[date, str]] = []
    fecha = desde
    hasta = desde
    especiales: dict[date, tuple[bool, str]] = {}
    while len(contados) < dias:
        fecha += timedelta(days=1)
        if fecha > hasta:
            # A window wide enough for weekends and a long holiday: one query in practice,
            # another only if a run of days off outlasts it.
            hasta = fecha + timedelta(days=dias * 2 + 30)
            especiales |= _dias_especiales(fecha, hasta)
        if _es_habil(fecha, especiales):
            contados.append(fecha)
        else:
            excluidos.append((fecha, _motivo(fecha, especiales)))
    vence = contados[-1]
    unidad = "día hábil" if dias == 1 else "días hábiles"
    explicacion = (
        f"{dias} {unidad} desde {evento} del {fecha_formatear(desde)}: "
        f"vence el {fecha_formatear(vence)}" + _excluidos_texto(excluidos)
    )
    return Computo(vence=vence, contados=contados, excluidos=excluidos, explicacion=explicacion)


def plazo_vencimiento(
    *, desde: date, meses: int = 0, anios: int = 0, evento: str = "la notificación",
    prorrogar: bool = PRORROGAR_PLAZO_INHABIL,
) -> Computo:
    """A plazo of months and/or years, date to date from `desde` (COA Art. 160)."""
    if meses < 0 or anios < 0 or meses + anios == 0:
        raise ValueError("Un plazo se fija en meses o años: al menos uno.")
    # relativedelta keeps the day and, where the month has no such day, takes its last day.
    nominal = desde + relativedelta(years=anios, months=meses)
    nota = ""
    if nominal.day != desde.day:
        nota = f"no hay {desde.day} en {MESES[nominal.month - 1]}: último día del mes"

    vence = nominal
    excluidos: list[tuple[date, str]] = []
    if prorrogar:
        hasta = nominal + timedelta(days=30)
        especiales = _dias_especiales(nominal, hasta)
        while not _es_habil(vence, especiales):
            excluidos.append((vence, _motivo(vence, especiales)))
            vence += timedelta(days=1)
            if vence > hasta:
                hasta = vence + timedelta(days=30)
                especiales |= _dias_especiales(vence, hasta)
    if excluidos:
        prorroga = "no es hábil: se prorroga al primer día hábil siguiente"
        if nota:
            nota += f", el {fecha_formatear(nominal)}, que {prorroga}"
        else:
            nota = f"el {fecha_formatear(nominal)} {prorroga}"

    explicacion = (
        f"{_duracion_texto(meses=meses, anios=anios)} desde {evento} del "
        f"{fecha_formatear(desde)}: vence el {fecha_formatear(vence)}"
        + (f" ({nota})" if nota else "")
        + _excluidos_texto(excluidos)
    )
    return Computo(vence=vence, contados=[], excluidos=excluidos, explicacion=explicacion)


def _duracion_texto(*, meses: int, anios: int) -> str:
    partes = []
    if anios:
        partes.append(f"{anios} {'año' if anios == 1 else 'años'}")
    if meses:
        partes.append(f"{meses} {'mes' if meses == 1 else 'meses'}")
    return " y ".join(partes)


def _excluidos_texto(excluidos: list[tuple[date, str]]) -> str:
    """'; excluidos sábado 15 y domingo 16', naming holidays: 'lunes 3 (Carnaval)'. The
    month is written only when the excluded days span more than one month."""
    if not excluidos:
        return ""
    varios_meses = len({(f.year, f.month) for f, _ in excluidos}) > 1
    textos = []
    for fecha, motivo in excluidos:
        dia_semana = DIAS_SEMANA[fecha.weekday()]
        texto = f"{dia_semana} {fecha.day}"
        if varios_meses:
            texto += f" de {MESES[fecha.month - 1]}"
        if motivo != dia_semana:
            texto += f" ({motivo})"
        textos.append(texto)
    lista = textos[0] if len(textos) == 1 else ", ".join(textos[:-1]) + " y " + textos[-1]
    return f"; excluidos {lista}"
