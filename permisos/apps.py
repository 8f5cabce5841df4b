from django.apps import AppConfig


class PermisosConfig(AppConfig):
    name = "permisos"
    verbose_name = "Permisos y auditoría"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import acceso, checks  # noqa: F401  (checks: system checks of sign-in)
        from .policies import politica_registrar

        politica_registrar()  # every page type asks permisos/policies.py

        # stamps the sign-in time for the absolute session expiry
        user_logged_in.connect(acceso.sesion_iniciar, dispatch_uid="permisos.acceso.inicio")
