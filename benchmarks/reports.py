"""The unit's reports at scale (issue 11): the monthly matrix, the pending portfolio and the
dashboard on 100,000 expedientes, as an abogado (2 % of them) and as a superuser, and the XLSX
export of the full matrix with its peak memory.

    python benchmarks/reports.py [--expedientes 100000] [--asignados 2000]
                                 [--repeticiones 10] [--calentamiento 2] [--reusar]
                                 [--casos matriz,cartera,tablero] [--sin-exportacion]

Same environment and method as benchmarks/permissions.py, whose helpers it imports: its own
database, `<the checkout's database>_informes_bench` (`--base` to name another, ending in
_bench), dropped and rebuilt unless `--reusar` finds a data set of this size.

The data set, through the bulk path of the imports (expedientes.services.masivo, COPY):
N expedientes over the last ten years in the 2025 intake's province proportions, states that
age like a real archive (old years mostly paid or archived), each state change from iniciado
recorded as a Transicion; one payment of the whole título for the paid ones and a partial
payment for 35 % of the others; the rate table from ten years ago (so interest accrues);
the stored account segments and next deadlines written by the bulk path; the last actuación
of each expediente stored (the matrix reads it; no actuación pages are created).

Goals (issue 11): matrix, portfolio and dashboard ≤ 2 s each (p95), the XLSX of the full
matrix ≤ 15 s with memory flat (under 100 MiB growth of the process's peak RSS). The export
runs in a child process (the same script with --exportar) so its peak is its own."""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from permissions import (  # sets DJANGO_SETTINGS_MODULE and the project's path
    ANIOS,
    PROVINCIAS,
    Reloj,
    _estado_al_azar,
    _fechas_del_anio,
    base_de_datos_preparar,
    deudores_generar,
    pedir,
    percentil,
    usuarios_crear,
)

SUFIJO = "_informes_bench"
SEMILLA = 11
OBJETIVO_MS = 2000
OBJETIVO_EXPORTACION_S = 15
OBJETIVO_MEMORIA_MIB = 100
CASOS = ("matriz", "cartera", "tablero")
EXPORTACION = "EXPORTACION "  # the child's result line


