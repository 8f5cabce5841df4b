"""A believable unit for trying the portal: users for every role and the 2025 intake of
the seed report (135 expedientes: 108 Azuay, 23 Cañar, 4 Morona Santiago), each carried
through the proceeding by the same services the screens use (documents generated from the
unit's templates into custody, state changes, measures, payments, payment plans, untraceable
debtors, insolvency), so that the report's figures come out of the records: 74 expedientes
with collection adding up to exactly USD 140.714,68, every debtor who could be found cited
within 10 working days of the orden de cobro.

How: `plan_demo` decides everything first, as plain data and pure functions (dates on the
legal calendar, amounts with the same `expedientes.liquidacion` the ledger uses, the split
of the collection with `pagos_repartir`); `expediente_ejecutar` then replays each plan
through the services, which check every step again (a payment above the balance is refused
there too). Deterministic (seeded) so two runs build the same unit."""

import io
import math
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Sum
from stdnum.ec import ci, ruc

from expedientes import calendario
from expedientes.documentos import pdf_renderizar
from expedientes.estados import Estado
from expedientes.formato import usd
from expedientes.liquidacion import Abono, Cargo, Obligacion, Tasa, liquidar
from expedientes.models import (
    ClaveDocumento,
    Entidad,
    ExpedientePage,
    OrigenPago,
    Pago,
    Provincia,
    ObjetoBusqueda,
    RegistroPublico,
    TasaInteres,
    TipoActuacion,
)
from expedientes.plazos import nivel_servicio_citacion
from expedientes.services import cuenta, ilocalizables, medidas
from expedientes.services.actuaciones import actuacion_registrar
from expedientes.services.adjuntos import adjunto_crear
from expedientes.services.calendario import calendario_sembrar
from expedientes.services.coactivados import coactivado_registrar
from expedientes.services.documentos import documento_generar
from expedientes.services.expedientes import expediente_abrir
from expedientes.services.proceso import expediente_transicion
from permisos import roles

INTAKE_2025 = {Provincia.AZUAY: 108, Provincia.CANAR: 23, Provincia.MORONA_SANTIAGO: 4}
# The seed report's collection figures for the 2025 processes (DOMAIN.md).
COBRO_2025 = Decimal("140714.68")
PROCESOS_CON_COBRO_2025 = 74
PENDIENTE_2025 = Decimal("124562.22")
CIERRE_2025 = date(2025, 12, 31)
ULTIMO_PAGO = date(2025, 12, 30)  # payments fall before the close of the year
FIN_RECEPCION = date(2025, 12, 12)  # late enough for December, early enough to cite in 2025
CENTAVO = Decimal("0.01")
PISO = Decimal("120.00")  # the smallest capital drawn for an expediente without collection

# The interest-rate table the demo registers when the unit has none: plausible values, not
# the Banco Central's (the unit enters the official ones in *Tasas de interés*).
FUENTE_TASAS = "Valor de demostración (no oficial)"
TASAS_DEMO = [
    (date(2024, 1, 1), Decimal("10.4300")),
    (date(2024, 4, 1), Decimal("10.8500")),
    (date(2024, 7, 1), Decimal("10.9800")),
    (date(2024, 10, 1), Decimal("10.6400")),
    (date(2025, 1, 1), Decimal("9.9700")),
    (date(2025, 4, 1), Decimal("9.4600")),
    (date(2025, 7, 1), Decimal("8.9300")),
    (date(2025, 10, 1), Decimal("8.6100")),
    (date(2026, 1, 1), Decimal("8.3800")),
]

USUARIOS = [
    # username, first name, last name, role, superuser
    ("admin", "Administrador", "del Portal", None, True),
    ("secretaria", "María Fernanda", "Cárdenas Ochoa", roles.ROL_SECRETARIA, False),
    ("abogado1", "Juan Pablo", "Vintimilla Crespo", roles.ROL_ABOGADO, False),
    ("abogado2", "Daniela", "Astudillo Peña", roles.ROL_ABOGADO, False),
    ("jefe", "Carlos Andrés", "Ordóñez Malo", roles.ROL_JEFE, False),
    ("archivista", "Rosa Elena", "Guamán Tenesaca", roles.ROL_ARCHIVISTA, False),
    ("asesoria", "Patricio", "Jaramillo León", roles.ROL_ASESORIA, False),
    ("auditor", "Lucía", "Serrano Vázquez", roles.ROL_AUDITOR, False),
    ("sistemas", "Galo", "Peralta Cordero", roles.ROL_ADMINISTRADOR, False),
]

NOMBRES = ["José", "María", "Luis", "Ana", "Jorge", "Rosa", "Miguel", "Carmen", "Diego", "Paola",
           "Fernando", "Gabriela", "Santiago", "Verónica", "Andrés", "Silvia", "Marco", "Lorena"]
APELLIDOS = ["Pérez", "Guzmán", "Zhunio", "Quizhpi", "Sarmiento", "Arévalo", "Tapia", "Morocho",
             "Calle", "Bermeo", "Loja", "Siguencia", "Naula", "Chérrez", "Palacios", "Idrovo"]
EMPRESAS = ["Comercial", "Constructora", "Textiles", "Transportes", "Agroindustrial", "Cerámica",
            "Distribuidora", "Servicios Médicos", "Florícola", "Metalmecánica", "Panificadora"]
LUGARES = ["del Austro", "Paute", "Cañari", "Santa Ana", "El Ejido", "Yanuncay", "Macas", "Azogues",
           "Tomebamba", "Gualaceo", "Biblián", "Sucúa", "Cuenca", "La Troncal"]
SOCIEDADES = ["S.A.", "Cía. Ltda.", "S.A.S."]


def _digito_completar(base: str, es_valido) -> str | None:
    for digito in "0123456789":
        if es_valido(base + digito):
            return base + digito
    return None


def cedula_generar(rng: random.Random, provincia: str) -> str:
    while True:
        base = provincia + str(rng.randint(0, 5)) + f"{rng.randint(0, 999999):06d}"
        numero = _digito_completar(base, ci.is_valid)
        if numero:
            return numero


def ruc_sociedad_generar(rng: random.Random, provincia: str) -> str:
    while True:
        base = provincia + "9" + f"{rng.randint(0, 999999):06d}"
        for digito in "0123456789":
            if ruc.is_valid(base + digito + "001"):
                return base + digito + "001"


@dataclass
class Deudor:
    identificacion: str
    nombre: str


def deudor_generar(rng: random.Random, provincia: str) -> Deudor:
    """Labour fines fall mostly on employers: companies (RUC) and persons with a business."""
    tipo = rng.random()
    if tipo < 0.45:
        nombre = f"{rng.choice(EMPRESAS)} {rng.choice(LUGARES)} {rng.choice(SOCIEDADES)}"
        return Deudor(ruc_sociedad_generar(rng, provincia), nombre.upper())
    nombre = " ".join(rng.sample(APELLIDOS, 2) + rng.sample(NOMBRES, 2))
    cedula = cedula_generar(rng, provincia)
    return Deudor(cedula + "001" if tipo < 0.8 else cedula, nombre.upper())



