"""The text of every page of a file version (issue 12), run in the background (expedientes/tasks.py
`version_texto`) and by `manage.py textos_extraer`. How a file is read — own text or OCR —
is expedientes/texto.py; this records it.

Order of the work: read the stored bytes (checked against their SHA-256), extract or OCR,
take the searchable PDF of a scan into custody as the version's RendicionOCR (its own SHA-256;
the original is never touched) — all with no lock held — and only then, in one short
transaction under the version's row lock, replace its pages, set paginas / texto_estado /
texto_detalle and append the custody-log entry (Accion.TEXTO). Running it twice replaces the
pages: safe for the queue's at-least-once delivery.

A file that cannot be read gets a Spanish reason in texto_detalle: FALLIDO for a password,
a damaged file, too many pages; SIN_TEXTO when the OCR finds no legible word. Those return
normally (the worker moves on). A passing failure (the store, the antivirus or the OCR engine
unavailable) is recorded as FALLIDO with the TEMPORAL prefix and raised again, for the queue's
retry and `textos_extraer` to try again."""

import functools
import logging
import os
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from expedientes.custodia import ArchivoCustodiado, almacen, custodiar
from expedientes.custodia.errores import ArchivoRechazado
from expedientes.models import AdjuntoVersion, EstadoTexto, PaginaTexto, RendicionOCR
from expedientes.texto import TIPOS, Lectura, TextoFallido, TextoTemporal, leer
from permisos.custodia import Accion, registro_anotar

from .foliado import version_descargar

logger = logging.getLogger(__name__)

# texto_detalle of a passing failure: `textos_extraer` tries these versions again.
TEMPORAL = "Falla temporal: "
USUARIO = "textos"  # the custody log's name for this background work


class VersionDestruida(Exception):
    pass


def _registrar(version_id: int, lectura: Lectura, custodiado: ArchivoCustodiado | None = None) -> AdjuntoVersion:
    """Under the version's row lock: the pages, the rendition's row, the status, the log entry."""
    with transaction.atomic():
        version = (AdjuntoVersion.objects.select_for_update(of=("self",))
                   .select_related("adjunto__actuacion").get(pk=version_id))
        if version.destruida_en is not None and (lectura.paginas or custodiado is not None):
            # a baja documental destroyed it while it was being read: keep nothing of it
            # (raised inside custodiar's registrar, the rendition's object is removed too)
            raise VersionDestruida(version_id)
        expediente = version.adjunto.actuacion.get_parent()
        anterior = None
        if lectura.paginas is not None:
            PaginaTexto.objects.filter(version=version).delete()
            PaginaTexto.objects.bulk_create([
                PaginaTexto(version=version, expediente_id=expediente.pk, numero=n, texto=texto, origen=origen)
                for n, (texto, origen) in enumerate(lectura.paginas, start=1)
            ], batch_size=500)
            version.paginas = len(lectura.paginas) or lectura.total or version.paginas
        rendicion = RendicionOCR.objects.filter(version=version).first()
        if custodiado is not None:
            if rendicion is None:
                rendicion = RendicionOCR(version=version)
            else:  # a re-run: the new rendition replaces the old one, whose object goes
                anterior = almacen.ObjetoAlmacenado(rendicion.clave, rendicion.version_s3)
            for nombre, valor in custodiado.campos().items():
                setattr(rendicion, nombre, valor)
            rendicion.motor = lectura.motor[:200]
            rendicion.full_clean(exclude=["version"])
            rendicion.save()
        version.texto_estado, version.texto_detalle = lectura.estado, lectura.detalle
        version.save(update_fields=["paginas", "texto_estado", "texto_detalle"])
        registro_anotar(
            accion=Accion.TEXTO, usuario_nombre=USUARIO, expediente=expediente,
            objeto=(f"Texto de «{version.adjunto.titulo}» v{version.numero} ({version.nombre_original}): "
                    f"{EstadoTexto(lectura.estado).label}"),
            sha256=custodiado.sha256 if custodiado else version.sha256,
            datos={"version_uuid": str(version.uuid), "sha256_original": version.sha256,
                   "estado": lectura.estado, "detalle": lectura.detalle, "paginas": version.paginas,
                   "rendicion_sha256": custodiado.sha256 if custodiado else "",
                   "motor": lectura.motor, **lectura.datos},
        )
        if anterior is not None:
            transaction.on_commit(functools.partial(_objeto_retirar, anterior))
    return version


def _objeto_retirar(objeto: almacen.ObjetoAlmacenado) -> None:
    try:
        almacen.eliminar(objeto)
    except Exception:  # under Object Lock, or the store away: custodia_conciliar reports it
        logger.warning("No se pudo retirar la rendición OCR anterior %s", objeto.clave, exc_info=True)


