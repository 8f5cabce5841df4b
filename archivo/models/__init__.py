"""The archive of the Juzgado (DOMAIN.md «Archives»; Regla Técnica Nacional, 2019): the
classification and its retention schedule (TPCD), the closing of an expediente, the paper
originals' boxes and loans, the clean-up of contested cases, transfers to the Archivo
Central, legal holds, disposal and the fixity audits of the store.

Every row here is written only by the services in archivo/services/, each under a row lock
with who/when/why, and each act is also an entry of the custody log (permisos.custodia)."""

from .bajas import BajaDocumental, BajaItem, EstadoBaja
from .bloqueos import BloqueoLegal, MotivoBloqueo
from .cierre import Cierre, Soporte
from .clasificacion import DisposicionFinal, Fondo, Seccion, Serie
from .documentos import DocumentoArchivo, TipoDocumentoArchivo
from .fijeza import AuditoriaFijeza, EstadoAuditoria, HallazgoFijeza, TipoHallazgo
from .fisico import Caja, Estante, Prestamo, UbicacionFisica
from .impugnados import EstadoCausa, ProcesoImpugnado, ResultadoDepuracion
from .transferencias import (
    EstadoTransferencia,
    ResultadoCotejo,
    Transferencia,
    TransferenciaItem,
)

__all__ = [
    "AuditoriaFijeza", "BajaDocumental", "BajaItem", "BloqueoLegal", "Caja", "Cierre",
    "DisposicionFinal", "DocumentoArchivo", "EstadoAuditoria", "EstadoBaja", "EstadoCausa",
    "EstadoTransferencia", "Estante", "Fondo", "HallazgoFijeza", "MotivoBloqueo", "Prestamo",
    "ProcesoImpugnado", "ResultadoCotejo", "ResultadoDepuracion", "Seccion", "Serie", "Soporte",
    "TipoDocumentoArchivo", "TipoHallazgo", "Transferencia", "TransferenciaItem", "UbicacionFisica",
]
