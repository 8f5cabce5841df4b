"""The listing of expedientes as a spreadsheet. The rows are the caller's queryset, already
filtered by what the user may see (expedientes.views.listado starts from expedientes_visibles);
the file is written, hashed and logged in the custody log as an export by the portal's one
export writer (permisos.exportacion.archivo_exportar), like the custody log's own exports."""

from expedientes.models import Provincia
from expedientes.estados import Estado
from permisos.custodia import Accion, registro_anotar
from permisos.exportacion import Exportacion, archivo_exportar

COLUMNAS = ("Número", "Coactivado", "Cédula/RUC", "Provincia", "Recepción de la orden de cobro", "Estado",
            "Abogado", "Monto de los títulos (USD)", "Próximo plazo", "Vence")
_CAMPOS = ("numero", "coactivado__nombre", "coactivado__identificacion", "provincia", "fecha_recepcion",
           "estado", "abogado__first_name", "abogado__last_name", "monto_titulo", "plazo_concepto", "plazo_vence")
_PROVINCIAS = dict(Provincia.choices)
_ESTADOS = dict(Estado.choices)


def _filas(expedientes):
    """Plain values, no model instances, read in chunks: memory stays flat at any size."""
    for (numero, nombre, identificacion, provincia, recepcion, estado, nombres, apellidos, monto, plazo,
         vence) in expedientes.values_list(*_CAMPOS).iterator(chunk_size=2_000):
        yield (numero, nombre, identificacion, str(_PROVINCIAS.get(provincia, provincia)), recepcion,
               str(_ESTADOS.get(estado, estado)), " ".join(filter(None, (nombres, apellidos))), monto, plazo,
               vence)


def expedientes_exportar(*, expedientes, usuario, filtros: dict, request=None, formato: str = "xlsx") -> Exportacion:
    """Write `expedientes` (in their order) and log the export with the file's SHA-256."""

    def anotar(n, huella):
        registro_anotar(
            accion=Accion.EXPORTACION, usuario=usuario, request=request,
            objeto=f"Listado de expedientes, {formato.upper()}, {n} expedientes", sha256=huella,
            datos={"formato": formato, "filtros": filtros, "registros": n},
        )

    return archivo_exportar(columnas=COLUMNAS, filas=_filas(expedientes), formato=formato, hoja="Expedientes",
                            nombre="expedientes", anotar=anotar)
