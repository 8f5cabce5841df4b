"""Deployment checks (`manage.py check --deploy`): the custody pipeline must have its
store and its antivirus, and its limits must agree, or files would go in unscanned."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as Advertencia


@register(Tags.compatibility)
def limites_custodia(app_configs, **kwargs):
    conf = settings.CUSTODIA
    if conf["TAMANO_MAXIMO"] > conf["ANTIVIRUS_LIMITE"]:
        return [Error(
            "CUSTODIA_TAMANO_MAXIMO supera CLAMD_STREAM_MAX_LENGTH: clamd dejaría archivos "
            "sin analizar.",
            hint="Baje CUSTODIA_TAMANO_MAXIMO o suba StreamMaxLength en clamd.conf.",
            id="expedientes.E001",
        )]
    return []


@register(Tags.compatibility, deploy=True)
def servicios_custodia(app_configs, **kwargs):
    from expedientes.custodia import almacen, antivirus

    errores = []
    try:
        if almacen.bucket_estado() != "Enabled":
            errores.append(Error(
                f"El bucket {almacen.bucket()} no tiene el versionado activado.",
                hint="manage.py portal_inicializar lo crea con versionado.", id="expedientes.E002",
            ))
    except Exception as exc:
        errores.append(Error(f"Almacén S3 no disponible: {exc}", id="expedientes.E003"))
    try:
        if antivirus.cliente().ping() != "PONG":
            raise RuntimeError("respuesta inesperada")
    except Exception as exc:
        errores.append(Error(f"Antivirus clamd no disponible: {exc}", id="expedientes.E004"))
    return errores


@register(Tags.staticfiles)
def visor_vendido(app_configs, **kwargs):
    """The reader's pdf.js is copied at build time (scripts/estaticos.sh), not committed: a
    checkout that skipped that step serves a reader that cannot draw PDFs."""
    from django.contrib.staticfiles import finders

    if finders.find("vendor/pdfjs/pdf.min.mjs") and finders.find("vendor/pdfjs/pdf.worker.min.mjs"):
        return []
    return [Advertencia(
        "Falta pdf.js (vendor/pdfjs/): el lector no podrá mostrar PDF.",
        hint="Ejecute scripts/estaticos.sh (lo hace scripts/bootstrap.sh; en Docker, la etapa «estaticos»).",
        id="expedientes.W001",
    )]