def _dia_de_semana(fecha: date) -> bool:
    return fecha.weekday() < 5


def plan_de_intake(rng: random.Random, total: int | None = None, es_habil=None, *,
                   inicio: date = date(2025, 1, 2), fin: date = FIN_RECEPCION):
    """(provincia, fecha de recepción) for each expediente of 2025, in date order, on working
    days from 2 January to FIN_RECEPCION (`es_habil`: the legal calendar; weekdays by default).
    With `total` smaller than 135, the same proportions scaled down (at least one each).
    `inicio`/`fin`: another span (the current year's intake, portal/demo_actual.py)."""
    es_habil = es_habil or _dia_de_semana
    cuotas = dict(INTAKE_2025)
    if total is not None and total < sum(cuotas.values()):
        escala = total / sum(cuotas.values())
        cuotas = {p: max(1, round(n * escala)) for p, n in cuotas.items()}
    provincias = [p for p, n in cuotas.items() for _ in range(n)]
    rng.shuffle(provincias)
    dias_habiles = [inicio + timedelta(days=i) for i in range((fin - inicio).days + 1)]
    dias_habiles = [d for d in dias_habiles if es_habil(d)]
    fechas = sorted(rng.choice(dias_habiles) for _ in provincias)
    return list(zip(provincias, fechas))


# --- splitting the collection -------------------------------------------------------------

def _centavos(valor) -> int:
    return int((Decimal(valor) * 100).to_integral_value(rounding=ROUND_DOWN))


def pagos_repartir(total: Decimal, capacidades, pesos=None) -> list[Decimal]:
    """Split `total` into one share per capacity, exact to the cent: each share at least
    USD 0.01 and at most its capacity (cents beyond it are not used), proportional to `pesos`
    (the capacities by default) as far as the capacities allow; what a full share cannot take
    goes to the others. No randomness: the same input gives the same split. ValueError when
    the total does not fit."""
    total = Decimal(total)
    if total != total.quantize(CENTAVO):
        raise ValueError(f"El total {total} no está en centavos.")
    capacidades = list(capacidades)
    pesos = list(capacidades if pesos is None else pesos)
    n = len(capacidades)
    if len(pesos) != n:
        raise ValueError("Hace falta un peso por capacidad.")
    objetivo = _centavos(total)
    topes = [_centavos(c) for c in capacidades]
    if any(p <= 0 for p in pesos) or any(t < 1 for t in topes):
        raise ValueError("Cada capacidad debe ser de al menos USD 0,01 y cada peso positivo.")
    if not n <= objetivo <= sum(topes):
        raise ValueError(
            f"No se pueden repartir {usd(total)} en {n} partes de entre USD 0,01 y su capacidad "
            f"(capacidad total {usd(Decimal(sum(topes)) / 100)})."
        )
    fracciones = [Fraction(p) for p in pesos]
    partes = [1] * n
    holgura = [t - 1 for t in topes]
    resto = objetivo - n
    activos = [i for i in range(n) if holgura[i] > 0]
    while resto > 0:
        suma = sum(fracciones[i] for i in activos)
        ideal = {i: resto * fracciones[i] / suma for i in activos}
        llenos = [i for i in activos if ideal[i] >= holgura[i]]
        if llenos:  # these take all they can; the rest is shared again among the others
            for i in llenos:
                partes[i] += holgura[i]
                resto -= holgura[i]
                holgura[i] = 0
            activos = [i for i in activos if holgura[i] > 0]
            continue
        base = {i: math.floor(ideal[i]) for i in activos}
        sobrante = resto - sum(base.values())
        for i in activos:
            partes[i] += base[i]
        # the cents left, one each, to the largest fractions (ties: the first)
        for i in sorted(activos, key=lambda i: (base[i] - ideal[i], i))[:sobrante]:
            partes[i] += 1
        resto = 0
    return [Decimal(p).scaleb(-2) for p in partes]


# --- what happens to each expediente ------------------------------------------------------

@dataclass(frozen=True)
class Escenario:
    nombre: str
    cantidad: int  # in the full 2025 intake (135)
    cobro: str  # "total" (paid in full), "convenio" (instalments), "parcial" (part) or ""
    dias_minimos: int  # calendar days it needs between the orden de cobro and 30/12/2025


ESCENARIOS = (
    # with collection: 74
    Escenario("pagado_archivado", 22, "total", 60),
    Escenario("pagado", 14, "total", 40),
    Escenario("retencion_pagado", 5, "total", 75),  # retention letters, then paid, then lifted
    Escenario("embargo_pagado", 1, "total", 90),  # retained funds seized and transferred
    Escenario("convenio_vigente", 2, "convenio", 150),
    Escenario("convenio_incumplido", 1, "convenio", 150),
    Escenario("abono_parcial", 22, "parcial", 45),
    Escenario("medidas_abono", 6, "parcial", 70),
    Escenario("embargo_parcial", 1, "parcial", 90),  # the retained funds did not cover the debt
    # without collection: 61
    Escenario("citado", 30, "", 0),
    Escenario("medidas", 25, "", 30),
    Escenario("impugnado", 1, "", 40),
    Escenario("ilocalizable", 2, "", 60),
    Escenario("ilocalizable_prensa", 1, "", 110),  # cited by the press after 3 publications
    Escenario("insolvencia", 2, "", 120),
)
POR_NOMBRE = {e.nombre: e for e in ESCENARIOS}
ILOCALIZABLES = ("ilocalizable", "ilocalizable_prensa")


def _escalar(cantidades: list[int], total: int) -> list[int]:
    """Largest remainder: integers proportional to `cantidades` adding up to `total`."""
    suma = sum(cantidades)
    exactos = [Fraction(c * total, suma) for c in cantidades]
    base = [math.floor(x) for x in exactos]
    for i in sorted(range(len(base)), key=lambda i: (base[i] - exactos[i], i))[: total - sum(base)]:
        base[i] += 1
    return base


def escenarios_contar(n: int) -> dict[str, int]:
    """How many expedientes follow each scenario in an intake of `n` (135: the report)."""
    completo = sum(e.cantidad for e in ESCENARIOS)
    if n == completo:
        return {e.nombre: e.cantidad for e in ESCENARIOS}
    con_cobro = min(n, max(1, round(PROCESOS_CON_COBRO_2025 * n / completo)))
    grupos = ([e for e in ESCENARIOS if e.cobro], [e for e in ESCENARIOS if not e.cobro])
    cuenta_ = {}
    for grupo, total in zip(grupos, (con_cobro, n - con_cobro)):
        cuenta_ |= dict(zip((e.nombre for e in grupo), _escalar([e.cantidad for e in grupo], total)))
    if not any(cuenta_[e.nombre] for e in ESCENARIOS if e.cobro == "parcial"):
        # the exact total needs at least one expediente whose payment can be chosen
        mayor = max((e for e in grupos[0] if cuenta_[e.nombre]), key=lambda e: cuenta_[e.nombre])
        cuenta_[mayor.nombre] -= 1
        cuenta_["abono_parcial"] += 1
    return cuenta_


