"""3. Autos emitidos: Autos de pago, autos de embargo y otros autos dictados en el periodo."""

from django.db.models import Case, CharField, Q, Value, When

from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion, informe_registrar
from expedientes.informes.consultas import (
    actuaciones_de, clave_mes, con, con_documento, en_periodo, meses_del_periodo, nombre_de, por_mes,
)
from expedientes.models import ClaveDocumento, TipoActuacion

PAGO, EMBARGO, OTRO = "pago", "embargo", "otro"
CLASES = {PAGO: "Auto de pago", EMBARGO: "Auto de embargo", OTRO: "Otro auto"}
PLURALES = {PAGO: "Autos de pago", EMBARGO: "Autos de embargo", OTRO: "Otros autos"}
# Other acts the funcionario ejecutor decides by auto: ordering precautionary measures, granting
# payment facilities, the auction (its call and its award).
OTROS = (TipoActuacion.MEDIDA_CAUTELAR, TipoActuacion.CONVENIO_DE_PAGO, TipoActuacion.REMATE)


def autos_de(expedientes):
    """Every auto, annotated with its `clase`: the act's type, or the generated document it
    carries (an auto de pago generated on an act of another type is still an auto de pago)."""
    clase = Case(
        When(Q(tipo=TipoActuacion.AUTO_DE_PAGO) | con_documento(ClaveDocumento.AUTO_PAGO), then=Value(PAGO)),
        When(Q(tipo=TipoActuacion.EMBARGO) | con_documento(ClaveDocumento.AUTO_EMBARGO), then=Value(EMBARGO)),
        When(tipo__in=OTROS, then=Value(OTRO)),
        default=Value(None), output_field=CharField(),
    )
    return actuaciones_de(expedientes).annotate(clase=clase).filter(clase__isnull=False)


@informe_registrar
class Autos(Informe):
    clave = "autos"
    numero = 3
    titulo = "Autos emitidos"
    descripcion = ("Autos de pago (actuaciones «Auto de pago» o con el auto de pago generado), autos de embargo "
                   "(actuaciones «Embargo» o con el auto de embargo generado) y otros autos (medidas cautelares, "
                   "convenios de pago, remates) dictados en el periodo.")
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        periodo = parametros.periodo
        autos = autos_de(expedientes).filter(en_periodo("fecha", periodo))
        meses = por_mes(autos, "fecha", **{c: Q(clase=c) for c in CLASES})
        totales = {c: sum(m[c] for m in meses.values()) for c in CLASES}

        def cifra(clave, etiqueta, valor, filas):
            return Cifra(clave, etiqueta, valor, Formato.ENTERO, con(expedientes, filas),
                         "Cuenta autos; la lista muestra los expedientes en que se dictaron.")

        cifras = [
            cifra("autos_pago", "Autos de pago", totales[PAGO], autos.filter(clase=PAGO)),
            cifra("autos_embargo", "Autos de embargo", totales[EMBARGO], autos.filter(clase=EMBARGO)),
            cifra("otros_autos", "Otros autos", totales[OTRO], autos.filter(clase=OTRO)),
            cifra("total", "Autos emitidos", sum(totales.values()), autos),
        ]
        filas = []
        for mes, etiqueta in meses_del_periodo(periodo):
            cuenta = meses.get(mes, dict.fromkeys(CLASES, 0))
            del_mes = autos.filter(fecha__year=mes.year, fecha__month=mes.month)
            filas.append([etiqueta] + [
                cifra(f"autos_{c}_{clave_mes(mes)}", f"{CLASES[c]}, {etiqueta}", cuenta[c], del_mes.filter(clase=c))
                for c in CLASES])
        seccion = Seccion("por_mes", "Por mes", [Columna("mes", "Mes")] + [
Columna(c, PLURALES[c], Formato.ENTERO) for c in CLASES], filas, grafico="barras")
        columnas = [
            Columna("expediente", "Expediente"), Columna("coactivado", "Coactivado"),
            Columna("fecha", "Fecha", Formato.FECHA), Columna("clase", "Auto", opciones=CLASES),
            Columna("tipo", "Actuación", opciones=dict(TipoActuacion.choices)), Columna("numero", "Número"),
            Columna("resumen", "Resumen"), Columna("abogado", "Abogado"),
        ]
        filas_detalle = autos.annotate(abogado_nombre=nombre_de("expediente__abogado")).order_by(
            "fecha", "expediente__numero", "path").values_list(
            "expediente__numero", "expediente__coactivado__nombre", "fecha", "clase", "tipo", "numero", "resumen",
            "abogado_nombre")
        return Resultado(
            self, parametros, cifras=cifras, secciones=[seccion], detalle=Detalle(columnas, filas_detalle, "Autos"),
            notas=["Cada auto es una actuación y cuenta una vez, en una sola clase: un auto de pago generado "
                   "sobre otra actuación cuenta como auto de pago."],
        )
