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

from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402
from wagtail.admin.ui.components import Component  # noqa: E402


class VencimientosPanel(Component):
    """What is overdue and what is due this week among the user's expedientes (an abogado's own,
    the unit for the jefe and the secretaría), and the citation service level of the year: the
    first thing the unit looks at each morning. Reads each expediente's stored next deadline
    with SQL (expedientes.services.plazos keeps it): two counts and two lists of at most
    LIMITE rows, whatever the number of expedientes; the balance is computed for those rows."""

    name = "vencimientos"
    order = 50
    template_name = "portal/panel_vencimientos.html"
    LIMITE = 20

    def __init__(self, request):
        self.request = request
        self.usuario = request.user

    def _tramo(self, tramo, hoy, base):
        from expedientes import plazos

        orden = self.request.GET.get(f"orden_{tramo}")
        orden = orden if orden in plazos.ORDENES else plazos.ORDEN_INICIAL
        lista = plazos.con_plazo(base, tramo, hoy=hoy)
        consulta = self.request.GET.copy()
        enlaces = []
        for clave, etiqueta in plazos.ORDENES.items():
            consulta[f"orden_{tramo}"] = clave
            enlaces.append({"clave": clave, "etiqueta": etiqueta, "url": f"?{consulta.urlencode()}#plazos-{tramo}",
                            "activo": clave == orden})
        return {
            "clave": tramo, "titulo": plazos.TRAMOS[tramo], "total": lista.count(),
            "filas": plazos.plazos_filas(plazos.plazos_ordenar(lista, orden), hoy=hoy, limite=self.LIMITE),
            "ordenes": enlaces, "vencido": tramo == plazos.VENCIDOS,
        }

    def get_context_data(self, parent_context):
        from expedientes import plazos
        from expedientes.selectors import expedientes_de_trabajo, expedientes_visibles, ve_primero_lo_suyo

        hoy = timezone.localdate()
        base = expedientes_de_trabajo(self.usuario)
        propios = ve_primero_lo_suyo(self.usuario)
        listado = reverse("expedientes_listado")
        tramos = [self._tramo(tramo, hoy, base) for tramo in (plazos.VENCIDOS, plazos.SEMANA)]
        for tramo in tramos:  # the listing with the same filter shows the same count
            tramo["listado"] = f"{listado}?plazo={tramo['clave']}&alcance={'mis' if propios else 'todos'}"
        return {
            "hoy": hoy, "tramos": tramos, "propios": propios,
            "servicio": plazos.nivel_servicio_citacion(expedientes_visibles(self.usuario), anio=hoy.year),
            "servicio_anterior": plazos.nivel_servicio_citacion(expedientes_visibles(self.usuario), anio=hoy.year - 1),
        }


@hooks.register("construct_homepage_panels")
def panel_de_vencimientos(request, panels):
    panels.append(VencimientosPanel(request))


@hooks.register("register_admin_menu_item")
def menu_expedientes():
    return MenuItem("Expedientes", reverse("expedientes_listado"), icon_name="folder-inverse", order=140)


# --- the background jobs (portal/views.py) ----------------------------------------------------

from django.urls import path  # noqa: E402

from . import views as vistas  # noqa: E402


@hooks.register("register_admin_urls")
def urls_trabajos():
    return [
        path("trabajos/", vistas.TrabajosListaView.as_view(), name="trabajos_lista"),
        path("trabajos/<int:trabajo_id>/", vistas.TrabajoDetalleView.as_view(), name="trabajo_detalle"),
        path("trabajos/oficios-retencion/", vistas.OficiosRetencionView.as_view(), name="trabajo_oficios_retencion"),
    ]


@hooks.register("register_admin_menu_item")
def menu_trabajos():
    # every signed-in user may have jobs of his own (the list shows only what he may see)
    return MenuItem("Trabajos en segundo plano", reverse("trabajos_lista"), name="trabajos",
                    icon_name="time", order=9000)