def _estado_fijar(version_id: int, estado: str, detalle: str) -> None:
    """A status with no pages and no log entry (en curso, no aplica)."""
    AdjuntoVersion.objects.filter(pk=version_id).update(texto_estado=estado, texto_detalle=detalle)


def version_texto_extraer(*, version_id: int) -> None:
    """Extract (or recognise) the text of every page of the version and record it. Returns
    normally for a file that cannot be read (its reason in texto_detalle); raises on a passing
    failure, after recording it, so that the queue tries again."""
    version = AdjuntoVersion.objects.select_related("adjunto__actuacion").get(pk=version_id)
    if version.tipo_mime not in TIPOS:
        _estado_fijar(version_id, EstadoTexto.NO_APLICA, "")
        return
    if version.destruida_en is not None:
        _registrar(version_id, Lectura(EstadoTexto.FALLIDO, "La versión fue eliminada por una baja documental: "
                                       "no queda archivo que leer.", paginas=[]))
        return
    _estado_fijar(version_id, EstadoTexto.EN_CURSO, "")
    try:
        _extraer(version)
    except VersionDestruida:
        logger.info("La versión %s fue destruida mientras se leía su texto; no se guarda nada", version_id)


def _extraer(version: AdjuntoVersion) -> None:
    version_id = version.pk
    with tempfile.TemporaryDirectory(prefix="texto-", dir=settings.CUSTODIA["TEMP_DIR"]) as directorio:
        try:
            original = os.path.join(directorio, "original")
            version_descargar(version, original, para="no se extrae su texto")
            lectura = leer(original, version.tipo_mime, directorio)
        except (TextoFallido, ValidationError) as fallo:
            motivo = fallo.motivo if isinstance(fallo, TextoFallido) else " ".join(fallo.messages)
            estado = fallo.estado if isinstance(fallo, TextoFallido) else EstadoTexto.FALLIDO
            _registrar(version_id, Lectura(estado, motivo, paginas=[],
                                           total=getattr(fallo, "paginas", None)))
            return
        except Exception as exc:
            _temporal_registrar(version_id, exc)
            raise
        if not lectura.rendicion:
            _registrar(version_id, lectura)
            return
        base = os.path.splitext(version.nombre_original)[0] or "documento"
        try:
            with open(lectura.rendicion, "rb") as flujo:
                custodiar(flujo=flujo, nombre=f"{base} (OCR).pdf",
                          registrar=lambda custodiado: _registrar(version_id, lectura, custodiado))
        except ArchivoRechazado as rechazo:
            if rechazo.temporal:
                _temporal_registrar(version_id, rechazo)
                raise
            # e.g. the OCR'd PDF over the size limit: keep the text, say why there is no PDF
            lectura.detalle += f" No se guardó el PDF con texto: {rechazo.mensaje}"
            lectura.rendicion = ""
            _registrar(version_id, lectura)


def _temporal_registrar(version_id: int, exc: Exception) -> None:
    logger.exception("Falla temporal al extraer el texto de la versión %s", version_id)
    motivo = str(exc) if isinstance(exc, TextoTemporal) else f"{exc.__class__.__name__}: {str(exc)[:300]}"
    try:
        _registrar(version_id, Lectura(EstadoTexto.FALLIDO, f"{TEMPORAL}{motivo}. Se volverá a intentar."))
    except Exception:  # the database itself is away: the queue's retry will record it
        logger.exception("No se pudo registrar la falla de la versión %s", version_id)


# --- the bulk run (manage.py textos_extraer) -------------------------------------------------

def versiones_por_leer(*, reanudar: bool = False):
    """The versions whose text is still to be read, in upload order: never read, or failed for
    a passing reason; with `reanudar`, also those left «en curso» by an interrupted run."""
    from django.db.models import Q

    estados = Q(texto_estado=EstadoTexto.PENDIENTE) | Q(texto_estado=EstadoTexto.FALLIDO,
                                                      texto_detalle__startswith=TEMPORAL)
    if reanudar:
        estados |= Q(texto_estado=EstadoTexto.EN_CURSO)
    return (AdjuntoVersion.objects.filter(estados, tipo_mime__in=TIPOS, destruida_en__isnull=True)
            .order_by("pk"))


def textos_no_aplicables_marcar() -> int:
    """Versions that are neither PDF nor image, still «pendiente» (stored before the queue read
    every new version): no text to read. Returns how many."""
    return (AdjuntoVersion.objects.filter(texto_estado=EstadoTexto.PENDIENTE).exclude(tipo_mime__in=TIPOS)
            .update(texto_estado=EstadoTexto.NO_APLICA))
