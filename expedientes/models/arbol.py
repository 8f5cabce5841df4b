"""The upper tree: Juzgado de Coactivas (index) → año → expedientes."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from permisos.paginas import PaginaProtegidaMixin


class LockedAddChildMixin:
    """treebeard's add_child reads the parent's numchild and last child's path with no lock,
    so two concurrent calls pick the same path (IntegrityError). Locking the parent row
    first serialises them; numchild is re-read under the lock."""

    def add_child(self, **kwargs):
        with transaction.atomic():
            fresh = (
                Page.objects.select_for_update().only("numchild").get(pk=self.pk)
            )
            self.numchild = fresh.numchild
            return super().add_child(**kwargs)


class JuzgadoIndexPage(PaginaProtegidaMixin, LockedAddChildMixin, Page):
    """The unit's file room: one per site."""

    parent_page_types = ["portal.InicioPage"]
    subpage_types = ["expedientes.AnioPage"]
    max_count = 1
    template = "expedientes/juzgado_index_page.html"

    class Meta:
        verbose_name = _("Juzgado de Coactivas")
        verbose_name_plural = _("Juzgados de Coactivas")

    def get_context(self, request, *args, **kwargs):
        from expedientes.selectors import expedientes_visibles

        context = super().get_context(request, *args, **kwargs)
        context["anios"] = self.get_children().live().specific().order_by("-title")
        context["recientes"] = expedientes_visibles(request.user).order_by("-fecha_recepcion")[:20]
        return context


class AnioPage(PaginaProtegidaMixin, LockedAddChildMixin, Page):
    """Expedientes grouped by the year their orden de cobro was received."""

    anio = models.PositiveSmallIntegerField(_("año"), unique=True)

    parent_page_types = ["expedientes.JuzgadoIndexPage"]
    subpage_types = ["expedientes.ExpedientePage"]
    is_creatable = False  # created by expediente_abrir, never by hand
    template = "expedientes/anio_page.html"
    content_panels = []  # the year is its identity; nothing to edit
    promote_panels = []

    class Meta:
        verbose_name = _("año")
        verbose_name_plural = _("años")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from expedientes.selectors import expedientes_visibles

        context = super().get_context(request, *args, **kwargs)
        visibles = expedientes_visibles(request.user).child_of(self).order_by("secuencial", "numero")
        context["pagina"] = Paginator(visibles, 50).get_page(request.GET.get("p"))
        return context
