"""Guards in front of the few Wagtail admin views that show page titles by id without
asking page permissions (they were built for choosing link targets and bulk actions). The
titles of expedientes carry the debtor's name: here they answer 404 for a page the user may
not see, and then hand over to Wagtail's own view."""

from functools import wraps

from django.db.models import Q
from django.http import Http404
from wagtail.admin.views import chooser
from wagtail.admin.views.bulk_action import index as acciones_masivas_wagtail
from wagtail.models import Page

from .policies import paginas_filtrar_visibles


def _exigir_visibles(usuario, paginas) -> None:
    if paginas_filtrar_visibles(usuario, paginas).count() != paginas.count():
        raise Http404


def _ids(valores) -> list[int]:
    return [int(v) for v in valores if str(v).isdigit()]


def _guardada(vista, paginas_de):
    @wraps(vista)
    def envoltura(request, *args, **kwargs):
        _exigir_visibles(request.user, paginas_de(request, kwargs))
        return vista(request, *args, **kwargs)

    return envoltura


selector_navegar = _guardada(
    chooser.BrowseView.as_view(),
    lambda request, kwargs: Page.objects.filter(pk=kwargs["parent_page_id"]),
)

selector_elegidas = _guardada(
    chooser.ChosenMultipleView.as_view(),
    lambda request, kwargs: Page.objects.filter(pk__in=_ids(request.GET.getlist("id"))),
)


def _paginas_de_accion_masiva(request, kwargs):
    ids = request.GET.getlist("id")
    if "all" not in ids:
        return Page.objects.filter(pk__in=_ids(ids))
    # «select all» in a listing: the parent and every child of it
    padre = Page.objects.filter(pk__in=_ids([request.GET.get("childOf")])).first()
    if padre is None:
        raise Http404
    return Page.objects.filter(Q(pk=padre.pk) | Q(pk__in=padre.get_children().values("pk")))


acciones_masivas_paginas = _guardada(acciones_masivas_wagtail, _paginas_de_accion_masiva)
