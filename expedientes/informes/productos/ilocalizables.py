"""10. Coactivados ilocalizables: Búsquedas en registros públicos, publicaciones por la prensa y su costo."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from expedientes.estados import Estado
from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion, informe_registrar
from expedientes.informes.consultas import (
    ESTADO_AL, con, en_periodo, estado_desde, nombre_de, por_expediente, recibidos_al,
)
from expedientes.models import Busqueda, ObjetoBusqueda, Provincia, PublicacionPrensa, RegistroPublico, Transicion

CERO = Decimal("0.00")


@informe_registrar
class Ilocalizables(Informe):
    clave = "ilocalizables"
    numero = 10
    titulo = "Coactivados ilocalizables"
    descripcion = ("Procesos declarados ilocalizables en el periodo, búsquedas en registros públicos y publicaciones "
                   "por la prensa del periodo con su costo (la costa cargada al coactivado), y los ilocalizables al "
                   "fin del periodo.")
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        periodo = parametros.periodo
        declaraciones = Transicion.objects.filter(expediente__in=expedientes, hasta=Estado.ILOCALIZABLE).filter(
            en_periodo("fecha", periodo))
        busquedas = Busqueda.objects.filter(expediente__in=expedientes).filter(en_periodo("fecha", periodo))
        publicaciones = PublicacionPrensa.objects.filter(expediente__in=expedientes).filter(
            en_periodo("fecha", periodo))
        registro = recibidos_al(expedientes, periodo.hasta)
        vigentes = registro.filter(**{ESTADO_AL: Estado.ILOCALIZABLE})
        declarados = con(expedientes, declaraciones)
        prensa = publicaciones.aggregate(n=Count("pk"), costo=Sum("costa__monto"))
        por_registro = {fila.pop("registro"): fila for fila in busquedas.order_by().values("registro").annotate(
            n=Count("pk"), domicilio=Count("pk", filter=Q(objeto=ObjetoBusqueda.DOMICILIO)),
            bienes=Count("pk", filter=Q(objeto=ObjetoBusqueda.BIENES)), encontrado=Count("pk", filter=Q(encontrado=True)))}
        ayuda_filas = "la lista muestra los expedientes en que se hicieron."
        cifras = [
            Cifra("declarados", "Declarados ilocalizables", declarados.count(), Formato.ENTERO, declarados,
                  "Procesos que pasaron a ilocalizable en el periodo."),
            Cifra("busquedas", "Búsquedas en registros públicos", sum(f["n"] for f in por_registro.values()),
                  Formato.ENTERO, con(expedientes, busquedas), f"Cuenta búsquedas (de domicilio y de bienes); {ayuda_filas}"),
            Cifra("publicaciones", "Publicaciones por la prensa", prensa["n"], Formato.ENTERO,
                  con(expedientes, publicaciones), f"Cuenta publicaciones; {ayuda_filas}"),
            Cifra("costo_publicaciones", "Costo de las publicaciones", prensa["costo"] or CERO, Formato.USD,
                  con(expedientes, publicaciones), "Suma de las costas de las publicaciones del periodo."),
            Cifra("vigentes", "Ilocalizables al fin del periodo", vigentes.count(), Formato.ENTERO, vigentes),
        ]
        filas_registro = []
        for registro_publico in RegistroPublico:
            fila = por_registro.get(registro_publico.value)
            if fila is None:
                continue
            filas_registro.append([
                registro_publico.label,
                Cifra(f"busquedas_{registro_publico.value}", f"Búsquedas en {registro_publico.label}", fila["n"],
                      Formato.ENTERO, con(expedientes, busquedas.filter(registro=registro_publico.value))),
                fila["domicilio"], fila["bienes"], fila["encontrado"],
            ])
        secciones = [
            Seccion("por_registro", "Búsquedas por registro público", [
                Columna("registro", "Registro"), Columna("busquedas", "Búsquedas", Formato.ENTERO),
                Columna("domicilio", "De domicilio", Formato.ENTERO), Columna("bienes", "De bienes", Formato.ENTERO),
                Columna("encontrado", "Con resultado", Formato.ENTERO)], filas_registro),
            Seccion("por_periodico", "Publicaciones por periódico", [
                Columna("periodico", "Periódico"), Columna("publicaciones", "Publicaciones", Formato.ENTERO),
                Columna("costo", "Costo", Formato.USD)],
                [list(f) for f in publicaciones.order_by().values("periodico").annotate(
                    n=Count("pk"), costo=Sum("costa__monto")).order_by("periodico").values_list("periodico", "n", "costo")]),
        ]
        columnas = [
            Columna("numero", "Número"), Columna("coactivado", "Coactivado"), Columna("identificacion", "Cédula/RUC"),
            Columna("provincia", "Provincia", opciones=dict(Provincia.choices)),
            Columna("declarado", "Declarado ilocalizable el", Formato.FECHA),
            Columna("estado", "Estado al fin del periodo", opciones=dict(Estado.choices)),
            Columna("busquedas", "Búsquedas en el periodo", Formato.ENTERO),
            Columna("publicaciones", "Publicaciones en el periodo", Formato.ENTERO),
            Columna("costo", "Costo de las publicaciones", Formato.USD),
            Columna("abogado", "Abogado"),
        ]
        filas_detalle = registro.filter(
            Q(pk__in=declaraciones.values("expediente")) | Q(pk__in=busquedas.values("expediente"))
            | Q(pk__in=publicaciones.values("expediente")) | Q(**{ESTADO_AL: Estado.ILOCALIZABLE})
        ).annotate(
            declarado=estado_desde(periodo.hasta, Estado.ILOCALIZABLE),
            n_busquedas=por_expediente(busquedas, Count("pk")),
            n_publicaciones=por_expediente(publicaciones, Count("pk")),
            costo=por_expediente(publicaciones, Sum("costa__monto")),
            abogado_nombre=nombre_de("abogado"),
        ).order_by("numero").values_list(
            "numero", "coactivado__nombre", "coactivado__identificacion", "provincia", "declarado", ESTADO_AL,
            "n_busquedas", "n_publicaciones", "costo", "abogado_nombre")
        return Resultado(
            self, parametros, cifras=cifras, secciones=secciones, detalle=Detalle(columnas, filas_detalle, "Procesos"),
            notas=["Las búsquedas incluyen las de domicilio (que deciden el ilocalizable) y las de bienes (que "
                   "preceden a la insolvencia).",
                   "Un proceso declarado ilocalizable en el periodo puede haber sido citado por la prensa antes de "
                   "su fin: cuenta en «declarados» y no en «ilocalizables al fin del periodo»."],
        )
