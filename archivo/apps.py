from django.apps import AppConfig


class ArchivoConfig(AppConfig):
    name = "archivo"
    verbose_name = "Archivo (TPCD, transferencias, baja)"
    default_auto_field = "django.db.models.BigAutoField"
