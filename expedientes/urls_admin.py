from django.urls import path

from .views.abrir import ExpedienteAbrirView
from .views.adjuntos import AdjuntosView, AdjuntoVersionView

urlpatterns = [
    path("expedientes/abrir/", ExpedienteAbrirView.as_view(), name="expedientes_abrir"),
    path("actuaciones/<int:actuacion_id>/adjuntos/", AdjuntosView.as_view(), name="expedientes_adjuntos"),
    path("adjuntos/<uuid:uuid>/version/", AdjuntoVersionView.as_view(), name="expedientes_adjunto_version"),
]
