from django.urls import path

from . import verificacion, views

urlpatterns = [
    path("adjuntos/<uuid:uuid>/descargar/", views.adjunto_descargar, name="adjunto_descargar"),
    path("pagos/<int:pago_id>/comprobante/", views.comprobante_descargar, name="pago_comprobante"),
    path("dossiers/<uuid:uuid>/descargar/", views.dossier_descargar, name="dossier_descargar"),
    path("archivo/documentos/<uuid:uuid>/", views.documento_archivo_descargar, name="archivo_documento"),
    # the second step of sign-in (permisos/acceso.py)
    path("acceso/verificar/", verificacion.verificar, name="acceso_verificar"),
    path("acceso/registrar/", verificacion.registrar, name="acceso_registrar"),
]
