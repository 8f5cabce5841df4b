"""The archive's screens at scale: their cost must not grow with the number of expedientes, and
the archivist (guardian group rows only) must pay nothing for the permission rule.

    python benchmarks/archivo.py [--expedientes 20000] [--asignados 1000]
                                 [--repeticiones 30] [--calentamiento 3] [--reusar]
                                 [--comparar 2000] [--casos panel,nueva,transferencias,impugnados]

Same environment and method as benchmarks/permissions.py, whose data builder and measuring
helpers it imports: its own database, `<the checkout's database>_archivo_bench` (`--base` to
name another, ending in _bench), so the permissions benchmark's database is never touched.

On top of the permissions data set, in bulk: a Cierre (fecha = recepción + about a year,
folios, fechas extremas, cerrado por the jefe) for every expediente in a final state (pagado,
archivado, baja) of the years up to three years ago, archivo_fase = 'cerrado' in one UPDATE;
2 % of them handed to the Archivista group (guardian group view rows, as
permisos.services.expediente_conceder_grupo writes them), all in five transfers (two
solicitadas, one revisada, two aceptadas: those pass to the Archivo Central) plus a draft of
the unit's that the archivists do not see; 30 % of the expedientes in «Impugnado» selected for
the clean-up (ProcesoImpugnado) and handed to the Archivista group, as impugnado_seleccionar
does. Users `archivista_bench` (Archivista) and `jefe_bench` (Jefe de coactivas).

Each case is one URL requested by a role and by the superuser (alternating), as in
permissions.py: p50/p95, queries, their ratio. Every response must be a 200 and every
expediente number on the archivist's pages one handed to the Archivista group. With
`--comparar K` a data set of K expedientes is built in a second database
(`…_archivo<K>_bench`, by a child process) and each case's query count there must equal the
count at the main size: the screens' queries do not depend on the number of expedientes."""

import argparse
import json
import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from permissions import (  # sets DJANGO_SETTINGS_MODULE and the project's path
    ANIOS,
    NUMERO,
    Reloj,
    base_de_datos_preparar,
    datos_construir,
    datos_presentes,
    medir,
    tabla,
)

SUFIJO = "_archivo_bench"
SEMILLA = 10
ENTREGADOS = 0.02  # of the closed expedientes, handed to the Archivo Central
SELECCIONADOS = 0.3  # of the expedientes in «Impugnado», selected for the clean-up
ANTIGUEDAD_CIERRE = 3  # the final-state expedientes of this year minus 3 and before are closed
# (case key, label in the table, the role compared with the superuser, URL name)
CASOS = (
    ("panel", "panel (archivista)", "archivista", "archivo_panel"),
    ("nueva", "nueva transf. (jefe)", "jefe", "archivo_transferencia_nueva"),
    ("transferencias", "transfer. (archivista)", "archivista", "archivo_transferencias"),
    ("impugnados", "impugnados (archivista)", "archivista", "archivo_impugnados"),
)
CONSULTAS = "CONSULTAS "  # the child's line of --comparar


# --- the archive's data set -----------------------------------------------------------------

