from django.urls import path

from permisos.views import lector_contenido

from .views.abrir import ExpedienteAbrirView
from .views.adjuntos import AdjuntosView, AdjuntoVersionView
from .views.busqueda_texto import BusquedaGuardarView, BusquedasGuardadasView, BusquedaTextoView
from .views.dossier import DossierAccionView, DossierArmarView, DossierListadoView, DossierView
from .views.lector import LectorView
from .views.listado import ListadoView, listado_exportar
from .views.pagos import estado_cuenta
from .views.proceso import ProcesoView

urlpatterns = [
    path("expedientes/abrir/", ExpedienteAbrirView.as_view(), name="expedientes_abrir"),
    path("expedientes/", ListadoView.as_view(), name="expedientes_listado"),
    path("expedientes/exportar/", listado_exportar, name="expedientes_listado_exportar"),
    path("expedientes/<int:pk>/", ProcesoView.as_view(), name="expedientes_proceso"),
    path("expedientes/<int:pk>/estado-de-cuenta/", estado_cuenta, name="expedientes_estado_cuenta"),
    path("expedientes/<int:pk>/<str:accion>/", ProcesoView.as_view(http_method_names=["post"]),
         name="expedientes_proceso_accion"),
    path("actuaciones/<int:actuacion_id>/adjuntos/", AdjuntosView.as_view(), name="expedientes_adjuntos"),
    path("adjuntos/<uuid:uuid>/version/", AdjuntoVersionView.as_view(), name="expedientes_adjunto_version"),
    # the reader (issue 12): the screen, and the bytes its viewer draws (permission-checked, logged)
    path("lector/<uuid:uuid>/", LectorView.as_view(), name="lector"),
    path("lector/<uuid:uuid>/contenido/", lector_contenido, name="lector_contenido"),
    path("dossiers/", DossierListadoView.as_view(), name="dossiers_listado"),
    path("dossiers/armar/<int:pk>/", DossierArmarView.as_view(), name="dossier_armar"),
    path("dossiers/<uuid:uuid>/", DossierView.as_view(), name="dossier_ver"),
    path("dossiers/<uuid:uuid>/<str:accion>/", DossierAccionView.as_view(), name="dossier_accion"),
    # the reading room's search (issue 12): no URL names an object
    path("buscar/", BusquedaTextoView.as_view(), name="busqueda_texto"),
    path("buscar/guardar/", BusquedaGuardarView.as_view(), name="busqueda_guardar"),
    path("buscar/guardadas/", BusquedasGuardadasView.as_view(), name="busquedas_guardadas"),
]
