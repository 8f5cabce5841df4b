"""5. Recaudación: Pagos por mes: voluntarios, de fondos retenidos (con la medida de la que vienen), de remates y de convenios, conciliados con los comprobantes."""

from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Concat, TruncMonth

from expedientes.informes.base import (
    MESES, Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion, informe_registrar,
)
from expedientes.models import Entidad, OrigenPago, Pago

CERO = Decimal("0.00")
ORIGENES = [(o.value, o.label) for o in OrigenPago]


def _usd(campo="monto", **filtro):
    return Coalesce(Sum(campo, filter=Q(**filtro) if filtro else None), CERO)


def _por_origen() -> dict:
    """total, pagos and one USD sum per OrigenPago, for an aggregate or a grouped annotate."""
    return {"total": _usd(), "pagos": Count("pk"),
            **{origen: _usd(origen=origen) for origen, _ in ORIGENES}}


def meses_del_periodo(desde: date, hasta: date) -> list[date]:
    """The first day of every month the period touches, in order."""
    meses, mes = [], desde.replace(day=1)
    while mes <= hasta:
        meses.append(mes)
        mes = date(mes.year + mes.month // 12, mes.month % 12 + 1, 1)
    return meses


@informe_registrar
class Recaudacion(Informe):
    clave = "recaudacion"
    numero = 5
    titulo = "Recaudación"
    descripcion = ("Pagos por mes: voluntarios, de fondos retenidos (con la medida de la que vienen), de remates y "
                   "de convenios, conciliados con los comprobantes.")
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        periodo = parametros.periodo
        pagos = Pago.objects.filter(expediente__in=expedientes)
        del_periodo = pagos.filter(fecha__range=(periodo.desde, periodo.hasta))
        validos = del_periodo.filter(anulado_en__isnull=True)
        suma = validos.aggregate(**_por_origen(), procesos=Count("expediente", distinct=True))

        def con_pagos(**filtro):
            return expedientes.filter(pk__in=validos.filter(**filtro).values("expediente"))

        cifras = [
            Cifra("total", "Total recaudado", suma["total"], Formato.USD, con_pagos(),
                  "Pagos vigentes (no anulados) con fecha en el periodo."),
            *[Cifra(origen, etiqueta, suma[origen], Formato.USD, con_pagos(origen=origen))
              for origen, etiqueta in ORIGENES],
            Cifra("pagos", "Pagos registrados", suma["pagos"], Formato.ENTERO, con_pagos(),
                  "Número de pagos vigentes; la lista muestra los expedientes que los recibieron."),
            Cifra("procesos_con_cobro", "Procesos con recaudación", suma["procesos"], Formato.ENTERO, con_pagos(),
                  "Expedientes con al menos un pago vigente en el periodo."),
        ]
        return Resultado(
            self, parametros, cifras=cifras,
            secciones=[self._por_mes(periodo, validos, con_pagos), self._por_medida(validos),
                       self._conciliacion(expedientes, pagos, del_periodo)],
            detalle=self._detalle(del_periodo),
            notas=[
                "Los montos por origen suman el total. Los pagos anulados no se suman: se muestran aparte, en la "
                "conciliación de comprobantes, y en el detalle marcados como anulados.",
                "Un proceso con recaudación puede tener además saldo pendiente (pagos parciales, convenios en "
                "curso): véase la cartera pendiente; las dos cifras no se excluyen.",
                "El mes de un pago es el de su fecha de pago, no el de su registro en el portal.",
            ],
        )

    def _por_mes(self, periodo, validos, con_pagos) -> Seccion:
        por_mes = {fila.pop("mes"): fila for fila in
                   validos.annotate(mes=TruncMonth("fecha")).values("mes").annotate(**_por_origen()).order_by("mes")}
        vacio = {"total": CERO, "pagos": 0, **{origen: CERO for origen, _ in ORIGENES}}
        filas = []
        for mes in meses_del_periodo(periodo.desde, periodo.hasta):
            datos = por_mes.get(mes, vacio)
            filas.append([
                f"{MESES[mes.month - 1]} {mes.year}", datos["pagos"],
                *[datos[origen] for origen, _ in ORIGENES],
                Cifra(f"mes_{mes:%Y_%m}", f"Recaudado en {MESES[mes.month - 1]} de {mes.year}", datos["total"],
                      Formato.USD, con_pagos(fecha__year=mes.year, fecha__month=mes.month)),
            ])
        columnas = [Columna("mes", "Mes"), Columna("pagos", "Pagos", Formato.ENTERO),
                    *[Columna(origen, etiqueta, Formato.USD) for origen, etiqueta in ORIGENES],
                    Columna("total", "Total", Formato.USD)]
        return Seccion("por_mes", "Recaudación por mes", columnas, filas, grafico="barras")

    def _por_medida(self, validos) -> Seccion:
        filas = list(
            validos.filter(origen=OrigenPago.RETENCION)
            .values_list("medida__entidad", "medida__entidad_detalle", "medida__oficio_numero", "expediente__numero")
            .annotate(pagos=Count("pk"), total=Sum("monto"))
            .order_by("medida__entidad", "medida__oficio_numero", "expediente__numero")
        )
        sin_medida = sum(1 for fila in filas if fila[2] is None)
        return Seccion(
            "por_medida", "Recaudación de fondos retenidos, por medida de retención",
            [Columna("entidad", "Entidad", opciones=dict(Entidad.choices)), Columna("detalle", "Detalle"),
             Columna("oficio", "Oficio"), Columna("expediente", "Expediente"),
             Columna("pagos", "Pagos", Formato.ENTERO), Columna("total", "Recaudado", Formato.USD)],
            [list(fila) for fila in filas],
            nota=("Cada pago de fondos retenidos indica el oficio que los retuvo."
                  + (" Hay pagos de fondos retenidos sin oficio registrado (datos anteriores al portal): "
                     "aparecen con la entidad en blanco." if sin_medida else "")),
        )

    def _conciliacion(self, expedientes, pagos, del_periodo) -> Seccion:
        """Receipt numbers: a valid receipt is unique (a database constraint), so what is left
        to reconcile is the annulled payments (apart, never summed), the receipts of annulled
        payments recorded again, and payments without a receipt number."""
        anulados = del_periodo.filter(anulado_en__isnull=False)
        resumen = anulados.aggregate(n=Count("pk"), total=_usd())
        reutilizados = anulados.filter(Exists(
            pagos.filter(recibo=OuterRef("recibo"), anulado_en__isnull=True).exclude(pk=OuterRef("pk"))))
        sin_recibo = del_periodo.filter(anulado_en__isnull=True, recibo__regex=r"^\s*$")
        columnas = [Columna("problema", "Observación"), Columna("recibo", "Comprobante"),
                    Columna("expediente", "Expediente"), Columna("fecha", "Fecha", Formato.FECHA),
                    Columna("monto", "Monto", Formato.USD)]
        con_anulados = expedientes.filter(pk__in=anulados.values("expediente"))
        filas = [
            ["Pagos anulados en el periodo (no se suman al total)", "", "", "",
             Cifra("anulados_usd", "Monto de los pagos anulados", resumen["total"], Formato.USD, con_anulados)],
            ["Número de pagos anulados", "", "", "",
             Cifra("anulados", "Pagos anulados", resumen["n"], Formato.ENTERO, con_anulados)],
        ]
        campos = ("recibo", "expediente__numero", "fecha", "monto")
        filas += [["Comprobante de un pago anulado, registrado de nuevo", *fila]
                  for fila in reutilizados.order_by("recibo", "fecha").values_list(*campos)]
        filas += [["Pago vigente sin número de comprobante", *fila]
                  for fila in sin_recibo.order_by("fecha", "pk").values_list(*campos)]
        return Seccion("conciliacion", "Conciliación de comprobantes", columnas, filas,
                       nota="Un comprobante vigente no puede repetirse (el portal lo impide); un pago anulado libera "
                            "su número para registrarlo de nuevo con las cifras correctas.")

    def _detalle(self, del_periodo) -> Detalle:
        filas = (
            del_periodo
            .annotate(
                procedencia=Case(
                    When(medida__isnull=False, then=Concat(Value("Oficio "), F("medida__oficio_numero"))),
                    When(remate__isnull=False, then=Concat(Value("Remate: "), F("remate__bien__descripcion"))),
                    default=Value(""), output_field=CharField()),
                anulado=Case(When(anulado_en__isnull=False, then=Concat(Value("Anulado: "), F("anulacion_motivo"))),
                             default=Value(""), output_field=CharField()))
            .order_by("fecha", "pk")
            .values_list("fecha", "recibo", "expediente__numero", "expediente__coactivado__nombre", "origen",
                         "procedencia", "monto", "anulado")
        )
        return Detalle([
            Columna("fecha", "Fecha", Formato.FECHA), Columna("recibo", "Comprobante"),
            Columna("expediente", "Expediente"), Columna("coactivado", "Coactivado"),
            Columna("origen", "Origen", opciones=dict(OrigenPago.choices)), Columna("procedencia", "Medida / remate"),
            Columna("monto", "Monto", Formato.USD), Columna("anulado", "Anulado"),
        ], filas, titulo="Pagos del periodo")
