from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from permisos.paginas import PaginaProtegidaMixin


class InicioPage(PaginaProtegidaMixin, Page):
    """The site root. Nothing here is public: anonymous visitors go to the login page."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["expedientes.JuzgadoIndexPage"]
    max_count = 1
    template = "portal/inicio_page.html"

    class Meta:
        verbose_name = _("inicio")
        verbose_name_plural = _("inicio")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["juzgados"] = self.get_children().live().specific()
        return context