@dataclass
class Paso:
    fecha: date
    accion: str
    datos: dict = field(default_factory=dict)


@dataclass
class PlanExpediente:
    indice: int
    provincia: str
    fecha: date  # recepción de la orden de cobro
    deudor: Deudor
    abogado: str
    escenario: str = ""
    monto: Decimal = Decimal("0.00")
    pasos: list[Paso] = field(default_factory=list)
    peso: float = 1.0  # payers: relative size of what it pays
    fraccion: Decimal = Decimal("0.5")  # partial payers: about this part of the debt
    monto_base: Decimal = Decimal("0.00")  # without collection: before calibration
    pesos_partes: list[float] = field(default_factory=list)
    cuota_reparto: Decimal | None = None  # partial payers: their share of the collection

    @property
    def cobro(self) -> str:
        return POR_NOMBRE[self.escenario].cobro

    @property
    def pagos(self) -> list[Paso]:
        return [p for p in self.pasos if p.accion == "pago"]

    @property
    def cobrado(self) -> Decimal:
        return sum((p.datos["monto"] for p in self.pagos), Decimal("0.00"))

    @property
    def fecha_citacion(self) -> date | None:
        return next((p.fecha for p in self.pasos if p.accion in ("citacion", "citacion_prensa")), None)


class _Dias:
    """Dates on the legal calendar, drawn with the plan's generator."""

    def __init__(self, rng, es_habil, tope: date = ULTIMO_PAGO):
        self.rng, self.es_habil = rng, es_habil
        self.tope = tope  # no step after it (2025: the close of the year)

    def sumar(self, desde: date, dias: int) -> date:
        fecha = desde
        while dias > 0:
            fecha += timedelta(days=1)
            dias -= self.es_habil(fecha)
        return fecha

    def habil_hasta(self, fecha: date) -> date:
        while not self.es_habil(fecha):
            fecha -= timedelta(days=1)
        return fecha

    def habil_desde(self, fecha: date) -> date:
        while not self.es_habil(fecha):
            fecha += timedelta(days=1)
        return fecha

    def paso(self, desde: date, minimo: int, maximo: int, tope: date | None = None) -> date:
        """Between `minimo` and `maximo` working days after `desde`, not after `tope`."""
        tope = tope or self.tope
        fecha = self.sumar(desde, self.rng.randint(minimo, maximo))
        return fecha if fecha <= tope else max(desde, self.habil_hasta(tope))


SB, SEPS = Entidad.SUPERINTENDENCIA_BANCOS, Entidad.SEPS
SIN_FONDOS = {SB: "No registra cuentas ni inversiones en las entidades del sistema financiero.",
              SEPS: "No registra cuentas en cooperativas de ahorro y crédito."}
PERIODICOS = ("El Mercurio", "El Tiempo", "La Hora (edición Azuay)")


def _medidas(d: _Dias, desde, *, sb: str | None, seps: str | None, hasta: int = 10) -> tuple[list[Paso], date]:
    """Retention letters to the Superintendencia de Bancos and the SEPS the same day, and
    their answers (`sb`/`seps`: "cero", "cubre", "reparto", or None: not answered yet).
    Returns the steps and the date of the last one."""
    envio = d.paso(desde, 1, hasta)
    pasos = [Paso(envio, "medida", {"entidad": SB}), Paso(envio, "medida", {"entidad": SEPS})]
    ultima = envio
    for entidad, modo, plazo in ((SB, sb, (2, 8)), (SEPS, seps, (3, 15))):
        if modo:
            fecha = d.paso(envio, *plazo)
            observaciones = {
                "cero": SIN_FONDOS[entidad],
                "cubre": "Fondos retenidos en cuenta corriente hasta por el valor ordenado.",
                "reparto": "Se retiene el saldo disponible en cuenta de ahorros; no cubre el valor ordenado.",
            }[modo]
            datos = {"entidad": entidad, "modo": modo, "observaciones": observaciones}
            pasos.append(Paso(fecha, "respuesta", datos))
            ultima = max(ultima, fecha)
    return pasos, ultima


def _abonos(d: _Dias, rng, desde, veces: int, origen=OrigenPago.VOLUNTARIO) -> list[Paso]:
    pasos, fecha = [], desde
    for numero in range(veces):
        fecha = d.paso(fecha, 1, 30) if numero == 0 else d.paso(fecha, 15, 45)
        pasos.append(Paso(fecha, "pago", {"modo": "reparto", "origen": origen}))
    return pasos


def _convenio(d: _Dias, rng, desde, cuotas: int, *, pagadas: int | None) -> list[Paso]:
    """A plan of monthly instalments; `pagadas` of them paid on time (None: all those due
    before the end of 2025)."""
    fecha = d.paso(desde, 3, 15)
    vences = [fecha + relativedelta(months=n) for n in range(1, cuotas + 1)]
    pasos = [Paso(fecha, "convenio", {"vences": vences, "dias_gracia": 5})]
    anterior = fecha
    for numero, vence in enumerate(vences, start=1):
        if vence > d.tope or (pagadas is not None and numero > pagadas):
            break
        pago = max(anterior, d.habil_hasta(vence - timedelta(days=rng.randint(0, 4))))
        pasos.append(Paso(pago, "pago", {"modo": "cuota", "cuota": numero, "origen": OrigenPago.CONVENIO}))
        anterior = pago
    return pasos


def _busquedas(fecha, registros, resultados, objeto=ObjetoBusqueda.DOMICILIO) -> list[Paso]:
    return [Paso(fecha, "busqueda", {"registro": r, "resultado": t, "objeto": objeto})
            for r, t in zip(registros, resultados)]


