"""The TPCD's terms of a closed expediente, in one place: the years in the archivo de gestión
run from the date of its current cierre, then the years in the archivo central. Computed in
SQL (annotations) so the proposals and the dashboard stay one query whatever the number of
expedientes, and in Python for one file, with the same arithmetic (date + n years keeps the
day of the month; 29 February → 28 February, in PostgreSQL as in relativedelta).

The annotations join the current cierre and the serie (a LEFT JOIN each) and add the years
in the row: a per-row subquery was read once for every closed expediente (benchmarks/
archivo.py: 12,538 loops at 20,000 expedientes) and made the proposal grow with the archive."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import DateField, F, FilteredRelation, Func, Q

from .models import Serie


def fin_gestion(fecha_cierre: date, serie: Serie) -> date:
    """From this day the closed expediente may be transferred to the Archivo Central."""
    return fecha_cierre + relativedelta(years=serie.anios_gestion)


def fin_conservacion(fecha_cierre: date, serie: Serie) -> date:
    """The end of the whole term (gestión + central): disposal is possible from this day."""
    return fecha_cierre + relativedelta(years=serie.anios_total)


class _MasAnios(Func):
    """fecha + n years, as a date."""

    template = "(%(expressions)s))::date"
    arg_joiner = " + make_interval(years => "
    output_field = DateField()


def expedientes_con_plazos(qs=None):
    """Expedientes annotated with `fecha_cierre` (their current cierre), `fin_gestion` and
    `fin_conservacion` (None while open)."""
    from expedientes.models import ExpedientePage

    qs = ExpedientePage.objects.all() if qs is None else qs
    fecha = F("cierre_vigente__fecha")
    return qs.annotate(
        cierre_vigente=FilteredRelation("cierres", condition=Q(cierres__vigente=True)),
    ).annotate(
        fecha_cierre=fecha,
        fin_gestion=_MasAnios(fecha, F("serie__anios_gestion")),
        fin_conservacion=_MasAnios(fecha, F("serie__anios_gestion") + F("serie__anios_central")),
    )
