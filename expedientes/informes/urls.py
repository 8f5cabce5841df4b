"""/admin/informes/… (registered by expedientes/informes/hooks/marco.py). The fixed paths
come before `<clave>/`: a product's clave never shadows them."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.IndiceView.as_view(), name="informes_indice"),
    path("emitidos/", views.EmitidosView.as_view(), name="informes_emitidos"),
    path("emitidos/<int:emitido_id>/", views.EmitidoView.as_view(), name="informes_emitido"),
    path("documentos/<uuid:uuid>/", views.documento_descargar, name="informes_documento"),
    path("<slug:clave>/", views.InformeView.as_view(), name="informes_informe"),
    path("<slug:clave>/cifras/<slug:cifra>/", views.CifraView.as_view(), name="informes_cifra"),
    path("<slug:clave>/exportar/<str:formato>/", views.informe_exportar_vista, name="informes_exportar"),
    path("<slug:clave>/emitir/", views.informe_emitir_vista, name="informes_emitir"),
]
