"""1. Matriz de procesos coactivos: El registro mensual: cada proceso con su número, coactivado, cédula/RUC, provincia, fechas, montos, estado, última actuación y abogado."""

from django.conf import settings
from django.db.models import Count, Q

from expedientes.estados import FINALES, Estado
from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion, informe_registrar
from expedientes.informes.consultas import ESTADO_AL, en_periodo, nombre_de, recibidos_al, ultima_actuacion_al
from expedientes.models import Provincia, TipoActuacion

PROVINCIAS = dict(Provincia.choices)


@informe_registrar
class Matriz(Informe):
    clave = "matriz"
    numero = 1
    titulo = "Matriz de procesos coactivos"
    descripcion = ("El registro mensual: cada proceso recibido hasta el fin del periodo con su número, coactivado, "
                   "cédula/RUC, provincia, fecha de recepción, monto del título, estado y última actuación a esa "
                   "fecha, y abogado; los iniciados en el periodo, por provincia.")
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        periodo = parametros.periodo
        registro = recibidos_al(expedientes, periodo.hasta)
        en_tramite = ~Q(**{f"{ESTADO_AL}__in": FINALES})
        iniciados = en_periodo("fecha_recepcion", periodo)
        # one GROUP BY for the three figures of every province (the state subquery once a row)
        por_provincia = {
            fila["provincia"]: fila for fila in registro.order_by().values("provincia").annotate(
                iniciados=Count("pk", filter=iniciados), registro=Count("pk"),
                en_tramite=Count("pk", filter=en_tramite))
        }
        total = {c: sum(f[c] for f in por_provincia.values()) for c in ("iniciados", "registro", "en_tramite")}

        def cifra(clave, etiqueta, valor, filtro, ayuda=""):
            return Cifra(clave, etiqueta, valor, Formato.ENTERO, registro.filter(filtro), ayuda)

        cifras = [
            cifra("iniciados", "Procesos iniciados en el periodo", total["iniciados"], iniciados,
                  "Órdenes de cobro recibidas en el periodo."),
            cifra("registro", "Procesos en el registro", total["registro"], Q(),
                  "Todos los procesos recibidos hasta el fin del periodo."),
            cifra("en_tramite", "Procesos en trámite", total["en_tramite"], en_tramite,
                  "Procesos del registro que al fin del periodo no estaban pagados, archivados ni dados de baja."),
        ]
        if parametros.provincia:
            provincias = [parametros.provincia]
        else:  # the unit's provinces always (a zero is a figure), plus any other with processes
            provincias = sorted(set(settings.PROVINCIAS_JURISDICCION) | set(por_provincia))
        filas = []
        for codigo in provincias:
            fila = por_provincia.get(codigo, {"iniciados": 0, "registro": 0, "en_tramite": 0})
            provincia = Q(provincia=codigo)
            nombre = PROVINCIAS.get(codigo, codigo)
            filas.append([
                nombre,
                cifra(f"iniciados_{codigo}", f"Iniciados en {nombre}", fila["iniciados"], provincia & iniciados),
                cifra(f"registro_{codigo}", f"Registro de {nombre}", fila["registro"], provincia),
                cifra(f"en_tramite_{codigo}", f"En trámite en {nombre}", fila["en_tramite"], provincia & en_tramite),
            ])
        seccion = Seccion("por_provincia", "Por provincia", [
            Columna("provincia", "Provincia"), Columna("iniciados", "Iniciados en el periodo", Formato.ENTERO),
            Columna("registro", "Registro", Formato.ENTERO), Columna("en_tramite", "En trámite", Formato.ENTERO),
        ], filas, grafico="barras")

        columnas = [
            Columna("numero", "Número"), Columna("coactivado", "Coactivado"), Columna("identificacion", "Cédula/RUC"),
            Columna("provincia", "Provincia", opciones=PROVINCIAS),
            Columna("fecha_recepcion", "Recepción de la orden de cobro", Formato.FECHA),
            Columna("monto_titulo", "Monto del título", Formato.USD),
            Columna("estado", "Estado", opciones=dict(Estado.choices)),
            Columna("ultima_tipo", "Última actuación", opciones=dict(TipoActuacion.choices)),
            Columna("ultima_fecha", "Fecha de la última actuación", Formato.FECHA),
            Columna("abogado", "Abogado"),
        ]
        filas_detalle = registro.annotate(
            ultima_tipo=ultima_actuacion_al(periodo.hasta, "tipo"),
            ultima_fecha=ultima_actuacion_al(periodo.hasta, "fecha"),
            abogado_nombre=nombre_de("abogado"),
        ).order_by("numero").values_list(
            "numero", "coactivado__nombre", "coactivado__identificacion", "provincia", "fecha_recepcion",
            "monto_titulo", ESTADO_AL, "ultima_tipo", "ultima_fecha", "abogado_nombre")
        return Resultado(
            self, parametros, cifras=cifras, secciones=[seccion],
            detalle=Detalle(columnas, filas_detalle, "Registro de procesos"),
            notas=[
                "El estado y la última actuación son los que el proceso tenía al fin del periodo, según su "
                "historial de cambios de estado y sus actuaciones.",
                "Los iniciados en el periodo forman parte del registro; en trámite son los del registro que no "
                "estaban en un estado final (pagado, archivado, baja).",
            ],
        )
