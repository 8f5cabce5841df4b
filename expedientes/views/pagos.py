"""The statement of account of an expediente at a date the user chooses, as PDF, for whoever
may see the expediente (a 404 otherwise). Rendered on demand (services/pagos.py says why);
each one is a view of the expediente in the custody log. The receipts of payments leave
through permisos.views.comprobante_descargar, like every stored file."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from expedientes.calendario import fecha_formatear
from expedientes.models import ExpedientePage
from expedientes.services.pagos import estado_cuenta_pdf
from permisos import auditoria, policies


class EstadoCuentaForm(forms.Form):
    fecha = forms.DateField(label="Estado de cuenta al", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                            error_messages={"invalid": "Escriba la fecha así: 31/12/2025."})


@require_GET
def estado_cuenta(request, pk):
    expediente = get_object_or_404(ExpedientePage, pk=pk)
    if not policies.expediente_puede_ver(request.user, expediente):
        auditoria.expediente_acceso_denegado_registrar(expediente=expediente, request=request,
                                                       pantalla="estado de cuenta")
        raise Http404
    form = EstadoCuentaForm(request.GET or {"fecha": fecha_formatear(timezone.localdate())})
    if not form.is_valid():
        messages.error(request, "No se generó el estado de cuenta: " + " ".join(form.errors["fecha"]))
        return redirect("expedientes_proceso", expediente.pk)
    fecha = form.cleaned_data["fecha"]
    if fecha > timezone.localdate():
        messages.error(request, f"No se generó el estado de cuenta: el {fecha_formatear(fecha)} es una fecha "
                                "futura; elija hoy o una fecha anterior.")
        return redirect("expedientes_proceso", expediente.pk)
    try:
        pdf = estado_cuenta_pdf(expediente=expediente, fecha=fecha, usuario=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("expedientes_proceso", expediente.pk)
    auditoria.expediente_vista_registrar(expediente=expediente, request=request,
                                         pantalla=f"estado de cuenta al {fecha_formatear(fecha)}")
    respuesta = HttpResponse(pdf, content_type="application/pdf")
    respuesta["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"estado-de-cuenta-{expediente.numero}-{fecha:%Y%m%d}.pdf")
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta
