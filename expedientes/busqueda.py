"""Finding an expediente by what a clerk remembers: any words of the number, the debtor's name
or the cédula/RUC, in any order, with or without accents or capitals ("perez calle" finds
"PÉREZ CALLE SILVIA"). Each word must appear (AND).

The text searched is `ExpedientePage.busqueda`, composed by a database trigger as
lower(unaccent(number name cédula)) and indexed with a trigram GIN index (pg_trgm), so
`LIKE '%palabra%'` is answered from the index (a bitmap AND of one index scan per word) at
any number of expedientes. Each word is normalised by the same PostgreSQL functions, in the
same query: the two sides never disagree on what an accent is."""

from django.db.models import Func, QuerySet, Value
from django.db.models.functions import Lower

_MAX_PALABRAS = 8  # more words only narrow further; a bound keeps the query small


class Unaccent(Func):
    function = "unaccent"  # the extension is created by migration 0014 (UnaccentExtension)


def palabras(texto: str) -> list[str]:
    return (texto or "").split()[:_MAX_PALABRAS]


def expedientes_buscar(expedientes: QuerySet, texto: str) -> QuerySet:
    """`expedientes` (already filtered by what the user may see) narrowed to those whose number,
    debtor or cédula/RUC contain every word of `texto`."""
    for palabra in palabras(texto):
        expedientes = expedientes.filter(busqueda__contains=Lower(Unaccent(Value(palabra))))
    return expedientes