def _pasos_escenario(nombre: str, d: _Dias, rng, desde: date) -> list[Paso]:
    if nombre in ("pagado", "pagado_archivado"):
        pasos = []
        if rng.random() < 0.3:  # an advance first, the rest later
            fecha = d.paso(desde, 2, 25)
            pasos.append(Paso(fecha, "pago", {"modo": "fraccion", "fraccion": Decimal(rng.randint(30, 60)) / 100,
                                              "origen": OrigenPago.VOLUNTARIO}))
            desde = fecha
        fecha = d.paso(desde, 1, 30) if not pasos else d.paso(desde, 10, 40)
        pasos.append(Paso(fecha, "pago", {"modo": "saldo", "origen": OrigenPago.VOLUNTARIO}))
        if nombre == "pagado_archivado":
            pasos.append(Paso(d.paso(fecha, 3, 20), "archivar"))
        return pasos
    if nombre == "retencion_pagado":  # retained, the debtor pays, the measures are lifted
        pasos, ultima = _medidas(d, desde, sb="cubre", seps="cero")
        pago = d.paso(ultima, 1, 10)
        levanta = d.paso(pago, 1, 5)
        return pasos + [Paso(pago, "pago", {"modo": "saldo", "origen": OrigenPago.VOLUNTARIO}),
                        Paso(levanta, "levantar", {"entidad": SB}), Paso(levanta, "levantar", {"entidad": SEPS})]
    if nombre in ("embargo_pagado", "embargo_parcial"):
        completo = nombre == "embargo_pagado"
        pasos, _ = _medidas(d, desde, sb="cubre" if completo else "reparto", seps="cero")
        respuesta_sb = next(p.fecha for p in pasos if p.accion == "respuesta" and p.datos["entidad"] == SB)
        embargo = d.paso(respuesta_sb, 2, 6)
        pago = d.paso(embargo, 3, 10)
        pasos += [Paso(embargo, "embargo", {"entidad": SB}),
                  Paso(embargo, "costa", {"concepto": "Notificación del auto de embargo a la entidad financiera",
                                          "monto": Decimal("18.50")}),
                  Paso(pago, "pago", {"modo": "saldo" if completo else "reparto", "origen": OrigenPago.RETENCION})]
        if completo:
            levanta = d.paso(pago, 1, 5)
            pasos += [Paso(levanta, "levantar", {"entidad": SB}), Paso(levanta, "levantar", {"entidad": SEPS})]
        return pasos
    if nombre == "abono_parcial":
        return _abonos(d, rng, desde, rng.choice((1, 1, 2, 2, 3)))
    if nombre == "medidas_abono":  # nothing retained, but the letters moved the debtor to pay part
        pasos, ultima = _medidas(d, desde, sb="cero", seps=rng.choice(("cero", None)))
        return pasos + _abonos(d, rng, ultima, rng.choice((1, 2)))
    if nombre == "convenio_vigente":
        return _convenio(d, rng, desde, rng.randint(8, 12), pagadas=None)
    if nombre == "convenio_incumplido":
        pasos = _convenio(d, rng, desde, 6, pagadas=1)
        segunda = pasos[0].datos["vences"][1]
        revision = d.sumar(segunda + timedelta(days=pasos[0].datos["dias_gracia"]), rng.randint(1, 5))
        medidas_, _ = _medidas(d, revision, sb="cero", seps=None, hasta=5)
        return pasos + [Paso(revision, "revisar")] + medidas_
    if nombre == "citado":
        return []
    if nombre == "medidas":
        sb = "cero" if rng.random() < 0.75 else None  # slow answers from the control entities
        seps = "cero" if rng.random() < 0.6 else None
        return _medidas(d, desde, sb=sb, seps=seps, hasta=20)[0]
    if nombre == "impugnado":
        return [Paso(d.paso(desde, 1, 15), "impugnacion")]
    if nombre in ILOCALIZABLES:
        busqueda = d.paso(desde, 1, 5)
        declara = d.paso(busqueda, 1, 5)
        pasos = _busquedas(busqueda, (RegistroPublico.REGISTRO_CIVIL, RegistroPublico.SRI), (
            "Registra como domicilio la dirección de la orden de cobro, donde no se le ubicó.",
            "El domicilio tributario registrado no existe en la dirección indicada.",
        )) + [Paso(declara, "ilocalizable")]
        publicaciones = 3 if nombre == "ilocalizable_prensa" else rng.choice((0, 1))
        fecha = d.paso(declara, 3, 8)
        periodico = rng.choice(PERIODICOS)
        for numero in range(publicaciones):
            if numero:
                fecha = d.habil_desde(fecha + timedelta(days=7))
            costo = Decimal(rng.randint(8540, 14280)) / 100
            pasos.append(Paso(fecha, "publicacion", {"periodico": periodico, "monto": costo}))
        if publicaciones == settings.ILOCALIZABLES["PUBLICACIONES"]:
            efecto = d.sumar(fecha, settings.ILOCALIZABLES["DIAS_EFECTO_PRENSA"])
            pasos.append(Paso(efecto, "citacion_prensa"))
        return pasos
    if nombre == "insolvencia":
        pasos, ultima = _medidas(d, desde, sb="cero", seps="cero")
        busqueda = d.paso(ultima, 5, 20)
        pasos += _busquedas(busqueda, (RegistroPublico.REGISTRO_PROPIEDAD, RegistroPublico.SRI, RegistroPublico.ANT), (
            "Sin bienes inmuebles inscritos a su nombre.",
            "RUC suspendido; sin actividad económica ni bienes declarados desde 2023.",
            "No registra vehículos a su nombre.",
        ), objeto=ObjetoBusqueda.BIENES)
        return pasos + [Paso(d.paso(busqueda, 5, 15), "insolvencia")]
    raise ValueError(f"Escenario desconocido: {nombre}")


def _pasos_plan(plan: PlanExpediente, d: _Dias, rng) -> list[Paso]:
    """The orden de cobro, the auto de pago, the citation within the unit's term (or the
    failed attempt of an untraceable debtor), a providencia, then the scenario."""
    n_auto = rng.randint(1, 2)
    auto = d.sumar(plan.fecha, n_auto)
    pasos = [Paso(plan.fecha, "orden"), Paso(auto, "auto")]
    if plan.escenario in ILOCALIZABLES:
        intento = d.sumar(auto, rng.randint(1, 3))
        providencia = d.sumar(intento, rng.randint(1, 2))
        pasos += [
            Paso(intento, "intento", {"resumen": "Razón: no se ubicó al coactivado en el domicilio de la orden de "
                                                 "cobro; los vecinos no lo conocen."}),
            Paso(providencia, "providencia", {"resumen": "Providencia: búsquese al coactivado en los registros "
                                                         "públicos (Registro Civil, SRI)."}),
        ]
    else:
        limite = settings.CITACION_DIAS_SERVICIO
        citacion = d.sumar(plan.fecha, rng.randint(n_auto + 1, max(n_auto + 1, min(limite, n_auto + 6))))
        forma = ("Citación en persona con el auto de pago." if rng.random() < 0.7
                 else "Citación por tres boletas dejadas en el domicilio del coactivado.")
        providencia = d.sumar(citacion, rng.randint(3, 5))
        pasos += [
            Paso(citacion, "citacion", {"resumen": forma}),
            Paso(providencia, "providencia", {"resumen": "Providencia de impulso: vencido el término de tres "
                                                         "días, continúese con la ejecución."}),
        ]
    pasos += _pasos_escenario(plan.escenario, d, rng, providencia)
    return sorted(pasos, key=lambda p: p.fecha)  # stable: same-day steps keep their order


# --- amounts ------------------------------------------------------------------------------

