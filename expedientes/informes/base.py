"""The shape every report of the unit has (DOMAIN.md: its eleven monthly products), so that
one screen, one drill-down, one XLSX/PDF writer and one issuing service serve them all.

A product (expedientes/informes/productos/<clave>.py) is an `Informe` subclass registered
with `@informe_registrar`. Its `calcular(parametros, expedientes)` receives the expedientes
the viewer may see (the permission policy, with the province filter already applied) and
answers a `Resultado`:
- `cifras`: the headline figures, each with the ExpedientePage queryset behind it (the
  screen links every figure to that list; the XLSX carries it as a detail sheet);
- `secciones`: small tables (by province, by month, by entity...) whose cells may be Cifras;
- `detalle`: one row per record as a values_list queryset in the columns' order (paginated
  on screen, streamed to XLSX: memory stays flat);
- `notas`: what a reader must know (where the unit's own categories overlap).

Everything is derived from `expedientes` inside SQL (subqueries, annotations, aggregates):
a product never loops over expedientes in Python, so its cost does not grow with them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from expedientes import formato

MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
         "octubre", "noviembre", "diciembre")


class Formato(StrEnum):
    ENTERO = "entero"
    USD = "usd"
    PORCENTAJE = "porcentaje"
    FECHA = "fecha"
    TEXTO = "texto"


def valor_formatear(valor, formato_: str = Formato.TEXTO, opciones: dict | None = None) -> str:
    """A cell or figure as the unit writes it (dd/mm/aaaa, USD 1.234,56, 12,5 %)."""
    if valor is None or valor == "":
        return ""
    if opciones:
        return str(opciones.get(valor, valor))
    if formato_ == Formato.USD:
        return formato.usd(valor)
    if formato_ == Formato.PORCENTAJE:
        return formato.porcentaje(valor)
    if formato_ == Formato.FECHA:
        return formato.fecha(valor)
    if formato_ == Formato.ENTERO:
        return formato.numero(valor, 0)
    return str(valor)


class TipoPeriodo(StrEnum):
    MES = "mes"
    ANIO = "anio"
    RANGO = "rango"


@dataclass(frozen=True)
class Periodo:
    """The dates a report covers, both inclusive. A report «at a date» (Informe.a_fecha)
    reads only `hasta`: the cut-off."""

    tipo: str
    desde: date
    hasta: date

    @classmethod
    def mes(cls, anio: int, mes: int) -> Periodo:
        return cls(TipoPeriodo.MES, date(anio, mes, 1), date(anio, mes, calendar.monthrange(anio, mes)[1]))

    @classmethod
    def anio(cls, anio: int) -> Periodo:
        return cls(TipoPeriodo.ANIO, date(anio, 1, 1), date(anio, 12, 31))

    @classmethod
    def rango(cls, desde: date, hasta: date) -> Periodo:
        if hasta < desde:
            raise ValidationError({"hasta": f"La fecha final ({formato.fecha(hasta)}) es anterior a la "
                                            f"inicial ({formato.fecha(desde)})."})
        return cls(TipoPeriodo.RANGO, desde, hasta)

    @property
    def etiqueta(self) -> str:
        if self.tipo == TipoPeriodo.MES:
            return f"{MESES[self.desde.month - 1]} de {self.desde.year}"
        if self.tipo == TipoPeriodo.ANIO:
            return f"año {self.desde.year}"
        return f"del {formato.fecha(self.desde)} al {formato.fecha(self.hasta)}"

    @property
    def anterior_al_inicio(self) -> date:
        """The day before the period: the baseline's cut-off."""
        return date.fromordinal(self.desde.toordinal() - 1)


@dataclass(frozen=True)
class Parametros:
    periodo: Periodo
    provincia: str = ""  # a Provincia value; "" = all the provinces the viewer sees

    @property
    def corte(self) -> date:
        return self.periodo.hasta

    def a_dict(self) -> dict:
        """JSON for InformeEmitido.parametros and the query string of links."""
        return {"periodo": self.periodo.tipo, "desde": self.periodo.desde.isoformat(),
                "hasta": self.periodo.hasta.isoformat(), "provincia": self.provincia}

    @classmethod
    def de_dict(cls, datos: dict) -> Parametros:
        periodo = Periodo(datos["periodo"], date.fromisoformat(datos["desde"]), date.fromisoformat(datos["hasta"]))
        return cls(periodo=periodo, provincia=datos.get("provincia", ""))


