from django.apps import AppConfig


class PermisosConfig(AppConfig):
    name = "permisos"
    verbose_name = "Permisos y auditoría"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signal_handlers  # noqa: F401  (checks register themselves)

        signal_handlers.registrar()
