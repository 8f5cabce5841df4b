"""What the archive proposes, as querysets (one query each, whatever the number of
expedientes): the services validate against the same definitions, the screens and the
dashboard list them."""

from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone

from expedientes.models import ExpedientePage

from .fases import FaseArchivo
from .models import (
    BajaItem,
    BloqueoLegal,
    DisposicionFinal,
    EstadoBaja,
    EstadoTransferencia,
    ResultadoCotejo,
    TransferenciaItem,
)
from .plazos import expedientes_con_plazos

# a transfer still open: its items are spoken for (unless rejected at cotejo)
TRANSFERENCIA_ABIERTA = (EstadoTransferencia.BORRADOR, EstadoTransferencia.SOLICITADA,
                         EstadoTransferencia.REVISADA)


def con_bloqueo() -> Exists:
    """An active legal hold on the expediente (for .filter / .exclude / .annotate)."""
    return Exists(BloqueoLegal.objects.filter(expediente=OuterRef("pk"), levantado_en__isnull=True))


def en_transferencia_abierta() -> Exists:
    return Exists(TransferenciaItem.objects.filter(
        expediente=OuterRef("pk"), transferencia__estado__in=TRANSFERENCIA_ABIERTA,
    ).exclude(cotejo=ResultadoCotejo.RECHAZADO))


def en_baja_abierta() -> Exists:
    return Exists(BajaItem.objects.filter(
        expediente=OuterRef("pk"), baja__estado__in=(EstadoBaja.BORRADOR, EstadoBaja.AUTORIZADA)))


def transferibles(hoy: date | None = None):
    """Closed expedientes whose term in the archivo de gestión is over, with no hold and in no
    open transfer: what the portal proposes for the next transferencia primaria."""
    hoy = hoy or timezone.localdate()
    return (expedientes_con_plazos(ExpedientePage.objects.filter(archivo_fase=FaseArchivo.CERRADO))
            .filter(fin_gestion__lte=hoy).exclude(con_bloqueo()).exclude(en_transferencia_abierta()))


def eliminables(hoy: date | None = None):
    """Expedientes in the Archivo Central whose whole TPCD term is over, of a serie that is not
    kept for ever, with no hold and in no open disposal: candidates for a baja documental."""
    hoy = hoy or timezone.localdate()
    return (expedientes_con_plazos(ExpedientePage.objects.filter(
                archivo_fase=FaseArchivo.CENTRAL,
                serie__disposicion_final__in=(DisposicionFinal.ELIMINACION, DisposicionFinal.MUESTREO)))
            .filter(fin_conservacion__lte=hoy).exclude(con_bloqueo()).exclude(en_baja_abierta()))


def panel_resumen(usuario, hoy: date | None = None) -> dict:
    """The archivists' dashboard: one query per figure, whatever the number of expedientes.
    Figures about expedientes count only those the user may see (permisos.policies): an
    archivist learns nothing of the unit's files that the archive was not handed."""
    from permisos.policies import q_expedientes

    from .models import ResultadoDepuracion, Transferencia
    from .services.fijeza import fijeza_ultima
    from .services.fisico import prestamos_vencidos
    from .services.impugnados import depuracion_avance

    hoy = hoy or timezone.localdate()
    visibles = ExpedientePage.objects.filter(q_expedientes(usuario)).values("pk")
    avance = depuracion_avance(usuario=usuario)
    depuracion = {r.value: avance[clave] for r, clave in (
        (ResultadoDepuracion.PENDIENTE, "pendientes"), (ResultadoDepuracion.REVISADO, "revisados"),
        (ResultadoDepuracion.REACTIVADO, "reactivados"), (ResultadoDepuracion.CERRADO, "cerrados"))}
    total = avance["seleccionados"]
    return {
        "hoy": hoy,
        "transferibles": transferibles(hoy).filter(q_expedientes(usuario)).count(),
        "eliminables": eliminables(hoy).filter(q_expedientes(usuario)).count(),
        # Institution-wide: how many transfer batches await the Archivo Central's cotejo (a
        # batch names no expediente; the archivists receive every requested one).
        "por_cotejar": Transferencia.objects.filter(estado=EstadoTransferencia.SOLICITADA).count(),
        "prestamos_vencidos": prestamos_vencidos(hoy).filter(expediente__in=visibles).count(),
        "bloqueos": BloqueoLegal.objects.filter(levantado_en__isnull=True, expediente__in=visibles).count(),
        # Institution-wide: the state of the store as a whole (counts of versions, no names).
        "auditoria": fijeza_ultima(),
        "depuracion": {
            "total": total,
            "resultados": [{"clave": r.value, "etiqueta": r.label, "n": depuracion.get(r.value, 0),
                            "porcentaje": round(100 * depuracion.get(r.value, 0) / total) if total else 0}
                           for r in ResultadoDepuracion],
        },
    }


def versiones_de(expediente):
    """Every stored version of the expediente's files (all its actuaciones), oldest first."""
    from expedientes.models import AdjuntoVersion

    return (AdjuntoVersion.objects.filter(adjunto__actuacion__path__startswith=expediente.path)
            .select_related("adjunto").order_by("adjunto_id", "numero"))


def baja_de_version(version):
    """The executed disposal that destroyed this version (its BajaItem), or None."""
    return (BajaItem.objects.select_related("baja")
            .filter(destruido__contains=[{"clave": version.clave, "version_s3": version.version_s3}])
            .first())
