"""Search in the documents at scale: a lawyer assigned 2 % of the expedientes vs. a superuser.

    python benchmarks/search.py [--expedientes 100000] [--paginas 10] [--repeticiones 30]
                                [--calentamiento 3] [--palabras 150] [--reusar] [--base NOMBRE_bench]

Same environment and method as benchmarks/permissions.py, whose data builder it imports: its
own database, `<the checkout's database>_search_bench` (dropped and rebuilt unless --reusar
finds a data set of the same size). Nothing else is touched.

The data set: the permissions benchmark's N expedientes (COPY through expedientes.services.masivo;
the abogado `abogado_bench` gets 2 % of them, the others the rest, guardian rows as the
assignments write them), then, in bulk with COPY, one actuación per expediente (a real treebeard
child page), one file (Adjunto) with one version of P pages, and P PaginaTexto rows per version:
N × P pages of generated Spanish legal text (about --palabras words each, a Zipf-distributed
vocabulary of ~3,000 words). PostgreSQL computes each page's tsvector (the generated column)
during the COPY and the index (RUM when the extension is there) is built afterwards, as a
bulk import would. Planted words:
- «crédito»: in half the pages (the common word), repeated on a page with probability 0.4 each
  time (twice or more in 40 % of them, 8 times or more in 0.16 %: the ranking has an order),
- «usufructuario»: in 1 page of 10,000 (the rare word),
- «embargo» in 10 % and «vehículo» in 5 %, independently: «embargo vehículo» (two words, AND).

Each search is `expedientes.busqueda_texto.buscar(usuario, consulta)`: everything the screen
shows (the 20 best-ranked hits with their snippet and folio, counts and facets over at most
TOPE_CONTEO matches, the expedientes matching by number/name), timed in this process,
users alternating. Every hit of the abogado must be one of his expedientes. Goals: p95 ≤ 150 ms
for every search and user, and p95 abogado / superuser ≤ 1.2.

Building the full size (100,000 expedientes) spends most of its time in the permissions data
set's derived values (about 14 s per 1,000 expedientes on a loaded 2-core machine); for the
search, `--expedientes 10000 --paginas 100` gives the same million pages and the same 20,000
pages of the abogado's, in about 12 minutes."""

import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, time as hora
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from permissions import (  # sets DJANGO_SETTINGS_MODULE and the project's path
    Reloj,
    base_de_datos_preparar,
    datos_construir,
    percentil,
)

OBJETIVO_P95_MS = 150
OBJETIVO_RAZON = 1.2
SEMILLA = 12
BUSQUEDAS = (("rara", "usufructuario"), ("común", "credito"), ("dos palabras", "embargo vehiculo"))

# the legal Spanish of an expediente, by hand; the long tail is made of syllables
BASE = """que de la el en y los del se las por un para con no una su al lo como más pero sus le ya o
este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos
durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo
otro otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas
algo nosotros juzgado coactivas expediente coactivado deudor título orden cobro auto pago
citación notificación providencia medidas cautelares retención cuenta bancaria banco oficio
juez jueza secretario secretaria abogado tesorería municipal gobierno autónomo descentralizado
impuesto predial patente tasa interés mora multa recargo costas liquidación saldo capital abono
convenio facilidades cuota plazo término días hábiles artículo código orgánico administrativo
tributario resolución firme ejecutoriada ejecución dictar disponer ordenar notifíquese cúmplase
razón sentada certifico fojas folio original copia certificada registro propiedad catastro
inmueble predio avalúo remate subasta postura adjudicación depósito judicial cheque certificado
transferencia comprobante recibo ingreso egreso dirección financiera alcaldía concejo cantón
provincia parroquia calle número cédula ciudadanía registro único contribuyentes representante
legal compañía sociedad anónima limitada heredero cónyuge domicilio desconocido publicación
prensa diario edicto boletín extracto comparecencia escrito petición recurso impugnación
apelación nulidad prescripción caducidad excepción suspensión levantamiento cancelación archivo
baja documental valor dólares estados unidos américa centavos monto total adeudado ejercicio
fiscal año período mensual trimestral semestral anual vencido pendiente pagado parcial""".split()
SILABAS = "ba be bi bo bu ca co cu da de di do du fa fe fi fo ga go la le li lo lu ma me mi mo mu " \
          "na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to tu va ve vi za zo".split()


