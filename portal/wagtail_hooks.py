from wagtail import hooks

# the document and image libraries are closed; «help» points to Wagtail's site, not ours
CERRADOS = {"documents", "images", "help"}


@hooks.register("construct_main_menu")
def ocultar_bibliotecas_de_archivos(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in CERRADOS]


# order: after wagtail.documents and wagtail.images have added theirs to the same list
@hooks.register("construct_homepage_summary_items", order=100)
def ocultar_resumen_de_bibliotecas(request, summary_items):
    summary_items[:] = [
        item for item in summary_items
        if type(item).__module__.split(".")[1] not in {"documents", "images"}
    ]


# --- the unit's dashboard and menu -----------------------------------------------------------

from datetime import timedelta  # noqa: E402

from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402
from wagtail.admin.ui.components import Component  # noqa: E402


class VencimientosPanel(Component):
    """What is due this week and what is overdue, among the user's expedientes, and the
    citation service level of the year: the first thing the unit looks at each morning."""

    name = "vencimientos"
    order = 50
    template_name = "portal/panel_vencimientos.html"

    def __init__(self, usuario):
        self.usuario = usuario

    def get_context_data(self, parent_context):
        from expedientes import plazos
        from expedientes.estados import FINALES
        from expedientes.selectors import expedientes_visibles

        hoy = timezone.localdate()
        activos = expedientes_visibles(self.usuario).exclude(estado__in=FINALES)
        pendientes = plazos.vencimientos_pendientes(activos, hoy=hoy, hasta=hoy + timedelta(days=7))
        vencidos = [v for v in pendientes if v.vencido(hoy)]
        semana = [v for v in pendientes if not v.vencido(hoy)]
        return {
            "hoy": hoy, "semana": semana[:25], "total_semana": len(semana),
            "vencidos": vencidos[:25], "total_vencidos": len(vencidos),
            "servicio": plazos.nivel_servicio_citacion(expedientes_visibles(self.usuario), anio=hoy.year),
            "servicio_anterior": plazos.nivel_servicio_citacion(expedientes_visibles(self.usuario), anio=hoy.year - 1),
        }


@hooks.register("construct_homepage_panels")
def panel_de_vencimientos(request, panels):
    panels.append(VencimientosPanel(request.user))


@hooks.register("register_admin_menu_item")
def menu_expedientes():
    return MenuItem("Expedientes", reverse("expedientes_listado"), icon_name="folder-inverse", order=140)
