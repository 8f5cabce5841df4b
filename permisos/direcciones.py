"""The client's address, for the custody log.

Behind a reverse proxy, REMOTE_ADDR is the proxy's. X-Forwarded-For is believed only when
REMOTE_ADDR is one of PORTAL_PROXIES_CONFIABLES: then the client is the right-most address
of the header that is not itself a trusted proxy (each proxy appends the address it saw;
what lies left of that was written by the client and can be anything). From any other
peer the header is ignored. Stdlib `ipaddress` rather than python-ipware: the rule is
these few lines, with CIDR ranges, while ipware reads a dozen headers by default and
matches proxies by text prefix; for an evidentiary log the rule should fit in one sentence.

The middleware keeps the current request's address in a context variable, so services
called without a request (expediente_transicion, expediente_asignar) still record it."""

import ipaddress
import logging
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)
_direccion_actual: ContextVar[str | None] = ContextVar("direccion_cliente", default=None)

Red = ipaddress.IPv4Network | ipaddress.IPv6Network
Direccion = ipaddress.IPv4Address | ipaddress.IPv6Address


def ip_normalizar(valor) -> str | None:
    """One text per address (an IPv4-mapped IPv6 is its IPv4), or None if it is not one."""
    if not valor:
        return None
    try:
        ip = ipaddress.ip_address(str(valor).strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ip)


@lru_cache(maxsize=8)
def _redes(configuradas: tuple[str, ...]) -> tuple[Red, ...]:
    redes = []
    for entrada in configuradas:
        try:
            redes.append(ipaddress.ip_network(entrada, strict=False))
        except ValueError:
            # skipped, not fatal: the log then records the proxy itself, never a client's
            # claim; the system check permisos.E001 names it at deploy (migrate, check)
            logger.error("PORTAL_PROXIES_CONFIABLES: «%s» no es una dirección ni una red", entrada)
    return tuple(redes)


def proxies_confiables() -> tuple[Red, ...]:
    """The parsed setting (cached per value, so tests that change it see the change)."""
    return _redes(tuple(getattr(settings, "PORTAL_PROXIES_CONFIABLES", ()) or ()))


def _confiable(ip: str, redes: tuple[Red, ...]) -> bool:
    direccion = ipaddress.ip_address(ip)
    return any(direccion.version == red.version and direccion in red for red in redes)


def direccion_resolver(meta) -> str | None:
    remota = ip_normalizar(meta.get("REMOTE_ADDR"))
    redes = proxies_confiables()
    if remota is None or not redes or not _confiable(remota, redes):
        return remota
    cliente = remota
    for salto in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        ip = ip_normalizar(salto)
        if ip is None:
            break  # not written by a proxy of ours: stop at the last hop we can vouch for
        cliente = ip
        if not _confiable(ip, redes):
            break
    return cliente


_solicitud_actual = ContextVar("solicitud_actual", default=None)


def usuario_actual():
    """Who is acting in the current request (for signals that carry no request), or None."""
    request = _solicitud_actual.get()
    usuario = getattr(request, "user", None)
    return usuario if usuario is not None and usuario.is_authenticated else None


def direccion_de(request=None) -> str | None:
    """The request's client address; without a request, the current request's (if any)."""
    if request is not None:
        return direccion_resolver(request.META)
    return _direccion_actual.get()


class DireccionClienteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        marca = _direccion_actual.set(direccion_resolver(request.META))
        solicitud = _solicitud_actual.set(request)
        try:
            return self.get_response(request)
        finally:
            _solicitud_actual.reset(solicitud)
            _direccion_actual.reset(marca)
