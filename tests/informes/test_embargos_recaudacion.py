"""Products 5 (recaudación), 6 (bienes embargados) and 7 (remates) on a dataset built here,
their totals checked against figures computed in the test from the same list of facts; the
province filter, an abogado who sees only his expedientes, an empty period."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from expedientes.informes.base import Parametros, Periodo, informe_calcular
from expedientes.models import (
    BienEmbargado, Entidad, EstadoBien, EstadoMedida, MedidaCautelar, OrigenPago, Pago, Remate, ResultadoRemate,
    TipoBien,
)
from permisos import roles
from tests.factories import expediente_crear, usuario_con_rol

D = Decimal
pytestmark = pytest.mark.servicios
MARZO = Parametros(Periodo.mes(2025, 3))
V, RET, REM, CONV = OrigenPago.VOLUNTARIO, OrigenPago.RETENCION, OrigenPago.REMATE, OrigenPago.CONVENIO


@dataclass
class P:  # a payment of the dataset
    exp: str
    fecha: date
    monto: str
    origen: str
    recibo: str
    medida: str = ""
    remate: str = ""
    anulado: bool = False


PAGOS = [
    P("e1", date(2025, 3, 5), "100.00", V, "R-1"),
    P("e1", date(2025, 3, 20), "250.00", RET, "R-2", medida="m1"),
    P("e1", date(2025, 3, 29), "500.00", REM, "R-3", remate="r1"),
    P("e1", date(2025, 3, 10), "40.00", V, "R-4", anulado=True),
    P("e1", date(2025, 3, 11), "41.00", V, "R-4"),  # the annulled receipt, recorded again
    P("e2", date(2025, 3, 15), "60.00", CONV, "R-5"),
    P("e2", date(2025, 5, 2), "70.00", V, "R-6"),  # outside March
    P("e2", date(2025, 2, 12), "15.00", V, "R-8", anulado=True),  # annulled, outside March
    P("e3", date(2025, 3, 25), "30.00", RET, "R-7", medida="m3"),
    P("e3", date(2025, 3, 26), "5.00", V, ""),  # a historical payment without receipt number
]


@dataclass
class B:  # an asset of the dataset
    clave: str
    exp: str
    tipo: str
    fecha: date
    avaluo: str | None = None
    medida: str = ""
    estado: str = EstadoBien.EMBARGADO
    levantado: date | None = None


BIENES = [
    B("fondos1", "e1", TipoBien.FONDOS, date(2025, 3, 12), medida="m1"),
    B("vehiculo1", "e1", TipoBien.VEHICULO, date(2025, 3, 14), "1200.00", estado=EstadoBien.REMATADO),
    B("casa1", "e1", TipoBien.INMUEBLE, date(2025, 2, 20), "5000.00"),
    B("otro2", "e2", TipoBien.OTRO, date(2025, 3, 18), estado=EstadoBien.LEVANTADO, levantado=date(2025, 3, 30)),
    B("casa2", "e2", TipoBien.INMUEBLE, date(2025, 3, 1), "3000.00"),
    B("vehiculo3", "e3", TipoBien.VEHICULO, date(2025, 3, 5), "800.00", estado=EstadoBien.LEVANTADO,
      levantado=date(2025, 4, 10)),
]
RETENIDO = {"m1": D("300.00"), "m3": D("90.00")}


@dataclass
class Rm:  # an auction of the dataset
    clave: str
    bien: str
    senalado_el: date
    fecha_senalada: date
    base: str
    resultado: str = ResultadoRemate.SENALADO
    fecha_resultado: date | None = None
    valor: str | None = None


REMATES = [
    Rm("r1", "vehiculo1", date(2025, 3, 15), date(2025, 3, 28), "800.00", ResultadoRemate.ADJUDICADO,
       date(2025, 3, 28), "900.00"),
    Rm("r2", "casa2", date(2025, 2, 27), date(2025, 3, 22), "2000.00", ResultadoRemate.DESIERTO, date(2025, 3, 22)),
    Rm("r3", "casa2", date(2025, 3, 25), date(2025, 4, 15), "1800.00"),
    Rm("r4", "vehiculo3", date(2025, 2, 10), date(2025, 2, 28), "500.00", ResultadoRemate.CANCELADO,
       date(2025, 2, 25)),
]


@pytest.fixture
def datos(usuarios):
    abogado2 = usuario_con_rol(roles.ROL_ABOGADO, username="abogado2")
    secretaria = usuarios["secretaria"]
    exp = {
        "e1": expediente_crear(usuario=secretaria, nombre="ALFA S.A.", provincia="01", fecha=date(2025, 2, 3),
                               abogado=usuarios["abogado"]),
        "e2": expediente_crear(usuario=secretaria, nombre="BETA S.A.", provincia="03", fecha=date(2025, 2, 3),
                               abogado=usuarios["abogado"]),
        "e3": expediente_crear(usuario=secretaria, nombre="GAMA S.A.", provincia="01", fecha=date(2025, 2, 3),
                               abogado=abogado2),
    }
    med = {
        clave: MedidaCautelar.objects.create(
            expediente=exp[e], entidad=entidad, oficio_numero=f"OF-{clave}", fecha_envio=date(2025, 2, 5),
            fecha_respuesta=date(2025, 2, 10), monto_retenido=RETENIDO[clave], estado=EstadoMedida.EMBARGO)
        for clave, e, entidad in (("m1", "e1", Entidad.SUPERINTENDENCIA_BANCOS), ("m3", "e3", Entidad.SEPS))
    }
    bienes = {
        b.clave: BienEmbargado.objects.create(
            expediente=exp[b.exp], tipo=b.tipo, descripcion=f"Bien {b.clave}", fecha_embargo=b.fecha,
            avaluo=D(b.avaluo) if b.avaluo else None, fecha_avaluo=b.fecha if b.avaluo else None,
            medida=med.get(b.medida), estado=b.estado, fecha_levantamiento=b.levantado)
        for b in BIENES
    }
    rem = {
        r.clave: Remate.objects.create(
            bien=bienes[r.bien], senalado_el=r.senalado_el, fecha_senalada=r.fecha_senalada, base=D(r.base),
            resultado=r.resultado, fecha_resultado=r.fecha_resultado,
            valor_adjudicado=D(r.valor) if r.valor else None, adjudicatario="Comprador" if r.valor else "")
        for r in REMATES
    }
    for p in PAGOS:
        Pago.objects.create(
            expediente=exp[p.exp], fecha=p.fecha, monto=D(p.monto), origen=p.origen, recibo=p.recibo,
            medida=med.get(p.medida), remate=rem.get(p.remate), registrado_por=secretaria,
            anulado_en=timezone.now() if p.anulado else None, anulacion_motivo="Monto errado" if p.anulado else "")
    return {"exp": exp, "abogado2": abogado2, "usuarios": usuarios}


def _en(periodo: Periodo, fecha) -> bool:
    return fecha is not None and periodo.desde <= fecha <= periodo.hasta


def _esperado_recaudacion(periodo, exps):
    validos = [p for p in PAGOS if p.exp in exps and _en(periodo, p.fecha) and not p.anulado]
    anulados = [p for p in PAGOS if p.exp in exps and _en(periodo, p.fecha) and p.anulado]
    suma = lambda ps: sum((D(p.monto) for p in ps), D("0.00"))  # noqa: E731
    return {
        "total": suma(validos), "pagos": len(validos), "procesos_con_cobro": len({p.exp for p in validos}),
        **{o: suma([p for p in validos if p.origen == o]) for o in (V, RET, REM, CONV)},
        "anulados": len(anulados), "anulados_usd": suma(anulados),
    }


def _cifras(resultado, claves):
    return {clave: resultado.cifra(clave).valor for clave in claves}


def _calcular(clave, usuario, parametros=MARZO):
    resultado = informe_calcular(clave=clave, parametros=parametros, usuario=usuario)
    claves = [c.clave for c in resultado.todas_las_cifras()]
    assert len(claves) == len(set(claves)), Counter(claves).most_common(3)
    return resultado


@pytest.mark.parametrize("quien, provincia, exps", [
    ("jefe", "", {"e1", "e2", "e3"}),
    ("jefe", "01", {"e1", "e3"}),
    ("abogado", "", {"e1", "e2"}),
    ("abogado2", "", {"e3"}),
])
def test_recaudacion(datos, quien, provincia, exps):
    usuario = datos["abogado2"] if quien == "abogado2" else datos["usuarios"][quien]
    parametros = Parametros(MARZO.periodo, provincia=provincia)
    resultado = _calcular("recaudacion", usuario, parametros)
    esperado = _esperado_recaudacion(parametros.periodo, exps)
    assert _cifras(resultado, esperado) == esperado
    assert esperado["total"] == sum(esperado[o] for o in (V, RET, REM, CONV))
    # each figure's expedientes: those with a payment of that kind
    assert resultado.cifra("procesos_con_cobro").expedientes.count() == esperado["procesos_con_cobro"]
    numeros = {datos["exp"][e].numero for e in exps}
    assert set(resultado.cifra("total").expedientes.values_list("numero", flat=True)) == {
        datos["exp"][p.exp].numero for p in PAGOS if p.exp in exps and _en(MARZO.periodo, p.fecha) and not p.anulado}
    # the month's total is the period's (one month)
    assert resultado.cifra("mes_2025_03").valor == esperado["total"]
    # by retention measure: what each oficio paid
    por_medida = {fila[2]: fila[5] for fila in next(s for s in resultado.secciones if s.clave == "por_medida").filas}
    assert por_medida == {f"OF-{p.medida}": D(p.monto) for p in PAGOS
                          if p.exp in exps and p.medida and _en(MARZO.periodo, p.fecha) and not p.anulado}
    # the detail: every payment of the period, annulled ones marked
    filas = list(resultado.detalle.filas)
    del_periodo = [p for p in PAGOS if p.exp in exps and _en(MARZO.periodo, p.fecha)]
    assert len(filas) == len(del_periodo) and {f[2] for f in filas} <= numeros
    assert [f[0] for f in filas] == sorted(f[0] for f in filas)
    assert sum(1 for f in filas if f[7].startswith("Anulado")) == esperado["anulados"]
    assert {f[5] for f in filas if f[4] == REM} <= {"Remate: Bien vehiculo1"}


def test_recaudacion_conciliacion_de_comprobantes(datos):
    resultado = _calcular("recaudacion", datos["usuarios"]["jefe"])
    conciliacion = next(s for s in resultado.secciones if s.clave == "conciliacion")
    observaciones = [(fila[0], fila[1]) for fila in conciliacion.filas[2:]]
    assert observaciones == [("Comprobante de un pago anulado, registrado de nuevo", "R-4"),
                             ("Pago vigente sin número de comprobante", "")]
    # the annulled amount is shown apart, never in the total
    assert resultado.cifra("anulados_usd").valor == D("40.00")
    assert resultado.cifra("total").valor == D("986.00")


def _vigente(b: B, corte: date) -> bool:
    if b.fecha > corte or (b.levantado and b.levantado <= corte):
        return False
    return not any(r.bien == b.clave and r.resultado == ResultadoRemate.ADJUDICADO and r.fecha_resultado <= corte
                   for r in REMATES)


def _valor(b: B) -> Decimal:
    return D(b.avaluo) if b.avaluo else RETENIDO.get(b.medida, D("0.00"))


@pytest.mark.parametrize("quien, provincia, exps", [
    ("jefe", "", {"e1", "e2", "e3"}),
    ("jefe", "03", {"e2"}),
    ("abogado", "", {"e1", "e2"}),
])
def test_bienes(datos, quien, provincia, exps):
    parametros = Parametros(MARZO.periodo, provincia=provincia)
    resultado = _calcular("bienes", datos["usuarios"][quien], parametros)
    corte = parametros.periodo.hasta
    embargados = [b for b in BIENES if b.exp in exps and _en(parametros.periodo, b.fecha)]
    vigentes = [b for b in BIENES if b.exp in exps and _vigente(b, corte)]
    assert _cifras(resultado, ["embargados", "valor", "vigentes", "procesos_con_embargo"]) == {
        "embargados": len(embargados), "valor": sum((_valor(b) for b in embargados), D("0.00")),
        "vigentes": len(vigentes), "procesos_con_embargo": len({b.exp for b in embargados}),
    }
    for tipo in TipoBien:
        assert resultado.cifra(f"embargados_{tipo.value}").valor == sum(1 for b in embargados if b.tipo == tipo)
        assert resultado.cifra(f"vigentes_{tipo.value}").valor == sum(1 for b in vigentes if b.tipo == tipo)
    assert resultado.cifra("vigentes").expedientes.count() == len({b.exp for b in vigentes})
    filas = list(resultado.detalle.filas)
    assert len(filas) == len({b.clave for b in embargados + vigentes})
    situacion = {fila[4]: fila[7] for fila in filas}
    if "e1" in exps:  # auctioned on 28/03: «rematado» at the close of March
        assert situacion["Bien vehiculo1"] == EstadoBien.REMATADO
    if "e3" in exps:  # released in April: still seized at the close of March
        assert situacion["Bien vehiculo3"] == EstadoBien.EMBARGADO


def test_bienes_a_otra_fecha_de_corte(datos):
    """The situation is read from the dates: at the end of February only the house of e1
    was seized (in February), nothing was released or auctioned yet."""
    resultado = _calcular("bienes", datos["usuarios"]["jefe"], Parametros(Periodo.mes(2025, 2)))
    assert resultado.cifra("vigentes").valor == sum(1 for b in BIENES if _vigente(b, date(2025, 2, 28)))
    assert resultado.cifra("embargados").valor == 1 and resultado.cifra("valor").valor == D("5000.00")


@pytest.mark.parametrize("quien, provincia, exps", [
    ("jefe", "", {"e1", "e2", "e3"}),
    ("jefe", "01", {"e1", "e3"}),
    ("abogado2", "", {"e3"}),
])
def test_remates(datos, quien, provincia, exps):
    usuario = datos["abogado2"] if quien == "abogado2" else datos["usuarios"][quien]
    parametros = Parametros(MARZO.periodo, provincia=provincia)
    resultado = _calcular("remates", usuario, parametros)
    del_bien = {b.clave: b.exp for b in BIENES}
    mios = [r for r in REMATES if del_bien[r.bien] in exps]
    con_resultado = [r for r in mios if _en(parametros.periodo, r.fecha_resultado)]
    adjudicados = [r for r in con_resultado if r.resultado == ResultadoRemate.ADJUDICADO]
    desiertos = [r for r in con_resultado if r.resultado == ResultadoRemate.DESIERTO]
    assert _cifras(resultado, ["realizados", "adjudicados", "desiertos", "producto", "senalados"]) == {
        "realizados": len(adjudicados) + len(desiertos), "adjudicados": len(adjudicados),
        "desiertos": len(desiertos), "producto": sum((D(r.valor) for r in adjudicados), D("0.00")),
        "senalados": sum(1 for r in mios if _en(parametros.periodo, r.senalado_el)),
    }
    assert resultado.cifra("adjudicados").expedientes.count() == len({del_bien[r.bien] for r in adjudicados})
    en_detalle = [r for r in mios if any(_en(parametros.periodo, f)
                                         for f in (r.senalado_el, r.fecha_senalada, r.fecha_resultado))]
    assert len(list(resultado.detalle.filas)) == len(en_detalle)


def test_periodo_vacio(datos):
    vacio = Parametros(Periodo.mes(2024, 1))
    jefe = datos["usuarios"]["jefe"]
    recaudacion = _calcular("recaudacion", jefe, vacio)
    assert all(c.valor == 0 for c in recaudacion.cifras)
    assert not list(recaudacion.detalle.filas) and recaudacion.cifra("mes_2024_01").valor == 0
    bienes = _calcular("bienes", jefe, vacio)
    assert all(c.valor == 0 for c in bienes.cifras) and not list(bienes.detalle.filas)
    remates = _calcular("remates", jefe, vacio)
    assert all(c.valor == 0 for c in remates.cifras) and not list(remates.detalle.filas)


def test_un_anio_tiene_doce_meses(datos):
    resultado = _calcular("recaudacion", datos["usuarios"]["jefe"], Parametros(Periodo.anio(2025)))
    por_mes = next(s for s in resultado.secciones if s.clave == "por_mes")
    assert len(por_mes.filas) == 12
    assert sum(fila[-1].valor for fila in por_mes.filas) == resultado.cifra("total").valor == D("1056.00")
    assert resultado.cifra("mes_2025_05").valor == D("70.00")
    assert resultado.cifra("anulados").valor == 2


def test_el_grafico_por_mes_es_la_tabla(datos, client):
    """The screen draws the month table as stacked bars of the four origins (the total is the
    bar's height), each bar linked to the expedientes behind its cell; the PDF carries it too."""
    from expedientes.informes import graficos

    jefe = datos["usuarios"]["jefe"]
    resultado = _calcular("recaudacion", jefe, Parametros(Periodo.anio(2025)))
    por_mes = next(s for s in resultado.secciones if s.clave == "por_mes")
    grafico = graficos.de_seccion(por_mes, enlace=lambda cifra: f"/x/{cifra.clave}/")
    assert grafico.columnas[1:-1] == [c.titulo for c in por_mes.columnas if c.formato == "usd" and c.clave != "total"]
    assert len(grafico.filas) == 12 and grafico.filas[4][-1] == "USD 70,00"  # the row's total: May
    assert 'role="img"' in grafico.svg and "<script" not in grafico.svg
    client.force_login(jefe)
    html = client.get("/admin/informes/recaudacion/?periodo=anio&anio=2025").content.decode()
    assert 'id="chart-grafico-seccion-por_mes"' in html
    assert "/admin/informes/recaudacion/cifras/" in html.split('id="chart-grafico-seccion-por_mes"')[1].split("</svg>")[0]
    assert graficos.de_seccion(next(s for s in resultado.secciones if s.clave != "por_mes")) is None
