"""The classification and its TPCD (archivo.models.clasificacion)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from archivo.models import Serie


def serie_por_defecto() -> Serie:
    """The serie a new expediente belongs to (settings.ARCHIVO["SERIE_POR_DEFECTO"])."""
    codigo = settings.ARCHIVO["SERIE_POR_DEFECTO"]
    try:
        return Serie.objects.get(codigo=codigo)
    except Serie.DoesNotExist:
        raise ImproperlyConfigured(
            f"No existe la serie documental {codigo} (ARCHIVO_SERIE_POR_DEFECTO): créela en el cuadro de "
            "clasificación o corrija la variable.") from None
