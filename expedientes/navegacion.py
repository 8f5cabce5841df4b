"""Where an expediente lives for the people of the unit: its process screen, not a page of
the CMS. Every link to an expediente leads there, an actuación leads to its files, and the
page tree with its vocabulary (draft, publish, move, page types) stays with the
administrator (a superuser)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def pantalla_url(pagina) -> str | None:
    """The unit's screen for an expediente or actuación page; None for the containers."""
    from expedientes.models import ActuacionPage, ExpedientePage

    especifica = pagina.specific_deferred if type(pagina) not in (ExpedientePage, ActuacionPage) else pagina
    if isinstance(especifica, ExpedientePage):
        return reverse("expedientes_proceso", args=[pagina.pk])
    if isinstance(especifica, ActuacionPage):
        return reverse("expedientes_adjuntos", args=[pagina.pk])
    return None


def ve_el_arbol(usuario) -> bool:
    return usuario.is_superuser


class PantallaDelExpedienteMiddleware:
    """The explorer of an expediente (or of one of its actuaciones) opens the unit's screen;
    the explorer of the Juzgado or a year opens the listing. After the 404 guard
    (permisos.guardas): what the user may not see never gets this far."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        coincidencia = request.resolver_match
        if coincidencia is None or coincidencia.url_name != "wagtailadmin_explore" or request.method != "GET":
            return None
        if not request.user.is_authenticated or ve_el_arbol(request.user):
            return None
        from wagtail.models import Page

        pagina = Page.objects.filter(pk=view_kwargs.get("parent_page_id")).first()
        if pagina is None:
            return None
        destino = pantalla_url(pagina)
        if destino is None:  # a container: the listing, with the explorer's search if any
            destino = reverse("expedientes_listado")
            if request.GET.get("q"):
                destino += "?" + urlencode({"q": request.GET["q"]})
        return redirect(destino)
