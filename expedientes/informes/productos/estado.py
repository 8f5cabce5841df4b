"""8. Estado de los procedimientos: Cada proceso y su estado a una fecha de corte."""

from django.db.models import Count, Q

from expedientes.estados import Estado as EstadoProceso
from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion, informe_registrar
from expedientes.informes.consultas import ESTADO_AL, estado_desde, nombre_de, recibidos_al
from expedientes.models import Provincia


@informe_registrar
class Estado(Informe):
    clave = "estado"
    numero = 8
    titulo = "Estado de los procedimientos"
    descripcion = ("Cada proceso recibido hasta la fecha de corte y el estado en que estaba ese día, según su "
                   "historial de cambios de estado.")
    a_fecha = True

    def calcular(self, parametros, expedientes) -> Resultado:
        corte = parametros.corte
        registro = recibidos_al(expedientes, corte)
        cuentas = dict(registro.order_by().values_list(ESTADO_AL).annotate(n=Count("pk")))
        total = sum(cuentas.values())
        cifras = [Cifra("total", "Procesos", total, Formato.ENTERO, registro,
                        "Todos los procesos recibidos hasta la fecha de corte.")]
        filas = [
            [estado.label, Cifra(f"estado_{estado.value}", str(estado.label), cuentas.get(estado.value, 0),
                                 Formato.ENTERO, registro.filter(Q(**{ESTADO_AL: estado.value})))]
            for estado in EstadoProceso
        ]
        seccion = Seccion("por_estado", "Por estado", [Columna("estado", "Estado"),
                                                       Columna("procesos", "Procesos", Formato.ENTERO)],
                          filas, grafico="barras")
        columnas = [
            Columna("numero", "Número"), Columna("coactivado", "Coactivado"), Columna("identificacion", "Cédula/RUC"),
            Columna("provincia", "Provincia", opciones=dict(Provincia.choices)),
            Columna("fecha_recepcion", "Recepción de la orden de cobro", Formato.FECHA),
            Columna("estado", "Estado al corte", opciones=dict(EstadoProceso.choices)),
            Columna("desde", "En ese estado desde", Formato.FECHA),
            Columna("abogado", "Abogado"),
        ]
        filas_detalle = registro.annotate(desde=estado_desde(corte), abogado_nombre=nombre_de("abogado")).order_by(
            "numero").values_list("numero", "coactivado__nombre", "coactivado__identificacion", "provincia",
                                  "fecha_recepcion", ESTADO_AL, "desde", "abogado_nombre")
        return Resultado(
            self, parametros, cifras=cifras, secciones=[seccion], detalle=Detalle(columnas, filas_detalle),
            notas=["El estado al corte es el último cambio de estado registrado con fecha hasta ese día; un "
                   "proceso sin cambios hasta entonces figura en el estado del que partió su primer cambio "
                   "posterior (iniciado, salvo procesos importados en otro estado). «En ese estado desde» queda "
                   "vacío cuando no hubo cambios hasta el corte."],
        )
