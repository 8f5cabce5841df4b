from django.conf import settings
from django.db import models


def usuario(nombre, **kwargs):
    """Who acted: PROTECT, so the person stays on the record (deactivate, never delete)."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=nombre, on_delete=models.PROTECT,
                             related_name="+", **kwargs)


def usuario_opcional(nombre, **kwargs):
    return usuario(nombre, null=True, blank=True, **kwargs)
