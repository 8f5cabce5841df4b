"""2. Providencias emitidas: Las providencias emitidas y notificadas en el periodo."""

from django.db.models import OuterRef, Q, Subquery

from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion, informe_registrar
from expedientes.informes.consultas import (
    actuaciones_de, clave_mes, con, con_documento, en_periodo, meses_del_periodo, nombre_de, por_mes,
)
from expedientes.models import ActuacionPage, ClaveDocumento, TipoActuacion

# The acts that put what the file holds in the debtor's knowledge: a notification, the
# citation, a secretary's razón (of citation or notification). None names the providencia
# it notifies: the records link them by date.
NOTIFICACIONES = (TipoActuacion.NOTIFICACION, TipoActuacion.CITACION, TipoActuacion.RAZON)


def providencias_de(expedientes):
    """Every providencia: the acts recorded as such and the generated providencias de impulso
    (documento_generar makes them an act «Providencia»; one attached to another act counts too)."""
    return actuaciones_de(expedientes).filter(
        Q(tipo=TipoActuacion.PROVIDENCIA) | con_documento(ClaveDocumento.PROVIDENCIA_IMPULSO))


def notificada_el(hasta):
    """The first notification act of the same expediente on or after the providencia's date,
    up to `hasta` (None: not notified by then)."""
    return Subquery(
        ActuacionPage.objects.filter(expediente=OuterRef("expediente"), live=True, tipo__in=NOTIFICACIONES,
                                     fecha__gte=OuterRef("fecha"), fecha__lte=hasta)
        .order_by("fecha").values("fecha")[:1])


@informe_registrar
class Providencias(Informe):
    clave = "providencias"
    numero = 2
    titulo = "Providencias emitidas"
    descripcion = ("Las providencias emitidas en el periodo (actuaciones «Providencia» y providencias de impulso "
                   "generadas) y cuántas de ellas estaban notificadas al fin del periodo: el expediente registra, "
                   "el mismo día o después, una notificación, citación o razón.")
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        periodo = parametros.periodo
        providencias = (providencias_de(expedientes).filter(en_periodo("fecha", periodo))
                        .annotate(notificada_el=notificada_el(periodo.hasta)))
        notificadas = Q(notificada_el__isnull=False)
        meses = por_mes(providencias, "fecha", emitidas=Q(), notificadas=notificadas)
        emitidas_n = sum(m["emitidas"] for m in meses.values())
        notificadas_n = sum(m["notificadas"] for m in meses.values())
        cifras = [
            Cifra("emitidas", "Providencias emitidas", emitidas_n, Formato.ENTERO, con(expedientes, providencias),
                  "Cuenta providencias; la lista muestra los expedientes en que se emitieron."),
            Cifra("notificadas", "Providencias notificadas", notificadas_n, Formato.ENTERO,
                  con(expedientes, providencias.filter(notificadas)),
                  "Emitidas en el periodo y notificadas hasta su fin."),
        ]
        filas = []
        for mes, etiqueta in meses_del_periodo(periodo):
            cuenta = meses.get(mes, {"emitidas": 0, "notificadas": 0})
            del_mes = providencias.filter(fecha__year=mes.year, fecha__month=mes.month)
            filas.append([
                etiqueta,
                Cifra(f"emitidas_{clave_mes(mes)}", f"Emitidas en {etiqueta}", cuenta["emitidas"], Formato.ENTERO,
                      con(expedientes, del_mes)),
                Cifra(f"notificadas_{clave_mes(mes)}", f"Notificadas, emitidas en {etiqueta}", cuenta["notificadas"],
                      Formato.ENTERO, con(expedientes, del_mes.filter(notificadas))),
            ])
        seccion = Seccion("por_mes", "Por mes", [Columna("mes", "Mes"), Columna("emitidas", "Emitidas", Formato.ENTERO),
                                                 Columna("notificadas", "Notificadas", Formato.ENTERO)],
                          filas, grafico="barras")
        columnas = [
            Columna("expediente", "Expediente"), Columna("coactivado", "Coactivado"),
            Columna("fecha", "Fecha", Formato.FECHA), Columna("numero", "Número"), Columna("resumen", "Resumen"),
            Columna("notificada_el", "Notificada el", Formato.FECHA), Columna("abogado", "Abogado"),
        ]
        filas_detalle = providencias.annotate(abogado_nombre=nombre_de("expediente__abogado")).order_by(
            "fecha", "expediente__numero", "path").values_list(
            "expediente__numero", "expediente__coactivado__nombre", "fecha", "numero", "resumen", "notificada_el",
            "abogado_nombre")
        return Resultado(
            self, parametros, cifras=cifras, secciones=[seccion],
            detalle=Detalle(columnas, filas_detalle, "Providencias"),
            notas=["Una providencia cuenta como notificada cuando su expediente registra una notificación, una "
                   "citación o una razón el mismo día o después, hasta el fin del periodo: las actuaciones no "
                   "enlazan cada notificación con la providencia que notifica.",
                   "Las notificadas son parte de las emitidas en el periodo."],
        )