def datos_construir(n: int, m: int, reloj: Reloj) -> None:
    from django.db import connection
    from django.utils import timezone

    from expedientes.estados import FINALES, Estado
    from expedientes.models import (
        Coactivado, ExpedientePage, Pago, TasaInteres, TituloCredito, TramoCuenta, Transicion,
    )
    from expedientes.services.calendario import calendario_sembrar
    from expedientes.services.cuenta import tasa_registrar
    from expedientes.services.expedientes import numero_formatear
    from expedientes.services.masivo import FilaExpediente, PagoMasivo, arbol_verificar, expedientes_insertar
    from portal.inicializacion import portal_inicializar

    rng = random.Random(SEMILLA)
    hoy = timezone.localdate()
    anios = list(range(hoy.year - ANIOS + 1, hoy.year + 1))
    portal_inicializar(preparar_bucket=False)
    calendario_sembrar(anios=anios)
    superusuario, abogados = usuarios_crear(max(1, -(-n // m)))
    for k, tasa in enumerate(("9.3300", "8.9500", "8.6100")):  # interest accrues on every year
        tasa_registrar(vigente_desde=date(anios[0] + 3 * k, 1, 1), tasa_anual=Decimal(tasa), fuente="Benchmark")
    reloj(f"inicio, juzgado, roles, calendario, tasas, {len(abogados)} abogados + superusuario")

    deudores = deudores_generar(rng, max(1, n * 9 // 10))
    reloj(f"{len(deudores)} coactivados (bulk_create)")
    orden = list(range(n))
    rng.shuffle(orden)
    abogado_de = {i: abogados[k // m] for k, i in enumerate(orden)}
    por_anio = [n // ANIOS + (1 if i < n % ANIOS else 0) for i in range(ANIOS)]
    filas, i = [], 0
    for anio, cuantos in zip(anios, por_anio):
        for secuencial, fecha in enumerate(_fechas_del_anio(rng, anio, cuantos, hoy), start=1):
            deudor = deudores[i] if i < len(deudores) else rng.choice(deudores)
            numero = numero_formatear(anio, secuencial)
            monto = Decimal(rng.randint(12000, 2500000)) / 100
            estado = _estado_al_azar(rng, hoy.year - anio)
            cambio = min(hoy, fecha + timedelta(days=rng.randint(15, 400)))
            pagos = []
            if estado in FINALES and estado != Estado.BAJA:
                pagos.append(PagoMasivo(fecha=cambio, monto=monto, recibo=f"BR-{numero}"))
            elif rng.random() < 0.35:
                parte = (monto * Decimal(rng.randint(10, 60)) / 100).quantize(Decimal("0.01"))
                pagos.append(PagoMasivo(fecha=cambio, monto=parte, recibo=f"BR-{numero}"))
            filas.append(FilaExpediente(
                numero=numero, anio=anio, secuencial=secuencial, coactivado_id=deudor.pk,
                provincia=rng.choices(list(PROVINCIAS), list(PROVINCIAS.values()))[0], fecha_recepcion=fecha,
                monto_titulo=monto, estado=estado, abogado_id=abogado_de[i].pk, orden_cobro_numero=f"OC-{numero}",
                transicion=(cambio, "Benchmark") if estado != Estado.INICIADO else None, pagos=pagos))
            i += 1
    reloj(f"{n} filas planeadas")
    expedientes_insertar(filas, usuario=superusuario, progreso=reloj)
    problemas = arbol_verificar()
    if problemas:
        sys.exit(f"el árbol generado no es válido: {problemas}")
    with connection.cursor() as cursor:  # the last actuación the services would have stored
        cursor.execute("select setseed(0.11)")
        cursor.execute(f"""
            update {ExpedientePage._meta.db_table}
               set ultima_actuacion_fecha = least(fecha_recepcion + (random() * 300)::int, current_date),
                   ultima_actuacion_tipo = (array['providencia', 'citacion', 'medida_cautelar', 'oficio'])
                                           [1 + floor(random() * 4)::int]""")
        for modelo in (ExpedientePage, Coactivado, TituloCredito, Pago, Transicion, TramoCuenta, TasaInteres):
            cursor.execute(f"ANALYZE {modelo._meta.db_table}")
    reloj("última actuación guardada (UPDATE) y ANALYZE")


def datos_presentes(n: int, m: int) -> bool:
    from django.contrib.auth import get_user_model

    from expedientes.models import ExpedientePage, TramoCuenta

    try:
        abogado = get_user_model().objects.filter(username="abogado_bench").first()
        return (abogado is not None and ExpedientePage.objects.count() == n
                and ExpedientePage.objects.filter(abogado=abogado).count() == m and TramoCuenta.objects.exists())
    except Exception:  # an empty or foreign database: build again
        return False


def _urls(hoy: date) -> dict:
    from django.urls import reverse

    mes = (hoy.replace(day=1) - timedelta(days=1))  # the last full month
    return {
        "matriz": (f"matriz de {mes:%m/%Y}",
                   f"{reverse('informes_informe', args=['matriz'])}?periodo=mes&anio={mes.year}&mes={mes.month}"),
        "cartera": ("cartera pendiente a hoy",
                    f"{reverse('informes_informe', args=['cartera'])}?hasta={hoy:%d/%m/%Y}"),
        "tablero": ("tablero (inicio del admin)", reverse("wagtailadmin_home")),
    }


def exportar_hijo() -> None:
    """In the child: the XLSX of the whole matrix (the register of the year: every process
    received up to today) as the superuser, its time and this process's peak RSS growth."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    cliente = Client()
    cliente.force_login(get_user_model().objects.get(username="admin_bench"))
    cliente.get(reverse("wagtailadmin_home"))  # the process warmed up: imports, templates, caches
    antes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    hoy = timezone.localdate()
    inicio = time.perf_counter()
    respuesta = cliente.get(f"{reverse('informes_exportar', args=['matriz', 'xlsx'])}?periodo=anio&anio={hoy.year}")
    tamano = sum(len(trozo) for trozo in respuesta.streaming_content)
    segundos = time.perf_counter() - inicio
    assert respuesta.status_code == 200, respuesta.status_code
    crecimiento = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - antes) / 1024
    print(EXPORTACION + json.dumps({"segundos": segundos, "mib": crecimiento, "bytes": tamano}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expedientes", type=int, default=100000)
    parser.add_argument("--asignados", type=int, default=None, help="default: 2 %% of --expedientes")
    parser.add_argument("--repeticiones", type=int, default=10)
    parser.add_argument("--calentamiento", type=int, default=2)
    parser.add_argument("--base")
    parser.add_argument("--reusar", action="store_true")
    parser.add_argument("--casos", default=",".join(CASOS))
    parser.add_argument("--sin-exportacion", action="store_true")
    parser.add_argument("--exportar", action="store_true", help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.exportar:
        return exportar_hijo()
    n = args.expedientes
    m = args.asignados or max(1, n // 50)
    if set(args.casos.split(",")) - set(CASOS) or not 0 < m <= n or n < ANIOS:
        parser.error(f"--casos entre {','.join(CASOS)}; 0 < --asignados ≤ --expedientes; al menos {ANIOS}")

    reloj = Reloj()
    nombre, vacia = base_de_datos_preparar(args.base, args.reusar, sufijo=SUFIJO)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    print(f"Base de datos {nombre} ({settings.SETTINGS_MODULE}, DEBUG={settings.DEBUG}, "
          f"PostgreSQL {connection.pg_version // 10000})", flush=True)
    if vacia or not datos_presentes(n, m):
        if not vacia:
            connection.close()
            base_de_datos_preparar(nombre, reusar=False, sufijo=SUFIJO)
        print(f"Construyendo {n} expedientes, {m} asignados al abogado:", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        reloj("migraciones")
        datos_construir(n, m, reloj)
        print(f"  {'total de la construcción':<62} {reloj.total():6.1f} s", flush=True)
    else:
        call_command("migrate", interactive=False, verbosity=0)  # the code may be newer than the data set
        print(f"Reutilizando {n} expedientes, {m} del abogado (--reusar)", flush=True)

    usuarios = get_user_model().objects
    clientes = {"abogado": Client(), "superusuario": Client()}
    clientes["abogado"].force_login(usuarios.get(username="abogado_bench"))
    clientes["superusuario"].force_login(usuarios.get(username="admin_bench"))
    urls = _urls(timezone.localdate())
    resultados = {}
    for caso in args.casos.split(","):
        etiqueta, url = urls[caso]
        tiempos = {u: [] for u in clientes}
        consultas = {}
        for r in range(args.calentamiento + args.repeticiones):
            for usuario in (list(clientes) if r % 2 == 0 else list(reversed(clientes))):
                respuesta, medida = pedir(clientes[usuario], url, contar=r < args.calentamiento)
                assert respuesta.status_code == 200, (caso, usuario, respuesta.status_code)
                if r < args.calentamiento:
                    consultas[usuario] = medida[0]
                else:
                    tiempos[usuario].append(medida)
        resultados[caso] = (etiqueta, tiempos, consultas)
        print(f"  {etiqueta:<28} " + " | ".join(
            f"{u} p50 {statistics.median(t):7.0f} ms" for u, t in tiempos.items()), flush=True)

    print()
    print(f"{n} expedientes, el abogado tiene {m}; {args.repeticiones} peticiones por celda; ms:")
    cabecera = (f"{'pantalla':<28} {'abogado p50':>11} {'p95':>6} {'cons':>4}  {'superus. p50':>12} "
                f"{'p95':>6} {'cons':>4}  {'razón':>5}")
    print(cabecera)
    print("-" * (len(cabecera) + 8))
    todos = True
    for caso, (etiqueta, tiempos, consultas) in resultados.items():
        ta, ts = tiempos["abogado"], tiempos["superusuario"]
        cumple = max(percentil(ta, .95), percentil(ts, .95)) <= OBJETIVO_MS
        todos &= cumple
        print(f"{etiqueta:<28} {statistics.median(ta):11.0f} {percentil(ta, .95):6.0f} {consultas['abogado']:4d}  "
              f"{statistics.median(ts):12.0f} {percentil(ts, .95):6.0f} {consultas['superusuario']:4d}  "
              f"{statistics.median(ta) / statistics.median(ts):5.2f}  {'PASS' if cumple else 'FAIL'}")
    print(f"\nObjetivo: p95 ≤ {OBJETIVO_MS} ms en cada pantalla: {'PASS' if todos else 'FAIL'}")

    if not args.sin_exportacion:
        connection.close()
        hijo = subprocess.run([sys.executable, __file__, "--exportar"], capture_output=True, text=True,
                              env=os.environ.copy())
        linea = next((x for x in hijo.stdout.splitlines() if x.startswith(EXPORTACION)), None)
        if linea is None:
            sys.exit(f"la exportación falló:\n{hijo.stdout}\n{hijo.stderr}")
        datos = json.loads(linea[len(EXPORTACION):])
        ok = datos["segundos"] <= OBJETIVO_EXPORTACION_S and datos["mib"] <= OBJETIVO_MEMORIA_MIB
        todos &= ok
        print(f"XLSX de la matriz completa ({n} filas, {datos['bytes'] / 2**20:.1f} MiB): "
              f"{datos['segundos']:.1f} s, crecimiento del pico de memoria {datos['mib']:.0f} MiB "
              f"(objetivo ≤ {OBJETIVO_EXPORTACION_S} s y ≤ {OBJETIVO_MEMORIA_MIB} MiB): {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if todos else 1)


if __name__ == "__main__":
    main()