def _estado_cuenta(plan: PlanExpediente, tasas, hasta: date, abonos=()):
    """The expediente's account as `expedientes.services.cuenta.cuenta_liquidar` will compute
    it from the records: the título (due from the orden de cobro), costas, payments."""
    cargos = [Cargo(p.fecha, p.datos["monto"]) for p in plan.pasos if p.accion in ("costa", "publicacion")]
    return liquidar(obligaciones=[Obligacion(plan.fecha, plan.monto)], cargos=cargos, abonos=list(abonos),
                    tasas=tasas, hasta=hasta)


def _resolver(plan: PlanExpediente, tasas) -> None:
    """Fill the amounts that depend on the balance, walking the steps in order: full
    payments, instalments, retained funds, the parts of a partial payer's share."""
    abonos, cuotas = [], []
    partes = iter(pagos_repartir(plan.cuota_reparto, [plan.cuota_reparto] * len(plan.pesos_partes),
                                 plan.pesos_partes) if plan.cuota_reparto else ())
    for paso in plan.pasos:
        datos = paso.datos
        if paso.accion == "convenio":
            saldo = _estado_cuenta(plan, tasas, paso.fecha, abonos).saldo
            n = len(datos["vences"])
            base = (saldo / n).quantize(CENTAVO, ROUND_DOWN)
            cuotas = [base] * (n - 1) + [saldo - base * (n - 1)]
            datos["cuotas"] = list(zip(datos["vences"], cuotas))
        elif paso.accion == "respuesta":
            if datos["modo"] == "cero":
                datos["monto"] = Decimal("0.00")
            elif datos["modo"] == "cubre":  # the letter orders the debt plus 10 % for what accrues
                saldo = _estado_cuenta(plan, tasas, paso.fecha, abonos).saldo
                datos["monto"] = (saldo * Decimal("1.10")).quantize(CENTAVO)
            else:
                datos["monto"] = plan.cuota_reparto
        elif paso.accion == "pago":
            modo = datos["modo"]
            if modo == "cuota":
                monto = cuotas[datos["cuota"] - 1]
            elif modo == "reparto":
                monto = next(partes)
            else:
                saldo = _estado_cuenta(plan, tasas, paso.fecha, abonos).saldo
                monto = saldo if modo == "saldo" else (saldo * datos["fraccion"]).quantize(Decimal(1), ROUND_DOWN)
            datos["monto"] = monto
            abonos.append(Abono(paso.fecha, monto, f"pago {len(abonos) + 1}"))


def _abonos_de(plan: PlanExpediente) -> list[Abono]:
    return [Abono(p.fecha, p.datos["monto"], f"pago {n}") for n, p in enumerate(plan.pagos, start=1)]


def _monto_para_pagar(plan: PlanExpediente, tasas, objetivo: Decimal) -> None:
    """The título's capital so that what this plan pays comes close to `objetivo` (what it pays
    is, up to rounding, proportional to the capital)."""
    plan.monto = Decimal("1000.00")
    _resolver(plan, tasas)
    if not plan.cobrado:
        raise RuntimeError(f"Plan {plan.indice} ({plan.escenario}): ningún pago cabe antes del cierre de 2025.")
    plan.monto = (objetivo * plan.monto / plan.cobrado).quantize(CENTAVO)
    _resolver(plan, tasas)


def _calibrar_pendiente(planes, tasas, objetivo: Decimal) -> None:
    """Capitals of the expedientes without collection so that the balance pending at the
    close of 2025 is `objetivo` (to the cent when one «citado» can absorb the rounding)."""
    sin_cobro = [p for p in planes if not p.cobro]
    con_cobro = [p for p in planes if p.cobro]
    if not sin_cobro:
        return
    pendiente_otros = sum((_estado_cuenta(p, tasas, CIERRE_2025, _abonos_de(p)).saldo for p in con_cobro),
                          Decimal("0.00"))
    meta = objetivo - pendiente_otros
    # the balance grows with the capital at a rate of its own for each expediente (its days
    # of interest): saldo ≈ capital × factor + costas; capitals move between PISO and their draw
    costas, factores = Decimal("0.00"), {}
    for plan in sin_cobro:
        plan.monto = Decimal("1000.00")
        estado = _estado_cuenta(plan, tasas, CIERRE_2025)
        costas += estado.costas_total
        factores[plan.indice] = (estado.saldo - estado.costas_total) / plan.monto
        plan.monto = plan.monto_base
    fijo = sum(PISO * f for f in factores.values())
    variable = sum((p.monto_base - PISO) * factores[p.indice] for p in sin_cobro)
    if meta - costas <= fijo or variable <= 0:
        return  # keep the drawn capitals: too little left to reach the figure believably
    escala = (meta - costas - fijo) / variable
    for plan in sin_cobro:
        plan.monto = (PISO + (plan.monto_base - PISO) * escala).quantize(CENTAVO)
    saldos = {plan.indice: _estado_cuenta(plan, tasas, CIERRE_2025).saldo for plan in sin_cobro}
    diferencia = meta - sum(saldos.values())
    for plan in (p for p in sin_cobro if p.escenario == "citado"):
        buscado = saldos[plan.indice] + diferencia
        if buscado < PISO:
            continue
        original = plan.monto
        estimado = (original * buscado / saldos[plan.indice]).quantize(CENTAVO)
        for centavos in sorted(range(-10, 11), key=abs):
            plan.monto = estimado + centavos * CENTAVO
            if _estado_cuenta(plan, tasas, CIERRE_2025).saldo == buscado:
                return
        plan.monto = original


def _verificar(planes, tasas, total: Decimal, con_cobro: int) -> None:
    """The plan keeps the figures and every rule the services will check again."""
    pagadores = [p for p in planes if p.pagos]
    cobrado = sum((p.cobrado for p in planes), Decimal("0.00"))
    if len(pagadores) != con_cobro or cobrado != total:
        raise RuntimeError(f"Plan de demostración inconsistente: {len(pagadores)} expedientes con cobro "
                           f"por {cobrado}, se esperaban {con_cobro} por {total}.")
    for plan in planes:
        citacion = plan.fecha_citacion
        final = _estado_cuenta(plan, tasas, CIERRE_2025, _abonos_de(plan))  # raises if a payment exceeds
        for pago in plan.pagos:
            if not (citacion and citacion < pago.fecha <= ULTIMO_PAGO) or pago.datos["monto"] <= 0:
                raise RuntimeError(f"Pago fuera de regla en el plan {plan.indice}: {pago}")
        if (final.saldo == 0) != (plan.cobro == "total"):
            raise RuntimeError(f"Plan {plan.indice} ({plan.escenario}): saldo final {final.saldo}.")


