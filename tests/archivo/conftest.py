"""Fixtures of the archive's tests. Each part of the archive is tested on its own: here an
expediente is closed (a Cierre row and its phase) or transferred (phase «central», the
archivists' group row) by hand, with real files in the store; the end-to-end test goes
through every service."""

from datetime import date, timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def serie_sin_plazo(db):
    """A serie whose whole term (0 + 0 years) is over the day it closes, to be eliminated."""
    from archivo.models import DisposicionFinal, Seccion, Serie

    return Serie.objects.create(
        seccion=Seccion.objects.first(), codigo="PRUEBA-01", nombre="Serie de prueba sin plazo",
        anios_gestion=0, anios_central=0, disposicion_final=DisposicionFinal.ELIMINACION,
        base_legal="Prueba")


def _archivar(expediente, *, usuario, serie, fecha_cierre):
    from django.contrib.auth.models import Group, Permission

    from archivo.fases import FaseArchivo
    from archivo.models import Cierre
    from expedientes.models import ExpedientePage
    from permisos import roles
    from permisos.models import ExpedienteGroupObjectPermission

    Cierre.objects.create(expediente=expediente, fecha=fecha_cierre, cerrado_por=usuario, folios=7,
                          fecha_inicial=expediente.fecha_recepcion, fecha_final=fecha_cierre)
    ExpedientePage.objects.filter(pk=expediente.pk).update(archivo_fase=FaseArchivo.CENTRAL, serie=serie)
    ExpedienteGroupObjectPermission.objects.create(
        group=Group.objects.get(name=roles.ROL_ARCHIVISTA), content_object=expediente,
        permission=Permission.objects.get(codename="view_expedientepage"))
    expediente.refresh_from_db()
    return expediente


@pytest.fixture
def archivar(usuarios):
    """archivar(expediente, serie=..., fecha_cierre=...): closed and in the Archivo Central."""
    from permisos.policies import permisos_olvidar

    def hacer(expediente, *, serie, fecha_cierre=None):
        expediente = _archivar(expediente, usuario=usuarios["jefe"], serie=serie,
                               fecha_cierre=fecha_cierre or timezone.localdate() - timedelta(days=1))
        for usuario in usuarios.values():
            permisos_olvidar(usuario)
        return expediente

    return hacer


@pytest.fixture
def con_archivos(usuarios, pdf):
    """An expediente of the unit with an actuación and a file in two versions (real store)."""
    from expedientes.models import TipoActuacion
    from expedientes.services.actuaciones import actuacion_registrar
    from expedientes.services.adjuntos import adjunto_crear, adjunto_version_crear
    from tests.factories import expediente_crear

    def crear(nombre="ARCHIVADO DE PRUEBA S.A."):
        expediente = expediente_crear(usuario=usuarios["secretaria"], nombre=nombre)
        actuacion = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
                                        fecha=expediente.fecha_recepcion, usuario=usuarios["secretaria"])
        primera = adjunto_crear(actuacion=actuacion, titulo="Auto de pago", flujo=pdf(), nombre="auto.pdf",
                                usuario=usuarios["secretaria"])
        adjunto_version_crear(adjunto=primera.adjunto, flujo=pdf("Segunda versión"), nombre="auto-v2.pdf",
                              usuario=usuarios["secretaria"])
        return expediente

    return crear


@pytest.fixture(autouse=True)
def retencion_legal_liberar(db, bucket):
    """After each test, every legal hold of its versions OFF: the session's bucket is emptied
    at the end, and a held version cannot be deleted."""
    yield
    from botocore.exceptions import ClientError

    from expedientes.custodia import almacen
    from expedientes.models import AdjuntoVersion

    for clave, version in AdjuntoVersion.objects.filter(destruida_en__isnull=True).values_list("clave", "version_s3"):
        try:
            almacen.retencion_legal_fijar(almacen.ObjetoAlmacenado(clave, version), False)
        except ClientError:  # already gone (destroyed by the test)
            continue


@pytest.fixture
def serie_inmediata(juzgado):
    """A serie whose closed expedientes may be transferred at once (0 years in gestión) and
    are kept 5 more years in the archivo central."""
    from archivo.models import Serie
    from archivo.services.clasificacion import serie_por_defecto

    base = serie_por_defecto()
    return Serie.objects.create(seccion=base.seccion, codigo="PRUEBA-TRANSFERIBLE", nombre="Serie de prueba",
                                anios_gestion=0, anios_central=5, disposicion_final=base.disposicion_final,
                                base_legal="Prueba")


@pytest.fixture
def expediente_cerrado(usuarios, serie_inmediata, pdf):
    """expediente_cerrado(fecha_cierre=..., folios=..., archivos=1, serie=..., caja=...): an
    expediente with `archivos` stored files, closed on that date (Cierre row, fase cerrado)."""
    from archivo.fases import FaseArchivo
    from archivo.models import Caja, Cierre, Soporte, UbicacionFisica
    from expedientes.models import ExpedientePage, TipoActuacion
    from expedientes.services.actuaciones import actuacion_registrar
    from expedientes.services.adjuntos import adjunto_crear
    from tests.factories import expediente_crear

    def crear(fecha_cierre: date | None = None, *, folios: int = 10, archivos: int = 1, serie=None,
              caja: str = "", soporte=Soporte.HIBRIDO, nombre="EMPRESA CERRADA S.A."):
        secretaria = usuarios["secretaria"]
        expediente = expediente_crear(usuario=secretaria, nombre=nombre)
        if archivos:
            actuacion = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
                                            fecha=expediente.fecha_recepcion, usuario=secretaria)
            for n in range(archivos):
                adjunto_crear(actuacion=actuacion, titulo=f"Documento {n + 1}", flujo=pdf(),
                              nombre=f"documento-{n + 1}.pdf", usuario=secretaria)
        fecha_cierre = fecha_cierre or date.today() - timedelta(days=1)
        Cierre.objects.create(expediente=expediente, fecha=fecha_cierre, cerrado_por=secretaria, folios=folios,
                              fecha_inicial=expediente.fecha_recepcion, fecha_final=fecha_cierre, soporte=soporte)
        ExpedientePage.objects.filter(pk=expediente.pk).update(
            archivo_fase=FaseArchivo.CERRADO, serie=serie or serie_inmediata)
        if caja:
            caja_obj, _ = Caja.objects.get_or_create(codigo=caja, defaults={"creada_por": secretaria})
            UbicacionFisica.objects.create(expediente=expediente, caja=caja_obj, registrada_por=secretaria)
        expediente.refresh_from_db()
        return expediente

    return crear
