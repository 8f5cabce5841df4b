"""System checks: relaxing sign-in, or a mistyped trusted proxy (skipped at run time by
permisos/direcciones.py, so the custody log would record the proxy for every client), must
show where deploys look (migrate, check, runserver)."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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



@register(Tags.security)
def proxies_confiables(app_configs, **kwargs):
    errores = []
    for entrada in getattr(settings, "PORTAL_PROXIES_CONFIABLES", ()) or ():
        try:
            ipaddress.ip_network(entrada, strict=False)
        except ValueError:
            errores.append(Error(
                f"PORTAL_PROXIES_CONFIABLES: «{entrada}» no es una dirección IP ni una red (CIDR).",
                hint="Ejemplo: PORTAL_PROXIES_CONFIABLES=10.0.0.5,172.18.0.0/16", id="permisos.E001",
            ))
    return errores
