"""Wagtail hooks: importacion (see the package docstring). The import screens of the historical
matrices under /admin/informes/importaciones/, and their item in the «Informes» menu (the
`register_informes_menu_item` hook the reports' frame defines)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from expedientes.services.importacion import puede_importar
from expedientes.views.importacion import ImportacionDetalleView, ImportacionListaView, ImportacionNuevaView


@hooks.register("register_admin_urls")
def urls_importacion():
    return [
        path("informes/importaciones/", ImportacionListaView.as_view(), name="importacion_lista"),
        path("informes/importaciones/nueva/", ImportacionNuevaView.as_view(), name="importacion_nueva"),
        path("informes/importaciones/<int:importacion_id>/", ImportacionDetalleView.as_view(),
             name="importacion_detalle"),
    ]


class _ImportacionMenuItem(MenuItem):
    def is_shown(self, request):
        return puede_importar(request.user)


@hooks.register("register_informes_menu_item")
def menu_importacion():
    return _ImportacionMenuItem("Importar matrices históricas", reverse("importacion_lista"), icon_name="upload",
                                order=900)
