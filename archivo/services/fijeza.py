"""Fixity audits (issue 10, item 8): every object version a custody record points to is read
back from the store, streaming (one block in memory at a time, whatever the file's size), and
its SHA-256 and size compared with what the record says. A mismatch (alterada), a version the
store no longer has (faltante) and a version that cannot be read (error) each leave a
HallazgoFijeza. The versions destroyed by a baja documental are not read: their record says
they are gone.

An audit goes in slices: each run checks at most `lote` versions, in primary-key order per
kind of record, and commits its progress every TANDA versions (the cursor: the last pk checked
of each kind), so a run that stops or is killed is resumed by the next one. When nothing is
left the audit is COMPLETA and its summary goes to the custody log.

Callable from anywhere (the command `fijeza_auditar`, the daily scheduler, later a task
queue); outside any transaction: no row is locked while the store is read."""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from archivo.models import (
    AuditoriaFijeza,
    DocumentoArchivo,
    EstadoAuditoria,
    HallazgoFijeza,
    TipoHallazgo,
)
from expedientes.custodia import almacen, registros
from expedientes.models import AdjuntoVersion, ExpedientePage
from permisos.custodia import Accion, registro_anotar

BLOQUE = 1024 * 1024  # bytes read from the store at a time
TANDA = 100  # versions checked between two commits of the progress
CAMPOS = ("pk", "uuid", "clave", "version_s3", "sha256", "tamano")
MAXIMO_EN_REGISTRO = 50  # hallazgos named in the custody-log entry (all of them stay in the table)


def _adjuntos():
    return registros.vigentes(AdjuntoVersion)


def _documentos():
    return registros.vigentes(DocumentoArchivo)


# Each kind of custody record: (cursor key and prefix of HallazgoFijeza.registro, its rows).
ESPECIES = (("adjunto", _adjuntos), ("archivo", _documentos))


@dataclass(frozen=True)
class Lectura:
    """What reading one stored version back gave: tipo None when it matches its record."""

    tipo: str | None
    obtenido: str = ""
    leidos: int = 0
    detalle: str = ""


@dataclass(frozen=True)
class Avance:
    revisadas: int  # of the audit, so far
    total: int
    en_esta_ejecucion: int
    bytes_leidos: int  # in this run
    segundos: float  # of this run


def version_verificar(*, clave: str, version_s3: str, sha256: str, tamano: int) -> Lectura:
    """Stream one object version and compare it with its record. A store that cannot be
    reached at all raises (the audit stops and resumes later) instead of filling the audit
    with read errors."""
    huella, leidos = hashlib.sha256(), 0
    try:
        cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(clave, version_s3))
        try:
            for bloque in cuerpo.iter_chunks(BLOQUE):
                huella.update(bloque)
                leidos += len(bloque)
        finally:
            cuerpo.close()
    except EndpointConnectionError:
        raise
    except ClientError as exc:
        codigo = exc.response.get("Error", {}).get("Code", "")
        if almacen.inexistente(exc):
            return Lectura(TipoHallazgo.FALTANTE, detalle=f"El almacén no tiene esta versión ({codigo}).")
        return Lectura(TipoHallazgo.ERROR, leidos=leidos, detalle=f"El almacén respondió {codigo}: {exc}")
    except (BotoCoreError, OSError) as exc:
        return Lectura(TipoHallazgo.ERROR, leidos=leidos,
                       detalle=f"Lectura interrumpida tras {leidos} bytes: {exc!r}"[:1000])
    obtenido = huella.hexdigest()
    if obtenido != sha256 or leidos != tamano:
        return Lectura(TipoHallazgo.ALTERADA, obtenido, leidos,
                       f"Se leyeron {leidos} bytes (registrados: {tamano}).")
    return Lectura(None, obtenido, leidos)


def _pendientes(cursor: dict) -> int:
    return sum(filas().filter(pk__gt=cursor.get(especie, 0)).count() for especie, filas in ESPECIES)


def fijeza_ultima() -> AuditoriaFijeza | None:
    return AuditoriaFijeza.objects.order_by("-iniciada_en", "-pk").first()


def _auditoria_de_turno(*, usuario, nueva: bool) -> AuditoriaFijeza:
    """The audit in course (the newest), or a new one."""
    if not nueva:
        en_curso = (AuditoriaFijeza.objects.filter(estado=EstadoAuditoria.EN_CURSO)
                    .order_by("-iniciada_en", "-pk").first())
        if en_curso is not None:
            return en_curso
    return AuditoriaFijeza.objects.create(lanzada_por=usuario, total=_pendientes({}))


def _expediente_de(especie: str, pk: int) -> ExpedientePage | None:
    """The expediente of a failed version (only for findings: rare, one query or two)."""
    if especie != "adjunto":
        return None
    camino = AdjuntoVersion.objects.filter(pk=pk).values_list("adjunto__actuacion__path", flat=True).first()
    # an actuación is always a direct child of its expediente (Wagtail's paths: 4 per level)
    return ExpedientePage.objects.filter(path=camino[:-4]).first() if camino else None


