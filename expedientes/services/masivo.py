"""Creating many expedientes at once (the import of the historical matrices, the benchmarks'
data sets): the same rows `expediente_abrir` writes, without one page save at a time.

The pages are written as raw treebeard rows (path, depth, url_path computed here, under each
year page's row lock) with COPY into wagtailcore_page and the ExpedientePage table; the
search text is composed by its insert trigger. The year pages are created by the normal
service. Títulos de crédito, payments, the state transition a row brings and the abogado's
object permissions follow in bulk, and every stored derived value (next deadline, citation
service level, …) is recomputed in one place, `_derivados_recalcular`. All in one
transaction: a failure leaves nothing. No revisions, no actuaciones (an imported file has
no acts recorded in the portal)."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time as hora
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from archivo.services.clasificacion import serie_por_defecto
from expedientes.estados import Estado
from expedientes.models import Coactivado, ExpedientePage, OrigenPago, Pago, TituloCredito, Transicion
from permisos.services import asignaciones_masivas

from .expedientes import _anio_obtener, juzgado_obtener

LOTE = 2000


@dataclass
class PagoMasivo:
    fecha: date
    monto: Decimal
    recibo: str
    origen: str = OrigenPago.VOLUNTARIO


@dataclass
class FilaExpediente:
    """One expediente to create. `numero` keeps its year and sequence (legacy numbers);
    `transicion` = (fecha, motivo): the change from iniciado to `estado`, when known."""

    numero: str
    anio: int
    secuencial: int | None
    coactivado_id: int
    provincia: str
    fecha_recepcion: date
    monto_titulo: Decimal
    estado: str = Estado.INICIADO
    abogado_id: int | None = None
    orden_cobro_numero: str = ""
    titulo_numero: str = ""
    titulo_resolucion: str = "la orden de cobro"
    transicion: tuple[date, str] | None = None
    pagos: list[PagoMasivo] = field(default_factory=list)


def _copiar(cursor, tabla: str, columnas: list[str], filas) -> None:
    with cursor.copy(f"COPY {tabla} ({', '.join(columnas)}) FROM STDIN") as copia:
        for fila in filas:
            copia.write_row(fila)


def arbol_verificar() -> dict:
    """treebeard's find_problems() in three queries (it runs one per node: minutes at scale).
    {problem: count}, empty when the tree is valid."""
    consultas = {
        "depth": "select count(*) from wagtailcore_page where depth <> length(path) / 4",
        "numchild": """
            with hijos as (select substr(path, 1, length(path) - 4) as padre, count(*) as n
                           from wagtailcore_page where depth > 1 group by 1)
            select count(*) from wagtailcore_page p left join hijos h on h.padre = p.path
            where p.numchild <> coalesce(h.n, 0)""",
        "huérfanas": """
            select count(*) from wagtailcore_page c where c.depth > 1 and not exists (
                select 1 from wagtailcore_page p
                where p.path = substr(c.path, 1, length(c.path) - 4))""",
    }
    resultado = {}
    with connection.cursor() as cursor:
        for nombre, sql in consultas.items():
            cursor.execute(sql)
            resultado[nombre] = cursor.fetchone()[0]
    return {k: v for k, v in resultado.items() if v}


def _derivados_recalcular(ids: list[int]) -> None:
    """Every stored derived value of these expedientes, after they were written in bulk: the
    one place the bulk path recomputes what the services keep up to date one at a time."""
    from .cuenta import cuentas_recalcular
    from .plazos import plazos_recalcular

    expedientes = ExpedientePage.objects.filter(pk__in=ids)
    cuentas_recalcular(expedientes=expedientes)  # the stored account segments (saldos_al)
    plazos_recalcular(expedientes)


def expedientes_insertar(filas: list[FilaExpediente], *, usuario, progreso=None) -> list[int]:
    """Create the expedientes of `filas` (their debtors already registered) under their year
    pages, in one transaction. Returns their page ids, in the order of `filas`.
    `progreso(texto)` is told after each step (the command's and the benchmark's output)."""
    avisar = progreso or (lambda texto: None)
    if not filas:
        return []
    juzgado = juzgado_obtener()
    with transaction.atomic():
        # the openings' lock: no number is assigned while these are written
        Page.objects.select_for_update().only("pk").get(pk=juzgado.pk)
        anios = sorted({f.anio for f in filas})
        paginas_anio = {a: _anio_obtener(juzgado, a, usuario) for a in anios}
        bloqueadas = {p.pk: p for p in Page.objects.select_for_update().filter(
            pk__in=[p.pk for p in paginas_anio.values()])}
        nombres = dict(Coactivado.objects.filter(pk__in={f.coactivado_id for f in filas})
                       .values_list("pk", "nombre"))
        # wagtailcore_page rows as plain dicts: thousands of Page() instances are slow
        campos = Page._meta.concrete_fields
        por_defecto = {f.attname: f.get_default() for f in campos}
        por_defecto.update(
            numchild=0, locale_id=Locale.get_default().pk, live=True, has_unpublished_changes=False,
            content_type_id=ContentType.objects.get_for_model(ExpedientePage).pk,
            owner_id=getattr(usuario, "pk", None))
        ultimo = {}
        for anio, pagina in paginas_anio.items():
            padre = bloqueadas[pagina.pk]
            hijo = padre.get_last_child() if padre.numchild else None
            ultimo[anio] = Page._str2int(hijo.path[-Page.steplen:]) if hijo else 0
        paginas, nuevos = [], {a: 0 for a in anios}
        for fila in filas:
            padre = bloqueadas[paginas_anio[fila.anio].pk]
            ultimo[fila.anio] += 1
            nuevos[fila.anio] += 1
            titulo = f"{fila.numero} — {nombres[fila.coactivado_id]}"[:255]  # as full_clean writes it
            momento = timezone.make_aware(datetime.combine(fila.fecha_recepcion, hora(9, 30)))
            paginas.append(por_defecto | dict(
                path=Page._get_path(padre.path, padre.depth + 1, ultimo[fila.anio]), depth=padre.depth + 1,
                translation_key=uuid.uuid4(), title=titulo, draft_title=titulo, slug=fila.numero.lower(),
                url_path=f"{padre.url_path}{fila.numero.lower()}/", first_published_at=momento,
                last_published_at=momento, latest_revision_created_at=momento))
        with connection.cursor() as cursor:
            cursor.execute("select nextval(pg_get_serial_sequence(%s, 'id')) from generate_series(1, %s)",
                           [Page._meta.db_table, len(paginas)])
            for pagina, (pk,) in zip(paginas, cursor.fetchall()):
                pagina["id"] = pk
            _copiar(cursor, Page._meta.db_table, [f.column for f in campos],
                    ([p[f.attname] for f in campos] for p in paginas))
            avisar(f"{len(paginas)} filas de wagtailcore_page (COPY)")
            serie = serie_por_defecto().pk  # every expediente belongs to a serie (archivo)
            _copiar(cursor, ExpedientePage._meta.db_table,
                    ["page_ptr_id", "numero", "anio", "secuencial", "coactivado_id", "provincia",
                     "fecha_recepcion", "monto_titulo", "estado", "abogado_id", "orden_cobro_numero", "serie_id"],
                    ([p["id"], f.numero, f.anio, f.secuencial, f.coactivado_id, f.provincia, f.fecha_recepcion,
                      f.monto_titulo, str(f.estado), f.abogado_id, f.orden_cobro_numero, serie]
                     for p, f in zip(paginas, filas)))
        for anio, cuantos in nuevos.items():
            Page.objects.filter(pk=paginas_anio[anio].pk).update(numchild=bloqueadas[paginas_anio[anio].pk].numchild
                                                                 + cuantos)
        avisar(f"{len(filas)} filas de expedientes_expedientepage (COPY) y numchild de los años")
        ids = [p["id"] for p in paginas]
        TituloCredito.objects.bulk_create(
            [TituloCredito(expediente_id=pk, numero=f.titulo_numero or f"TC-{f.numero}",
                           fecha_emision=f.fecha_recepcion, exigible_desde=f.fecha_recepcion,
                           resolucion=f.titulo_resolucion, capital=f.monto_titulo)
             for pk, f in zip(ids, filas)], batch_size=LOTE)
        avisar(f"{len(filas)} títulos de crédito (bulk_create)")
        pagos = [Pago(expediente_id=pk, fecha=p.fecha, monto=p.monto, origen=p.origen, recibo=p.recibo,
                      registrado_por=usuario)
                 for pk, f in zip(ids, filas) for p in f.pagos]
        transiciones = [Transicion(expediente_id=pk, desde=Estado.INICIADO, hasta=f.estado, fecha=f.transicion[0],
                                   motivo=f.transicion[1], usuario=usuario)
                        for pk, f in zip(ids, filas) if f.transicion and f.estado != Estado.INICIADO]
        if pagos:
            Pago.objects.bulk_create(pagos, batch_size=LOTE)
            avisar(f"{len(pagos)} pagos (bulk_create)")
        if transiciones:
            Transicion.objects.bulk_create(transiciones, batch_size=LOTE)
            avisar(f"{len(transiciones)} cambios de estado (bulk_create)")
        pares = [(pk, f.abogado_id) for pk, f in zip(ids, filas) if f.abogado_id]
        if pares:
            avisar(f"asignaciones_masivas: {asignaciones_masivas(pares)} filas de guardian")
        _derivados_recalcular(ids)
        avisar("datos derivados recalculados (cuentas y plazos)")
    return ids