@dataclass
class Columna:
    clave: str
    titulo: str
    formato: str = Formato.TEXTO
    opciones: dict | None = None  # stored value → label (choices), e.g. dict(Estado.choices)

    def mostrar(self, valor) -> str:
        return valor_formatear(valor, self.formato, self.opciones)


@dataclass
class Cifra:
    """A figure of the report and the expedientes it counts or sums (None when it is not about
    expedientes, e.g. a cost per newspaper)."""

    clave: str
    etiqueta: str
    valor: int | Decimal
    formato: str = Formato.ENTERO
    expedientes: QuerySet | None = None
    ayuda: str = ""

    def mostrar(self) -> str:
        return valor_formatear(self.valor, self.formato)


@dataclass
class Seccion:
    """A small table. A cell holding a Cifra is shown as its value linked to its expedientes
    (its clave must be unique within the Resultado: the drill-down finds it by clave)."""

    clave: str
    titulo: str
    columnas: list[Columna]
    filas: list[list[Any]]
    nota: str = ""
    # how the screen may draw it besides the table: "" (table only), "barras", "lineas"
    grafico: str = ""


@dataclass
class Detalle:
    columnas: list[Columna]
    filas: QuerySet  # values_list(...) in the columns' order, ordered, no per-row queries
    titulo: str = "Detalle"


@dataclass
class Resultado:
    informe: Informe
    parametros: Parametros
    cifras: list[Cifra] = field(default_factory=list)
    secciones: list[Seccion] = field(default_factory=list)
    detalle: Detalle | None = None
    notas: list[str] = field(default_factory=list)

    def todas_las_cifras(self):
        yield from self.cifras
        for seccion in self.secciones:
            for fila in seccion.filas:
                yield from (celda for celda in fila if isinstance(celda, Cifra))

    def cifra(self, clave: str) -> Cifra:
        for cifra in self.todas_las_cifras():
            if cifra.clave == clave:
                return cifra
        raise KeyError(clave)

    def cifras_a_dict(self) -> dict[str, str]:
        """The headline figures as issued (InformeEmitido.cifras): clave → exact value as text."""
        return {c.clave: str(c.valor) for c in self.cifras}

    def cifras_presentar(self) -> list[list[str]]:
        """The headline figures as the issued document shows them (InformeEmitido.presentacion)."""
        return [[c.clave, str(c.etiqueta), c.mostrar()] for c in self.cifras]


class Informe:
    clave: str = ""
    numero: int = 0  # its place among the unit's products (DOMAIN.md), for ordering
    titulo: str = ""
    descripcion: str = ""
    a_fecha: bool = False  # True: the state at a cut-off date (periodo.hasta), not a period's flow

    def calcular(self, parametros: Parametros, expedientes: QuerySet) -> Resultado:
        raise NotImplementedError


INFORMES: dict[str, Informe] = {}


def informe_registrar(clase: type[Informe]) -> type[Informe]:
    if clase.clave in INFORMES:
        raise RuntimeError(f"Informe repetido: {clase.clave}")
    INFORMES[clase.clave] = clase()
    return clase


def informes() -> list[Informe]:
    from expedientes.informes import productos  # noqa: F401  (registers them)

    return sorted(INFORMES.values(), key=lambda i: i.numero)


def informe_obtener(clave: str) -> Informe:
    from expedientes.informes import productos  # noqa: F401

    try:
        return INFORMES[clave]
    except KeyError:
        raise Http404("No existe ese informe.") from None


def expedientes_del_informe(usuario, provincia: str = "") -> QuerySet:
    """The expedientes a report may read for `usuario`: what the permission policy lets them
    see (an abogado: theirs), in the province asked. The one door every report goes through."""
    from expedientes.selectors import expedientes_visibles

    base = expedientes_visibles(usuario)
    return base.filter(provincia=provincia) if provincia else base


def informe_calcular(*, clave: str, parametros: Parametros, usuario) -> Resultado:
    return informe_obtener(clave).calcular(parametros, expedientes_del_informe(usuario, parametros.provincia))
