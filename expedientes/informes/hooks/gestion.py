"""Wagtail hooks: gestion (see the package docstring). The annual management report's URLs
and its entry in the «Informes» menu (the hook `register_informes_menu_item`, defined by the
reports' framework: each function returns a MenuItem)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from expedientes.views.gestion import VER, GestionView, gestion_descargar


# order=-10: before the framework's «informes/<clave>/» patterns, which would take «gestion»
@hooks.register("register_admin_urls", order=-10)
def urls_gestion():
    return [
        path("informes/gestion/", GestionView.as_view(), name="informes_gestion"),
        path("informes/gestion/descargar/<str:formato>/", gestion_descargar, name="informes_gestion_descargar"),
    ]


class _GestionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VER)


@hooks.register("register_informes_menu_item")
def menu_gestion():
    return _GestionMenuItem("Informe de gestión", reverse("informes_gestion"), icon_name="doc-full", order=900)
