"""The TPCD's terms of a closed expediente, in one place: the years in the archivo de gestión
run from the date of its current cierre, then the years in the archivo central. Computed in
SQL (annotations) so the proposals and the dashboard stay one query whatever the number of
expedientes, and in Python for one file, with the same arithmetic (date + n years keeps the
day of the month; 29 February → 28 February, in PostgreSQL as in relativedelta)."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import DateField
from django.db.models.expressions import RawSQL

from .models import Serie

_FIN = ("(SELECT c.fecha + make_interval(years => {anios}) FROM archivo_cierre c, archivo_serie s "
        "WHERE c.expediente_id = expedientes_expedientepage.page_ptr_id AND c.vigente "
        "AND s.id = expedientes_expedientepage.serie_id)::date")


def fin_gestion(fecha_cierre: date, serie: Serie) -> date:
    """From this day the closed expediente may be transferred to the Archivo Central."""
    return fecha_cierre + relativedelta(years=serie.anios_gestion)


def fin_conservacion(fecha_cierre: date, serie: Serie) -> date:
    """The end of the whole term (gestión + central): disposal is possible from this day."""
    return fecha_cierre + relativedelta(years=serie.anios_total)


def expedientes_con_plazos(qs=None):
    """Expedientes annotated with `fecha_cierre` (their current cierre), `fin_gestion` and
    `fin_conservacion` (None while open)."""
    from expedientes.models import ExpedientePage

    qs = ExpedientePage.objects.all() if qs is None else qs
    return qs.annotate(
        fecha_cierre=RawSQL("(SELECT c.fecha FROM archivo_cierre c WHERE c.expediente_id = "
                            "expedientes_expedientepage.page_ptr_id AND c.vigente)", (),
                            output_field=DateField()),
        fin_gestion=RawSQL(_FIN.format(anios="s.anios_gestion"), (), output_field=DateField()),
        fin_conservacion=RawSQL(_FIN.format(anios="s.anios_gestion + s.anios_central"), (),
                                output_field=DateField()),
    )
