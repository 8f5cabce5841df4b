"""The permission policy at scale: an abogado (guardian rows only) vs. a superuser, same screens.

    python benchmarks/permissions.py [--expedientes 20000] [--asignados 1000]
                                     [--repeticiones 30] [--calentamiento 3] [--reusar]
                                     [--casos listado,explorador,nombre,cedula,inicio]

Needs the PostgreSQL of scripts/devstack.py and its environment
(`eval "$(python scripts/devstack.py env --profile test)"`). It works in a database of its
own, `<the checkout's database>_bench` (e.g. portal_2b697570_bench; `--base` to name another,
always ending in _bench), dropped and re-created with the migrations at every run; `--reusar`
keeps it when it already holds a data set of the same size. Neither the checkout's database
nor any test database (test_portal_…) is touched. The database stays afterwards, for EXPLAIN.

The data set, written in bulk (about a minute for 20,000, migrations included): the tree
inicio → juzgado → 10 years (this one and the nine before) made by the services, then N
expedientes under the years as raw treebeard rows (path, depth, numchild, url_path computed
here; wagtailcore_page and the ExpedientePage table with COPY), one debtor per expediente for
90 % of them (the rest share an earlier debtor), the título de crédito of each expediente,
states that age like a real archive (old years mostly paid or archived), three provinces. The
abogado gets M expedientes chosen at random across the years, the other abogados the rest (M
each), all through permisos.services.asignaciones_masivas: the guardian table holds 2 × N rows,
not only the abogado's. No actuaciones, revisions, transitions or search index entries.

Each URL is requested with Django's test Client in this process (force_login, no network, the
settings' DEBUG off), `--calentamiento` times counted (queries and their SQL time, with
CaptureQueriesContext; the count must not vary) and then `--repeticiones` times timed, the
users alternating. Every response must be a 200, every expediente number on the abogado's
pages must be one of theirs, and the listing must count M for them and N for the superuser."""

import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# test settings: DEBUG off, 'testserver' allowed, the fast password hasher
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

OBJETIVO_RAZON = 1.2
OBJETIVO_CONSULTAS = 2
PROVINCIAS = {"01": 108, "03": 23, "14": 4}  # the 2025 intake (portal/demo.py): weights
ANIOS = 10
SEMILLA = 8
CASOS = ("listado", "explorador", "nombre", "cedula", "inicio")


def base_de_datos_preparar(nombre: str | None, reusar: bool, sufijo: str = "_bench") -> tuple[str, bool]:
    """Point DATABASE_URL at the benchmark's own database, creating it if needed. Returns its
    name and whether it was (re)created empty. Default name: the checkout's + `sufijo` (each
    benchmark its own, so none clobbers another's; it must end in _bench)."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    partes = urlsplit(url)
    if partes.scheme not in {"postgres", "postgresql"}:
        sys.exit("benchmarks/permissions.py necesita PostgreSQL: "
                 'eval "$(python scripts/devstack.py env --profile test)"')
    actual = partes.path.lstrip("/")
    # a DATABASE_URL already at the benchmark's database (a shell that ran a probe) stays there
    nombre = nombre or (actual if actual.endswith(sufijo) else actual + sufijo)
    # the DROP below must never reach a database that is not a benchmark's
    if not nombre.endswith("_bench"):
        sys.exit(f"el nombre de la base de datos del benchmark debe terminar en _bench: {nombre}")
    mantenimiento = urlunsplit(partes._replace(path="/postgres"))
    with psycopg.connect(mantenimiento, autocommit=True) as conexion:
        existe = conexion.execute(
            "select 1 from pg_database where datname = %s", [nombre]).fetchone()
        vacia = not (existe and reusar)
        if vacia:
            if existe:
                conexion.execute(f'drop database "{nombre}" with (force)')
            conexion.execute(f'create database "{nombre}"')
    os.environ["DATABASE_URL"] = urlunsplit(partes._replace(path="/" + nombre))
    return nombre, vacia


class Reloj:
    """Progress lines with the time each step took."""

    def __init__(self):
        self.inicio = self.paso = time.perf_counter()

    def __call__(self, texto: str):
        ahora = time.perf_counter()
        print(f"  {texto:<62} {ahora - self.paso:6.1f} s", flush=True)
        self.paso = ahora

    def total(self) -> float:
        return time.perf_counter() - self.inicio


# --- the data set ---------------------------------------------------------------------------

def _estado_al_azar(rng, antiguedad: int):
    """Old files are mostly closed; this year's mostly waiting for the citation."""
    from expedientes.estados import Estado as E

    cerrados = {0: 0.05, 1: 0.35, 2: 0.6, 3: 0.8}.get(antiguedad, 0.92)
    if rng.random() < cerrados:
        return rng.choices([E.PAGADO, E.ARCHIVADO, E.BAJA], [50, 35, 15])[0]
    return rng.choices(
        [E.INICIADO, E.CITADO, E.MEDIDAS_CAUTELARES, E.EMBARGO, E.CONVENIO_PAGO, E.ILOCALIZABLE,
         E.IMPUGNADO], [35, 20, 15, 10, 10, 5, 5])[0]


