"""The rows that point to object versions of the custody store, in one place: the versions of
the expedientes' attachments, their searchable PDFs made by OCR (RendicionOCR) and the
archive's own records (inventories, actas, manifests).
The reconciliation and the fixity audit read both through here; a version destroyed by a
baja documental keeps its row (the record of what existed) but no longer has an object."""


def modelos() -> tuple:
    from archivo.models import DocumentoArchivo
    from expedientes.models import AdjuntoVersion, DocumentoUnidad, RendicionOCR

    return (AdjuntoVersion, DocumentoArchivo, DocumentoUnidad, RendicionOCR)


def identificados(modelo):
    """(clave, version_s3, identifier) of every row: its uuid, or for a rendition (which has
    none) the uuid of the version it was made from."""
    campo = "uuid" if any(f.name == "uuid" for f in modelo._meta.get_fields()) else "version__uuid"
    return modelo.objects.values_list("clave", "version_s3", campo)


def vigentes(modelo):
    """The rows of `modelo` whose object must be in the store."""
    if any(f.name == "destruida_en" for f in modelo._meta.get_fields()):
        return modelo.objects.filter(destruida_en__isnull=True)
    return modelo.objects.all()
