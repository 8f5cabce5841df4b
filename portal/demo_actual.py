"""The living part of the demo: the current year's intake up to the day the demo is loaded,
and the follow-up of the 2025 processes still pending, so that the deadlines panel, the
dashboard and the reports show a unit at work (a handful overdue, some due this week)
rather than a unit that stopped on 31/12/2025.

- The current year: about 135 processes a year (the 2025 proportions by province, scaled to
  the part of the year gone by), received on working days from 2 January to a few days
  before today; each is planned with demo.py's own planning (scenarios, steps, draws) as if
  the year went on, then cut at yesterday: what was due later has not happened yet. Processes
  left «citado» (the three days to pay ran out) get their retention letters, and every letter
  its answer, in the same timeline, so only the recent ones wait.
- 2025: the processes the 2025 plan leaves cited, with unanswered letters or with a payment
  plan running get their follow-up in the current year (letters and answers, instalments).
  Payments of 2025 processes dated after 31/12/2025 do not touch the 2025 figures (the
  report counts payments up to its cut-off).

Deterministic given the load date: the generator is seeded with the seed and the date."""

import random
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from expedientes.models import EstadoConvenio, ExpedientePage, OrigenPago
from portal.demo import (
    CENTAVO,
    INTAKE_2025,
    SIN_FONDOS,
    Paso,
    PlanExpediente,
    _Dias,
    _estado_cuenta,
    _medidas,
    _Registro,
    _resolver,
    deudor_generar,
    escenarios_asignar,
    escenarios_contar,
    plan_de_intake,
    plan_sortear,
)

DIAS_ANTES = 3  # the last orden de cobro arrives a few days before the demo is loaded
PRIMER_INDICE = 10_000  # plan numbers of the current year (2025's start at 1)
ESPERA_MEDIDAS = (4, 12)  # working days after the citation before the retention letters


def intake_actual(hoy: date, total: int | None = None) -> int:
    """How many processes the unit has received this year by `hoy`: the yearly intake (135, or
    the demo's smaller `total`) times the part of the year gone by."""
    anual = min(total or sum(INTAKE_2025.values()), sum(INTAKE_2025.values()))
    transcurrido = (hoy - timedelta(days=DIAS_ANTES) - date(hoy.year, 1, 1)).days + 1
    return max(0, round(anual * min(transcurrido, 365) / 365))


def _respuestas_faltantes(d: _Dias, pasos: list[Paso], desde: date | None = None) -> list[Paso]:
    """An answer «no funds» to each letter that has none (the entity answers late, but answers)."""
    respondidas = {p.datos["entidad"] for p in pasos if p.accion == "respuesta"}
    nuevas = []
    for paso in pasos:
        if paso.accion == "medida" and paso.datos["entidad"] not in respondidas:
            fecha = d.paso(max(paso.fecha, desde or paso.fecha), 2, 12)
            entidad = paso.datos["entidad"]
            nuevas.append(Paso(fecha, "respuesta", {"entidad": entidad, "modo": "cero", "monto": Decimal("0.00"),
                                                    "observaciones": SIN_FONDOS[entidad]}))
            respondidas.add(entidad)
    return nuevas


def queda_citado(plan: PlanExpediente) -> bool:
    """The plan leaves the process «citado»: nothing paid in full, no letters, no other state
    (its next step would be the retention letters, once the three days to pay ran out)."""
    acciones = {p.accion for p in plan.pasos}
    if plan.cobro == "total" or acciones & {"medida", "impugnacion", "insolvencia", "convenio"}:
        return False
    return "ilocalizable" not in acciones or "citacion_prensa" in acciones


def _con_medidas_si_citado(d: _Dias, plan: PlanExpediente) -> list[Paso]:
    if not queda_citado(plan):
        return []
    ultimo = max(p.fecha for p in plan.pasos)
    return _medidas(d, d.sumar(ultimo, ESPERA_MEDIDAS[0] - 1), sb="cero", seps="cero",
                    hasta=ESPERA_MEDIDAS[1])[0]


def _importes(plan: PlanExpediente, tasas) -> None:
    """Amounts of a current-year plan: its drawn capital; a partial payer pays part of what it
    owes at its first payment, split among its payments."""
    plan.monto = plan.monto_base
    pagos = plan.pagos
    plan.pesos_partes = plan.pesos_partes[:len(pagos)]
    if plan.cobro == "parcial":
        if pagos:
            saldo = _estado_cuenta(plan, tasas, pagos[0].fecha).saldo
            plan.cuota_reparto = max((saldo * plan.fraccion * Decimal("0.9")).quantize(CENTAVO, ROUND_DOWN),
                                     CENTAVO * len(pagos))
        else:  # cut before the payment: the retained funds covered the order
            for paso in plan.pasos:
                if paso.accion == "respuesta" and paso.datos["modo"] == "reparto":
                    paso.datos["modo"] = "cubre"
    _resolver(plan, tasas)


