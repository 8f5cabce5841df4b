"""The custody pipeline: the one way a file enters the system (admin upload, imports,
generated documents). See pipeline.custodiar."""

from .errores import ArchivoRechazado
from .pipeline import ArchivoCustodiado, custodiar

__all__ = ["ArchivoCustodiado", "ArchivoRechazado", "custodiar"]