def archivo_construir(reloj: Reloj) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from archivo.fases import FaseArchivo
    from archivo.models import (
        Cierre,
        EstadoTransferencia,
        ProcesoImpugnado,
        ResultadoCotejo,
        ResultadoDepuracion,
        Soporte,
        Transferencia,
        TransferenciaItem,
    )
    from expedientes.estados import Estado
    from expedientes.models import ExpedientePage
    from permisos import roles
    from permisos.models import ExpedienteGroupObjectPermission
    from permisos.services import _permiso_de_expediente

    rng = random.Random(SEMILLA)
    ahora = timezone.now()
    modelo = get_user_model()
    archivistas = Group.objects.get(name=roles.ROL_ARCHIVISTA)
    archivista = modelo.objects.create_user(username="archivista_bench", first_name="Archivista",
                                            last_name="Benchmark")
    archivista.groups.add(archivistas)
    jefe = modelo.objects.create_user(username="jefe_bench", first_name="Jefe", last_name="Benchmark")
    jefe.groups.add(Group.objects.get(name=roles.ROL_JEFE))
    ver = _permiso_de_expediente("view_expedientepage")

    with transaction.atomic():
        finales = ExpedientePage.objects.filter(
            estado__in=(Estado.PAGADO, Estado.ARCHIVADO, Estado.BAJA),
            anio__lte=timezone.localdate().year - ANTIGUEDAD_CIERRE)
        cerrados = list(finales.order_by("pk").values_list("pk", "fecha_recepcion"))
        cierres = []
        for pk, recepcion in cerrados:
            fecha = recepcion + timedelta(days=rng.randint(330, 400))
            cierres.append(Cierre(
                expediente_id=pk, fecha=fecha, cerrado_por=jefe, folios=rng.randint(12, 480),
                fecha_inicial=recepcion, fecha_final=fecha - timedelta(days=rng.randint(0, 30)),
                soporte=Soporte.PAPEL))
        cierres = Cierre.objects.bulk_create(cierres, batch_size=2000)
        fases = finales.update(archivo_fase=FaseArchivo.CERRADO)
        reloj(f"{len(cierres)} cierres (bulk_create), archivo_fase en un UPDATE ({fases})")

        # 2 % handed over: in five transfers of the unit (the archivists see them from the request)
        entregados = rng.sample(cierres, max(5, round(len(cierres) * ENTREGADOS)))
        ExpedienteGroupObjectPermission.objects.bulk_create([
            ExpedienteGroupObjectPermission(group=archivistas, permission=ver, content_object_id=c.expediente_id)
            for c in entregados], batch_size=2000)
        propios = {c.expediente_id for c in entregados}
        borrador = [c for c in rng.sample(cierres, min(len(cierres), 60)) if c.expediente_id not in propios][:20]
        E = EstadoTransferencia
        lotes = [(E.SOLICITADA, entregados[0::5]), (E.SOLICITADA, entregados[1::5]),
                 (E.REVISADA, entregados[2::5]), (E.ACEPTADA, entregados[3::5]),
                 (E.ACEPTADA, entregados[4::5]), (E.BORRADOR, borrador)]
        anio = timezone.localdate().year
        transferencias = Transferencia.objects.bulk_create([Transferencia(
            numero=f"TP-{anio}-{i:03d}", estado=estado, creada_por=jefe,
            solicitada_en=None if estado == E.BORRADOR else ahora,
            solicitada_por=None if estado == E.BORRADOR else jefe,
            revisada_en=ahora if estado in (E.REVISADA, E.ACEPTADA) else None,
            revisada_por=archivista if estado in (E.REVISADA, E.ACEPTADA) else None,
            resuelta_en=ahora if estado == E.ACEPTADA else None,
            resuelta_por=archivista if estado == E.ACEPTADA else None)
            for i, (estado, _) in enumerate(lotes, start=1)])
        titulos = dict(ExpedientePage.objects.filter(pk__in=[c.expediente_id for _, lote in lotes for c in lote])
                       .values_list("pk", "numero"))
        items = []
        for transferencia, (estado, lote) in zip(transferencias, lotes):
            revisado = estado in (E.REVISADA, E.ACEPTADA)
            for orden, c in enumerate(lote, start=1):
                items.append(TransferenciaItem(
                    transferencia=transferencia, expediente_id=c.expediente_id, orden=orden, cierre=c,
                    codigo=titulos[c.expediente_id], titulo=titulos[c.expediente_id],
                    fecha_inicial=c.fecha_inicial, fecha_final=c.fecha_final, folios=c.folios, soporte=c.soporte,
                    cotejo=ResultadoCotejo.CONFORME if revisado else ResultadoCotejo.PENDIENTE,
                    cotejado_en=ahora if revisado else None, cotejado_por=archivista if revisado else None))
        TransferenciaItem.objects.bulk_create(items, batch_size=2000)
        centrales = ExpedientePage.objects.filter(pk__in=[
            c.expediente_id for (estado, lote) in lotes if estado == E.ACEPTADA for c in lote]).update(
            archivo_fase=FaseArchivo.CENTRAL)
        reloj(f"{len(entregados)} entregados al Archivo Central (filas de grupo), {len(lotes)} transferencias, "
              f"{len(items)} ítems, {centrales} en el archivo central")

        impugnados = list(ExpedientePage.objects.filter(estado=Estado.IMPUGNADO).order_by("pk")
                          .values_list("pk", flat=True))
        elegidos = rng.sample(impugnados, max(1, round(len(impugnados) * SELECCIONADOS)))
        resultados = [ResultadoDepuracion.PENDIENTE] * 6 + [ResultadoDepuracion.REVISADO] * 3 + [
            ResultadoDepuracion.CERRADO]
        ProcesoImpugnado.objects.bulk_create([ProcesoImpugnado(
            expediente_id=pk, numero_causa=f"17811-{2018 + i % ANIOS}-{i % 1000:03d}", seleccionado_por=jefe,
            tribunal="Tribunal Distrital de lo Contencioso Administrativo", resultado=rng.choice(resultados))
            for i, pk in enumerate(elegidos)], batch_size=2000)
        ExpedienteGroupObjectPermission.objects.bulk_create([
            ExpedienteGroupObjectPermission(group=archivistas, permission=ver, content_object_id=pk)
            for pk in elegidos], batch_size=2000)
        reloj(f"{len(elegidos)} de {len(impugnados)} impugnados seleccionados para la depuración "
              "(y entregados al Archivista)")
    with connection.cursor() as cursor:
        for modelo_ in (Cierre, Transferencia, TransferenciaItem, ProcesoImpugnado, ExpedientePage,
                        ExpedienteGroupObjectPermission):
            cursor.execute(f"ANALYZE {modelo_._meta.db_table}")
    reloj("ANALYZE de las tablas escritas")