def plan_actual(rng: random.Random, hoy: date, *, tasas, es_habil, total: int | None = None) -> list[PlanExpediente]:
    """The current year's processes as plain data, every step before `hoy`."""
    inicio = date(hoy.year, 1, 2)
    # no step is pulled back to a close of year: the year goes on, and is cut at yesterday
    d = _Dias(rng, es_habil, tope=date(hoy.year + 2, 12, 31))
    fin = d.habil_hasta(hoy - timedelta(days=DIAS_ANTES))
    n = intake_actual(hoy, total)
    if fin < inicio or not n:
        return []
    intake = plan_de_intake(rng, n, es_habil, inicio=inicio, fin=fin)
    planes = [PlanExpediente(indice=PRIMER_INDICE + i, provincia=provincia, fecha=fecha,
                             deudor=deudor_generar(rng, provincia), abogado=rng.choice(["abogado1", "abogado2"]))
              for i, (provincia, fecha) in enumerate(intake, start=1)]
    escenarios_asignar(rng, planes, escenarios_contar(len(planes)), hoy - timedelta(days=1))
    for plan in planes:
        plan_sortear(plan, d, rng)
        plan.pasos += _con_medidas_si_citado(d, plan)
        plan.pasos += _respuestas_faltantes(d, plan.pasos)
        plan.pasos = sorted((p for p in plan.pasos if p.fecha < hoy), key=lambda p: p.fecha)
        _importes(plan, tasas)
    return planes


def seguimiento_2025(rng: random.Random, planes_2025: list[PlanExpediente], hoy: date, *,
                     es_habil) -> dict[int, list[Paso]]:
    """The steps of the current year for the 2025 processes still pending (plan index → steps
    before `hoy`): letters for the ones left cited, answers to unanswered letters, and the
    instalments of the payment plans still running."""
    d = _Dias(rng, es_habil, tope=date(hoy.year + 2, 12, 31))
    enero = d.habil_desde(date(2026, 1, 2))
    seguimiento = {}
    for plan in planes_2025:
        pasos = []
        if queda_citado(plan):  # the new year's first weeks: the letters the three days called for
            pasos += _medidas(d, enero, sb="cero", seps="cero", hasta=25)[0]
        pasos += _respuestas_faltantes(d, plan.pasos + pasos, desde=enero)
        convenio = next((p for p in plan.pasos if p.accion == "convenio"), None)
        if plan.escenario == "convenio_vigente" and convenio:
            pagadas = {p.datos["cuota"] for p in plan.pagos if p.datos.get("modo") == "cuota"}
            anterior = enero
            for numero, (vence, monto) in enumerate(convenio.datos["cuotas"], start=1):
                if numero in pagadas or vence < enero:
                    continue
                fecha = max(anterior, d.habil_hasta(vence - timedelta(days=rng.randint(0, 4))))
                pasos.append(Paso(fecha, "pago", {"modo": "cuota", "cuota": numero, "monto": monto,
                                                  "origen": OrigenPago.CONVENIO}))
                anterior = fecha
        for paso in pasos:  # every follow-up answer says «no funds»: nothing to compute
            if paso.accion == "respuesta":
                paso.datos.setdefault("monto", Decimal("0.00"))
        pasos = sorted((p for p in pasos if p.fecha < hoy), key=lambda p: p.fecha)
        if pasos:
            seguimiento[plan.indice] = pasos
    return seguimiento


def recibos_numerar(pasos) -> None:
    """The comprobantes de ingreso after 2025, numbered in date order within each year."""
    pagos = sorted((p for p in pasos if p.accion == "pago"), key=lambda p: p.fecha)
    numeros = {}
    for pago in pagos:
        numeros[pago.fecha.year] = numeros.get(pago.fecha.year, 0) + 1
        pago.datos["recibo"] = f"CI-{pago.fecha.year}-{numeros[pago.fecha.year]:05d}"


def plan_vivo(semilla, planes_2025: list[PlanExpediente], hoy: date, *, tasas, es_habil,
              total: int | None = None) -> tuple[list[PlanExpediente], dict[int, list[Paso]]]:
    """The current year's plans and the 2025 follow-up, with their receipts numbered. Its own
    generator, seeded with the seed and the load date: the 2025 plan is the same whatever the
    day, and the same day gives the same unit."""
    rng = random.Random(f"{semilla}-{hoy.isoformat()}")
    actuales = plan_actual(rng, hoy, tasas=tasas, es_habil=es_habil, total=total)
    seguimiento = seguimiento_2025(rng, planes_2025, hoy, es_habil=es_habil)
    recibos_numerar([p for plan in actuales for p in plan.pasos] + [p for pasos in seguimiento.values() for p in pasos])
    return actuales, seguimiento


class _Seguimiento(_Registro):
    """Replays follow-up steps on an expediente already recorded."""

    def __init__(self, plan: PlanExpediente, usuarios: dict, expediente: ExpedientePage):
        super().__init__(plan, usuarios)
        self.expediente = expediente
        for medida in expediente.medidas.order_by("pk"):
            self.medidas[medida.entidad] = medida
        self.convenio_vigente = expediente.convenios.filter(estado=EstadoConvenio.VIGENTE).first()

    def seguir(self, pasos: list[Paso]) -> None:
        for paso in pasos:
            getattr(self, paso.accion)(paso.fecha, **paso.datos)
            self.expediente.refresh_from_db(fields=["estado"])


def seguimiento_ejecutar(plan: PlanExpediente, usuarios: dict, expediente: ExpedientePage, pasos: list[Paso]) -> None:
    _Seguimiento(plan, usuarios, expediente).seguir(pasos)


def situacion_actual(hoy: date) -> dict:
    """The deadlines as the panel sees them today: open processes, overdue, due this week."""
    from expedientes.estados import FINALES
    from expedientes.plazos import SEMANA, VENCIDOS, con_plazo

    todos = ExpedientePage.objects.all()
    return {"abiertos": todos.exclude(estado__in=FINALES).count(),
            "vencidos": con_plazo(todos, VENCIDOS, hoy=hoy).count(),
            "semana": con_plazo(todos, SEMANA, hoy=hoy).count(),
            "del_anio": todos.filter(anio=hoy.year).count()}

