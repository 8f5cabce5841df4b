"""The deadlines an expediente is waiting on, each with how it was counted: the unit's
citation service level, the three days to pay after the citation, the entities' answers to
retention letters, the instalments of a current payment plan, and when a citation by press
takes effect. Reads only; the screens and the dashboard ask here. Which instalment a plan
is waiting on comes from the plan rule (expedientes/convenios.py), never from a copy of it."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from expedientes import calendario
from expedientes.convenios import EstadoCuota
from expedientes.estados import Estado
from expedientes.formato import fecha, usd
from expedientes.models import EstadoConvenio, EstadoMedida
from expedientes.services.cuenta import convenio_situacion

DIAS_PAGO_TRAS_CITACION = 3  # COA arts. 279–280: pay or offer assets within three days
DIAS_RESPUESTA_OFICIO = 3  # the term the retention letter gives the entity


@dataclass(frozen=True)
class Vencimiento:
    expediente: object
    concepto: str
    vence: date
    explicacion: str

    def vencido(self, hoy: date) -> bool:
        return self.vence < hoy


def _fecha_de_citacion(expediente):
    """The date of the last recorded citation (services/citaciones.py); for a citation with no
    act of its own (by press, or recorded before the act existed), its entry into «citado»."""
    citaciones = sorted(expediente.citaciones.all(), key=lambda c: (c.fecha, c.pk))
    if citaciones:
        return citaciones[-1].fecha
    transicion = next((t for t in reversed(expediente.transiciones.all()) if t.hasta == Estado.CITADO), None)
    return transicion.fecha if transicion else None


def _explicar_cuota(cuota) -> str:
    texto = f"Cuota {cuota.numero} de {usd(cuota.monto)} vence el {fecha(cuota.vence)}"
    if cuota.limite != cuota.vence:
        texto += f" ({(cuota.limite - cuota.vence).days} días de gracia, hasta el {fecha(cuota.limite)})"
    if cuota.pagado:
        texto += f"; pagados {usd(cuota.pagado)}"
    if cuota.estado == EstadoCuota.INCUMPLIDA:
        texto += f"; incumplida: no se cubrió hasta el {fecha(cuota.limite)}"
    return texto


def vencimientos_de(expediente) -> list[Vencimiento]:
    """What this expediente is waiting for, soonest first. Uses prefetched relations
    (transiciones, medidas, convenios__cuotas, pagos, publicaciones) when present."""
    from expedientes.services.ilocalizables import citacion_prensa_efecto

    resultado = []
    estado = expediente.estado
    if estado == Estado.INICIADO:
        c = calendario.termino_vencimiento(desde=expediente.fecha_recepcion, dias=settings.CITACION_DIAS_SERVICIO,
                                           evento="la recepción de la orden de cobro")
        resultado.append(Vencimiento(expediente, "Citación (nivel de servicio)", c.vence, c.explicacion))
    if estado == Estado.CITADO and (citado := _fecha_de_citacion(expediente)):
        c = calendario.termino_vencimiento(desde=citado, dias=DIAS_PAGO_TRAS_CITACION, evento="la citación")
        resultado.append(Vencimiento(expediente, "Pago o dimisión de bienes", c.vence, c.explicacion))
    for medida in expediente.medidas.all():
        if medida.estado == EstadoMedida.ENVIADA:
            c = calendario.termino_vencimiento(desde=medida.fecha_envio, dias=DIAS_RESPUESTA_OFICIO,
                                               evento=f"el oficio {medida.oficio_numero}")
            resultado.append(Vencimiento(expediente, f"Respuesta de {medida.entidad_nombre}", c.vence, c.explicacion))
    if estado == Estado.CONVENIO_PAGO:
        for convenio in expediente.convenios.all():
            if convenio.estado == EstadoConvenio.VIGENTE:
                situacion = convenio_situacion(convenio, timezone.localdate(), pagos=expediente.pagos.all())
                if cuota := situacion.proxima:
                    resultado.append(Vencimiento(
                        expediente, f"Cuota {cuota.numero} del convenio", cuota.vence, _explicar_cuota(cuota)))
    if estado == Estado.ILOCALIZABLE and (efecto := citacion_prensa_efecto(expediente)):
        resultado.append(Vencimiento(expediente, "Citación por la prensa surte efecto", efecto.vence,
                                     efecto.explicacion))
    return sorted(resultado, key=lambda v: v.vence)


def expedientes_con_vencimientos(expedientes):
    """The expedientes with what the deadlines need prefetched: a few queries in all."""
    return expedientes.prefetch_related(
        "transiciones", "medidas", "convenios__cuotas", "pagos", "publicaciones", "citaciones"
    )


# --- the stored next deadline (expedientes.services.plazos keeps it) ----------------------------

VENCIDOS, SEMANA = "vencidos", "semana"
TRAMOS = {VENCIDOS: "Vencidos", SEMANA: "Vencen esta semana"}
DIAS_SEMANA = 7
# Sorting the panels. «saldo» sorts by what is owed without interest (títulos + costas − pagos,
# one SQL expression); the exact balance with interest is computed for the rows shown only.
ORDENES = {
    "dias": "Días de atraso", "deudor": "Coactivado", "abogado": "Abogado", "saldo": "Saldo",
}
ORDEN_INICIAL = "dias"


def con_plazo(expedientes, tramo: str, *, hoy: date):
    """The expedientes whose stored next deadline is overdue (VENCIDOS) or falls within the next
    seven days (SEMANA): one indexed SQL filter, whatever the number of expedientes."""
    from expedientes.estados import FINALES

    expedientes = expedientes.exclude(estado__in=FINALES)
    if tramo == VENCIDOS:
        return expedientes.filter(plazo_vence__lt=hoy)
    return expedientes.filter(plazo_vence__gte=hoy, plazo_vence__lte=hoy + timedelta(days=DIAS_SEMANA))


def _adeudado():
    """títulos + costas − pagos, without interest: the SQL stand-in of the balance for sorting."""
    from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from expedientes.models import Costa, Pago

    def suma(modelo, **vigentes):
        return Coalesce(Subquery(
            modelo.objects.filter(expediente=OuterRef("pk"), **vigentes).order_by().values("expediente")
            .annotate(t=Sum("monto")).values("t")[:1]), Value(Decimal("0")),
            output_field=DecimalField(max_digits=14, decimal_places=2))

    return F("monto_titulo") + suma(Costa) - suma(Pago, anulado_en__isnull=True)


def plazos_ordenar(expedientes, orden: str):
    orden = orden if orden in ORDENES else ORDEN_INICIAL
    if orden == "saldo":
        return expedientes.annotate(adeudado=_adeudado()).order_by(F("adeudado").desc(), "plazo_vence", "pk")
    return expedientes.order_by(*{
        "dias": ("plazo_vence", "pk"),
        "deudor": ("coactivado__nombre", "plazo_vence", "pk"),
        "abogado": (F("abogado__last_name").asc(nulls_last=True), F("abogado__first_name").asc(nulls_last=True),
                    "plazo_vence", "pk"),
    }[orden])


@dataclass(frozen=True)
class FilaPlazo:
    expediente: object
    dias: int  # days overdue (VENCIDOS) or until it is due (SEMANA)
    saldo: Decimal | None  # None: the account cannot be liquidated (see the process screen)


def plazos_filas(expedientes, *, hoy: date, limite: int) -> list[FilaPlazo]:
    """The first `limite` rows of an ordered queryset of con_plazo, each with its exact balance
    today: a few queries for the rows shown (ledger prefetched, rates read once)."""
    from expedientes.liquidacion import LiquidacionError
    from expedientes.models import TasaInteres
    from expedientes.services.cuenta import cuenta_liquidar

    filas = list(expedientes.select_related("coactivado", "abogado")
                 .prefetch_related("titulos", "costas", "pagos")[:limite])
    tasas = list(TasaInteres.objects.all())
    resultado = []
    for expediente in filas:
        try:
            saldo = cuenta_liquidar(expediente, hoy, tasas=tasas).saldo
        except LiquidacionError:
            saldo = None
        resultado.append(FilaPlazo(expediente, abs((hoy - expediente.plazo_vence).days), saldo))
    return resultado


@dataclass(frozen=True)
class NivelServicio:
    anio: int
    total: int
    a_tiempo: int
    tarde: int
    sin_citar: int

    @property
    def porcentaje(self) -> float | None:
        citados = self.a_tiempo + self.tarde
        return round(100 * self.a_tiempo / citados, 1) if citados else None


def citacion_servicio(expediente) -> tuple[date, date | None]:
    """(the last day to cite within the unit's service level, the day of the first citation or
    None). Uses prefetched transiciones when present."""
    limite = calendario.termino_vencimiento(desde=expediente.fecha_recepcion,
                                            dias=settings.CITACION_DIAS_SERVICIO).vence
    citado = next((t.fecha for t in expediente.transiciones.all() if t.hasta == Estado.CITADO), None)
    return limite, citado


def nivel_servicio_citacion(expedientes, *, anio: int) -> NivelServicio:
    """The unit's own indicator: citations made within CITACION_DIAS_SERVICIO working days of
    receiving the orden de cobro. One SQL aggregate on the values each expediente stores
    (citacion_limite, citado_el: citacion_servicio, kept by expedientes.services.plazos)."""
    from django.db.models import Count, Q

    cuentas = expedientes.filter(anio=anio).aggregate(
        total=Count("pk"),
        a_tiempo=Count("pk", filter=Q(citado_el__lte=F("citacion_limite"))),
        tarde=Count("pk", filter=Q(citado_el__gt=F("citacion_limite"))),
        sin_citar=Count("pk", filter=Q(citado_el__isnull=True)),
    )
    return NivelServicio(anio=anio, **cuentas)