def _fechas_del_anio(rng, anio: int, cuantas: int, hoy: date) -> list[date]:
    inicio, fin = date(anio, 1, 2), min(date(anio, 12, 20), hoy)
    dias = [inicio + timedelta(days=d) for d in range((fin - inicio).days + 1)]
    habiles = [d for d in dias if d.weekday() < 5]
    return sorted(rng.choice(habiles) for _ in range(cuantas))


def usuarios_crear(n_abogados: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from permisos import roles

    modelo = get_user_model()
    superusuario = modelo.objects.create_user(
        username="admin_bench", first_name="Administrador", last_name="Benchmark",
        is_superuser=True, is_staff=True)
    grupo = Group.objects.get(name=roles.ROL_ABOGADO)
    abogados = []
    for i in range(n_abogados):
        abogado = modelo.objects.create_user(
            username="abogado_bench" if i == 0 else f"abogado_bench{i + 1}",
            first_name="Abogado", last_name=f"Benchmark {i + 1}")
        abogado.groups.add(grupo)
        abogados.append(abogado)
    return superusuario, abogados


def deudores_generar(rng, cuantos: int) -> list:
    from expedientes.identificacion import identificacion_validar
    from expedientes.models import Coactivado
    from portal.demo import deudor_generar

    vistos, deudores = set(), []
    while len(deudores) < cuantos:
        provincia = rng.choices(list(PROVINCIAS), list(PROVINCIAS.values()))[0]
        d = deudor_generar(rng, provincia)
        if d.identificacion in vistos:
            continue
        vistos.add(d.identificacion)
        resultado = identificacion_validar(d.identificacion)
        deudores.append(Coactivado(
            identificacion=resultado.numero, tipo_identificacion=resultado.tipo,
            advertencia=resultado.advertencia, nombre=d.nombre))
    return Coactivado.objects.bulk_create(deudores, batch_size=2000)


def arbol_verificar() -> dict:
    """treebeard's find_problems() in three queries (expedientes.services.masivo)."""
    from expedientes.services.masivo import arbol_verificar as verificar

    return verificar()


def datos_construir(n: int, m: int, reloj: Reloj) -> None:
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Page

    from expedientes.models import AnioPage, Coactivado, ExpedientePage, TituloCredito
    from expedientes.services.arbol import pagina_publicar_nueva
    from expedientes.services.calendario import calendario_sembrar
    from expedientes.services.expedientes import numero_formatear
    from expedientes.services.masivo import FilaExpediente, expedientes_insertar
    from permisos.models import ExpedienteGroupObjectPermission, ExpedienteUserObjectPermission
    from portal.inicializacion import portal_inicializar

    rng = random.Random(SEMILLA)
    hoy = timezone.localdate()
    anios = list(range(hoy.year - ANIOS + 1, hoy.year + 1))
    juzgado = portal_inicializar(preparar_bucket=False)
    calendario_sembrar(anios=anios)  # what `manage.py calendario_sembrar` does for old years
    superusuario, abogados = usuarios_crear(max(1, -(-n // m)))
    reloj(f"inicio, juzgado, roles, calendario, {len(abogados)} abogados + superusuario")

    paginas_anio = {}
    for anio in anios:
        paginas_anio[anio] = pagina_publicar_nueva(
            padre=juzgado, pagina=AnioPage(anio=anio, title=str(anio), slug=str(anio)),
            usuario=None)
    reloj(f"{len(anios)} páginas de año (servicio normal)")

    deudores = deudores_generar(rng, max(1, n * 9 // 10))
    reloj(f"{len(deudores)} coactivados (cédulas/RUC válidos, bulk_create)")

    # who gets what: the abogado M at random across the years, the others M each
    orden = list(range(n))
    rng.shuffle(orden)
    abogado_de = {i: abogados[k // m] for k, i in enumerate(orden)}

    por_anio = [n // ANIOS + (1 if i < n % ANIOS else 0) for i in range(ANIOS)]
    filas = []
    i = 0
    for anio, cuantos in zip(anios, por_anio):
        for secuencial, fecha in enumerate(_fechas_del_anio(rng, anio, cuantos, hoy), start=1):
            deudor = deudores[i] if i < len(deudores) else rng.choice(deudores)
            numero = numero_formatear(anio, secuencial)
            monto = Decimal(rng.randint(12000, 2500000)) / 100
            filas.append(FilaExpediente(
                numero=numero, anio=anio, secuencial=secuencial, coactivado_id=deudor.pk,
                provincia=rng.choices(list(PROVINCIAS), list(PROVINCIAS.values()))[0],
                fecha_recepcion=fecha, monto_titulo=monto,
                estado=_estado_al_azar(rng, hoy.year - anio).value, abogado_id=abogado_de[i].pk,
                orden_cobro_numero=f"OC-{numero}"))
            i += 1
    # the bulk path of the imports: pages (COPY), expedientes (COPY), títulos, assignments and
    # the stored next deadline of each one (plazos_recalcular), in one transaction
    expedientes_insertar(filas, usuario=superusuario, progreso=reloj)
    problemas = arbol_verificar()
    if problemas:
        sys.exit(f"el árbol generado no es válido: {problemas}")
    reloj("árbol verificado (depth, numchild, huérfanas; 3 consultas)")
    # fresh statistics on what was just written, as autovacuum would leave them
    with connection.cursor() as cursor:
        for modelo in (Page, ExpedientePage, Coactivado, TituloCredito,
                       ExpedienteUserObjectPermission, ExpedienteGroupObjectPermission):
            cursor.execute(f"ANALYZE {modelo._meta.db_table}")
    reloj("ANALYZE de las tablas escritas")


def datos_presentes(n: int, m: int) -> bool:
    from django.contrib.auth import get_user_model

    from expedientes.models import ExpedientePage

    try:
        abogado = get_user_model().objects.filter(username="abogado_bench").first()
        return (abogado is not None and ExpedientePage.objects.count() == n
                and ExpedientePage.objects.filter(abogado=abogado).count() == m)
    except Exception:  # an empty or foreign database: build again
        return False


# --- the measurement ------------------------------------------------------------------------

NUMERO = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*-\d{4}-\d{4,6}")
CONTEO = re.compile(r"([\d.,\u00a0]+) expedientes?[ .]")  # «300 expedientes asignados a usted»


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    k = (len(ordenados) - 1) * p
    bajo = int(k)
    alto = min(bajo + 1, len(ordenados) - 1)
    return ordenados[bajo] + (ordenados[alto] - ordenados[bajo]) * (k - bajo)


def pedir(cliente, url: str, contar: bool):
    """(response, ms) timed bare, or (response, (queries, SQL ms)) counted; never both: the
    capture's bookkeeping would be in the time. Redirects are followed and counted: for the
    unit's roles the explorer of a year opens the listing (expedientes/navegacion.py), and
    that is what the abogado waits for."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not contar:
        inicio = time.perf_counter()
        respuesta = cliente.get(url, follow=True)
        return respuesta, (time.perf_counter() - inicio) * 1000
    with CaptureQueriesContext(connection) as consultas:
        respuesta = cliente.get(url, follow=True)
    sql = sum(float(c["time"]) for c in consultas.captured_queries) * 1000
    return respuesta, (len(consultas), sql)


def medir(casos, clientes, calentamiento: int, repeticiones: int, comprobar):
    """{(case, user): (ms list, queries, SQL ms)}. The warm-up requests are counted (queries,
    SQL time) and checked; the others timed. Users alternate so neither always runs warmer."""
    resultados = {}
    for nombre, url in casos:
        tiempos = {u: [] for u in clientes}
        contadas = {u: [] for u in clientes}
        for r in range(calentamiento + repeticiones):
            orden = list(clientes) if r % 2 == 0 else list(reversed(clientes))
            for usuario in orden:
                calentando = r < calentamiento
                respuesta, medida = pedir(clientes[usuario], url, contar=calentando)
                assert respuesta.status_code == 200, (nombre, usuario, respuesta.status_code)
                if calentando:
                    contadas[usuario].append(medida)
                    comprobar(nombre, usuario, respuesta.content.decode())
                else:
                    tiempos[usuario].append(medida)
        for usuario in clientes:
            # the first request may still fill a cache (content types, the site root)
            estables = contadas[usuario][1:] or contadas[usuario]
            numeros = {n for n, _ in estables}
            assert len(numeros) == 1, f"{nombre}: {usuario} varía sus consultas: {numeros}"
            sql = statistics.median(ms for _, ms in estables)
            resultados[(nombre, usuario)] = (tiempos[usuario], numeros.pop(), sql)
        print(f"  {nombre:<28} " + " | ".join(
            f"{u} p50 {statistics.median(tiempos[u]):7.1f} ms, "
            f"{resultados[(nombre, u)][1]} consultas" for u in clientes), flush=True)
    return resultados


def tabla(casos, resultados, n, m, repeticiones, *, titulo=None, quien=None) -> bool:
    """`quien`: {case: the user compared with the superuser} when it is not the abogado (another
    benchmark's roles); `titulo`: the line above the table, then."""
    print()
    print(titulo or f"{n} expedientes, el abogado tiene {m} (filas de guardian directas); {repeticiones} "
          "peticiones por celda; ms; SQL = tiempo de sus consultas (mediana del calentamiento):")
    rol = "abogado" if quien is None else "rol"
    cabecera = (f"{'URL':<26} {rol + ' p50':>11} {'p95':>6} {'SQL':>5} {'cons':>4}  "
                f"{'superus. p50':>12} {'p95':>6} {'SQL':>5} {'cons':>4}  "
                f"{'razón':>5} {'Δcons':>5}")
    print(cabecera)
    print("-" * (len(cabecera) + 6))
    todos = True
    for caso, _ in casos:
        usuario = (quien or {}).get(caso, "abogado")
        ta, qa, sa = resultados[(caso, usuario)]
        ts, qs, ss = resultados[(caso, "superusuario")]
        razon = statistics.median(ta) / statistics.median(ts)
        # what the goal guards against is the permission rule's overhead: the abogado paying
        # more. Fewer queries (Δ < -2) means a smaller screen than the superuser's (his home has
        # Wagtail's CMS panels; for the unit the explorer of a year opens the listing): printed
        # as such, not hidden.
        cumple = razon <= OBJETIVO_RAZON and qa - qs <= OBJETIVO_CONSULTAS
        menos = cumple and qa - qs < -OBJETIVO_CONSULTAS
        todos &= cumple
        print(f"{caso:<26} {statistics.median(ta):11.0f} {percentil(ta, .95):6.0f} {sa:5.0f} "
              f"{qa:4d}  {statistics.median(ts):12.0f} {percentil(ts, .95):6.0f} {ss:5.0f} "
              f"{qs:4d}  "
              f"{razon:5.2f} {qa - qs:+5d}  {'PASS' if cumple else 'FAIL'}"
              f"{f' (pantalla menor para el {usuario})' if menos else ''}")
    print()
    print(f"Objetivo: razón de p50 {rol}/superusuario ≤ {OBJETIVO_RAZON} y Δconsultas ≤ "
          f"+{OBJETIVO_CONSULTAS} en cada URL: {'PASS' if todos else 'FAIL'}")
    return todos


def consultas_mostrar(casos, clientes) -> None:
    """Each user's queries per case, second request (the first fills per-process caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for nombre, url in casos:
        for usuario, cliente in clientes.items():
            cliente.get(url, follow=True)
            with CaptureQueriesContext(connection) as consultas:
                cliente.get(url, follow=True)
            print(f"\n== {nombre} como {usuario}: {len(consultas)} consultas")
            for i, c in enumerate(consultas.captured_queries, 1):
                print(f"{i:3d} {float(c['time']) * 1000:6.1f} ms  {c['sql'][:230]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expedientes", type=int, default=20000)
    parser.add_argument("--asignados", type=int, default=1000)
    parser.add_argument("--repeticiones", type=int, default=30)
    parser.add_argument("--calentamiento", type=int, default=3)
    parser.add_argument("--base", help="database name, ending in _bench "
                                       "(default: DATABASE_URL's name + _bench)")
    parser.add_argument("--reusar", action="store_true",
                        help="keep the benchmark database if it holds a data set of this size")
    parser.add_argument("--sql", action="store_true",
                        help="print each user's queries of every case (after one warm-up request) "
                             "instead of timing them")
    parser.add_argument("--casos", default=",".join(CASOS),
                        help=f"comma-separated subset of {','.join(CASOS)} (default: all)")
    args = parser.parse_args()
    if set(args.casos.split(",")) - set(CASOS):
        parser.error(f"--casos: elija entre {','.join(CASOS)}")
    n, m = args.expedientes, args.asignados
    if not 0 < m <= n or n < ANIOS or args.calentamiento < 1 or args.repeticiones < 1:
        sys.exit("se necesita 0 < --asignados ≤ --expedientes, al menos 10 expedientes, "
                 "--calentamiento ≥ 1 (esas peticiones se cuentan) y --repeticiones ≥ 1")

    reloj = Reloj()
    nombre, vacia = base_de_datos_preparar(args.base, args.reusar)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    print(f"Base de datos {nombre} ({settings.SETTINGS_MODULE}, DEBUG={settings.DEBUG}, "
          f"PostgreSQL {connection.pg_version // 10000})", flush=True)
    if vacia or not datos_presentes(n, m):
        if not vacia:
            print("  la base no tiene un conjunto de este tamaño: se reconstruye", flush=True)
            connection.close()
            base_de_datos_preparar(nombre, reusar=False)
        print(f"Construyendo {n} expedientes, {m} asignados al abogado:", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        reloj("migraciones")
        datos_construir(n, m, reloj)
        print(f"  {'total de la construcción':<62} {reloj.total():6.1f} s", flush=True)
    else:
        print(f"Reutilizando {n} expedientes, {m} asignados al abogado (--reusar)", flush=True)

    from django.contrib.auth import get_user_model

    from expedientes.models import AnioPage, ExpedientePage
    from expedientes.selectors import expedientes_visibles

    usuarios = get_user_model().objects
    abogado = usuarios.get(username="abogado_bench")
    superusuario = usuarios.get(username="admin_bench")
    suyos = set(ExpedientePage.objects.filter(abogado=abogado).values_list("numero", flat=True))
    assert len(suyos) == m, f"el abogado tiene {len(suyos)} expedientes, no {m}"
    assert expedientes_visibles(abogado).count() == m, "la política no ve lo asignado"

    # a full year (last year) that holds some of the abogado's files; a debtor of one of them
    # identified by a cédula (10 digits) for both searches
    anio = AnioPage.objects.get(anio=max(ExpedientePage.objects.values_list("anio", flat=True)) - 1)
    muestra = (ExpedientePage.objects
               .filter(abogado=abogado, coactivado__tipo_identificacion="cedula")
               .select_related("coactivado").order_by("path").first())
    ajeno = ExpedientePage.objects.exclude(abogado=abogado).order_by("-anio", "-secuencial").first()
    listado = reverse("expedientes_listado")
    todos = {
        "listado": ("listado", listado),
        "explorador": (f"explorador del año {anio.anio}",
                       reverse("wagtailadmin_explore", args=[anio.pk])),
        "nombre": ("búsqueda por nombre",
                   f"{listado}?q={muestra.coactivado.nombre.replace(' ', '+')}"),
        "cedula": ("búsqueda por cédula", f"{listado}?q={muestra.coactivado.identificacion}"),
        "inicio": ("inicio del admin", reverse("wagtailadmin_home")),
    }
    casos = [todos[c] for c in args.casos.split(",")]
    visibles_anio = ExpedientePage.objects.child_of(anio).filter(abogado=abogado).count()
    print(f"Año {anio.anio}: {anio.numchild} expedientes, {visibles_anio} del abogado. "
          f"Búsquedas: «{muestra.coactivado.nombre}», {muestra.coactivado.identificacion} "
          f"({muestra.numero}).", flush=True)

    def comprobar(caso, usuario, html):
        if usuario == "abogado":
            ajenos = set(NUMERO.findall(html)) - suyos
            assert not ajenos, f"{caso}: el abogado ve expedientes ajenos: {sorted(ajenos)[:5]}"
            assert ajeno.numero not in html
        if caso.startswith("búsqueda"):
            assert muestra.numero in html, f"{caso}: {usuario} no encuentra {muestra.numero}"
        if caso == "listado":
            total = int(re.sub(r"\D", "", CONTEO.search(html).group(1)))
            assert total == (m if usuario == "abogado" else n), (caso, usuario, total)

    clientes = {"abogado": Client(), "superusuario": Client()}
    clientes["abogado"].force_login(abogado)
    clientes["superusuario"].force_login(superusuario)
    if args.sql:
        consultas_mostrar(casos, clientes)
        return
    print(f"Midiendo: {args.calentamiento} de calentamiento (contadas) + {args.repeticiones} "
          "(cronometradas) por URL y usuario, alternando usuarios:", flush=True)
    resultados = medir(casos, clientes, args.calentamiento, args.repeticiones, comprobar)

    tabla(casos, resultados, n, m, args.repeticiones)
    for caso, url in casos:
        print(f"  {caso:<28} {url}")


if __name__ == "__main__":
    main()
