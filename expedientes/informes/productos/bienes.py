"""6. Bienes embargados: Bienes y fondos embargados, su valor y su situación."""

from decimal import Decimal

from django.db.models import Case, CharField, Count, DecimalField, Exists, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion, informe_registrar
from expedientes.models import BienEmbargado, EstadoBien, Remate, ResultadoRemate, TipoBien

CERO = Decimal("0.00")
# what a seized asset is worth for the report: its avalúo, else the funds its measure retained
VALOR = Coalesce("avaluo", "medida__monto_retenido", Value(CERO), output_field=DecimalField(max_digits=14,
                                                                                           decimal_places=2))


def bienes_al_corte(bienes, corte):
    """Each asset's situation at `corte` from its dates (not its state today): released when
    its release date is on or before it, auctioned when an adjudication is."""
    rematado = Exists(Remate.objects.filter(bien=OuterRef("pk"), resultado=ResultadoRemate.ADJUDICADO,
                                            fecha_resultado__lte=corte))
    return bienes.annotate(
        rematado_al_corte=rematado,
        estado_al_corte=Case(
            When(fecha_embargo__gt=corte, then=Value("")),
            When(fecha_levantamiento__lte=corte, then=Value(EstadoBien.LEVANTADO.value)),
            When(rematado_al_corte=True, then=Value(EstadoBien.REMATADO.value)),
            default=Value(EstadoBien.EMBARGADO.value), output_field=CharField()),
    )


@informe_registrar
class Bienes(Informe):
    clave = "bienes"
    numero = 6
    titulo = "Bienes embargados"
    descripcion = ("Bienes y fondos embargados en el periodo, su valor (avalúo o fondos retenidos) y los que siguen "
                   "embargados al final del periodo, por tipo.")
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        periodo = parametros.periodo
        todos = bienes_al_corte(BienEmbargado.objects.filter(expediente__in=expedientes), periodo.hasta)
        embargados = todos.filter(fecha_embargo__range=(periodo.desde, periodo.hasta))
        vigentes = todos.filter(estado_al_corte=EstadoBien.EMBARGADO)

        def de(bienes):
            return expedientes.filter(pk__in=bienes.values("expediente"))

        suma = embargados.aggregate(n=Count("pk"), valor=Coalesce(Sum(VALOR), Value(CERO)),
                                    procesos=Count("expediente", distinct=True))
        cifras = [
            Cifra("embargados", "Bienes embargados en el periodo", suma["n"], Formato.ENTERO, de(embargados),
                  "Bienes y fondos con fecha de embargo en el periodo; la lista muestra sus expedientes."),
            Cifra("valor", "Valor de lo embargado", suma["valor"], Formato.USD, de(embargados),
                  "El avalúo de cada bien; para fondos, el monto retenido. Sin avalúo aún: cero."),
            Cifra("procesos_con_embargo", "Procesos con embargos en el periodo", suma["procesos"], Formato.ENTERO,
                  de(embargados)),
            Cifra("vigentes", f"Embargados al {periodo.hasta:%d/%m/%Y}", vigentes.count(), Formato.ENTERO,
                  de(vigentes), "Embargados hasta esa fecha, ni levantados ni rematados a esa fecha."),
        ]
        return Resultado(
            self, parametros, cifras=cifras,
            secciones=[self._por_tipo(embargados, vigentes, de)],
            detalle=self._detalle(todos.filter(Q(fecha_embargo__range=(periodo.desde, periodo.hasta))
                                               | Q(estado_al_corte=EstadoBien.EMBARGADO))),
            notas=["Un bien embargado en el periodo puede haber sido levantado o rematado después: cuenta en "
                   "«embargados» y no en «vigentes»; uno embargado antes y aún embargado cuenta solo en «vigentes».",
                   "Los fondos retenidos se embargan con su medida de retención y valen lo retenido; lo que se "
                   "cobró de ellos está en el informe de recaudación."],
        )

    def _por_tipo(self, embargados, vigentes, de) -> Seccion:
        por_tipo = {f["tipo"]: f for f in embargados.values("tipo").annotate(
            n=Count("pk"), valor=Coalesce(Sum(VALOR), Value(CERO))).order_by()}
        vigentes_por_tipo = dict(vigentes.values_list("tipo").annotate(n=Count("pk")).order_by())
        filas = []
        for tipo in TipoBien:
            datos = por_tipo.get(tipo.value, {"n": 0, "valor": CERO})
            filas.append([
                tipo.label,
                Cifra(f"embargados_{tipo.value}", f"{tipo.label}: embargados en el periodo", datos["n"],
                      Formato.ENTERO, de(embargados.filter(tipo=tipo))),
                datos["valor"],
                Cifra(f"vigentes_{tipo.value}", f"{tipo.label}: embargados al cierre del periodo",
                      vigentes_por_tipo.get(tipo.value, 0), Formato.ENTERO, de(vigentes.filter(tipo=tipo))),
            ])
        return Seccion("por_tipo", "Por tipo de bien",
                       [Columna("tipo", "Tipo"), Columna("embargados", "Embargados", Formato.ENTERO),
                        Columna("valor", "Valor", Formato.USD), Columna("vigentes", "Vigentes", Formato.ENTERO)],
                       filas)

    def _detalle(self, bienes) -> Detalle:
        filas = (bienes.annotate(valor=VALOR)
                 .order_by("fecha_embargo", "pk")
                 .values_list("fecha_embargo", "expediente__numero", "expediente__coactivado__nombre", "tipo",
                              "descripcion", "medida__oficio_numero", "valor", "estado_al_corte",
                              "fecha_levantamiento"))
        return Detalle([
            Columna("fecha_embargo", "Embargado", Formato.FECHA), Columna("expediente", "Expediente"),
            Columna("coactivado", "Coactivado"), Columna("tipo", "Tipo", opciones=dict(TipoBien.choices)),
            Columna("descripcion", "Descripción"), Columna("oficio", "Oficio de retención"),
            Columna("valor", "Valor", Formato.USD),
            Columna("estado", "Situación al cierre", opciones=dict(EstadoBien.choices)),
            Columna("fecha_levantamiento", "Levantado", Formato.FECHA),
        ], filas, titulo="Bienes embargados en el periodo o vigentes a su cierre")
