"""`{% bloqueos_legales expediente %}`: the legal holds' block of the process screen."""

from django import template

from archivo.fases import FaseArchivo
from archivo.pantallas.bloqueos import BloqueoLevantarForm, BloqueoPonerForm
from archivo.services.bloqueos import bloqueo_puede_levantar, bloqueo_puede_poner

register = template.Library()


@register.inclusion_tag("archivo/includes/bloqueos.html", takes_context=True)
def bloqueos_legales(context, expediente):
    usuario = context["request"].user
    bloqueos = list(expediente.bloqueos.select_related("puesto_por", "levantado_por"))
    return {
        "expediente": expediente, "csrf_token": context.get("csrf_token"),
        "activos": [b for b in bloqueos if b.activo], "levantados": [b for b in bloqueos if not b.activo],
        "puede_poner": expediente.archivo_fase != FaseArchivo.ELIMINADO and bloqueo_puede_poner(usuario, expediente),
        "puede_levantar": bloqueo_puede_levantar(usuario, expediente),
        "form_poner": BloqueoPonerForm(), "form_levantar": BloqueoLevantarForm(),
    }
