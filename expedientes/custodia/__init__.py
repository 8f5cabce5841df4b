"""The custody pipeline: the one way a file enters the system (admin upload, imports,
generated documents). See pipeline.custodiar."""

from .errores import ArchivoRechazado
from .pipeline import ArchivoCustodiado, custodiar, custodiar_varios

__all__ = ["ArchivoCustodiado", "ArchivoRechazado", "custodiar", "custodiar_varios"]
