"""Seeding the legal calendar from the `holidays` package, as a starting point the jefe then
edits (decreed days, corrections). Only days actually taken off are written; existing rows
are never touched, so manual entries always win."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
from django.db import transaction

from expedientes.models import DiaEspecial
from expedientes.models.calendario import TipoDiaEspecial

FUENTE_HOLIDAYS = f"holidays {holidays.__version__}"

# Código del Trabajo art. 65 / LOSEP (Ley de feriados, 2016), also for local holidays:
# Tuesday → Monday before, Wednesday/Thursday → Friday, Saturday → Friday, Sunday → Monday.
TRASLADO_DIAS = {1: -1, 2: +2, 3: +1, 5: -1, 6: +1}
REGLA_TRASLADO = (
    "12 de abril, trasladado según Código del Trabajo art. 65 / LOSEP "
    "(mar→lun, mié/jue→vie, sáb→vie, dom→lun)"
)
CUENCA_NOMBRE = "Fundación de Cuenca"


@dataclass(frozen=True)
class ResultadoSiembra:
    agregados: list[DiaEspecial] = field(default_factory=list)
    # (fecha, nombre, motivo) of what was not written
    omitidos: list[tuple[date, str, str]] = field(default_factory=list)


def feriados_tomados(*, anios: Iterable[int]) -> tuple[dict[date, str], dict[date, str]]:
    """The national days actually taken off in those years, and the original dates of the
    moved holidays (which stay working days).

    With observed=True the EC calendar of `holidays` lists both the original date and the
    moved one ("… (observado)"); with observed=False only the originals. An original is
    dropped when an observed day of the same holiday lies within a week of it."""
    anios = sorted(set(anios))
    # One year either side: New Year's Day of the next year may be taken on 31 December.
    rango = range(anios[0] - 1, anios[-1] + 2)
    con = holidays.country_holidays("EC", years=rango, observed=True, language="es")
    sin = holidays.country_holidays("EC", years=rango, observed=False, language="es")

    tomados: dict[date, list[str]] = {}
    originales_trasladados: dict[date, str] = {}
    for fecha in sorted(con):
        originales = set(sin.get_list(fecha)) if fecha in sin else set()
        for nombre in con.get_list(fecha):
            if nombre in originales:
                tomados.setdefault(fecha, []).append(nombre)
                continue
            # An observed day: find the original it replaces.
            original = _original_de(sin, fecha=fecha, nombre_observado=nombre)
            if original is None:  # not expected; keep the package's own label
                tomados.setdefault(fecha, []).append(nombre)
                continue
            tomados.setdefault(fecha, []).append(f"{original[1]} (trasladado)")
            originales_trasladados[original[0]] = original[1]
    for fecha, nombre in originales_trasladados.items():
        if fecha in tomados:
            tomados[fecha] = [n for n in tomados[fecha] if n != nombre]
            if not tomados[fecha]:
                del tomados[fecha]
    en_rango = set(anios)
    return (
        {f: "; ".join(n) for f, n in tomados.items() if f.year in en_rango},
        {f: n for f, n in originales_trasladados.items() if f.year in en_rango},
    )


def _original_de(sin, *, fecha: date, nombre_observado: str) -> tuple[date, str] | None:
    candidatos = [
        (abs((otra - fecha).days), otra, nombre)
        for otra in (fecha + timedelta(days=d) for d in range(-7, 8))
        if otra in sin
        for nombre in sin.get_list(otra)
        if nombre_observado.startswith(nombre) and nombre_observado != nombre
    ]
    if not candidatos:
        return None
    _, otra, nombre = min(candidatos)
    return otra, nombre


def fundacion_cuenca(anio: int) -> date:
    """12 April of that year, moved by the same rule as the national holidays."""
    original = date(anio, 4, 12)
    return original + timedelta(days=TRASLADO_DIAS.get(original.weekday(), 0))


def calendario_sembrar(
    *, anios: Iterable[int], usuario=None, locales: bool = False
) -> ResultadoSiembra:
    """Write the national days off of those years (and Cuenca's local holiday if `locales`),
    skipping every date already in the calendar."""
    anios = sorted(set(anios))
    if not anios:
        return ResultadoSiembra()
    tomados, originales = feriados_tomados(anios=anios)
    propuestos = [
        DiaEspecial(fecha=fecha, laborable=False, tipo=TipoDiaEspecial.NACIONAL, nombre=nombre,
                    fuente=FUENTE_HOLIDAYS, creado_por=usuario)
        for fecha, nombre in sorted(tomados.items())
    ]
    if locales:
        for anio in anios:
            fecha = fundacion_cuenca(anio)
            nombre = CUENCA_NOMBRE if fecha.day == 12 else f"{CUENCA_NOMBRE} (trasladado)"
            propuestos.append(DiaEspecial(
                fecha=fecha, laborable=False, tipo=TipoDiaEspecial.LOCAL, nombre=nombre,
                fuente=REGLA_TRASLADO, creado_por=usuario,
            ))

    omitidos = [
        (fecha, nombre, "fecha original de un feriado trasladado: día hábil")
        for fecha, nombre in sorted(originales.items())
        if fecha.weekday() < 5
    ]
    agregados = []
    with transaction.atomic():
        fechas = [dia.fecha for dia in propuestos]
        existentes = dict(
            DiaEspecial.objects.filter(fecha__in=fechas).values_list("fecha", "nombre")
        )
        for dia in propuestos:
            if dia.fecha in existentes:
                omitidos.append(
                    (dia.fecha, dia.nombre, f"ya registrado: «{existentes[dia.fecha]}»")
                )
                continue
            dia.full_clean()
            dia.save()
            existentes[dia.fecha] = dia.nombre
            agregados.append(dia)
        if agregados:  # a new day off moves the deadlines that end on or after it
            from expedientes.services.plazos import plazos_recalcular_desde

            plazos_recalcular_desde(min(dia.fecha for dia in agregados))
    omitidos.sort()
    return ResultadoSiembra(agregados=agregados, omitidos=omitidos)
