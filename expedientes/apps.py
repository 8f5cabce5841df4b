from django.apps import AppConfig


class ExpedientesConfig(AppConfig):
    name = "expedientes"
    verbose_name = "Expedientes coactivos"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db import models
        from wagtail.admin.forms.models import register_form_field_override

        from . import checks  # noqa: F401  (system checks for the S3 store and clamd)
        from .campos import NumeroField

        # Every amount or rate of a model edited in the Wagtail admin (page panels, snippets)
        # reads and shows numbers as Ecuador writes them (1.850,40), with the portal's parser.
        register_form_field_override(models.DecimalField, override={"form_class": NumeroField})
