"""Reads of the proceeding. Every listing of expedientes starts from expedientes_visibles."""

from django.db.models import Prefetch

from expedientes.models import ActuacionPage, Adjunto, AdjuntoVersion, ExpedientePage
from permisos.policies import expedientes_filtrar_visibles


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
