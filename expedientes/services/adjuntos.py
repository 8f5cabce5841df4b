"""Attachments: every upload is a new version, through the custody pipeline."""

from django.db.models import Max

from expedientes.custodia import ArchivoCustodiado, custodiar
from expedientes.models import ActuacionPage, Adjunto, AdjuntoVersion
from permisos import auditoria


def _version_registrar(*, adjunto: Adjunto, custodiado: ArchivoCustodiado, usuario, **origen) -> AdjuntoVersion:
    from archivo.services.bloqueos import version_nueva_retener
    from expedientes.tasks import version_tareas_encolar

    from .proceso import expediente_bloquear

    # A closed expediente takes no new version (the lock orders this against its cierre).
    expediente = expediente_bloquear(adjunto.actuacion.get_parent())
    # Lock the attachment: concurrent uploads to it get consecutive numbers.
    Adjunto.objects.select_for_update().only("pk").get(pk=adjunto.pk)
    ultimo = adjunto.versiones.aggregate(m=Max("numero"))["m"] or 0
    version = AdjuntoVersion(adjunto=adjunto, numero=ultimo + 1, subido_por=usuario,
                             **custodiado.campos(), **origen)
    version.full_clean()
    version.save()
    # on a held expediente the new version is held too (after the commit, never under the lock)
    version_nueva_retener(expediente=expediente, version=version)
    auditoria.custodia_registrar(accion=auditoria.VERSION_REGISTRADA, version=version, usuario=usuario)
    # its text and signatures are read in the background; the jobs are rows of this transaction
    version_tareas_encolar(version)
    return version


def adjunto_registrar(*, actuacion: ActuacionPage, titulo: str, custodiado: ArchivoCustodiado, usuario,
                      **origen) -> AdjuntoVersion:
    """The rows of a file already in custody: a new attachment with its first version, or the
    next version of the attachment of that title (inside the custody transaction)."""
    titulo = " ".join((titulo or "").split()) or custodiado.nombre
    adjunto = actuacion.adjuntos.filter(titulo=titulo).first()
    if adjunto is None:
        adjunto = Adjunto(actuacion=actuacion, titulo=titulo, creado_por=usuario)
        adjunto.full_clean()
        adjunto.save()
    return _version_registrar(adjunto=adjunto, custodiado=custodiado, usuario=usuario, **origen)


def adjunto_crear(*, actuacion: ActuacionPage, titulo: str, flujo, nombre: str, usuario,
                  **origen) -> AdjuntoVersion:
    """A new attachment on an actuación, with its first version. `origen`: firmante and
    generado_con, for documents the system generates."""
    titulo = " ".join((titulo or "").split()) or None

    def registrar(custodiado: ArchivoCustodiado) -> AdjuntoVersion:
        adjunto = Adjunto(actuacion=actuacion, titulo=titulo or custodiado.nombre, creado_por=usuario)
        adjunto.full_clean()
        adjunto.save()
        return _version_registrar(adjunto=adjunto, custodiado=custodiado, usuario=usuario, **origen)

    return custodiar(flujo=flujo, nombre=nombre, registrar=registrar)


def adjunto_version_crear(*, adjunto: Adjunto, flujo, nombre: str, usuario, **origen) -> AdjuntoVersion:
    """The next version of an existing attachment; the previous ones stay as they are."""
    return custodiar(
        flujo=flujo,
        nombre=nombre,
        registrar=lambda custodiado: _version_registrar(
            adjunto=adjunto, custodiado=custodiado, usuario=usuario, **origen
        ),
    )
