"""The electronic signatures of a stored version, verified in the background (queue task
expedientes.tasks.version_firmas). Reads the exact stored bytes and verifies them with no
lock held, then locks the version row only to write firma_estado / firma_detalle.
Idempotent: a second run writes the same facts again (with its own verificado_en)."""

import hashlib

from botocore.exceptions import ClientError
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from expedientes.custodia import almacen
from expedientes.firmas import FirmaIlegible, estado_documento, firmas_leer, raices_cargar
from expedientes.models import AdjuntoVersion
from expedientes.models.adjunto import EstadoFirma
from permisos.custodia import Accion, registro_anotar

TIPOS_PDF = frozenset({"application/pdf", "application/x-pdf"})
USUARIO = "firmas"  # the custody log's name for this background work


def _motor() -> str:
    from importlib.metadata import version

    return f"pyHanko {version('pyHanko')}, pyhanko-certvalidator {version('pyhanko-certvalidator')}"


def _raices():
    return raices_cargar((getattr(settings, "FIRMAS", None) or {}).get("RAICES") or ())


def _contenido(version: AdjuntoVersion) -> bytes | None:
    """The stored bytes of exactly that version; None when the store no longer has them.
    Any other store failure raises: the queue retries it later."""
    try:
        return almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3)).read()
    except ClientError as exc:
        if almacen.inexistente(exc):
            return None
        raise


def _verificar(version: AdjuntoVersion) -> tuple[str, dict]:
    if version.tipo_mime not in TIPOS_PDF:
        return EstadoFirma.NO_APLICA, {}
    if version.destruida_en:
        return EstadoFirma.ERROR, {"error": "El archivo fue destruido por una baja documental."}
    contenido = _contenido(version)
    if contenido is None:
        return EstadoFirma.ERROR, {"error": "El archivo no está en el almacén."}
    # what is verified must be what custody recorded: never a different object under the key
    if hashlib.sha256(contenido).hexdigest() != version.sha256:
        return EstadoFirma.ERROR, {"error": "El contenido almacenado no coincide con su huella SHA-256."}
    raices = _raices()
    try:
        firmas = firmas_leer(contenido, raices=raices)
    except FirmaIlegible as exc:
        return EstadoFirma.ERROR, {"error": str(exc)}
    return estado_documento(firmas), {"firmas": [f.como_dict() for f in firmas],
                                      "autoridades": len(raices)}


def version_firmas_verificar(*, version_id: int) -> None:
    """Verify the PDF signatures of one version and record the result on it."""
    version = AdjuntoVersion.objects.filter(pk=version_id).first()
    if version is None:
        return  # nothing to verify (a rolled-back upload never reaches the queue; be safe anyway)
    estado, detalle = _verificar(version)  # slow part (S3, crypto): no lock held
    detalle = {**detalle, "verificado_en": timezone.now().isoformat(), "motor": _motor()}
    with transaction.atomic():
        version = (AdjuntoVersion.objects.select_for_update(of=("self",))
                   .select_related("adjunto__actuacion").get(pk=version_id))
        version.firma_estado = estado
        version.firma_detalle = detalle
        version.save(update_fields=["firma_estado", "firma_detalle"])
        # what the reader shows as the signature's status, provable: who signed, and whether the
        # stored bytes (this SHA-256) still are what was signed
        registro_anotar(
            accion=Accion.FIRMA, usuario_nombre=USUARIO, expediente=version.adjunto.actuacion.get_parent(),
            objeto=(f"Firma de «{version.adjunto.titulo}» v{version.numero} ({version.nombre_original}): "
                    f"{EstadoFirma(estado).label}"),
            sha256=version.sha256,
            datos={"version_uuid": str(version.uuid), "estado": estado,
                   "firmantes": [{"firmante": f.get("firmante", ""), "cedula": f.get("cedula", ""),
                                  "firmado_en": f.get("firmado_en", ""), "estado": f.get("estado", "")}
                                 for f in detalle.get("firmas", [])],
                   "error": detalle.get("error", ""), "motor": detalle["motor"]})