def escenarios_asignar(rng, planes: list[PlanExpediente], cantidades: dict[str, int], tope: date) -> None:
    """Scenarios: the longest first, each to an expediente received early enough for it
    (`dias_minimos` calendar days before `tope`)."""
    libres = list(planes)
    for escenario in sorted(ESCENARIOS, key=lambda e: -e.dias_minimos):
        for _ in range(cantidades[escenario.nombre]):
            aptos = [p for p in libres if (tope - p.fecha).days >= escenario.dias_minimos] or libres[:1]
            elegido = rng.choice(aptos)
            elegido.escenario = escenario.nombre
            libres.remove(elegido)


def plan_sortear(plan: PlanExpediente, d: _Dias, rng) -> None:
    """The steps of a plan and the draws its amounts start from (capital, weights)."""
    plan.pasos = _pasos_plan(plan, d, rng)
    plan.peso = rng.lognormvariate(0, 0.7)
    plan.fraccion = Decimal(rng.randint(35, 80)) / 100
    plan.monto_base = (PISO + Decimal(min(15000.0, rng.lognormvariate(math.log(800), 0.8)))).quantize(CENTAVO)
    plan.pesos_partes = [rng.uniform(0.5, 1.5) for p in plan.pasos if p.accion == "pago"]
    limite = d.sumar(plan.fecha, settings.CITACION_DIAS_SERVICIO)
    if plan.escenario not in ILOCALIZABLES and plan.fecha_citacion > limite:
        raise RuntimeError(f"Plan {plan.indice}: citación fuera del término de servicio.")


def plan_demo(rng: random.Random, total: int | None = None, *, tasas, es_habil=None) -> list[PlanExpediente]:
    """Everything the demo will record, decided beforehand as plain data (nothing is written):
    intake, scenario, dates, capitals and every amount. With the full intake, 74 expedientes
    pay exactly USD 140.714,68 in 2025 and the balance pending at its close is USD
    124.562,22; a smaller intake keeps the proportions. `tasas`: the interest-rate table
    (expedientes.liquidacion.Tasa); `es_habil`: the legal calendar."""
    es_habil = es_habil or _dia_de_semana
    d = _Dias(rng, es_habil)
    intake = plan_de_intake(rng, total, es_habil)
    n = len(intake)
    completo = sum(INTAKE_2025.values())
    planes = [PlanExpediente(indice=i, provincia=provincia, fecha=fecha, deudor=deudor_generar(rng, provincia),
                             abogado=rng.choice(["abogado1", "abogado2"]))
              for i, (provincia, fecha) in enumerate(intake, start=1)]

    escenarios_asignar(rng, planes, escenarios_contar(n), ULTIMO_PAGO)
    for plan in planes:
        plan_sortear(plan, d, rng)

    # the collection: a target for each payer, exact in total
    pagadores = [p for p in planes if p.cobro]
    con_cobro = len(pagadores)
    cobro_total = (COBRO_2025 * con_cobro / PROCESOS_CON_COBRO_2025).quantize(CENTAVO)
    objetivos = dict(zip((p.indice for p in pagadores),
                         pagos_repartir(cobro_total, [cobro_total] * con_cobro, [p.peso for p in pagadores])))
    # full payments and instalments follow from the capital: choose it, then compute what is paid
    fijos = [p for p in pagadores if p.cobro != "parcial"]
    for plan in fijos:
        _monto_para_pagar(plan, tasas, objetivos[plan.indice])
    # partial payers take the rest, each well below its balance on the day of its first payment
    parciales = [p for p in pagadores if p.cobro == "parcial"]
    capacidades = []
    for plan in parciales:
        primero = plan.pagos[0].fecha
        plan.monto = Decimal("1000.00")
        estado = _estado_cuenta(plan, tasas, primero)
        factor = (estado.saldo - estado.costas_total) / plan.monto
        plan.monto = (objetivos[plan.indice] / plan.fraccion / factor).quantize(CENTAVO)
        saldo = _estado_cuenta(plan, tasas, primero).saldo
        capacidades.append((saldo * Decimal("0.9")).quantize(CENTAVO, ROUND_DOWN))
    resto = cobro_total - sum((p.cobrado for p in fijos), Decimal("0.00"))
    partes = pagos_repartir(resto, capacidades, [objetivos[p.indice] for p in parciales])
    for plan, parte in zip(parciales, partes):
        plan.cuota_reparto = parte
        _resolver(plan, tasas)

    # comprobantes de ingreso numbered in date order
    todos = sorted(((p.fecha, plan.indice, n, p) for plan in planes for n, p in enumerate(plan.pagos)),
                   key=lambda t: t[:3])
    for numero, (fecha, _, _, pago) in enumerate(todos, start=1):
        pago.datos["recibo"] = f"CI-{fecha.year}-{numero:05d}"

    _calibrar_pendiente(planes, tasas, (PENDIENTE_2025 * n / completo).quantize(CENTAVO))
    for plan in planes:
        if not plan.cobro:
            _resolver(plan, tasas)  # answers of the retention letters
    _verificar(planes, tasas, cobro_total, con_cobro)
    return planes


# --- recording a plan through the services ------------------------------------------------

def usuarios_crear(clave_fija: str | None = None, salida=print) -> dict:
    """Users for every role; each new one gets a random password, printed here only."""
    modelo = get_user_model()
    creados = {}
    for username, nombre, apellido, rol, superuser in USUARIOS:
        usuario = modelo.objects.filter(username=username).first()
        if usuario is None:
            clave = clave_fija or secrets.token_urlsafe(9)
            usuario = modelo.objects.create_user(
                username=username, first_name=nombre, last_name=apellido,
                email=f"{username}@coactivas.example", password=clave,
                is_superuser=superuser, is_staff=superuser,
            )
            salida(f"  {username:<11} {clave:<14} {rol or 'superusuario'}")
        if rol:
            usuario.groups.add(Group.objects.get(name=rol))
        creados[username] = usuario
    return creados


def tasas_demo_registrar(usuario=None) -> int:
    """The demo's interest-rate table, only when the unit has registered none."""
    if TasaInteres.objects.exists():
        return 0
    for desde, tasa in TASAS_DEMO:
        cuenta.tasa_registrar(vigente_desde=desde, tasa_anual=tasa, fuente=FUENTE_TASAS, usuario=usuario)
    return len(TASAS_DEMO)


def _pdf(plantilla, **contexto):
    return io.BytesIO(pdf_renderizar(plantilla, contexto))


