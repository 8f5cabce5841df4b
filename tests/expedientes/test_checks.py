"""`manage.py check --deploy` says when the custody pipeline would run without its store,
its antivirus or consistent limits."""

import pytest

from expedientes import checks

pytestmark = pytest.mark.servicios


def _ids(errores):
    return {e.id for e in errores}


def test_servicios_en_orden(bucket):
    assert checks.servicios_custodia(None) == []
    assert checks.limites_custodia(None) == []


def test_limite_mayor_que_el_del_antivirus(limites):
    limites(TAMANO_MAXIMO=200, ANTIVIRUS_LIMITE=100)
    assert _ids(checks.limites_custodia(None)) == {"expedientes.E001"}


def test_antivirus_caido(bucket, limites):
    limites(CLAMD_SOCKET="/nonexistent/clamd.sock")
    assert _ids(checks.servicios_custodia(None)) == {"expedientes.E004"}


def test_bucket_sin_versionado(bucket, settings):
    from django.core.files.storage import storages

    from expedientes.custodia import almacen

    nombre = bucket + "-sin-version"
    almacen.cliente().create_bucket(Bucket=nombre)
    opciones = settings.STORAGES["custodia"]["OPTIONS"]
    settings.STORAGES = {**settings.STORAGES, "custodia": {
        **settings.STORAGES["custodia"], "OPTIONS": {**opciones, "bucket_name": nombre}}}
    storages._storages.pop("custodia", None)
    try:
        assert _ids(checks.servicios_custodia(None)) == {"expedientes.E002"}
    finally:
        almacen.cliente().delete_bucket(Bucket=nombre)
        storages._storages.pop("custodia", None)
