"""Legal holds on the process screen of an expediente: the block (templates/archivo/includes/
bloqueos.html, through the tag `{% bloqueos_legales expediente %}` of archivo_bloqueos) says
which holds are active, why, since when and by whom, and offers placing and lifting to whoever
may; its forms post here. An expediente the user may not see is a 404 (the `page_id`
guard, permisos/guardas.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.http import require_POST
from wagtail import hooks

from archivo.models import BloqueoLegal, MotivoBloqueo
from archivo.services.bloqueos import bloqueo_levantar, bloqueo_poner
from expedientes.models import ExpedientePage
from permisos import policies


class BloqueoPonerForm(forms.Form):
    motivo = forms.ChoiceField(label="Motivo", choices=MotivoBloqueo.choices)
    detalle = forms.CharField(label="Detalle", widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="Causa o juicio, oficio o resolución que ordena el bloqueo.")


class BloqueoLevantarForm(forms.Form):
    bloqueo = forms.IntegerField(widget=forms.HiddenInput)
    motivo = forms.CharField(label="Motivo del levantamiento", widget=forms.Textarea(attrs={"rows": 2}))


@require_POST
def bloqueo_accion(request, page_id):
    expediente = get_object_or_404(ExpedientePage, pk=page_id)
    if not policies.expediente_puede_ver(request.user, expediente):
        raise Http404  # as if missing
    levantar = request.POST.get("accion") == "levantar"
    datos = request.POST.copy()
    try:
        if levantar:
            bloqueo = get_object_or_404(BloqueoLegal, pk=datos.get("bloqueo") or None, expediente=expediente)
            bloqueo_levantar(bloqueo=bloqueo, usuario=request.user, motivo=datos.get("motivo", ""))
            messages.success(request, "Bloqueo legal levantado; queda en el historial con su motivo.")
        else:
            bloqueo_poner(expediente=expediente, motivo=datos.get("motivo", ""), detalle=datos.get("detalle", ""),
                          usuario=request.user)
            messages.success(request, "Bloqueo legal puesto: el expediente no puede darse de baja y sus archivos "
                                      "quedan retenidos en el almacén.")
    except ValidationError as error:
        etiquetas = {"motivo": "Motivo del levantamiento" if levantar else "Motivo", "detalle": "Detalle"}
        por_campo = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for campo, mensajes in por_campo.items():
            for mensaje in mensajes:
                messages.error(request, f"{etiquetas.get(campo, '')}: {mensaje}" if campo else mensaje)
    return redirect("expedientes_proceso", expediente.pk)


@hooks.register("register_admin_urls")
def urls_bloqueos():
    return [path("archivo/bloqueos/<int:page_id>/", bloqueo_accion, name="archivo_bloqueo")]
