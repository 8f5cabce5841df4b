"""The deadlines an expediente is waiting on, each with how it was counted: the unit's
citation service level, the three days to pay after the citation, the entities' answers to
retention letters, the instalments of a current payment plan, and when a citation by press
takes effect. Reads only; the screens and the dashboard ask here. Which instalment a plan
is waiting on comes from the plan rule (expedientes/convenios.py), never from a copy of it."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
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


def vencimientos_pendientes(expedientes, *, hoy: date, hasta: date) -> list[Vencimiento]:
    """Every deadline up to `hasta` (overdue ones included) among these expedientes."""
    lista = list(expedientes_con_vencimientos(expedientes))
    # Every act of an expediente falls after its reception: reading the calendar from the
    # oldest one keeps it one query (an older open file used to read it once more, each).
    desde = min([hoy - timedelta(days=400), *(e.fecha_recepcion for e in lista)])
    todos = []
    with calendario.precargado(desde, hasta + timedelta(days=120)):
        for expediente in lista:
            todos.extend(v for v in vencimientos_de(expediente) if v.vence <= hasta)
    return sorted(todos, key=lambda v: v.vence)


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


def nivel_servicio_citacion(expedientes, *, anio: int) -> NivelServicio:
    """The unit's own indicator: citations made within CITACION_DIAS_SERVICIO working days of
    receiving the orden de cobro, computed from the recorded transitions."""
    a_tiempo = tarde = sin_citar = total = 0
    with calendario.precargado(date(anio, 1, 1), date(anio + 1, 3, 31)):
        for expediente in expedientes.filter(anio=anio).prefetch_related("transiciones"):
            total += 1
            citado = next((t.fecha for t in expediente.transiciones.all() if t.hasta == Estado.CITADO), None)
            if citado is None:
                sin_citar += 1
                continue
            limite = calendario.termino_vencimiento(desde=expediente.fecha_recepcion,
                                                    dias=settings.CITACION_DIAS_SERVICIO).vence
            if citado <= limite:
                a_tiempo += 1
            else:
                tarde += 1
    return NivelServicio(anio=anio, total=total, a_tiempo=a_tiempo, tarde=tarde, sin_citar=sin_citar)
