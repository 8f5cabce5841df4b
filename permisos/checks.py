"""System checks of sign-in: relaxing it must show wherever the portal starts."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security)
def otp_obligatorio(app_configs, **kwargs):
    if settings.PORTAL_OTP_OBLIGATORIO:
        return []
    return [Warning(
        "La verificación en dos pasos está DESACTIVADA (PORTAL_OTP_OBLIGATORIO=0): jefe, "
        "administrador, archivista y superusuarios entran solo con su contraseña.",
        hint="Solo para demostraciones. Quite PORTAL_OTP_OBLIGATORIO del entorno en producción.",
        id="permisos.W001",
    )]
