from django.urls import path

from . import views

urlpatterns = [
    path("adjuntos/<uuid:uuid>/descargar/", views.adjunto_descargar, name="adjunto_descargar"),
    path("dossiers/<uuid:uuid>/descargar/", views.dossier_descargar, name="dossier_descargar"),
]
