"""Closing and reopening an expediente from its process screen (the «Archivo» block of
templates/expedientes/admin/proceso.html). POST only; each view parses its form and calls
one service (archivo.services.cierre); what the user may not see is a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks

from archivo.fases import FaseArchivo
from archivo.models import Soporte
from archivo.services.cierre import (
    TITULOS,
    cierre_acciones,
    cierre_vigente,
    expediente_cerrar,
    expediente_reabrir,
)
from expedientes.custodia import ArchivoRechazado
from expedientes.models import AdjuntoVersion, ExpedientePage
from permisos import policies


class CierreForm(forms.Form):
    soporte = forms.ChoiceField(label="Soporte del expediente", choices=Soporte.choices, initial=Soporte.HIBRIDO)


class ReaperturaForm(forms.Form):
    motivo = forms.CharField(label="Motivo de la reapertura", widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Queda en el cierre y en el registro de custodia.")


def _documentos(cierre) -> list[AdjuntoVersion]:
    """The cierre's four files at their (only) version, in the order of TITULOS."""
    if cierre is None or cierre.actuacion_id is None:
        return []
    versiones = (AdjuntoVersion.objects.filter(adjunto__actuacion_id=cierre.actuacion_id)
                 .select_related("adjunto").order_by("adjunto_id", "-numero").distinct("adjunto_id"))
    orden = list(TITULOS.values())
    return sorted(versiones, key=lambda v: orden.index(v.adjunto.titulo) if v.adjunto.titulo in orden else len(orden))


def cierre_contexto(*, expediente, usuario) -> dict:
    """What the «Archivo» block of the process screen shows (an expediente in trámite has no
    vigente cierre: no query for it)."""
    cierre = None if expediente.archivo_fase == FaseArchivo.TRAMITE else cierre_vigente(expediente)
    return {"cierre": cierre, "documentos": _documentos(cierre),
            "acciones": cierre_acciones(expediente=expediente, usuario=usuario),
            "form_cerrar": CierreForm(prefix="cierre"), "form_reabrir": ReaperturaForm(prefix="reapertura")}


def _expediente(request, pk) -> ExpedientePage:
    expediente = get_object_or_404(ExpedientePage, pk=pk)
    if not policies.pagina_puede_ver(request.user, expediente):
        raise Http404  # as if it did not exist
    return expediente


def _volver(expediente):
    return redirect(reverse("expedientes_proceso", args=[expediente.pk]) + "#archivo")


def _error(request, que: str, error) -> None:
    motivos = " ".join(getattr(error, "messages", None) or [getattr(error, "mensaje", str(error))])
    messages.error(request, f"{que}: {motivos}")


@require_POST
def cerrar(request, pk):
    expediente = _expediente(request, pk)
    form = CierreForm(request.POST, prefix="cierre")
    if not form.is_valid():
        messages.error(request, "No se cerró el expediente: elija el soporte.")
        return _volver(expediente)
    try:
        cierre = expediente_cerrar(expediente=expediente, usuario=request.user, soporte=form.cleaned_data["soporte"])
    except (ValidationError, ArchivoRechazado) as error:
        _error(request, "No se cerró el expediente", error)
    else:
        messages.success(request, f"Expediente cerrado: {cierre.folios} folios, con su índice, carátula, rótulo de "
                                  "caja y copia foliada. Ahora es de solo lectura.")
    return _volver(expediente)


@require_POST
def reabrir(request, pk):
    expediente = _expediente(request, pk)
    form = ReaperturaForm(request.POST, prefix="reapertura")
    motivo = form.cleaned_data["motivo"] if form.is_valid() else ""
    try:
        expediente_reabrir(expediente=expediente, usuario=request.user, motivo=motivo)
    except ValidationError as error:
        _error(request, "No se reabrió el expediente", error)
    else:
        messages.success(request, "Expediente reabierto: admite de nuevo actuaciones, archivos y cambios.")
    return _volver(expediente)


@hooks.register("register_admin_urls")
def urls_cierre():
    return [
        path("archivo/cierre/<int:pk>/cerrar/", cerrar, name="archivo_cierre_cerrar"),
        path("archivo/cierre/<int:pk>/reabrir/", reabrir, name="archivo_cierre_reabrir"),
    ]
