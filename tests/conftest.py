"""Tests run on the real PostgreSQL, SeaweedFS S3 store and clamd that scripts/test.sh
starts. Each test session works in a bucket of its own (portal/settings/test.py), removed
at the end."""

import io

import pytest

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(scope="session")
def bucket(django_db_setup):
    from expedientes.custodia import almacen

    almacen.bucket_preparar()
    yield almacen.bucket()
    from botocore.exceptions import ClientError

    cliente = almacen.cliente()
    bloqueadas = 0
    for version in almacen.versiones(prefijo=""):
        try:
            cliente.delete_object(Bucket=almacen.bucket(), Key=version["Key"], VersionId=version["VersionId"])
        except ClientError:
            bloqueadas += 1  # under Object Lock (COMPLIANCE): it stays until its date, by design
    paginador = cliente.get_paginator("list_object_versions")
    for pagina in paginador.paginate(Bucket=almacen.bucket()):
        for marca in pagina.get("DeleteMarkers", []):
            cliente.delete_object(Bucket=almacen.bucket(), Key=marca["Key"], VersionId=marca["VersionId"])
    if not bloqueadas:
        cliente.delete_bucket(Bucket=almacen.bucket())


@pytest.fixture(scope="session", autouse=True)
def vaciado_entre_pruebas():
    """Transactional tests end with Django's flush, one TRUNCATE of every table; the custody
    log and the permission changes refuse TRUNCATE (permisos/models.py). Only that flush, here, may
    go around it."""
    import pgtrigger
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self, *args, **options):
        with pgtrigger.ignore("permisos.RegistroCustodia:sin_vaciar", "permisos.CambioPermisos:sin_vaciar"):
            return original(self, *args, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture
def versiones_en_bucket(bucket):
    """The set of (key, VersionId) in the bucket right now."""
    from expedientes.custodia import almacen

    def leer():
        return {(v["Key"], v["VersionId"]) for v in almacen.versiones(prefijo="")}

    return leer


@pytest.fixture
def juzgado(db, bucket):
    from portal.inicializacion import portal_inicializar

    return portal_inicializar(preparar_bucket=False)


@pytest.fixture
def usuarios(juzgado):
    from tests.factories import usuario_con_rol

    from permisos import roles

    return {
        "secretaria": usuario_con_rol(roles.ROL_SECRETARIA, username="secretaria"),
        "abogado": usuario_con_rol(roles.ROL_ABOGADO, username="abogado"),
        "jefe": usuario_con_rol(roles.ROL_JEFE, username="jefe"),
        "auditor": usuario_con_rol(roles.ROL_AUDITOR, username="auditor"),
        "archivista": usuario_con_rol(roles.ROL_ARCHIVISTA, username="archivista"),
        "asesoria": usuario_con_rol(roles.ROL_ASESORIA, username="asesoria"),
        "administrador": usuario_con_rol(roles.ROL_ADMINISTRADOR, username="administrador"),
        "sin_rol": usuario_con_rol(None, username="visitante"),
    }


@pytest.fixture
def expediente(usuarios):
    from tests.factories import expediente_crear

    # assigned to the abogado: their access follows the assignment
    return expediente_crear(usuario=usuarios["secretaria"], abogado=usuarios["abogado"])


@pytest.fixture
def actuacion(expediente, usuarios):
    from expedientes.models import TipoActuacion
    from expedientes.services.actuaciones import actuacion_registrar

    return actuacion_registrar(
        expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
        fecha=expediente.fecha_recepcion, usuario=usuarios["secretaria"],
    )


@pytest.fixture
def tasa(db):
    """The interest-rate table with one rate, 10 % a year since 2024 (a test file may override it)."""
    from datetime import date
    from decimal import Decimal

    from expedientes.services.cuenta import tasa_registrar

    return tasa_registrar(vigente_desde=date(2024, 1, 1), tasa_anual=Decimal("10.0000"), fuente="Prueba")


@pytest.fixture
def pdf():
    """A small real PDF, new bytes each call (clamd caches verdicts by content)."""
    from tests.factories import pdf_bytes

    return pdf_bytes


@pytest.fixture
def eicar():
    return io.BytesIO(EICAR)


@pytest.fixture
def limites(settings):
    """Change the custody limits for one test."""

    def aplicar(**valores):
        settings.CUSTODIA = {**settings.CUSTODIA, **valores}

    return aplicar


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Tests marked `lento` (minutes each) run first: with the suite spread over workers
    (scripts/test.sh), one started last would leave the other workers idle while it ends the
    run alone. A stable sort, run before pytest-django's own (which then puts the
    transactional tests last, keeping this order within each kind); the order is the same on
    every worker, as pytest-xdist requires."""
    items.sort(key=lambda item: item.get_closest_marker("lento") is None)