def archivo_presente() -> bool:
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    from archivo.models import Cierre

    try:
        return (get_user_model().objects.filter(username__in=["archivista_bench", "jefe_bench"]).count() == 2
                and Cierre.objects.exists())
    except DatabaseError:  # an empty or foreign database: build again
        return False


# --- the measurement ------------------------------------------------------------------------

def comparar(k: int, args, nombre: str) -> dict:
    """The query counts of a data set of k expedientes, from a child process in its own database."""
    base = nombre.removesuffix(SUFIJO) + f"_archivo{k}_bench"
    orden = [sys.executable, __file__, "--expedientes", str(k), "--asignados", str(min(args.asignados, k)),
             "--calentamiento", str(args.calentamiento), "--repeticiones", "1", "--casos", args.casos,
             "--base", base, "--solo-consultas"] + (["--reusar"] if args.reusar else [])
    print(f"Comparando con {k} expedientes (proceso hijo, base {base}):", flush=True)
    hecho = subprocess.run(orden, capture_output=True, text=True, check=False)
    if hecho.returncode:
        sys.exit(f"el proceso de {k} expedientes falló:\n{hecho.stdout[-3000:]}\n{hecho.stderr[-3000:]}")
    linea = [x for x in hecho.stdout.splitlines() if x.startswith(CONSULTAS)][-1]
    return {tuple(k.split("|")): v for k, v in json.loads(linea[len(CONSULTAS):]).items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expedientes", type=int, default=20000)
    parser.add_argument("--asignados", type=int, default=1000, help="the abogado's (permissions data set)")
    parser.add_argument("--repeticiones", type=int, default=30)
    parser.add_argument("--calentamiento", type=int, default=3)
    parser.add_argument("--base", help=f"database name, ending in _bench (default: DATABASE_URL's name + {SUFIJO})")
    parser.add_argument("--reusar", action="store_true",
                        help="keep the benchmark database if it holds a data set of this size")
    parser.add_argument("--comparar", type=int, metavar="K",
                        help="also build K expedientes (another database) and compare the query counts")
    parser.add_argument("--solo-consultas", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--casos", default=",".join(c[0] for c in CASOS),
                        help=f"comma-separated subset of {','.join(c[0] for c in CASOS)} (default: all)")
    args = parser.parse_args()
    if set(args.casos.split(",")) - {c[0] for c in CASOS}:
        parser.error(f"--casos: elija entre {','.join(c[0] for c in CASOS)}")
    n, m = args.expedientes, args.asignados
    if not 0 < m <= n or n < ANIOS or args.calentamiento < 1 or args.repeticiones < 1:
        sys.exit("se necesita 0 < --asignados ≤ --expedientes, al menos 10 expedientes, "
                 "--calentamiento ≥ 1 (esas peticiones se cuentan) y --repeticiones ≥ 1")

    reloj = Reloj()
    nombre, vacia = base_de_datos_preparar(args.base, args.reusar, sufijo=SUFIJO)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    print(f"Base de datos {nombre} ({settings.SETTINGS_MODULE}, DEBUG={settings.DEBUG}, "
          f"PostgreSQL {connection.pg_version // 10000})", flush=True)
    if vacia or not (datos_presentes(n, m) and archivo_presente()):
        if not vacia:
            print("  la base no tiene un conjunto de este tamaño: se reconstruye", flush=True)
            connection.close()
            base_de_datos_preparar(nombre, reusar=False)
        print(f"Construyendo {n} expedientes ({m} por abogado) y el archivo:", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        reloj("migraciones")
        datos_construir(n, m, reloj)
        archivo_construir(reloj)
        print(f"  {'total de la construcción':<62} {reloj.total():6.1f} s", flush=True)
    else:
        print(f"Reutilizando {n} expedientes y el archivo (--reusar)", flush=True)

    from django.contrib.auth import get_user_model

    from archivo.models import Cierre, ProcesoImpugnado, Transferencia
    from expedientes.models import ExpedientePage
    from expedientes.selectors import expedientes_visibles
    from permisos.models import ExpedienteGroupObjectPermission
    from permisos.roles import ROL_ARCHIVISTA

    usuarios = get_user_model().objects
    clientes = {}
    for clave, username in (("archivista", "archivista_bench"), ("jefe", "jefe_bench"),
                            ("superusuario", "admin_bench")):
        clientes[clave] = Client()
        clientes[clave].force_login(usuarios.get(username=username))
    archivista = usuarios.get(username="archivista_bench")
    # what the archive was handed: the only expedientes the archivist may ever see
    entregados = set(ExpedientePage.objects.filter(pk__in=ExpedienteGroupObjectPermission.objects.filter(
        group__name=ROL_ARCHIVISTA).values("content_object_id")).values_list("numero", flat=True))
    assert expedientes_visibles(archivista).count() == len(entregados), "la política no ve lo entregado"
    print(f"{ExpedientePage.objects.count()} expedientes, {Cierre.objects.count()} cerrados, "
          f"{len(entregados)} entregados al Archivista, {Transferencia.objects.count()} transferencias, "
          f"{ProcesoImpugnado.objects.count()} procesos impugnados seleccionados.", flush=True)

    vistos = {}  # (case, user) → the expediente numbers on the page

    def comprobar(caso, usuario, html):
        numeros = set(NUMERO.findall(html))
        vistos[(caso, usuario)] = numeros
        if usuario == "archivista":
            ajenos = numeros - entregados
            assert not ajenos, f"{caso}: el archivista ve expedientes no entregados: {sorted(ajenos)[:5]}"

    elegidos = [c for c in CASOS if c[0] in args.casos.split(",")]
    casos = [(etiqueta, reverse(url)) for _, etiqueta, _, url in elegidos]
    quien = {etiqueta: rol for _, etiqueta, rol, _ in elegidos}
    print(f"Midiendo: {args.calentamiento} de calentamiento (contadas) + {args.repeticiones} "
          "(cronometradas) por URL y usuario, alternando usuarios:", flush=True)
    resultados = {}
    for caso in casos:
        rol = quien[caso[0]]
        resultados |= medir([caso], {rol: clientes[rol], "superusuario": clientes["superusuario"]},
                            args.calentamiento, args.repeticiones, comprobar)
    # the archivist's check above is not vacuous: his lists show his, the superuser's others too
    for etiqueta, rol in quien.items():
        if etiqueta.startswith("impugnados") and rol == "archivista":
            assert vistos[(etiqueta, "archivista")], "el archivista no ve sus procesos impugnados"
            assert vistos[(etiqueta, "superusuario")] - entregados, "el superusuario no ve los no entregados"
    consultas = {f"{caso}|{u}": [r[1], r[2]] for (caso, u), r in resultados.items()}
    if args.solo_consultas:
        print(CONSULTAS + json.dumps(consultas), flush=True)
        return

    ok = tabla(casos, resultados, n, m, args.repeticiones, quien=quien, titulo=(
        f"{n} expedientes, {len(entregados)} entregados al Archivista (filas de grupo de guardian); "
        f"{args.repeticiones} peticiones por celda; ms; SQL = tiempo de sus consultas (mediana del "
        "calentamiento); rol: el del caso (entre paréntesis):"))
    for caso, url in casos:
        print(f"  {caso:<28} {url}")
    if args.comparar:
        otras = comparar(args.comparar, args, nombre)
        print()
        print(f"Consultas por petición y su tiempo SQL (ms, mediana del calentamiento) con "
              f"{args.comparar} y con {n} expedientes:")
        iguales = True
        for (caso, u), r in resultados.items():
            cuantas, sql = otras[(caso, u)]
            igual = cuantas == r[1]
            iguales &= igual
            print(f"  {caso:<26} {u:<13} {cuantas:4d} {r[1]:4d}  {'=' if igual else 'DISTINTAS':<9} "
                  f"SQL {sql:6.0f} {r[2]:6.0f}")
        print(f"Objetivo: las consultas no dependen del número de expedientes: {'PASS' if iguales else 'FAIL'}")
        ok &= iguales
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
