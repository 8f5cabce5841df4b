"""The SQL pieces the products share: a process's state at a date (from its history of
transitions), its last act at a date, the acts of the expedientes a report reads, the lawyer's
name and the months of a period. Each is an expression or a queryset: the products aggregate
them in the database, never row by row in Python."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, Trim, TruncMonth

from expedientes.informes.base import MESES, Periodo
from expedientes.models import ActuacionPage, DocumentoEmitido, ExpedientePage, Transicion

ESTADO_AL = "estado_corte"


def estado_al(fecha: date):
    """The state an expediente was in at the end of `fecha`, by its history of transitions:
    its current state when nothing changed after `fecha` (one index probe for most rows);
    otherwise where the last transition dated on or before `fecha` went (the same day: the
    one recorded last) or, with none by then, where the first later one started from. A
    process with no history at all (opened, or imported in some state) is in its state."""
    transiciones = Transicion.objects.filter(expediente=OuterRef("pk"))
    ultima = (transiciones.filter(fecha__lte=fecha).order_by("-fecha", "-registrada_en", "-pk")
              .values("hasta")[:1])
    despues = transiciones.filter(fecha__gt=fecha)
    primera_despues = despues.order_by("fecha", "registrada_en", "pk").values("desde")[:1]
    return Case(
        When(Exists(despues), then=Coalesce(Subquery(ultima), Subquery(primera_despues))),
        default=F("estado"), output_field=ExpedientePage._meta.get_field("estado"),
    )


def estado_desde(fecha: date, estado: str | None = None):
    """The date of the last transition on or before `fecha` (into `estado` if given): since
    when the process is in the state it had at `fecha`."""
    transiciones = Transicion.objects.filter(expediente=OuterRef("pk"), fecha__lte=fecha)
    if estado:
        transiciones = transiciones.filter(hasta=estado)
    return Subquery(transiciones.order_by("-fecha", "-registrada_en", "-pk").values("fecha")[:1])


def recibidos_al(expedientes: QuerySet, fecha: date) -> QuerySet:
    """The register at a date: every process whose orden de cobro was received by then, with
    its state at that date (annotation `estado_corte`)."""
    return expedientes.filter(fecha_recepcion__lte=fecha).annotate(**{ESTADO_AL: estado_al(fecha)})


def en_periodo(campo: str, periodo: Periodo) -> Q:
    return Q(**{f"{campo}__range": (periodo.desde, periodo.hasta)})


def con(expedientes: QuerySet, filas: QuerySet, campo: str = "expediente") -> QuerySet:
    """The expedientes behind some rows (acts, searches, transitions): each once."""
    return expedientes.filter(pk__in=filas.values(campo))


def actuaciones_de(expedientes: QuerySet) -> QuerySet:
    """The published acts of these expedientes (a draft left in the page editor is not an act
    of the file), by the stored expediente (index expediente, tipo, fecha)."""
    return ActuacionPage.objects.filter(expediente__in=expedientes, live=True)


def ultima_actuacion_al(fecha: date, campo: str):
    """The last act (`campo`: "tipo" or "fecha") at `fecha`. The stored one
    (ExpedientePage.ultima_actuacion_*) when it is not later than `fecha`: the current
    month's matrix reads no act; a past month's reads only the processes acted on since."""
    ultima = (ActuacionPage.objects.filter(expediente=OuterRef("pk"), live=True, fecha__lte=fecha)
              .order_by("-fecha", "-path").values(campo)[:1])
    guardado = f"ultima_actuacion_{campo}"
    salida = ExpedientePage._meta.get_field(guardado)
    return Case(
        When(Q(ultima_actuacion_fecha__isnull=True) | Q(ultima_actuacion_fecha__lte=fecha), then=F(guardado)),
        default=Subquery(ultima, output_field=salida) if campo == "fecha"
        else Coalesce(Subquery(ultima), Value(""), output_field=salida),
        output_field=salida,
    )


def nombre_de(prefijo: str):
    """A user's full name (or username) as SQL, through the foreign key `prefijo`."""
    return Coalesce(
        NullIf(Trim(Concat(F(f"{prefijo}__first_name"), Value(" "), F(f"{prefijo}__last_name"))), Value("")),
        F(f"{prefijo}__username"),
    )


def meses_del_periodo(periodo: Periodo) -> list[tuple[date, str]]:
    """(first day, label) of each month the period touches, in order."""
    meses, actual = [], date(periodo.desde.year, periodo.desde.month, 1)
    while actual <= periodo.hasta:
        meses.append((actual, f"{MESES[actual.month - 1]} {actual.year}"))
        actual = date(actual.year + (actual.month == 12), actual.month % 12 + 1, 1)
    return meses


def clave_mes(mes: date) -> str:
    return f"{mes.year}_{mes.month:02d}"


def con_documento(clave: str):
    """The act carries a generated document of this kind (DocumentoEmitido.clave)."""
    return Exists(DocumentoEmitido.objects.filter(version__adjunto__actuacion=OuterRef("pk"), clave=clave))


def por_mes(filas: QuerySet, campo: str, **conteos: Q) -> dict[date, dict[str, int]]:
    """Counts of `filas` by the month of `campo` (one GROUP BY): {first day: {name: n}}."""
    agregados = {nombre: Count("pk", filter=filtro) for nombre, filtro in conteos.items()}
    return {fila.pop("mes"): fila for fila in
            filas.order_by().annotate(mes=TruncMonth(campo)).values("mes").annotate(**agregados)}


def por_expediente(filas: QuerySet, agregado):
    """A correlated aggregate of `filas` (rows with an `expediente`) for each expediente
    row: e.g. por_expediente(busquedas, Count("pk")). Null when it has none."""
    return Subquery(filas.filter(expediente=OuterRef("pk")).order_by().values("expediente")
                    .annotate(valor=agregado).values("valor")[:1])
