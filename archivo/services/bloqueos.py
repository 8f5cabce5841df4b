"""Legal holds (archivo.models.bloqueos): placing and lifting, authorised and logged, and the
S3 legal hold that mirrors them on every object version of the expediente's files.

The database says whether an expediente is held (the baja re-checks it); the store's legal
hold makes the same true for whoever reaches S3 directly. No S3 call runs while a row is
locked, so the two are ordered to fail on the protected side:
- placing: hold ON in the store first (a failure there records nothing), then the row under
  the expediente's lock, then ON again on every version after the commit: that also covers
  a version registered meanwhile and a lifting that was turning the holds OFF at that moment;
- lifting: the row first, then OFF only if no other hold is active, and ON again if one
  appeared while turning OFF (retencion_legal_sincronizar);
- a version registered on a held expediente gets its hold once its row is committed
  (version_nueva_retener, from expedientes.services.adjuntos).
An interruption can leave a version held that no row holds (more protected, never less):
retencion_legal_sincronizar puts the store back in line with the rows."""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from archivo.fases import FaseArchivo
from archivo.models import BloqueoLegal, MotivoBloqueo
from archivo.selectors import versiones_de
from expedientes.custodia import almacen
from expedientes.formato import fecha
from permisos import policies
from permisos.custodia import Accion, registro_anotar

logger = logging.getLogger(__name__)
ERRORES_ALMACEN = (BotoCoreError, ClientError)


def _objetos(expediente) -> list[almacen.ObjetoAlmacenado]:
    return [almacen.ObjetoAlmacenado(clave, version) for clave, version in
            versiones_de(expediente).filter(destruida_en__isnull=True).values_list("clave", "version_s3")]


def _fijar(objetos, activa: bool) -> None:
    for objeto in objetos:
        almacen.retencion_legal_fijar(objeto, activa)


def bloqueo_activo(expediente) -> bool:
    return BloqueoLegal.objects.filter(expediente=expediente, levantado_en__isnull=True).exists()


def retencion_legal_sincronizar(expediente) -> None:
    """Set the store's legal hold of every version of the expediente to what its rows say
    (no row locked). Turning OFF is re-checked afterwards: a hold placed meanwhile wins."""
    activa = bloqueo_activo(expediente)
    _fijar(_objetos(expediente), activa)
    if not activa and bloqueo_activo(expediente):
        _fijar(_objetos(expediente), True)


def _sincronizar_tras_commit(expediente) -> None:
    """After the act is committed: a store failure no longer undoes it, it is logged (the
    rows stand; the baja re-checks them)."""
    try:
        retencion_legal_sincronizar(expediente)
    except ERRORES_ALMACEN:
        logger.exception("No se pudo ajustar la retención legal del expediente %s en el almacén",
                         expediente.numero)


def bloqueo_puede_poner(usuario, expediente) -> bool:
    return usuario.has_perm("archivo.poner_bloqueo") and policies.expediente_puede_ver(usuario, expediente)


def bloqueo_puede_levantar(usuario, expediente) -> bool:
    return usuario.has_perm("archivo.levantar_bloqueo") and policies.expediente_puede_ver(usuario, expediente)


def bloqueo_poner(*, expediente, motivo, detalle: str, usuario) -> BloqueoLegal:
    """Hold the expediente: no baja documental while it lasts, and an S3 legal hold on every
    version of its files."""
    from expedientes.services.proceso import expediente_bloquear

    if not bloqueo_puede_poner(usuario, expediente):
        raise ValidationError("No tiene permiso para poner un bloqueo legal en este expediente.")
    detalle = (detalle or "").strip()
    errores = {}
    if motivo not in MotivoBloqueo.values:
        errores["motivo"] = "Elija el motivo del bloqueo legal."
    if not detalle:
        errores["detalle"] = "Indique el detalle del bloqueo (causa, juicio, oficio que lo ordena)."
    if errores:
        raise ValidationError(errores)
    if expediente.archivo_fase == FaseArchivo.ELIMINADO:
        raise ValidationError(f"El expediente {expediente.numero} ya fue eliminado (baja documental).")
    try:
        _fijar(_objetos(expediente), True)  # the store first: a failure here records nothing
    except ERRORES_ALMACEN as error:
        raise ValidationError(
            "No se pudo poner la retención legal en el almacén de archivos: no se registró el bloqueo. "
            f"Intente más tarde o avise al administrador ({error}).") from error
    with transaction.atomic():
        actual = expediente_bloquear(expediente, cerrado=True)
        if actual.archivo_fase == FaseArchivo.ELIMINADO:
            raise ValidationError(f"El expediente {actual.numero} ya fue eliminado (baja documental).")
        bloqueo = BloqueoLegal(expediente=actual, motivo=motivo, detalle=detalle, puesto_por=usuario)
        bloqueo.full_clean()
        bloqueo.save()
        registro_anotar(accion=Accion.BLOQUEO, usuario=usuario, expediente=actual,
                        objeto=f"Bloqueo legal {bloqueo.pk} del expediente {actual.numero}",
                        datos={"bloqueo": bloqueo.pk, "motivo": motivo, "detalle": detalle})
    _sincronizar_tras_commit(expediente)
    return bloqueo


def bloqueo_levantar(*, bloqueo: BloqueoLegal, usuario, motivo: str) -> BloqueoLegal:
    """Lift a hold, with its reason. The store's legal hold goes OFF only when no other hold
    of the expediente is active."""
    from expedientes.services.proceso import expediente_bloquear

    expediente = bloqueo.expediente
    if not bloqueo_puede_levantar(usuario, expediente):
        raise ValidationError("No tiene permiso para autorizar el levantamiento de un bloqueo legal.")
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo del levantamiento del bloqueo legal."})
    with transaction.atomic():
        actual = expediente_bloquear(expediente, cerrado=True)
        bloqueo = BloqueoLegal.objects.select_for_update().get(pk=bloqueo.pk)
        if not bloqueo.activo:
            raise ValidationError(f"Ese bloqueo legal ya fue levantado el {fecha(bloqueo.levantado_en)}.")
        bloqueo.levantado_en, bloqueo.levantado_por = timezone.now(), usuario
        bloqueo.motivo_levantamiento = motivo
        bloqueo.save(update_fields=["levantado_en", "levantado_por", "motivo_levantamiento"])
        registro_anotar(accion=Accion.LEVANTAMIENTO, usuario=usuario, expediente=actual,
                        objeto=f"Bloqueo legal {bloqueo.pk} del expediente {actual.numero}",
                        datos={"bloqueo": bloqueo.pk, "motivo_bloqueo": bloqueo.motivo, "motivo": motivo})
    _sincronizar_tras_commit(expediente)
    return bloqueo


def version_nueva_retener(*, expediente, version) -> None:
    """A version registered on a held expediente (called in its custody transaction, with the
    expediente locked): its legal hold goes ON once the row is committed, never under the
    lock. If that put fails, the row stands and the failure is logged."""
    if not bloqueo_activo(expediente):
        return
    objeto = almacen.ObjetoAlmacenado(version.clave, version.version_s3)

    def fijar():
        try:
            almacen.retencion_legal_fijar(objeto, True)
        except ERRORES_ALMACEN:
            logger.exception("No se pudo poner la retención legal en %s (expediente %s)",
                             objeto.clave, expediente.numero)

    transaction.on_commit(fijar)