def vocabulario(rng, n: int = 3000) -> list[str]:
    palabras = list(dict.fromkeys(BASE))
    vistos = set(palabras) | {"credito", "crédito", "usufructuario", "embargo", "vehículo", "vehiculo"}
    while len(palabras) < n:
        p = "".join(rng.choice(SILABAS) for _ in range(rng.randint(2, 4)))
        if p not in vistos:
            vistos.add(p)
            palabras.append(p)
    return palabras


class Textos:
    """Pages of Zipf-distributed words with the planted ones (see the module's doc)."""

    def __init__(self, rng, palabras_por_pagina: int):
        self.rng, self.n = rng, palabras_por_pagina
        self.vocabulario = vocabulario(rng)
        pesos = [1 / (k + 1) for k in range(len(self.vocabulario))]
        total, acumulado = sum(pesos), 0.0
        self.acumulados = []
        for p in pesos:
            acumulado += p / total
            self.acumulados.append(acumulado)

    def pagina(self) -> str:
        rng = self.rng
        palabras = rng.choices(self.vocabulario, cum_weights=self.acumulados, k=self.n)
        for palabra, p, otra_vez in (("crédito", .5, .4), ("usufructuario", .0001, 0), ("embargo", .1, 0),
                                     ("vehículo", .05, 0)):
            if rng.random() < p:
                palabras[rng.randrange(len(palabras))] = palabra
                while rng.random() < otra_vez:  # «crédito» 2 or more times in 40 % of its pages, 8 in 0.16 %
                    palabras[rng.randrange(len(palabras))] = palabra
        # sentences, some capitalised words: what an OCR'd page looks like to the parser
        for i in range(0, len(palabras), 12):
            palabras[i] = palabras[i].capitalize()
        return " ".join(palabras).replace(" que ", ". Que ")


def _copiar_modelo(cursor, modelo, filas: list[dict]) -> list[int]:
    """COPY rows of a model's own table, defaults from its fields; ids from its sequence."""
    from expedientes.services.masivo import _copiar

    campos = [f for f in modelo._meta.local_concrete_fields if not getattr(f, "generated", False)]
    pk = modelo._meta.pk
    if pk.auto_created or pk.get_internal_type() in ("AutoField", "BigAutoField"):
        cursor.execute("select nextval(pg_get_serial_sequence(%s, %s)) from generate_series(1, %s)",
                       [modelo._meta.db_table, pk.column, len(filas)])
        for fila, (valor,) in zip(filas, cursor.fetchall()):
            fila[pk.attname] = valor
    from django.db.models import JSONField
    from psycopg.types.json import Jsonb

    por_defecto = {f.attname: f.get_default() for f in campos}
    json = {f.attname for f in campos if isinstance(f, JSONField)}

    def valor(fila, f):
        v = fila.get(f.attname, por_defecto[f.attname])
        return Jsonb(v) if f.attname in json and v is not None else v

    _copiar(cursor, modelo._meta.db_table, [f.column for f in campos],
            ([valor(fila, f) for f in campos] for fila in filas))
    return [fila[pk.attname] for fila in filas]


