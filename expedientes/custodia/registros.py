"""The rows that point to object versions of the custody store, in one place: the versions of
the expedientes' attachments and the archive's own records (inventories, actas, manifests).
The reconciliation and the fixity audit read both through here; a version destroyed by a
baja documental keeps its row (the record of what existed) but no longer has an object."""


def modelos() -> tuple:
    from archivo.models import DocumentoArchivo
    from expedientes.models import AdjuntoVersion, DocumentoUnidad

    return (AdjuntoVersion, DocumentoArchivo, DocumentoUnidad)


def vigentes(modelo):
    """The rows of `modelo` whose object must be in the store."""
    if any(f.name == "destruida_en" for f in modelo._meta.get_fields()):
        return modelo.objects.filter(destruida_en__isnull=True)
    return modelo.objects.all()
