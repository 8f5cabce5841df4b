"""The custody store: a private, versioned S3 bucket. django-storages holds the
configuration and the boto3 connection (settings.STORAGES["custodia"]); the version-aware
calls (VersionId on get/delete, bucket versioning) are not in its API, so they go to the
boto3 client it built."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import quote

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone


@dataclass(frozen=True)
class ObjetoAlmacenado:
    clave: str
    version_s3: str


def _storage():
    return storages["custodia"]


def cliente():
    return _storage().connection.meta.client


def bucket() -> str:
    return _storage().bucket_name


def clave_nueva() -> str:
    """Random and meaningless: the user's file name never reaches the key."""
    valor = uuid.uuid4().hex
    return f"custodia/{valor[:2]}/{valor}"


def guardar(ruta: str, *, tamano: int, sha256: str, tipo_mime: str, nombre: str,
            clave: str | None = None, metadatos: dict | None = None) -> ObjetoAlmacenado:
    """Put the file at `ruta` under `clave` (a new random key if None). From a path (not a
    file object) the transfer reads each part from disk as it sends it: memory stays flat
    (a file object would be buffered part by part, up to 10 parts ahead)."""
    conf = settings.CUSTODIA
    clave = clave or clave_nueva()
    cliente().upload_file(
        ruta,
        bucket(),
        clave,
        ExtraArgs={
            "ContentType": tipo_mime,
            "Metadata": {"sha256": sha256, "nombre-original": quote(nombre), **(metadatos or {})},
        },
        # Part size × concurrency bounds the memory of an upload, whatever the file's size.
        Config=TransferConfig(
            multipart_threshold=conf["S3_CHUNK"],
            multipart_chunksize=conf["S3_CHUNK"],
            max_concurrency=conf["S3_CONCURRENCIA"],
        ),
    )
    cabecera = cliente().head_object(Bucket=bucket(), Key=clave)
    objeto = ObjetoAlmacenado(clave=clave, version_s3=cabecera.get("VersionId") or "")
    if cabecera["ContentLength"] != tamano or not objeto.version_s3:
        eliminar(objeto)
        raise OSError(
            f"El almacén devolvió {cabecera['ContentLength']} bytes y versión "
            f"{objeto.version_s3!r} para {clave}"
        )
    return objeto


def abrir(objeto: ObjetoAlmacenado):
    """The stored bytes of exactly that version, as a botocore StreamingBody."""
    respuesta = cliente().get_object(Bucket=bucket(), Key=objeto.clave, VersionId=objeto.version_s3)
    return respuesta["Body"]


def eliminar(objeto: ObjetoAlmacenado) -> None:
    """Remove one version for good (used only to undo a write the database never recorded)."""
    cliente().delete_object(Bucket=bucket(), Key=objeto.clave, VersionId=objeto.version_s3)


# What S3 answers for a version (or key) that is not there.
INEXISTENTE = frozenset({"404", "NoSuchKey", "NoSuchVersion"})


def inexistente(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in INEXISTENTE


def metadatos(objeto: ObjetoAlmacenado) -> dict | None:
    """The user metadata of that version, or None if it is gone."""
    try:
        cabecera = cliente().head_object(Bucket=bucket(), Key=objeto.clave, VersionId=objeto.version_s3)
    except ClientError as exc:
        if inexistente(exc):
            return None
        raise
    return cabecera.get("Metadata", {})


def existe(objeto: ObjetoAlmacenado) -> bool:
    try:
        cliente().head_object(Bucket=bucket(), Key=objeto.clave, VersionId=objeto.version_s3)
    except ClientError as exc:
        if inexistente(exc):
            return False
        raise
    return True


def versiones(prefijo: str = "custodia/"):
    """Every object version under the prefix (for reconciliation)."""
    paginador = cliente().get_paginator("list_object_versions")
    for pagina in paginador.paginate(Bucket=bucket(), Prefix=prefijo):
        yield from pagina.get("Versions", [])


def bucket_preparar(*, object_lock: bool = True) -> bool:
    """Create the bucket if missing, with versioning on. Object Lock can only be enabled
    when a bucket is created, so it is enabled now for the archive's later use (no default
    retention: nothing is locked until the archive locks it). Returns True if created."""
    s3 = cliente()
    try:
        s3.head_bucket(Bucket=bucket())
        creado = False
    except ClientError:
        argumentos = {"Bucket": bucket()}
        if object_lock:
            argumentos["ObjectLockEnabledForBucket"] = True
        s3.create_bucket(**argumentos)
        creado = True
    s3.put_bucket_versioning(Bucket=bucket(), VersioningConfiguration={"Status": "Enabled"})
    return creado


def bucket_estado() -> str:
    """'Enabled' when the bucket exists with versioning on; raises if unreachable."""
    return cliente().get_bucket_versioning(Bucket=bucket()).get("Status", "")


def retencion_legal_fijar(objeto: ObjetoAlmacenado, activa: bool) -> None:
    """S3 legal hold ON/OFF on exactly that version (archivo.services.bloqueos): while ON,
    no one can delete it, whatever its retention says."""
    cliente().put_object_legal_hold(Bucket=bucket(), Key=objeto.clave, VersionId=objeto.version_s3,
                                    LegalHold={"Status": "ON" if activa else "OFF"})


def retencion_fijar(objeto: ObjetoAlmacenado, hasta: date) -> None:
    """Object Lock retention in COMPLIANCE mode on exactly that version until the day `hasta`
    begins (local time: the day disposal becomes possible): nobody, not even the bucket's
    owner, deletes it or shortens the date before then. Setting it again with the same or a
    later date is harmless (a retry); a version already retained longer keeps its date."""
    hasta_en = datetime.combine(hasta, time.min, tzinfo=timezone.get_current_timezone())
    argumentos = {"Bucket": bucket(), "Key": objeto.clave, "VersionId": objeto.version_s3}
    try:
        cliente().put_object_retention(**argumentos, Retention={"Mode": "COMPLIANCE",
                                                                "RetainUntilDate": hasta_en})
    except ClientError:
        actual = cliente().get_object_retention(**argumentos).get("Retention", {})
        if actual.get("Mode") != "COMPLIANCE" or actual["RetainUntilDate"] < hasta_en:
            raise