def _hallazgo(auditoria, especie: str, fila: dict, lectura: Lectura) -> HallazgoFijeza:
    return HallazgoFijeza(
        auditoria=auditoria, tipo=lectura.tipo, registro=f"{especie}:{fila['uuid']}",
        expediente=_expediente_de(especie, fila["pk"]), clave=fila["clave"], version_s3=fila["version_s3"],
        esperado=fila["sha256"], obtenido=lectura.obtenido, detalle=lectura.detalle,
    )


_CONTADOR = {None: "correctas", TipoHallazgo.ALTERADA: "alteradas", TipoHallazgo.FALTANTE: "faltantes",
             TipoHallazgo.ERROR: "errores"}


def _tanda_guardar(auditoria: AuditoriaFijeza, especie: str, resultados: list) -> AuditoriaFijeza:
    """Commit the counters, findings and cursor of the versions just read. Another run that
    moved the same audit meanwhile makes this one stop, recording nothing twice."""
    with transaction.atomic():
        fresca = AuditoriaFijeza.objects.select_for_update().get(pk=auditoria.pk)
        if fresca.estado != EstadoAuditoria.EN_CURSO or fresca.cursor != auditoria.cursor:
            raise ValidationError(f"Otra ejecución avanzó la auditoría de integridad n.º {fresca.pk} al mismo "
                                  "tiempo: esta se detiene sin registrar nada repetido.")
        for fila, lectura in resultados:
            campo = _CONTADOR[lectura.tipo]
            setattr(fresca, campo, getattr(fresca, campo) + 1)
            fresca.bytes_leidos += lectura.leidos
        fresca.revisadas += len(resultados)
        fresca.cursor = {**fresca.cursor, especie: resultados[-1][0]["pk"]}
        fresca.total = fresca.revisadas + _pendientes(fresca.cursor)  # versions added meanwhile count too
        fresca.save()
        HallazgoFijeza.objects.bulk_create(
            [_hallazgo(fresca, especie, fila, lectura) for fila, lectura in resultados if lectura.tipo])
    return fresca


def _resumen(auditoria: AuditoriaFijeza) -> dict:
    hallazgos = list(auditoria.hallazgos.order_by("pk").values("tipo", "registro", "clave", "version_s3")
                     [:MAXIMO_EN_REGISTRO])
    return {
        "auditoria": auditoria.pk, "iniciada_en": auditoria.iniciada_en, "terminada_en": auditoria.terminada_en,
        **{campo: getattr(auditoria, campo) for campo in
           ("revisadas", "correctas", "alteradas", "faltantes", "errores", "bytes_leidos")},
        "hallazgos": hallazgos,
    }


def _completar(auditoria: AuditoriaFijeza, usuario) -> AuditoriaFijeza:
    with transaction.atomic():
        fresca = AuditoriaFijeza.objects.select_for_update().get(pk=auditoria.pk)
        if fresca.estado != EstadoAuditoria.EN_CURSO or fresca.cursor != auditoria.cursor:
            return fresca  # another run finished it
        fresca.estado, fresca.terminada_en = EstadoAuditoria.COMPLETA, timezone.now()
        fresca.save(update_fields=["estado", "terminada_en"])
        registro_anotar(accion=Accion.FIJEZA, usuario=usuario, usuario_nombre="fijeza_auditar",
                        objeto=f"auditoria-fijeza:{fresca.pk}", datos=_resumen(fresca))
    return fresca


def fijeza_auditar(*, usuario=None, lote: int | None = None, nueva: bool = False,
                   progreso: Callable[[Avance], None] | None = None) -> AuditoriaFijeza:
    """Check up to `lote` versions (None: settings.ARCHIVO["FIJEZA_LOTE"]; 0: all that are left)
    of the audit in course, or of a new one if `nueva` or none is in course. Returns the audit:
    EN_CURSO with its cursor saved while versions are left, else COMPLETA."""
    lote = settings.ARCHIVO["FIJEZA_LOTE"] if lote is None else lote
    if lote < 0:
        raise ValidationError("El tamaño del lote no puede ser negativo (0: revisar todo lo que falta).")
    auditoria = _auditoria_de_turno(usuario=usuario, nueva=nueva)
    inicio, revisadas, leidos = time.monotonic(), 0, 0
    for especie, filas in ESPECIES:
        while not lote or revisadas < lote:
            cupo = TANDA if not lote else min(TANDA, lote - revisadas)
            tanda = list(filas().filter(pk__gt=auditoria.cursor.get(especie, 0)).order_by("pk")
                         .values(*CAMPOS)[:cupo])
            if not tanda:
                break
            resultados = []
            for fila in tanda:
                lectura = version_verificar(clave=fila["clave"], version_s3=fila["version_s3"],
                                            sha256=fila["sha256"], tamano=fila["tamano"])
                resultados.append((fila, lectura))
                revisadas, leidos = revisadas + 1, leidos + lectura.leidos
                if progreso:
                    progreso(Avance(revisadas=auditoria.revisadas + len(resultados),
                                    total=max(auditoria.total, auditoria.revisadas + len(resultados)),
                                    en_esta_ejecucion=revisadas,
                                    bytes_leidos=leidos, segundos=time.monotonic() - inicio))
            auditoria = _tanda_guardar(auditoria, especie, resultados)
    if not _pendientes(auditoria.cursor):
        auditoria = _completar(auditoria, usuario)
    return auditoria
