"""11. Cartera pendiente: capital, intereses y costas por cobrar a una fecha, antigüedad y
proyección de la recaudación del año siguiente.

Every amount is the exact balance of expedientes.liquidacion at the cut-off, read in SQL from
the stored account segments (expedientes/saldos.py): no expediente is liquidated in Python
here. The projection of the year after the cut-off is:
- the instalments of payment plans in force falling due that year (capped at the balance);
- for the other expedientes, their balance times the historical recovery rate of their ageing
  bucket: over the three years before the cut-off, what the expedientes pending at the start
  of each year paid during it (capped at that balance) over that balance, pooled over the
  three years (Σ cobrado / Σ saldo inicial: a year with a large portfolio weighs more)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least

from expedientes import formato
from expedientes.informes.base import (
    Cifra,
    Columna,
    Detalle,
    Formato,
    Informe,
    Resultado,
    Seccion,
    informe_registrar,
)
from expedientes.saldos import (
    TRAMOS_ANTIGUEDAD, cartera_pendiente, por_expediente_resumir, saldos_al, tramo_de,
)

CERO = Decimal("0.00")
CENTAVO = Decimal("0.01")
ANIOS_HISTORIA = 3
DINERO = DecimalField(max_digits=16, decimal_places=2)
COMPONENTES = ("capital", "intereses", "costas", "total")


def _historia(expedientes, corte: date) -> dict[int, tuple[Decimal, Decimal]]:
    """Per ageing bucket: (Σ balance pending at the start of each of the last three years,
    Σ paid during that year by those expedientes, capped at their starting balance). The paid
    amount is the difference of the stored cumulative payments (pagado_total) at both ends.

    One query: the balances at the four year boundaries (four joins of the stored segments,
    saldos_al with a prefix each) computed once per expediente, then summed per (year, bucket)
    (saldos.por_expediente_resumir)."""
    fechas = [corte - relativedelta(years=anios) for anios in range(ANIOS_HISTORIA, -1, -1)]
    consulta = expedientes
    for k, fecha in enumerate(fechas):
        consulta = saldos_al(consulta, fecha, prefijo=f"h{k}")
    columnas = {"recibido": F("fecha_recepcion")}
    for k in range(ANIOS_HISTORIA):
        columnas |= {f"total_{k}": F(f"h{k}_total"), f"tramo_{k}": tramo_de(fechas[k]),
                     f"cobrado_{k}": Least(F(f"h{k + 1}_pagado") - F(f"h{k}_pagado"), F(f"h{k}_total"),
                                           output_field=DINERO)}
    sumas, parametros = [], []
    for k in range(ANIOS_HISTORIA):
        # pending at the start of year k, as cartera_pendiente defines it
        pendiente = f"recibido <= %s AND total_{k} > 0 AND tramo_{k} = %s"
        for i in range(len(TRAMOS_ANTIGUEDAD)):
            sumas += [f"SUM(total_{k}) FILTER (WHERE {pendiente})", f"SUM(cobrado_{k}) FILTER (WHERE {pendiente})"]
            parametros += [fechas[k], i, fechas[k], i]
    valores = iter(por_expediente_resumir(consulta, columnas, ", ".join(sumas), parametros)[0])
    historia: dict[int, tuple[Decimal, Decimal]] = {}
    for k in range(ANIOS_HISTORIA):
        for i in range(len(TRAMOS_ANTIGUEDAD)):
            saldo_k, cobrado_k = next(valores) or CERO, next(valores) or CERO
            saldo, cobrado = historia.get(i, (CERO, CERO))
            historia[i] = (saldo + saldo_k, cobrado + cobrado_k)
    return {i: v for i, v in historia.items() if any(v)}


@informe_registrar
class Cartera(Informe):
    clave = "cartera"
    numero = 11
    titulo = "Cartera pendiente"
    descripcion = ("Capital, intereses y costas por cobrar a una fecha (exactos, como el estado de cuenta de "
                   "cada expediente), antigüedad y proyección de la recaudación del año siguiente.")
    a_fecha = True

    def calcular(self, parametros, expedientes) -> Resultado:
        from expedientes.models import (
            ConvenioPago,
            Cuota,
            EstadoConvenio,
            Provincia,
            TasaInteres,
            TramoCuenta,
        )

        corte = parametros.corte
        fin = corte + relativedelta(years=1)
        # Plans in force: their current state (a plan's state at a past date is not kept).
        convenio = ConvenioPago.objects.filter(expediente=OuterRef("pk"), estado=EstadoConvenio.VIGENTE,
                                               fecha__lte=corte)
        pendientes = cartera_pendiente(expedientes, corte).annotate(con_convenio=Exists(convenio))

        filas = {f["antiguedad"]: f for f in (
            pendientes.order_by().values("antiguedad").annotate(
                n=Count("pk"), **{c: Sum(f"saldo_{c}") for c in COMPONENTES},
                sin_convenio=Sum("saldo_total", filter=Q(con_convenio=False))))}
        def suma(campo, i=None):
            indices = range(len(TRAMOS_ANTIGUEDAD)) if i is None else [i]
            return sum((filas.get(j, {}).get(campo) or 0 for j in indices), CERO if campo != "n" else 0)

        cuotas = (Cuota.objects.filter(convenio__expediente=OuterRef("pk"), convenio__estado=EstadoConvenio.VIGENTE,
                                       convenio__fecha__lte=corte, vence__gt=corte, vence__lte=fin)
                  .order_by().values("convenio__expediente").annotate(s=Sum("monto")).values("s")[:1])
        por_convenio = (pendientes.filter(con_convenio=True)
                        .annotate(cuotas_anio=Least(Coalesce(Subquery(cuotas, output_field=DINERO),
                                                             Value(CERO, output_field=DINERO)),
                                                    F("saldo_total"), output_field=DINERO))
                        .aggregate(total=Sum("cuotas_anio"))["total"] or CERO)

        historia = _historia(expedientes, corte)
        proyeccion_filas, proyectado = [], por_convenio
        for i, (_, _, etiqueta) in enumerate(TRAMOS_ANTIGUEDAD):
            saldo_inicial, cobrado = historia.get(i, (CERO, CERO))
            tasa = cobrado / saldo_inicial if saldo_inicial else Decimal(0)
            base = suma("sin_convenio", i)
            esperado = (base * tasa).quantize(CENTAVO, rounding=ROUND_HALF_UP)
            proyectado += esperado
            proyeccion_filas.append([etiqueta, base, saldo_inicial, cobrado,
                                     (tasa * 100).quantize(CENTAVO, rounding=ROUND_HALF_UP), esperado])
        proyeccion_filas.append(["Cuotas de convenios vigentes que vencen en el año", None, None, None, None,
                                 por_convenio])

        cifras = [
            Cifra("pendientes", "Expedientes con saldo pendiente", suma("n"), Formato.ENTERO, pendientes,
                  ayuda="Recibidos hasta la fecha de corte y con saldo mayor que cero a esa fecha."),
            Cifra("capital", "Capital pendiente", suma("capital"), Formato.USD, pendientes),
            Cifra("intereses", "Intereses pendientes", suma("intereses"), Formato.USD, pendientes,
                  ayuda="Intereses devengados hasta la fecha de corte menos los ya pagados."),
            Cifra("costas", "Costas pendientes", suma("costas"), Formato.USD, pendientes),
            Cifra("total", "Total por cobrar", suma("total"), Formato.USD, pendientes),
            Cifra("proyeccion", f"Recaudación esperada hasta el {formato.fecha(fin)}", proyectado, Formato.USD,
                  pendientes, ayuda="Cuotas de convenios vigentes más la tasa histórica de recuperación por "
                                    "antigüedad aplicada al resto del saldo."),
        ]
        antiguedad = Seccion(
            "antiguedad", "Antigüedad de la cartera",
            [Columna("tramo", "Antigüedad"), Columna("expedientes", "Expedientes", Formato.ENTERO),
             Columna("capital", "Capital", Formato.USD), Columna("intereses", "Intereses", Formato.USD),
             Columna("costas", "Costas", Formato.USD), Columna("total", "Total", Formato.USD)],
            [[etiqueta, suma("n", i), suma("capital", i), suma("intereses", i), suma("costas", i),
              Cifra(f"antiguedad_{i}", etiqueta, suma("total", i), Formato.USD,
                    pendientes.filter(antiguedad=i))]
             for i, (_, _, etiqueta) in enumerate(TRAMOS_ANTIGUEDAD)],
            nota="La antigüedad se cuenta desde la recepción de la orden de cobro.", grafico="barras")
        metodo = (f"Proyección al {formato.fecha(fin)}: las cuotas de los convenios de pago vigentes que vencen "
                  f"en el año (hasta el saldo de cada expediente) más, para los expedientes sin convenio vigente, "
                  f"su saldo por la tasa histórica de recuperación de su tramo de antigüedad: lo cobrado en cada "
                  f"uno de los {ANIOS_HISTORIA} años anteriores al corte a los expedientes con saldo al inicio de "
                  f"ese año (hasta ese saldo), dividido para la suma de esos saldos iniciales. Un tramo sin "
                  f"historia proyecta cero. El estado del convenio es el actual.")
        proyeccion = Seccion(
            "proyeccion", "Proyección de la recaudación del año siguiente",
            [Columna("tramo", "Antigüedad"), Columna("saldo", "Saldo sin convenio vigente", Formato.USD),
             Columna("saldo_inicial", f"Saldos al inicio de los {ANIOS_HISTORIA} años anteriores", Formato.USD),
             Columna("cobrado", "Cobrado en esos años", Formato.USD),
             Columna("tasa", "Tasa de recuperación anual", Formato.PORCENTAJE),
             Columna("proyeccion", "Recaudación esperada", Formato.USD)],
            proyeccion_filas, nota=metodo)

        notas = [
            (f"Saldos exactos al {formato.fecha(corte)}: capital de los títulos exigibles, intereses simples "
             "devengados día a día a la tasa vigente (redondeados una sola vez al centavo) y costas, menos los "
             "pagos vigentes imputados a intereses, costas y capital: lo mismo que el estado de cuenta de cada "
             "expediente."),
            ("Un expediente puede tener pagos y saldo pendiente a la vez (pagos parciales o convenios): figura "
             "aquí por su saldo y en la recaudación por lo pagado. Los expedientes recibidos después del corte no "
             "se incluyen."),
            metodo,
        ]
        recibidos = expedientes.filter(fecha_recepcion__lte=corte)
        sin_liquidar = (TramoCuenta.objects.filter(expediente__in=recibidos, desde__lte=corte, hasta__isnull=True)
                        .exclude(error="").count())
        if sin_liquidar:
            notas.append(f"{sin_liquidar} expedientes no se pueden liquidar al corte (un pago supera el saldo con "
                         "la tabla de tasas actual) y no suman en la cartera: revise sus pagos y las tasas.")
        primera_tasa = TasaInteres.objects.order_by("vigente_desde").values_list("vigente_desde", flat=True).first()
        if primera_tasa is None:
            notas.append("No hay tasas de interés registradas: la cartera no incluye intereses.")
        else:
            sin_tasa = (TramoCuenta.objects.filter(expediente__in=recibidos, capital__gt=0,
                                                   desde__lt=min(primera_tasa, corte) - relativedelta(days=1))
                        .values("expediente").distinct().count())
            if sin_tasa:
                notas.append(f"{sin_tasa} expedientes tienen capital pendiente en días anteriores a la primera tasa "
                             f"registrada ({formato.fecha(primera_tasa)}): esos días no generan intereses.")

        detalle = Detalle(
            [Columna("numero", "Expediente"), Columna("coactivado", "Coactivado"),
             Columna("provincia", "Provincia", opciones=dict(Provincia.choices)),
             Columna("fecha_recepcion", "Fecha de recepción", Formato.FECHA),
             Columna("capital", "Capital", Formato.USD), Columna("intereses", "Intereses", Formato.USD),
             Columna("costas", "Costas", Formato.USD), Columna("total", "Total", Formato.USD),
             Columna("antiguedad", "Antigüedad", opciones={i: t[2] for i, t in enumerate(TRAMOS_ANTIGUEDAD)})],
            pendientes.order_by("numero").values_list(
                "numero", "coactivado__nombre", "provincia", "fecha_recepcion", "saldo_capital", "saldo_intereses",
                "saldo_costas", "saldo_total", "antiguedad"),
            titulo="Expedientes con saldo pendiente")
        return Resultado(self, parametros, cifras=cifras, secciones=[antiguedad, proyeccion], detalle=detalle,
                         notas=notas)