class _Registro:
    """Replays one plan through the services, step by step, in date order."""

    def __init__(self, plan: PlanExpediente, usuarios: dict):
        self.plan = plan
        self.secretaria, self.jefe = usuarios["secretaria"], usuarios["jefe"]
        self.abogado = usuarios[plan.abogado]
        self.medidas = {}
        self.convenio_vigente = None
        self.providencias = 0

    def ejecutar(self) -> ExpedientePage:
        plan = self.plan
        coactivado = coactivado_registrar(identificacion=plan.deudor.identificacion, nombre=plan.deudor.nombre,
                                          usuario=self.secretaria)
        self.expediente = expediente_abrir(
            coactivado=coactivado, provincia=plan.provincia, fecha_recepcion=plan.fecha, monto_titulo=plan.monto,
            abogado=self.abogado, usuario=self.secretaria,
        )
        for paso in plan.pasos:
            getattr(self, paso.accion)(paso.fecha, **paso.datos)
            self.expediente.refresh_from_db(fields=["estado"])  # the services lock and change the row
        return self.expediente

    def orden(self, fecha):
        expediente = self.expediente
        orden = actuacion_registrar(
            expediente=expediente, tipo=TipoActuacion.ORDEN_DE_COBRO, fecha=fecha, usuario=self.secretaria,
            numero=f"OC-{expediente.secuencial:04d}", resumen="Orden de cobro con título de crédito.",
        )
        # the received document (not generated by the unit): a hand-made stand-in
        adjunto_crear(
            actuacion=orden, titulo="Orden de cobro y título de crédito",
            flujo=_pdf("expedientes/documentos/demo/orden_cobro.html", fecha=fecha, expediente=expediente,
                       coactivado=expediente.coactivado, jefe=self.jefe),
            nombre=f"orden-de-cobro-{expediente.numero}.pdf", usuario=self.secretaria,
        )

    def auto(self, fecha):
        auto = actuacion_registrar(
            expediente=self.expediente, tipo=TipoActuacion.AUTO_DE_PAGO, fecha=fecha, usuario=self.abogado,
            resumen="Orden de pago inmediato: pague o dimita bienes en tres días.",
        )
        documento_generar(expediente=self.expediente, clave=ClaveDocumento.AUTO_PAGO, usuario=self.abogado,
                          firmante=self.jefe, fecha=fecha, actuacion=auto)

    def citacion(self, fecha, resumen):
        citacion = actuacion_registrar(expediente=self.expediente, tipo=TipoActuacion.CITACION, fecha=fecha,
                                       usuario=self.secretaria, resumen=resumen)
        documento_generar(expediente=self.expediente, clave=ClaveDocumento.RAZON_CITACION, usuario=self.secretaria,
                          fecha=fecha, actuacion=citacion)
        expediente_transicion(expediente=self.expediente, hasta=Estado.CITADO, usuario=self.secretaria,
                              fecha=fecha, motivo=resumen, actuacion=citacion)

    def intento(self, fecha, resumen):
        actuacion_registrar(expediente=self.expediente, tipo=TipoActuacion.RAZON, fecha=fecha,
                            usuario=self.secretaria, resumen=resumen)

    def providencia(self, fecha, resumen):
        self.providencias += 1
        actuacion_registrar(expediente=self.expediente, tipo=TipoActuacion.PROVIDENCIA, fecha=fecha,
                            usuario=self.abogado, numero=str(self.providencias), resumen=resumen)

    def medida(self, fecha, entidad):
        self.medidas[entidad] = medidas.medida_ordenar(expediente=self.expediente, entidad=entidad,
                                                       usuario=self.secretaria, firmante=self.jefe, fecha=fecha)

    def respuesta(self, fecha, entidad, monto, observaciones, modo):
        medidas.medida_respuesta_registrar(medida=self.medidas[entidad], fecha=fecha, monto_retenido=monto,
                                           observaciones=observaciones)

    def embargo(self, fecha, entidad):
        medida = self.medidas[entidad]
        medida.expediente = self.expediente
        medidas.medida_convertir_embargo(medida=medida, fecha=fecha, usuario=self.abogado, firmante=self.jefe)

    def levantar(self, fecha, entidad):
        medida = self.medidas[entidad]
        medida.expediente = self.expediente
        medidas.medida_levantar(medida=medida, fecha=fecha, usuario=self.secretaria, firmante=self.jefe)

    def costa(self, fecha, concepto, monto):
        cuenta.costa_registrar(expediente=self.expediente, fecha=fecha, concepto=concepto, monto=monto,
                               usuario=self.secretaria)

    def pago(self, fecha, monto, origen, recibo, modo, **_):
        saldo = cuenta.cuenta_liquidar(self.expediente, fecha).saldo
        if monto > saldo or (modo == "saldo" and monto != saldo):
            raise RuntimeError(f"{self.expediente.numero}: el plan paga {monto} el {fecha:%d/%m/%Y} y el saldo "
                               f"registrado es {saldo}.")
        # funds retained by the Superintendencia de Bancos pay it: the payment says which letter
        medida = self.medidas[SB] if origen == OrigenPago.RETENCION else None
        cuenta.pago_registrar(expediente=self.expediente, fecha=fecha, monto=monto, origen=origen, recibo=recibo,
                              usuario=self.secretaria, medida=medida)

    def convenio(self, fecha, cuotas, dias_gracia, vences):
        numero = f"{self.expediente.numero}-FP-1"
        actuacion = actuacion_registrar(
            expediente=self.expediente, tipo=TipoActuacion.CONVENIO_DE_PAGO, fecha=fecha, usuario=self.abogado,
            numero=numero, resumen=f"Facilidades de pago en {len(cuotas)} cuotas mensuales.",
        )
        self.convenio_vigente = cuenta.convenio_registrar(expediente=self.expediente, fecha=fecha, cuotas=cuotas,
                                                  usuario=self.jefe, resolucion=numero, dias_gracia=dias_gracia,
                                                  actuacion=actuacion)

    def revisar(self, fecha):
        cuenta.convenio_revisar(convenio=self.convenio_vigente, fecha=fecha, usuario=self.secretaria)

    def archivar(self, fecha):
        expediente_transicion(expediente=self.expediente, hasta=Estado.ARCHIVADO, usuario=self.jefe, fecha=fecha,
                              motivo="Obligación extinguida por pago total: archívese el proceso.")

    def impugnacion(self, fecha):
        escrito = actuacion_registrar(
            expediente=self.expediente, tipo=TipoActuacion.ESCRITO, fecha=fecha, usuario=self.secretaria,
            resumen="Excepciones a la coactiva presentadas ante el Tribunal Distrital de lo Contencioso "
                    "Administrativo con sede en Cuenca.",
        )
        expediente_transicion(expediente=self.expediente, hasta=Estado.IMPUGNADO, usuario=self.abogado,
                              fecha=fecha,
                              motivo="Excepciones presentadas: la ejecución espera la resolución del tribunal.",
                              actuacion=escrito)

    def busqueda(self, fecha, registro, resultado, objeto):
        ilocalizables.busqueda_registrar(expediente=self.expediente, registro=registro, fecha=fecha,
                                         resultado=resultado, encontrado=False, usuario=self.abogado,
                                         objeto=objeto)

    def ilocalizable(self, fecha):
        ilocalizables.ilocalizable_declarar(expediente=self.expediente, usuario=self.abogado, fecha=fecha)

    def publicacion(self, fecha, periodico, monto):
        ilocalizables.publicacion_registrar(expediente=self.expediente, periodico=periodico, fecha=fecha,
                                            costo=monto, usuario=self.secretaria)

    def citacion_prensa(self, fecha):
        ilocalizables.citacion_prensa_registrar(expediente=self.expediente, usuario=self.secretaria, fecha=fecha)

    def insolvencia(self, fecha):
        ilocalizables.insolvencia_declarar(expediente=self.expediente, usuario=self.abogado, firmante=self.jefe,
                                           fecha=fecha)