def documentos_construir(paginas_por_version: int, palabras: int, reloj) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from expedientes.models import (
        ActuacionPage,
        Adjunto,
        AdjuntoVersion,
        ExpedientePage,
        OrigenTexto,
        PaginaTexto,
        TipoActuacion,
    )
    from expedientes.services.masivo import _copiar

    rng = random.Random(SEMILLA)
    textos = Textos(rng, palabras)
    autor = ExpedientePage.objects.values_list("owner_id", flat=True).first()
    expedientes = list(ExpedientePage.objects.order_by("path").values_list(
        "pk", "path", "depth", "url_path", "numero", "fecha_recepcion"))
    tipo = ContentType.objects.get_for_model(ActuacionPage).pk
    locale = Locale.get_default().pk
    with transaction.atomic(), connection.cursor() as cursor:
        paginas = []
        for pk, path, depth, url_path, numero, fecha in expedientes:
            momento = timezone.make_aware(datetime.combine(fecha, hora(10)))
            titulo = f"Auto de pago — {numero}"
            paginas.append(dict(
                path=path + "0001", depth=depth + 1, numchild=0, translation_key=uuid.uuid4(), title=titulo,
                draft_title=titulo, slug="auto-de-pago", url_path=f"{url_path}auto-de-pago/", live=True,
                has_unpublished_changes=False, content_type_id=tipo, locale_id=locale, owner_id=autor,
                first_published_at=momento, last_published_at=momento, latest_revision_created_at=momento))
        ids = _copiar_modelo(cursor, Page, paginas)
        _copiar(cursor, ActuacionPage._meta.db_table,
                ["page_ptr_id", "tipo", "fecha", "numero", "resumen", "expediente_id"],
                ([a, TipoActuacion.AUTO_DE_PAGO.value, e[5], "", "", e[0]] for a, e in zip(ids, expedientes)))
        cursor.execute(f"update {Page._meta.db_table} set numchild = 1 where id = any(%s)",
                       [[e[0] for e in expedientes]])
        reloj(f"{len(ids)} actuaciones (COPY: páginas del árbol y sus filas)")
        ahora = timezone.now()
        adjuntos = _copiar_modelo(cursor, Adjunto, [
            dict(uuid=uuid.uuid4(), actuacion_id=a, titulo="Expediente digitalizado", creado_en=ahora,
                 creado_por_id=autor) for a in ids])
        versiones = _copiar_modelo(cursor, AdjuntoVersion, [
            dict(uuid=uuid.uuid4(), adjunto_id=a, numero=1, clave=f"bench/{a}", version_s3="bench",
                 nombre_original="digitalizado.pdf", tamano=1, sha256="0" * 64, tipo_mime="application/pdf",
                 antivirus_resultado="OK", antivirus_motor="bench", subido_en=ahora, subido_por_id=autor,
                 paginas=paginas_por_version, texto_estado="ocr") for a in adjuntos])
        reloj(f"{len(adjuntos)} adjuntos y versiones (COPY)")
        cursor.execute("drop index if exists paginatexto_busqueda")
        lote, hechas = 50000, 0
        filas = ((v, e[0], n, textos.pagina(), OrigenTexto.OCR.value)
                 for v, e in zip(versiones, expedientes) for n in range(1, paginas_por_version + 1))
        total = len(versiones) * paginas_por_version
        while hechas < total:
            bloque = [next(filas) for _ in range(min(lote, total - hechas))]
            _copiar(cursor, PaginaTexto._meta.db_table, ["version_id", "expediente_id", "numero", "texto", "origen"],
                    bloque)
            hechas += len(bloque)
            reloj(f"  {hechas} páginas de texto (COPY; tsvector calculado por PostgreSQL)")
    # after the commit: the deferred foreign-key checks of the COPY must have run
    with connection.cursor() as cursor:
        cursor.execute("select 1 from pg_extension where extname = 'rum'")
        con_rum = cursor.fetchone() is not None
        cursor.execute("set maintenance_work_mem = '512MB'")
        if con_rum:
            cursor.execute(f"create index paginatexto_busqueda on {PaginaTexto._meta.db_table} "
                           "using rum (busqueda rum_tsvector_ops)")
        else:
            cursor.execute(f"create index paginatexto_busqueda on {PaginaTexto._meta.db_table} using gin (busqueda)")
        reloj(f"índice {'RUM' if con_rum else 'GIN'} de búsqueda")
    with connection.cursor() as cursor:
        for modelo in (Page, ActuacionPage, Adjunto, AdjuntoVersion, PaginaTexto, ExpedientePage):
            cursor.execute(f"vacuum analyze {modelo._meta.db_table}")
    reloj("VACUUM ANALYZE")


