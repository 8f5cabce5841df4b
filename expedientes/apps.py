from django.apps import AppConfig


class ExpedientesConfig(AppConfig):
    name = "expedientes"
    verbose_name = "Expedientes coactivos"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (system checks for the S3 store and clamd)