def expediente_ejecutar(plan: PlanExpediente, usuarios: dict) -> ExpedientePage:
    """Record one planned expediente through the services (every document into custody)."""
    return _Registro(plan, usuarios).ejecutar()


# --- the figures, from the records --------------------------------------------------------

@dataclass
class Resumen:
    anio: int
    corte: date
    provincias: dict
    estados: dict
    con_cobro: int
    pagos: int
    cobrado: Decimal
    pendiente: Decimal
    con_saldo: int
    servicio: object  # expedientes.plazos.NivelServicio


def resumen_calcular(anio: int = 2025, corte: date = CIERRE_2025) -> Resumen:
    """The report's figures for the expedientes of `anio`, computed from what is recorded."""
    expedientes = ExpedientePage.objects.filter(anio=anio)
    pagos = Pago.objects.filter(expediente__anio=anio, fecha__lte=corte, anulado_en__isnull=True)
    saldos = [cuenta.cuenta_liquidar(e, corte).saldo
              for e in expedientes.prefetch_related("titulos", "costas", "pagos")]
    return Resumen(
        anio=anio, corte=corte,
        provincias=Counter(expedientes.values_list("provincia", flat=True)),
        estados=Counter(expedientes.values_list("estado", flat=True)),
        con_cobro=pagos.values("expediente").distinct().count(),
        pagos=pagos.count(),
        cobrado=pagos.aggregate(total=Sum("monto"))["total"] or Decimal("0.00"),
        pendiente=sum(saldos, Decimal("0.00")),
        con_saldo=sum(1 for s in saldos if s > 0),
        servicio=nivel_servicio_citacion(ExpedientePage.objects.all(), anio=anio),
    )


def _lista(contador: dict, etiquetas) -> str:
    ordenados = sorted(contador.items(), key=lambda t: (-t[1], t[0]))
    return ", ".join(f"{etiquetas(clave)} {n}" for clave, n in ordenados)


def resumen_lineas(resumen: Resumen) -> list[str]:
    servicio = resumen.servicio
    porcentaje = f"{servicio.porcentaje:.1f}".replace(".", ",") if servicio.porcentaje is not None else "—"
    return [
        f"Resumen de {resumen.anio}, calculado de los registros:",
        (f"  Expedientes: {sum(resumen.provincias.values())} "
         f"({_lista(resumen.provincias, lambda p: Provincia(p).label)})"),
        f"  Por estado: {_lista(resumen.estados, lambda e: Estado(e).label)}",
        (f"  Citados dentro de {settings.CITACION_DIAS_SERVICIO} días hábiles de la orden de cobro: "
         f"{servicio.a_tiempo} de {servicio.a_tiempo + servicio.tarde} citados ({porcentaje} %); "
         f"sin citar: {servicio.sin_citar}"),
        (f"  Con recaudación: {resumen.con_cobro} expedientes, {usd(resumen.cobrado)} "
         f"en {resumen.pagos} pagos"),
        (f"  Saldo pendiente al {resumen.corte:%d/%m/%Y} (capital, intereses y costas): "
         f"{usd(resumen.pendiente)} en {resumen.con_saldo} expedientes"),
    ]


def demo_cargar(*, total: int | None = None, semilla: int = 2025, clave_fija=None, salida=print,
                progreso=None, hoy: date | None = None, actual: bool = True) -> int:
    """Build the demo unit unless expedientes already exist. Returns how many were created.
    `actual`: also the current year up to `hoy` (today by default) and the 2025 processes'
    follow-up in it (portal/demo_actual.py); the 2025 figures stay the same."""
    from django.utils import timezone

    from portal import demo_actual

    hoy = hoy or timezone.localdate()
    vivo = actual and hoy > CIERRE_2025
    if ExpedientePage.objects.exists():
        salida("Ya hay expedientes: no se cargan datos de demostración.")
        return 0
    rng = random.Random(semilla)
    salida("Usuarios de demostración (las claves se muestran solo esta vez):")
    usuarios = usuarios_crear(clave_fija=clave_fija, salida=salida)
    if tasas_demo_registrar(usuario=usuarios["admin"]):
        salida(f"Tasas de interés registradas desde 01/01/2024 (fuente: «{FUENTE_TASAS}»).")
    ultimo_anio = max(2026, hoy.year + 1)
    calendario_sembrar(anios=list(range(2025, ultimo_anio + 1)))  # the términos count on each year's holidays
    tasas = [Tasa(t.vigente_desde, t.tasa_anual) for t in TasaInteres.objects.all()]
    actuales, seguimiento = [], {}
    with calendario.precargado(date(2024, 12, 1), date(ultimo_anio, 12, 31)):
        planes = plan_demo(rng, total, tasas=tasas, es_habil=calendario.dia_habil)
        if vivo:
            actuales, seguimiento = demo_actual.plan_vivo(semilla, planes, hoy, tasas=tasas, total=total,
                                                          es_habil=calendario.dia_habil)
    total_planes = len(planes) + len(actuales)
    for indice, plan in enumerate(planes, start=1):
        expediente = expediente_ejecutar(plan, usuarios)
        if plan.indice in seguimiento:
            demo_actual.seguimiento_ejecutar(plan, usuarios, expediente, seguimiento[plan.indice])
        if progreso:
            progreso(indice, total_planes)
    for indice, plan in enumerate(actuales, start=len(planes) + 1):
        expediente_ejecutar(plan, usuarios)
        if progreso:
            progreso(indice, total_planes)
    if vivo:  # the current year also seizes goods and auctions them (portal/demo_bienes.py)
        from portal.demo_bienes import bienes_demo

        remates = bienes_demo(ExpedientePage.objects.filter(anio=hoy.year).order_by("fecha_recepcion", "pk"),
                              usuarios, hoy=hoy)
        salida(f"  Bienes embargados y rematados en {hoy.year}: {len(remates)} remates "
               f"({', '.join(r.get_resultado_display().lower() for r in remates)})")
    for linea in resumen_lineas(resumen_calcular()):
        salida(linea)
    if vivo:
        situacion = demo_actual.situacion_actual(hoy)
        salida(f"  {hoy.year} hasta el {hoy:%d/%m/%Y}: {situacion['del_anio']} expedientes recibidos; "
               f"{situacion['abiertos']} en trámite, {situacion['vencidos']} con plazo vencido, "
               f"{situacion['semana']} que vencen esta semana")
    from portal.demo_archivo import archivo_demo_cargar

    archivo_demo_cargar(usuarios, salida=salida)
    return total_planes
