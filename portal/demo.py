"""A believable unit for trying the portal: users for every role and the 2025 intake of
the seed report (135 expedientes: 108 Azuay, 23 Cañar, 4 Morona Santiago), with valid
cédulas/RUCs and generated PDFs that enter through the same custody pipeline as any upload.
Deterministic (seeded) so two runs build the same unit."""

import io
import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from stdnum.ec import ci, ruc

from expedientes.documentos import pdf_renderizar
from expedientes.models import ExpedientePage, Provincia, TipoActuacion
from expedientes.services.actuaciones import actuacion_registrar
from expedientes.services.adjuntos import adjunto_crear
from expedientes.services.coactivados import coactivado_registrar
from expedientes.services.expedientes import expediente_abrir
from permisos import roles

INTAKE_2025 = {Provincia.AZUAY: 108, Provincia.CANAR: 23, Provincia.MORONA_SANTIAGO: 4}

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


def plan_de_intake(rng: random.Random, total: int | None = None):
    """(provincia, fecha de recepción) for each expediente of 2025, in date order.
    With `total` smaller than 135, the same proportions scaled down (at least one each)."""
    cuotas = dict(INTAKE_2025)
    if total is not None and total < sum(cuotas.values()):
        escala = total / sum(cuotas.values())
        cuotas = {p: max(1, round(n * escala)) for p, n in cuotas.items()}
    provincias = [p for p, n in cuotas.items() for _ in range(n)]
    rng.shuffle(provincias)
    dias_habiles = [date(2025, 1, 2) + timedelta(days=i) for i in range(360)]
    dias_habiles = [d for d in dias_habiles if d.weekday() < 5]
    fechas = sorted(rng.choice(dias_habiles) for _ in provincias)
    return list(zip(provincias, fechas))


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


def _pdf(plantilla, **contexto):
    return io.BytesIO(pdf_renderizar(plantilla, contexto))


def expediente_demo_crear(rng, provincia, fecha, usuarios):
    deudor = deudor_generar(rng, provincia)
    secretaria = usuarios["secretaria"]
    abogado = usuarios[rng.choice(["abogado1", "abogado2"])]
    coactivado = coactivado_registrar(
        identificacion=deudor.identificacion, nombre=deudor.nombre, usuario=secretaria
    )
    monto = Decimal(rng.randint(40000, 900000)) / 100
    expediente = expediente_abrir(
        coactivado=coactivado, provincia=provincia, fecha_recepcion=fecha, monto_titulo=monto,
        abogado=abogado, usuario=secretaria,
    )
    datos = {"expediente": expediente, "coactivado": coactivado, "jefe": usuarios["jefe"]}
    orden = actuacion_registrar(
        expediente=expediente, tipo=TipoActuacion.ORDEN_DE_COBRO, fecha=fecha, usuario=secretaria,
        numero=f"OC-{expediente.secuencial:04d}", resumen="Orden de cobro con título de crédito.",
    )
    adjunto_crear(
        actuacion=orden, titulo="Orden de cobro y título de crédito",
        flujo=_pdf("expedientes/documentos/demo/orden_cobro.html", fecha=fecha, **datos),
        nombre=f"orden-de-cobro-{expediente.numero}.pdf", usuario=secretaria,
    )
    fecha_auto = fecha + timedelta(days=rng.randint(1, 3))
    auto = actuacion_registrar(
        expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO, fecha=fecha_auto, usuario=abogado,
        resumen="Orden de pago inmediato: pague o dimita bienes en tres días.",
    )
    adjunto_crear(
        actuacion=auto, titulo="Auto de pago firmado",
        flujo=_pdf("expedientes/documentos/demo/auto_pago.html", fecha=fecha_auto, **datos),
        nombre=f"auto-de-pago-{expediente.numero}.pdf", usuario=abogado,
    )
    actuacion_registrar(
        expediente=expediente, tipo=TipoActuacion.CITACION,
        fecha=fecha_auto + timedelta(days=rng.randint(1, 6)), usuario=abogado,
        resumen="Citación en persona con el auto de pago.",
    )
    actuacion_registrar(
        expediente=expediente, tipo=TipoActuacion.PROVIDENCIA,
        fecha=fecha_auto + timedelta(days=rng.randint(8, 20)), usuario=abogado,
        numero="1", resumen="Providencia de impulso.",
    )
    return expediente


def demo_cargar(*, total: int | None = None, semilla: int = 2025, clave_fija=None, salida=print,
                progreso=None) -> int:
    """Build the demo unit unless expedientes already exist. Returns how many were created."""
    if ExpedientePage.objects.exists():
        salida("Ya hay expedientes: no se cargan datos de demostración.")
        return 0
    rng = random.Random(semilla)
    salida("Usuarios de demostración (las claves se muestran solo esta vez):")
    usuarios = usuarios_crear(clave_fija=clave_fija, salida=salida)
    plan = plan_de_intake(rng, total)
    for indice, (provincia, fecha) in enumerate(plan, start=1):
        expediente_demo_crear(rng, provincia, fecha, usuarios)
        if progreso:
            progreso(indice, len(plan))
    return len(plan)
