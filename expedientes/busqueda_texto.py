"""Search in the documents (issue 12): the full text of every page (PaginaTexto), plus the
expediente's number, debtor and cédula/RUC (expedientes/busqueda.py), accent- and
case-insensitive.

How it stays fast at a million pages, and blind to what the user may not see:
- `PaginaTexto.busqueda` is a stored tsvector under the `coactivas_es` configuration (Spanish
  stemming after unaccent, migration 0024); the user's words go through
  websearch_to_tsquery with the same configuration, which never fails on operators, quotes
  or SQL (they are words to it), and the text is bounded (MAX_CONSULTA).
- The ranking never reads every match of a common word, and is exact save in one case. RUM's
  ordered index scan (`ORDER BY busqueda <=> q LIMIT n`) computes the distance of every match
  before returning the first (measured: 0.44 s for «crédito» in 500,000 of 1,000,000 pages),
  and ts_rank over GIN reads and ranks every match from the table (2.4 s, issue 12). So:
  - up to TOPE_RANGO matching pages the user may see (a rare word, several words, a lawyer's
    own files), all of them are ranked (_contar_y_ordenar);
  - beyond it, a one-word search is ranked by design (_ordenar_por_frecuencia): its rank grows
    with how many times the word is on the page, and each page's tsvector carries a marker
    «palabra n» for n = 2, 3, 5, 8 (migration 0026), so the pages that must come first are
    read from the index by themselves (from the level the planner's statistics expect to
    hold a screenful of the user's pages, migration 0027), and the pages with the word once,
    all of equal rank, follow by id (the ranking's own tie-break);
  - beyond it, a search of several words is ranked over its first TOPE_RANGO matches (the
    screen says so). Their matches are the intersection of their words', so this is rare.
  The distance is RUM's `<=>` when the extension is there, else ts_rank.
- The permission policy's own Q (permisos.policies.q_expedientes) is a condition of every
  query: hits, counts and facets are computed only over pages of expedientes the user may see
  (for a lawyer, as the array of his expedientes' ids: _filtro_paginas).
- Counts and facets read at most TOPE_CONTEO matching pages: beyond that they say «más de»
  (the screen says the facets are counted over the first matches).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import BooleanField, FloatField, Q
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from expedientes.busqueda import expedientes_buscar, palabras
from expedientes.estados import Estado
from expedientes.models import ExpedientePage, PaginaTexto
from expedientes.models.expediente import Provincia
from expedientes.models.lectura import CONFIGURACION_BUSQUEDA, NIVELES_FRECUENCIA
from permisos.policies import ids_expedientes_visibles, q_expedientes

MAX_CONSULTA = 300  # characters: more is not a search, and a bound keeps the query small
POR_PAGINA = 20
MAX_PAGINA = 50  # deeper pages of results: refine the search instead
TOPE_CONTEO = 1000  # counts and facets read at most this many matching pages
TOPE_RANGO = 5000  # the ranking orders at most this many matching pages (see _contar_y_ordenar)
MAX_IDS_VISIBLES = 20000  # up to this many visible expedientes, their ids go into the query
MAX_EXPEDIENTES = 10  # expedientes found by number, debtor or cédula/RUC
FACETAS = ("provincia", "anio", "estado", "serie")
# ts_headline's markers: characters no text holds, replaced by <mark> after escaping the text
_INICIO, _FIN = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class ConsultaInvalida(ValueError):
    """A search that cannot be run: the message is for the user."""


@dataclass
class Hit:
    pagina_texto_id: int
    expediente: ExpedientePage
    actuacion: object
    version: object
    pagina: int
    folio: int | None
    fragmento: str  # safe HTML: the text escaped, the matched words in <mark>
    enlace: str | None  # the reader at that page (part E), when it is installed


@dataclass
class Resultado:
    consulta: str
    filtros: dict
    pagina: int = 1
    hits: list[Hit] = field(default_factory=list)
    expedientes: list[ExpedientePage] = field(default_factory=list)
    total: int = 0  # matching pages (capped at TOPE_CONTEO)
    total_exacto: bool = True
    expedientes_con_hits: int = 0
    facetas: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # name → (value, label, n)
    hay_mas: bool = False
    orden_parcial: bool = False  # several words in more than TOPE_RANGO pages: ranked over the first
    aviso: str = ""

    @property
    def paginas(self) -> int:
        return min(MAX_PAGINA, max(1, -(-self.total // POR_PAGINA)))


@cache
def _con_rum_en(alias: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("select 1 from pg_indexes where indexname = 'paginatexto_busqueda' "
                       "and indexdef ilike '%% using rum %%'")
        return cursor.fetchone() is not None


def _con_rum() -> bool:
    return _con_rum_en(connection.settings_dict["NAME"])


def consulta_limpiar(texto: str | None) -> str:
    texto = " ".join(_CONTROL.sub(" ", texto or "").split())
    if len(texto) > MAX_CONSULTA:
        raise ConsultaInvalida(
            f"La búsqueda es demasiado larga ({len(texto)} caracteres). Escriba como máximo "
            f"{MAX_CONSULTA} caracteres: unas pocas palabras bastan.")
    return texto


def filtros_limpiar(filtros: dict | None) -> dict:
    """Only known facets with well-formed values (others are dropped, never passed to SQL)."""
    filtros = filtros or {}
    limpios = {}
    if (v := str(filtros.get("provincia") or "")) in Provincia.values:
        limpios["provincia"] = v
    if (v := str(filtros.get("estado") or "")) in Estado.values:
        limpios["estado"] = v
    for clave in ("anio", "serie"):
        v = str(filtros.get(clave) or "")
        if v.isdigit() and len(v) <= 9:
            limpios[clave] = v
    return limpios


def _expedientes_visibles(usuario, filtros, ids: list[int] | None):
    """The expedientes the user may see (by their ids when the policy gave them: a lawyer's)."""
    if ids is not None:
        qs = ExpedientePage.objects.filter(_igual_a_alguno(ExpedientePage, "page_ptr", ids))
    else:
        qs = ExpedientePage.objects.filter(q_expedientes(usuario))
    return _filtrar_expedientes(qs, filtros, "")


def _filtrar_expedientes(qs, filtros, prefijo):
    campos = {"provincia": "provincia", "estado": "estado", "anio": "anio", "serie": "serie_id"}
    return qs.filter(**{prefijo + campos[k]: v for k, v in filtros.items()})


def _filtro_paginas(usuario, filtros, ids: list[int] | None):
    """The condition on PaginaTexto that keeps the pages of the expedientes the user may see,
    with the facet filters (None: he sees none), computed once per search: the policy inside
    every query of it; the part of the archive it keeps (None if unknown); and the ids of the
    expedientes it names, when it names them. For a user who sees few expedientes (a lawyer's
    own), their ids are read first and written into the query as one array: PostgreSQL cannot
    estimate how few rows the policy's OR of guardian subqueries keeps (it guesses three
    quarters of the table) and would then walk every page of the index; with the ids it reads
    only those expedientes' pages.
    `ids`: permisos.policies.ids_expedientes_visibles, when it could give them."""
    if ids is None and not filtros and not q_expedientes(usuario):  # Q(): a superuser, the auditor
        return Q(), 1.0, None
    if filtros or ids is None:
        visibles = _expedientes_visibles(usuario, filtros, ids)
        ids = list(visibles.order_by().values_list("pk", flat=True)[:MAX_IDS_VISIBLES + 1])
        if len(ids) > MAX_IDS_VISIBLES:
            return Q(expediente__in=visibles.values("pk")), None, None
    if not ids:
        return None, 0.0, []
    expedientes = _estadisticas()[3]
    return _igual_a_alguno(PaginaTexto, "expediente", ids), len(ids) / expedientes if expedientes else None, ids


def _igual_a_alguno(modelo, campo: str, ids: list[int]) -> RawSQL:
    """`campo = ANY(ids)` with the ids as one array literal, not an IN list: Django and psycopg
    spend about 30 µs per element composing `IN (%s, …)` (60 ms for 2,000 ids, measured), and
    2 µs dumping a Python list as an array; the literal's text costs nothing. The array has the
    column's own type: PostgreSQL then hashes it when it filters rows by it (an integer column
    against a bigint[] is compared with each element in turn: 12 ms instead of 3 ms for the 666
    pages holding a rare marker, measured at 2,000 ids)."""
    columna = modelo._meta.get_field(campo)
    return RawSQL(f'"{modelo._meta.db_table}"."{columna.column}" = ANY(%s::{columna.db_type(connection)}[])',
                  (_arreglo(tuple(ids)),), output_field=BooleanField())


@lru_cache(maxsize=4)
def _arreglo(ids: tuple[int, ...]) -> str:
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def _analizar(consulta: str) -> tuple[int, str | None]:
    """The search's number of nodes (0 when it holds only stop words or signs, "de la", "!!":
    nothing to find) and, for a one-word search, its lexeme as written in a tsquery
    ("'credit'" for «Créditos»)."""
    with connection.cursor() as cursor:
        cursor.execute("select numnode(q), q::text from websearch_to_tsquery(%s::regconfig, %s) q",
                       [CONFIGURACION_BUSQUEDA, consulta])
        nodos, texto = cursor.fetchone()
    return nodos, texto if nodos == 1 and texto.startswith("'") and texto.endswith("'") else None


def buscar(usuario, consulta: str, filtros: dict | None = None, pagina: int = 1) -> Resultado:
    """Hits (by rank), facets and counts of `consulta` among the pages `usuario` may see, and
    the expedientes whose number, debtor or cédula/RUC match. Raises ConsultaInvalida with a
    Spanish message for a search that cannot be run."""
    consulta = consulta_limpiar(consulta)
    filtros = filtros_limpiar(filtros)
    pagina = max(1, min(MAX_PAGINA, int(pagina or 1)))
    resultado = Resultado(consulta=consulta, filtros=filtros, pagina=pagina)
    if not consulta:
        return resultado

    ids = ids_expedientes_visibles(usuario, MAX_IDS_VISIBLES)  # None: the policy's Q decides in the queries
    if pagina == 1 and all(len(p) >= 3 for p in palabras(consulta)):
        # trigram index: words shorter than a trigram would read every expediente
        resultado.expedientes = list(expedientes_buscar(_expedientes_visibles(usuario, filtros, ids), consulta)
                                     .select_related("coactivado").order_by("-anio", "-secuencial")
                                     [:MAX_EXPEDIENTES])

    query = SearchQuery(consulta, config=CONFIGURACION_BUSQUEDA, search_type="websearch")
    nodos, lexema = _analizar(consulta)
    if not nodos:
        if not resultado.expedientes:
            resultado.aviso = ("La búsqueda no tiene palabras que buscar en los documentos (solo "
                               "palabras muy comunes o signos). Escriba palabras más específicas.")
        return resultado

    filtro, parte, ids_filtro = _filtro_paginas(usuario, filtros, ids)
    if filtro is None:  # he sees no expediente
        return resultado

    visibles = _paginas_bajo(filtro)
    coincidencias = visibles(Q(busqueda=query))
    desde, cuantas = (pagina - 1) * POR_PAGINA, POR_PAGINA + 1
    # a common word for who sees few expedientes (a lawyer's, given by their ids): his pages in
    # expediente order, by the expediente index (_comun)
    comun = _comun(consulta, lexema, parte) and ids_filtro is not None
    pares, candidatas, ultimo = _contar_y_ordenar(
        resultado, visibles(_coincide_sin_indice(consulta)).order_by("expediente_id") if comun else coincidencias,
        consulta, desde + cuantas)
    orden = [i for _, i in pares[desde:]]
    if candidatas >= TOPE_RANGO:
        if lexema:
            resto = _resto(ids_filtro, ultimo, parte, pares) if comun else None
            orden, exacto = _ordenar_por_frecuencia(visibles, coincidencias, consulta, lexema, desde, cuantas,
                                                    parte, resto)
            resultado.orden_parcial = not exacto
        else:
            resultado.orden_parcial = True
    resultado.hay_mas = len(orden) > POR_PAGINA and pagina < MAX_PAGINA
    resultado.hits = _hits(orden[:POR_PAGINA], query)
    return resultado


def _resto(ids: list[int], ultimo: int, parte: float, leidos: list[tuple[float, int]]):
    """For _ordenar_por_frecuencia: the pages of the expedientes from `ultimo` on (the last one
    the candidates, read in expediente order, reached), their part of the archive, and the
    candidates' best pages."""
    ids_resto = [i for i in ids if i >= ultimo]
    return (_paginas_bajo(_igual_a_alguno(PaginaTexto, "expediente", ids_resto)),
            parte * len(ids_resto) / len(ids), leidos)


def _paginas_bajo(filtro):
    """The pages meeting a condition, under `filtro` (_filtro_paginas): a function of the condition."""
    # no join with the version: a destroyed version's text is deleted with it
    # (archivo/services/bajas.py); order_by(): the default ordering would join and sort
    return lambda condicion: PaginaTexto.objects.filter(condicion).filter(filtro).order_by()


def _comun(consulta: str, lexema: str | None, parte: float | None) -> bool:
    """Whether the planner expects the search on many more pages (FRECUENTE times) than the user
    sees: a common word, for a lawyer. Then his candidates are read by the expediente index,
    with the words' index out of the planner's reach (_coincide_sin_indice): PostgreSQL
    underestimates the cost of the words' index for a common word and, with the statistics of
    a freshly rewritten table, intersected all of it with his pages (197 ms for «crédito» on
    half of a million pages), where his pages, read by expediente until TOPE_RANGO match,
    take 20 ms (measured). Otherwise the planner chooses (the words' index is then the
    cheaper way)."""
    frecuencias, minima, paginas, _ = _estadisticas()
    if parte is None or parte >= 1 or not paginas:
        return False
    # one word: its share of the pages is in the statistics already read; several: ask the planner
    estimadas = frecuencias.get(lexema[1:-1], minima) * paginas if lexema else _paginas_estimadas(consulta)
    return estimadas > FRECUENTE * parte * paginas


FRECUENTE = 4  # see _comun: for a lawyer who sees 2 %, the two ways cost the same near 5 times his part


def _paginas_estimadas(consulta: str) -> float:
    """The planner's estimate of the pages holding the search (from the words' statistics,
    migration 0027; AND, OR and NOT weighed as it weighs them)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {PaginaTexto._meta.db_table} "
                       "WHERE busqueda @@ websearch_to_tsquery(%s::regconfig, %s)", [CONFIGURACION_BUSQUEDA, consulta])
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]


def _coincide_sin_indice(consulta: str) -> RawSQL:
    """busqueda @@ the search, written as the function behind the operator: the same test, which
    no index can answer (an index matches operators), so the planner reads by the other
    conditions (_comun). One condition of one statement, where a setting (enable_bitmapscan)
    would reach all of it."""
    return RawSQL(f'ts_match_vq("{PaginaTexto._meta.db_table}"."busqueda", websearch_to_tsquery(%s::regconfig, %s))',
                  (CONFIGURACION_BUSQUEDA, consulta), output_field=BooleanField())


def _contar_y_ordenar(resultado: Resultado, coincidencias, consulta: str,
                      hasta: int) -> tuple[list[tuple[float, int]], int, int | None]:
    """One query, so the matching pages the user may see are found once (for a lawyer, the
    pages of his 2,000 expedientes and the word's entries in the index):
    - the candidates: the first TOPE_RANGO matches, each with its rank distance;
    - counts and facets over the first TOPE_CONTEO + 1 of them (beyond: «más de»);
    - the best `hasta` pages by rank among the candidates, as (distance, id).
    Returns those, the number of candidates (when it reaches TOPE_RANGO, the ranking did not
    see every match: buscar then ranks by design, see the module's doc) and the highest
    expediente id among them."""
    pares, candidatas, filas, ultimo = _ordenar(coincidencias, consulta, hasta, facetas=True)
    _facetas_leer(resultado, filas)
    return pares, candidatas, ultimo


def _candidatas(coincidencias, consulta: str):
    """The first TOPE_RANGO of `coincidencias` with their rank distance (id, expediente_id,
    distancia): RUM's `<=>` on the stored tsvector when the extension is there, else ts_rank
    (negated, so both sort ascending), computed inside the scan (the tsvector is not copied
    out of it)."""
    distancia = ("busqueda <=> websearch_to_tsquery(%s::regconfig, %s)" if _con_rum()
                 else "-ts_rank(busqueda, websearch_to_tsquery(%s::regconfig, %s))")
    return coincidencias.annotate(
        distancia=RawSQL(f"{PaginaTexto._meta.db_table}.{distancia}", (CONFIGURACION_BUSQUEDA, consulta),
                         output_field=FloatField())).values("id", "expediente_id", "distancia")[:TOPE_RANGO]


def _ordenar(coincidencias, consulta: str, hasta: int, facetas: bool = False):
    """Among the first TOPE_RANGO of `coincidencias`: the best `hasta` by rank as (distance, id)
    pairs in order (ties by id), their number, the facet rows over the first TOPE_CONTEO + 1
    (with `facetas`) and the highest expediente id among them (the last one read, when
    `coincidencias` is in expediente order)."""
    sql, params = _candidatas(coincidencias, consulta).query.sql_with_params()
    tabla, pk = ExpedientePage._meta.db_table, ExpedientePage._meta.pk.column
    facetas_sql = f"""
            SELECT GROUPING(e.provincia, e.anio, e.estado, e.serie_id), e.provincia, e.anio,
                   e.estado, e.serie_id, count(DISTINCT m.expediente_id), count(*), NULL::bigint, NULL::float8
              FROM m JOIN {tabla} e ON e.{pk} = m.expediente_id
             GROUP BY GROUPING SETS ((e.provincia), (e.anio), (e.estado), (e.serie_id), ())
            UNION ALL""" if facetas else ""
    with connection.cursor() as cursor:
        # the distance out as float8: RUM's is a float4, whose shortest text would not read back as
        # the same float, and _ordenar_por_frecuencia merges pages ranked by two statements
        cursor.execute(f"""
            WITH c AS MATERIALIZED ({sql}),
                 m AS (SELECT expediente_id FROM c LIMIT {TOPE_CONTEO + 1}),
                 r AS (SELECT id, distancia FROM c ORDER BY distancia, id LIMIT %s)
            {facetas_sql}
            SELECT -1, NULL, NULL, NULL, NULL, NULL, count(*), max(expediente_id), NULL FROM c
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, id, distancia::float8 FROM r""", [*params, hasta])
        filas = cursor.fetchall()
    pares = sorted((f[8], f[7]) for f in filas if f[0] is None and f[6] is None)
    total, ultimo = next((f[6], f[7]) for f in filas if f[0] == -1)
    return pares, total, [f[:7] for f in filas if f[0] is not None and f[0] != -1], ultimo


def _ordenar_por_frecuencia(visibles, coincidencias, consulta: str, lexema: str, desde: int,
                            cuantas: int, parte: float | None, resto=None) -> tuple[list[int], bool]:
    """The ids of the pages `desde`…`desde + cuantas` by rank, for a one-word search in more
    than TOPE_RANGO pages the user may see, and whether that order is exact. For one word,
    RUM's distance (and ts_rank) depends only on how many times the word is on the page, and
    grows with it; each page's tsvector holds a marker «palabra n» for n in NIVELES_FRECUENCIA
    when the word is there n times or more (migration 0026). So any level holding enough pages
    holds every page that ranks above the rest: ranking its pages gives the exact order, and
    the higher the level, the fewer pages to rank. The first level read is the highest one
    the planner's statistics expect to hold enough of the pages the user may see (`parte`:
    the part of the archive he sees, None if unknown); the levels below follow while they are
    short. When fewer pages than needed hold the word twice, they come first, then the pages
    that hold it once, all of equal rank, by id (the ranking's tie-break), read in the order
    of the primary key. A level beyond TOPE_RANGO pages is ranked over its first TOPE_RANGO
    only: then the levels above the first one read, if any, are tried from the top; if none
    of them has enough pages, the order is not exact (more than 5,000 pages with the word 3
    times, and fewer than a screenful with it 5 times).
    `resto`: when the candidates were read in expediente order (a lawyer's common word, see
    _comun), (visibles over the expedientes they did not finish, their part of the archive,
    the candidates' best pages as (distance, id)). The candidates hold every match of the
    expedientes before the last one read, so the levels are read over the rest only (half the
    expedientes, half the index walks): a level of the rest with enough pages, merged with the
    candidates' best, gives the exact order, since every page left out holds the word fewer
    times than each of those."""
    hasta = desde + cuantas
    niveles = sorted(NIVELES_FRECUENCIA, reverse=True)

    def leer(ver, nivel):
        pares, total, _, _ = _ordenar(ver(_con_lexema(_marcador(lexema, nivel))), consulta, hasta)
        return pares, total

    if resto is not None:
        ver_resto, parte_resto, leidos = resto
        for nivel in niveles[niveles.index(_nivel_inicial(lexema, niveles, hasta, parte_resto)):]:
            pares, total = leer(ver_resto, nivel)
            if total >= hasta:
                if total < TOPE_RANGO:
                    unidos = {i: d for d, i in (*leidos, *pares)}  # a page of the last expediente read is in both
                    return [i for _, i in sorted((d, i) for i, d in unidos.items())[desde:hasta]], True
                break  # the rest's level is too large to rank whole: read the levels over everything
    inicial = niveles.index(_nivel_inicial(lexema, niveles, hasta, parte))
    for nivel in niveles[inicial:]:
        pares, total = leer(visibles, nivel)
        if total >= hasta:
            break
    if total >= TOPE_RANGO:  # the statistics' guess may have skipped a level with enough pages
        for arriba in niveles[:inicial]:
            mejor = leer(visibles, arriba)
            if mejor[1] >= hasta:
                pares, total = mejor
                break
    orden = [i for _, i in pares[desde:]]
    if total >= hasta:
        return orden, total < TOPE_RANGO
    una_vez = (coincidencias.exclude(_con_lexema(_marcador(lexema, nivel))).order_by("id")
               .values_list("id", flat=True)[max(0, desde - total):hasta - total])
    return orden + list(una_vez), True


def _nivel_inicial(lexema: str, niveles: list[int], hasta: int, parte: float | None) -> int:
    """The highest level whose marker the planner's statistics (pg_stats' most common
    lexemes of the column, ANALYZE's sample; migration 0027 keeps 10 times the default) expect
    on at least `hasta` of the pages a user who sees `parte` of the archive may see; the top
    level when they cannot say. Only a guess of where to start: the result is the same from
    any level, only its cost changes (a lawyer who sees 2 % of a million pages: the top level,
    holding 11 of his pages, costs 4 ms more, measured)."""
    frecuencias, minima, paginas, _ = _estadisticas()
    if parte is None or not paginas:
        return niveles[0]
    for nivel in niveles:
        if frecuencias.get(_marcador(lexema, nivel)[1:-1], minima) * paginas * parte >= hasta:
            return nivel
    return niveles[-1]


_ESTADISTICAS_VIGENCIA = 600  # seconds: ANALYZE itself runs far less often


def _estadisticas() -> tuple[dict[str, float], float, float, float]:
    """(lexeme → share of pages holding it, the smallest share listed: an upper bound for the
    others, number of pages, number of expedientes) from pg_stats and pg_class, read once every
    _ESTADISTICAS_VIGENCIA seconds per process (2 ms); empty before the first ANALYZE."""
    clave = connection.settings_dict["NAME"]
    guardadas = _ESTADISTICAS.get(clave)
    if guardadas and time.monotonic() - guardadas[0] < _ESTADISTICAS_VIGENCIA:
        return guardadas[1]
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, p.reltuples, e.reltuples
              FROM pg_stats s, pg_class p, pg_class e
             WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'busqueda'
               AND p.oid = %s::regclass AND e.oid = %s::regclass""",
                       [PaginaTexto._meta.db_table, PaginaTexto._meta.db_table, ExpedientePage._meta.db_table])
        fila = cursor.fetchone()
    valores = ({}, 0.0, 0.0, 0.0)
    if fila and fila[0] and fila[2] > 0 and fila[3] > 0:
        lexemas, frecuencias, paginas, expedientes = fila
        valores = (dict(zip(lexemas, frecuencias)), min(frecuencias[:len(lexemas)]), paginas, expedientes)
    _ESTADISTICAS[clave] = (time.monotonic(), valores)
    return valores


_ESTADISTICAS: dict[str, tuple[float, tuple]] = {}


def _marcador(lexema: str, nivel: int) -> str:
    """The frequency marker of a lexeme written as a tsquery ("'credit'" → "'credit 5'"; pg_stats
    lists it without the quotes)."""
    return f"{lexema[:-1]} {nivel}'"


def _con_lexema(tsquery: str) -> RawSQL:
    """The pages whose tsvector holds the lexeme of `tsquery` (written as a tsquery: "'credit 2'",
    quotes inside doubled), taken as it is: no parsing, no stemming."""
    return RawSQL(f'"{PaginaTexto._meta.db_table}"."busqueda" @@ %s::tsquery', (tsquery,),
                  output_field=BooleanField())


def _facetas_leer(resultado: Resultado, filas) -> None:
    # GROUPING's bits: provincia 8, anio 4, estado 2, serie 1 (1 = not grouped by it)
    por_conjunto = {0b0111: "provincia", 0b1011: "anio", 0b1101: "estado", 0b1110: "serie"}
    crudas = {f: [] for f in FACETAS}
    for g, provincia, anio, estado, serie, expedientes, paginas in filas:
        if g == 0b1111:
            resultado.total = min(paginas, TOPE_CONTEO)
            resultado.total_exacto = paginas <= TOPE_CONTEO
            resultado.expedientes_con_hits = expedientes
        else:
            nombre = por_conjunto[g]
            valor = {"provincia": provincia, "anio": anio, "estado": estado, "serie": serie}[nombre]
            crudas[nombre].append((valor, expedientes))
    resultado.facetas = _etiquetar(crudas)


def _etiquetar(crudas) -> dict:
    from archivo.models import Serie

    series = dict(Serie.objects.filter(pk__in=[v for v, _ in crudas["serie"] if v]).values_list("pk", "nombre"))
    etiqueta = {
        "provincia": lambda v: Provincia(v).label if v in Provincia.values else v,
        "anio": str,
        "estado": lambda v: Estado(v).label if v in Estado.values else v,
        "serie": lambda v: series.get(v, "Sin serie") if v else "Sin serie",
    }
    facetas = {}
    for nombre, valores in crudas.items():
        filas = [("" if v is None else str(v), etiqueta[nombre](v), n) for v, n in valores if v is not None
                 or nombre == "serie"]
        orden = (lambda f: -int(f[0])) if nombre == "anio" else (lambda f: (-f[2], f[1]))
        facetas[nombre] = sorted(filas, key=orden)
    return facetas


def _hits(ids: list[int], query: SearchQuery) -> list[Hit]:
    """The page rows of the hits with their snippet (ts_headline only on these few rows), their
    actuación and their folio (expedientes.folios: two queries for all of them)."""
    from expedientes.folios import documento_de, documentos_foliados_de

    if not ids:
        return []
    filas = {p.pk: p for p in PaginaTexto.objects.filter(pk__in=ids).order_by().select_related(
        "expediente", "version__adjunto__actuacion").defer("texto").annotate(
        _fragmento=SearchHeadline(
            "texto", query, config=CONFIGURACION_BUSQUEDA, start_sel=_INICIO, stop_sel=_FIN,
            max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … "))}
    documentos = documentos_foliados_de(list({p.expediente_id: p.expediente for p in filas.values()}.values()))
    hits = []
    for pk in ids:
        p = filas[pk]
        documento = documento_de(documentos[p.expediente_id], p.version_id)
        hits.append(Hit(
            pagina_texto_id=pk, expediente=p.expediente, actuacion=p.version.adjunto.actuacion,
            version=p.version, pagina=p.numero, folio=documento.folio(p.numero) if documento else None,
            fragmento=_resaltar(p._fragmento), enlace=_enlace_lector(p.version, p.numero)))
    return hits


def _resaltar(fragmento: str) -> str:
    texto = escape(fragmento or "")
    return mark_safe(texto.replace(_INICIO, "<mark>").replace(_FIN, "</mark>"))


def _enlace_lector(version, pagina: int) -> str | None:
    try:
        return reverse("lector", args=[version.uuid]) + f"?pagina={pagina}"
    except NoReverseMatch:  # the reader (part E) is not installed yet
        return None


def filtros_de(datos) -> dict:
    """The facet filters of a request's GET (or a saved search's JSON)."""
    return filtros_limpiar({k: datos.get(k) for k in FACETAS})


