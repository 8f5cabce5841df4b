"""4. Actos procesales: Los actos procesales registrados en el periodo, por tipo."""

from django.db.models import Count

from expedientes.informes.base import Cifra, Columna, Detalle, Formato, Informe, Resultado, Seccion, informe_registrar
from expedientes.informes.consultas import actuaciones_de, con, en_periodo, nombre_de
from expedientes.models import TipoActuacion


@informe_registrar
class Actos(Informe):
    clave = "actos"
    numero = 4
    titulo = "Actos procesales"
    descripcion = "Las actuaciones de los expedientes con fecha en el periodo, por tipo."
    a_fecha = False

    def calcular(self, parametros, expedientes) -> Resultado:
        actos = actuaciones_de(expedientes).filter(en_periodo("fecha", parametros.periodo))
        cuentas = dict(actos.order_by().values_list("tipo").annotate(n=Count("pk")))
        ayuda = "Cuenta actuaciones; la lista muestra los expedientes en que se registraron."
        cifras = [Cifra("total", "Actos procesales", sum(cuentas.values()), Formato.ENTERO, con(expedientes, actos),
                        ayuda)]
        filas = [
            [tipo.label, Cifra(f"tipo_{tipo.value}", str(tipo.label), cuentas.get(tipo.value, 0), Formato.ENTERO,
                               con(expedientes, actos.filter(tipo=tipo.value)), ayuda)]
            for tipo in TipoActuacion
        ]
        seccion = Seccion("por_tipo", "Por tipo de actuación", [Columna("tipo", "Tipo"),
                                                                 Columna("actos", "Actos", Formato.ENTERO)],
                          filas, grafico="barras")
        columnas = [
            Columna("expediente", "Expediente"), Columna("coactivado", "Coactivado"),
            Columna("fecha", "Fecha", Formato.FECHA), Columna("tipo", "Tipo", opciones=dict(TipoActuacion.choices)),
            Columna("numero", "Número"), Columna("resumen", "Resumen"), Columna("registrada_por", "Registrada por"),
            Columna("abogado", "Abogado"),
        ]
        filas_detalle = actos.annotate(registrada_por=nombre_de("owner"), abogado_nombre=nombre_de("expediente__abogado")
                                       ).order_by("fecha", "expediente__numero", "path").values_list(
            "expediente__numero", "expediente__coactivado__nombre", "fecha", "tipo", "numero", "resumen",
            "registrada_por", "abogado_nombre")
        return Resultado(self, parametros, cifras=cifras, secciones=[seccion],
                         detalle=Detalle(columnas, filas_detalle, "Actuaciones"),
                         notas=["Cuenta cada actuación publicada del expediente por su fecha (no por el día en que "
                                "se registró en el portal)."])
