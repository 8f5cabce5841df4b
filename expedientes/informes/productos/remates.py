"""7. Remates: Remates señalados y realizados en el periodo: adjudicados, desiertos y su producto."""

from decimal import Decimal

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce

from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion, informe_registrar
from expedientes.models import Remate, ResultadoRemate, TipoBien

CERO = Decimal("0.00")
R = ResultadoRemate


@informe_registrar
class Remates(Informe):
    clave = "remates"
    numero = 7
    titulo = "Remates"
    descripcion = "Remates realizados en el periodo (adjudicados y desiertos), su producto, y los señalados."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        periodo = parametros.periodo
        rango = (periodo.desde, periodo.hasta)
        remates = Remate.objects.filter(bien__expediente__in=expedientes)
        con_resultado = remates.filter(fecha_resultado__range=rango)
        realizados = con_resultado.filter(resultado__in=(R.ADJUDICADO, R.DESIERTO))
        senalados = remates.filter(senalado_el__range=rango)
        suma = con_resultado.aggregate(
            realizados=Count("pk", filter=Q(resultado__in=(R.ADJUDICADO, R.DESIERTO))),
            adjudicados=Count("pk", filter=Q(resultado=R.ADJUDICADO)),
            desiertos=Count("pk", filter=Q(resultado=R.DESIERTO)),
            cancelados=Count("pk", filter=Q(resultado=R.CANCELADO)),
            producto=Coalesce(Sum("valor_adjudicado", filter=Q(resultado=R.ADJUDICADO)), Value(CERO)),
        )

        def de(filas):
            return expedientes.filter(pk__in=filas.values("bien__expediente"))

        adjudicados = con_resultado.filter(resultado=R.ADJUDICADO)
        cifras = [
            Cifra("realizados", "Remates realizados", suma["realizados"], Formato.ENTERO, de(realizados),
                  "Remates celebrados en el periodo: adjudicados más desiertos; la lista muestra sus expedientes."),
            Cifra("adjudicados", "Adjudicados", suma["adjudicados"], Formato.ENTERO, de(adjudicados)),
            Cifra("desiertos", "Desiertos", suma["desiertos"], Formato.ENTERO,
                  de(con_resultado.filter(resultado=R.DESIERTO))),
            Cifra("producto", "Producto de los remates", suma["producto"], Formato.USD, de(adjudicados),
                  "Suma de los valores adjudicados en el periodo (lo cobrado de ellos está en la recaudación)."),
            Cifra("cancelados", "Cancelados", suma["cancelados"], Formato.ENTERO,
                  de(con_resultado.filter(resultado=R.CANCELADO))),
            Cifra("senalados", "Remates señalados en el periodo", senalados.count(), Formato.ENTERO, de(senalados),
                  "Providencias de señalamiento dictadas en el periodo, cualquiera que sea su resultado."),
        ]
        por_tipo = {f["bien__tipo"]: f for f in realizados.values("bien__tipo").annotate(
            n=Count("pk"), adjudicados=Count("pk", filter=Q(resultado=R.ADJUDICADO)),
            producto=Coalesce(Sum("valor_adjudicado"), Value(CERO))).order_by()}
        filas_tipo = [[t.label, por_tipo.get(t.value, {}).get("n", 0), por_tipo.get(t.value, {}).get("adjudicados", 0),
                       por_tipo.get(t.value, {}).get("producto", CERO)] for t in TipoBien if t != TipoBien.FONDOS]
        seccion = Seccion("por_tipo", "Remates realizados por tipo de bien",
                          [Columna("tipo", "Tipo"), Columna("realizados", "Realizados", Formato.ENTERO),
                           Columna("adjudicados", "Adjudicados", Formato.ENTERO),
                           Columna("producto", "Producto", Formato.USD)], filas_tipo)
        detalle = Detalle([
            Columna("fecha_senalada", "Fecha señalada", Formato.FECHA), Columna("expediente", "Expediente"),
            Columna("coactivado", "Coactivado"), Columna("tipo", "Bien", opciones=dict(TipoBien.choices)),
            Columna("descripcion", "Descripción"), Columna("base", "Base", Formato.USD),
            Columna("resultado", "Resultado", opciones=dict(R.choices)),
            Columna("fecha_resultado", "Fecha del resultado", Formato.FECHA),
            Columna("valor_adjudicado", "Valor adjudicado", Formato.USD), Columna("adjudicatario", "Adjudicatario"),
        ], (remates.filter(Q(fecha_resultado__range=rango) | Q(senalado_el__range=rango)
                           | Q(fecha_senalada__range=rango))
            .order_by("fecha_senalada", "pk")
            .values_list("fecha_senalada", "bien__expediente__numero", "bien__expediente__coactivado__nombre",
                         "bien__tipo", "bien__descripcion", "base", "resultado", "fecha_resultado",
                         "valor_adjudicado", "adjudicatario")),
            titulo="Remates señalados, celebrados o resueltos en el periodo")
        return Resultado(self, parametros, cifras=cifras, secciones=[seccion], detalle=detalle, notas=[
            "«Realizados» son los remates celebrados en el periodo (adjudicados más desiertos); los cancelados "
            "no se celebraron y se cuentan aparte.",
            "Un remate señalado en un periodo puede celebrarse en otro: cuenta como señalado en el primero y como "
            "realizado en el segundo.",
        ])