def datos_presentes(n: int, paginas: int) -> bool:
    from expedientes.models import ExpedientePage, PaginaTexto

    try:
        return ExpedientePage.objects.count() == n and PaginaTexto.objects.count() == n * paginas
    except Exception:  # an empty or foreign database
        return False


def orden_comprobar(resultado, consulta: str, suyos: set[int] | None) -> str:
    """Compares the hits' order with the ranking over every match the user may see, computed
    here without any cap (once per search and user: for the superuser's «crédito», a sort of
    half a million pages)."""
    from django.db import connection

    from expedientes.busqueda_texto import _con_rum

    distancia = ("busqueda <=> q" if _con_rum() else "-ts_rank(busqueda, q)")
    filtro = "and expediente_id = any(%s)" if suyos is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(f"""select id from expedientes_paginatexto, websearch_to_tsquery('coactivas_es', %s) q
                            where busqueda @@ q {filtro} order by {distancia}, id limit %s""",
                       [consulta, *([list(suyos)] if suyos is not None else []), len(resultado.hits)])
        exacto = [f[0] for f in cursor.fetchall()]
    if resultado.orden_parcial:
        return "orden sobre las primeras coincidencias (varias palabras)"
    assert [h.pagina_texto_id for h in resultado.hits] == exacto, f"«{consulta}»: el orden no es el del ranking"
    return "orden exacto"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expedientes", type=int, default=100000)
    parser.add_argument("--paginas", type=int, default=10, help="pages per expediente (one file)")
    parser.add_argument("--palabras", type=int, default=150, help="words per page")
    parser.add_argument("--repeticiones", type=int, default=30)
    parser.add_argument("--calentamiento", type=int, default=3)
    parser.add_argument("--base", help="database name, ending in _bench")
    parser.add_argument("--reusar", action="store_true")
    args = parser.parse_args()
    n = args.expedientes
    m = max(1, n // 50)  # 2 %
    reloj = Reloj()
    nombre, vacia = base_de_datos_preparar(args.base, args.reusar, sufijo="_search_bench")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from expedientes import busqueda_texto
    from expedientes.models import ExpedientePage

    print(f"Base de datos {nombre} (PostgreSQL {connection.pg_version // 10000})", flush=True)
    from expedientes.models import ActuacionPage, PaginaTexto

    if (not vacia and args.reusar and ExpedientePage.objects.count() == n
            and not ActuacionPage.objects.exists() and not PaginaTexto.objects.exists()):
        print(f"Reutilizando {n} expedientes; construyendo sus {n * args.paginas} páginas:", flush=True)
        documentos_construir(args.paginas, args.palabras, reloj)
    elif vacia or not datos_presentes(n, args.paginas):
        if not vacia:
            connection.close()
            base_de_datos_preparar(nombre, reusar=False, sufijo="_search_bench")
        print(f"Construyendo {n} expedientes ({m} del abogado), {n * args.paginas} páginas:", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        reloj("migraciones")
        datos_construir(n, m, reloj)
        documentos_construir(args.paginas, args.palabras, reloj)
        print(f"  {'total de la construcción':<62} {reloj.total():6.1f} s", flush=True)
    else:
        print(f"Reutilizando {n} expedientes, {n * args.paginas} páginas (--reusar)", flush=True)
        call_command("migrate", interactive=False, verbosity=0)  # a later migration may change the search's column
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE expedientes_paginatexto")  # the planner's statistics as a migration sets them
        reloj("migraciones pendientes y ANALYZE")

    with connection.cursor() as cursor:
        cursor.execute("select indexdef from pg_indexes where indexname = 'paginatexto_busqueda'")
        print(f"Índice: {cursor.fetchone()[0]}")
    usuarios = get_user_model().objects
    quienes = {"abogado": usuarios.get(username="abogado_bench"),
               "superusuario": usuarios.get(username="admin_bench")}
    suyos = set(ExpedientePage.objects.filter(abogado=quienes["abogado"]).values_list("pk", flat=True))
    assert len(suyos) == m, (len(suyos), m)

    resultados, ordenes = {}, {}
    for caso, consulta in BUSQUEDAS:
        tiempos = {u: [] for u in quienes}
        for r in range(args.calentamiento + args.repeticiones):
            orden = list(quienes) if r % 2 == 0 else list(reversed(quienes))
            for quien in orden:
                inicio = time.perf_counter()
                resultado = busqueda_texto.buscar(quienes[quien], consulta)
                ms = (time.perf_counter() - inicio) * 1000
                if r < args.calentamiento:
                    if quien == "abogado":
                        ajenos = {h.expediente.pk for h in resultado.hits} - suyos
                        assert not ajenos, f"{caso}: el abogado ve expedientes ajenos {sorted(ajenos)[:5]}"
                    if r == 0:
                        ordenes[(caso, quien)] = orden_comprobar(
                            resultado, consulta, suyos if quien == "abogado" else None)
                    assert all(h.folio == h.pagina for h in resultado.hits), "folio ≠ página"
                    resultados.setdefault((caso, quien, "total"), (resultado.total, resultado.total_exacto,
                                                                   len(resultado.hits)))
                else:
                    tiempos[quien].append(ms)
        for quien in quienes:
            resultados[(caso, quien)] = tiempos[quien]
        print(f"  {caso:<14} «{consulta}»: " + " | ".join(
            f"{q} p50 {statistics.median(tiempos[q]):6.1f} ms, {resultados[(caso, q, 'total')][0]}"
            f"{'' if resultados[(caso, q, 'total')][1] else '+'} páginas, {resultados[(caso, q, 'total')][2]} hits, "
            f"{ordenes[(caso, q)]}" for q in quienes), flush=True)

    print()
    print(f"{n} expedientes, {n * args.paginas} páginas; el abogado tiene {m} (2 %); {args.repeticiones} "
          "búsquedas por celda (buscar(): hits, fragmentos, folios, conteos y facetas); ms:")
    cabecera = f"{'búsqueda':<14} {'abogado p50':>11} {'p95':>6}  {'superus. p50':>12} {'p95':>6}  {'razón p95':>9}"
    print(cabecera)
    print("-" * (len(cabecera) + 6))
    todos = True
    for caso, _ in BUSQUEDAS:
        ta, ts = resultados[(caso, "abogado")], resultados[(caso, "superusuario")]
        razon = percentil(ta, .95) / percentil(ts, .95)
        cumple = razon <= OBJETIVO_RAZON and max(percentil(ta, .95), percentil(ts, .95)) <= OBJETIVO_P95_MS
        todos &= cumple
        print(f"{caso:<14} {statistics.median(ta):11.1f} {percentil(ta, .95):6.1f}  "
              f"{statistics.median(ts):12.1f} {percentil(ts, .95):6.1f}  {razon:9.2f}  "
              f"{'PASS' if cumple else 'FAIL'}")
    print()
    print(f"Objetivos: p95 ≤ {OBJETIVO_P95_MS} ms y razón p95 abogado/superusuario ≤ {OBJETIVO_RAZON}: "
          f"{'PASS' if todos else 'FAIL'}")
    sys.exit(0 if todos else 1)


if __name__ == "__main__":
    main()
