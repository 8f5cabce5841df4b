"""Reads of the proceeding. Every listing of expedientes starts from expedientes_visibles."""

from django.db.models import Prefetch

from expedientes.models import (
    ActuacionPage, Adjunto, AdjuntoVersion, DossierInsolvencia, ExpedientePage, TipoActuacion,
)
from permisos.policies import dossiers_visibles, expedientes_filtrar_visibles


def expedientes_visibles(usuario):
    return expedientes_filtrar_visibles(
        usuario, ExpedientePage.objects.live().select_related("coactivado")
    )


def actuaciones_de(expediente: ExpedientePage):
    return ActuacionPage.objects.child_of(expediente).live().order_by("fecha", "path")


def adjuntos_de(actuacion: ActuacionPage):
    """Attachments with every version, newest first, in two queries."""
    versiones = AdjuntoVersion.objects.select_related("subido_por").order_by("-numero")
    return (
        Adjunto.objects.filter(actuacion=actuacion)
        .select_related("creado_por")
        .prefetch_related(Prefetch("versiones", queryset=versiones))
    )


def actuaciones_con_archivos(expediente: ExpedientePage):
    """The actuaciones of the process screen, each with its files and their versions (newest
    first), in three queries whatever their number."""
    versiones = AdjuntoVersion.objects.order_by("-numero")
    adjuntos = Adjunto.objects.order_by("pk").prefetch_related(Prefetch("versiones", queryset=versiones))
    return actuaciones_de(expediente).prefetch_related(Prefetch("adjuntos", queryset=adjuntos))


def actuaciones_para_dossier(expediente: ExpedientePage):
    """What a dossier may hold: the expediente's actuaciones, not earlier dossiers."""
    return actuaciones_de(expediente).exclude(tipo=TipoActuacion.DOSSIER_INSOLVENCIA)


def dossiers_de(usuario, expediente: ExpedientePage | None = None):
    """The dossiers the user may see (of one expediente, or all), newest first."""
    dossiers = DossierInsolvencia.objects.select_related("version", "armado_por")
    if expediente is not None:
        dossiers = dossiers.filter(expediente=expediente)
    return dossiers_visibles(usuario, dossiers)
