"""A mistyped trusted proxy is skipped at run time (permisos/direcciones.py), so the custody
log would record the proxy for every client: say so where deploys look (migrate, check)."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, register


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
