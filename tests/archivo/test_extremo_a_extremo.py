"""Issue 10's «done when», end to end through the real PostgreSQL, S3 store and clamd: three
expedientes closed and transferred, one rejected at cotejo, the others accepted; the archived
versions resist a superuser, through the portal and through boto3 with the portal's own
keys; a byte changed in the store's data is reported by the fixity command; disposal before
the term is refused, after it leaves the destruction record."""

import hashlib
import io
from datetime import date, timedelta

import pytest
from botocore.exceptions import ClientError
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from archivo.fases import FaseArchivo
from archivo.models import (
    BajaItem,
    DisposicionFinal,
    EstadoTransferencia,
    HallazgoFijeza,
    ResultadoCotejo,
    Serie,
    TipoHallazgo,
)
from archivo.services import bajas, cierre, transferencias
from expedientes.custodia import almacen
from expedientes.estados import Estado
from expedientes.models import AdjuntoVersion, ExpedientePage, TipoActuacion
from expedientes.services.actuaciones import actuacion_registrar
from expedientes.services.adjuntos import adjunto_crear
from expedientes.services.proceso import expediente_transicion
from tests.archivo.almacen_datos import byte_alterado, pdf_unico
from tests.factories import expediente_crear

pytestmark = [pytest.mark.servicios, pytest.mark.lento]


def _versiones(expediente):
    return list(AdjuntoVersion.objects.filter(adjunto__actuacion__path__startswith=expediente.path))


def _objeto(version):
    return almacen.ObjetoAlmacenado(version.clave, version.version_s3)


def _sha256(version) -> str:
    cuerpo = almacen.abrir(_objeto(version))
    try:
        return hashlib.sha256(cuerpo.read()).hexdigest()
    finally:
        cuerpo.close()


@pytest.fixture
def serie_corta(juzgado):
    """No years in gestión (the transfer can happen today) and five in the Archivo Central."""
    serie = Serie.objects.get(codigo="MDT-DRC-JC-01")
    Serie.objects.filter(pk=serie.pk).update(anios_gestion=0, anios_central=5,
                                             disposicion_final=DisposicionFinal.ELIMINACION)
    return serie


def _expediente_terminado(usuarios, pdf, nombre, recepcion=date(2025, 3, 13), baja=None):
    expediente = expediente_crear(usuario=usuarios["secretaria"], nombre=nombre, fecha=recepcion)
    actuacion = actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AUTO_DE_PAGO,
                                    fecha=expediente.fecha_recepcion, usuario=usuarios["secretaria"])
    adjunto_crear(actuacion=actuacion, titulo="Auto de pago firmado", flujo=pdf(f"Auto de pago {nombre}"),
                  nombre="auto.pdf", usuario=usuarios["secretaria"])
    expediente_transicion(expediente=expediente, hasta=Estado.BAJA, usuario=usuarios["jefe"], fecha=baja,
                          motivo="Prescripción de la acción de cobro")
    return ExpedientePage.objects.get(pk=expediente.pk)


def test_archivo_de_extremo_a_extremo(client, usuarios, pdf, serie_corta, django_user_model):
    jefe, archivista = usuarios["jefe"], usuarios["archivista"]
    hoy = timezone.localdate()
    a, c = (_expediente_terminado(usuarios, pdf, n) for n in ("ALFA S.A.", "GAMA S.A."))
    b = _expediente_terminado(usuarios, pdf, "BETA S.A.", recepcion=date(2013, 6, 3), baja=date(2014, 12, 1))
    # c also carries a file with a unique marker, to be found in the store's volume files
    flujo, marca = pdf_unico()
    adjunto_crear(actuacion=c.get_children().specific().first(), titulo="Informe", flujo=flujo,
                  nombre="informe.pdf", usuario=usuarios["secretaria"])

    # closing: a today (its term runs to hoy + 5 years), b long ago (its term is over)
    cierre.expediente_cerrar(expediente=a, usuario=jefe)
    cierre.expediente_cerrar(expediente=b, usuario=jefe, fecha=date(2015, 1, 5))
    cierre.expediente_cerrar(expediente=c, usuario=jefe)

    transferencia = transferencias.transferencia_crear(usuario=jefe, expedientes=[a, b, c])
    transferencias.transferencia_solicitar(transferencia=transferencia, usuario=jefe)
    with pytest.raises(ValidationError):
        transferencias.transferencia_quitar(transferencia=transferencia, expedientes=[c], usuario=jefe)

    items = {i.expediente_id: i for i in transferencia.items.all()}
    transferencias.item_cotejar(item=items[a.pk], usuario=archivista, conforme=True)
    transferencias.item_cotejar(item=items[b.pk], usuario=archivista, conforme=True)
    transferencias.item_cotejar(item=items[c.pk], usuario=archivista, conforme=False,
                                discrepancias="Faltan los folios 3 a 5 del original en papel.")
    transferencias.transferencia_revisar(transferencia=transferencia, usuario=archivista)
    transferencia = transferencias.transferencia_aceptar(transferencia=transferencia, usuario=archivista)
    assert transferencia.estado == EstadoTransferencia.ACEPTADA
    fases = dict(ExpedientePage.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("pk", "archivo_fase"))
    assert fases == {a.pk: FaseArchivo.CENTRAL, b.pk: FaseArchivo.CENTRAL, c.pk: FaseArchivo.CERRADO}
    assert transferencia.items.get(expediente=c).cotejo == ResultadoCotejo.RECHAZADO

    # every archived version of `a` is under COMPLIANCE retention until the end of its term
    s3, bucket = almacen.cliente(), almacen.bucket()
    archivadas = _versiones(a)
    assert archivadas
    for version in archivadas:
        retencion = s3.get_object_retention(Bucket=bucket, Key=version.clave, VersionId=version.version_s3)
        assert retencion["Retention"]["Mode"] == "COMPLIANCE"
        assert retencion["Retention"]["RetainUntilDate"].date() >= hoy + timedelta(days=5 * 365 - 2)

    # a superuser, through the portal: no new version, no page deletion
    raiz = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "clave-de-prueba")
    client.force_login(raiz)
    version = archivadas[0]
    nueva = io.BytesIO(pdf("sobrescritura").getvalue())
    nueva.name = "otro.pdf"
    client.post(reverse("expedientes_adjunto_version", args=[version.adjunto.uuid]), {"archivo": nueva})
    client.post(reverse("wagtailadmin_pages:delete", args=[a.pk]))
    assert ExpedientePage.objects.filter(pk=a.pk).exists()
    assert AdjuntoVersion.objects.filter(adjunto=version.adjunto).count() == 1

    # ... and directly through boto3 with the portal's keys
    with pytest.raises(ClientError) as error:
        s3.delete_object(Bucket=bucket, Key=version.clave, VersionId=version.version_s3)
    assert error.value.response["Error"]["Code"] == "AccessDenied"
    s3.put_object(Bucket=bucket, Key=version.clave, Body=b"otro contenido")
    assert _sha256(version) == version.sha256  # the archived version is untouched

    # the fixity command reports a version whose bytes changed in the store's data
    alterada = AdjuntoVersion.objects.get(adjunto__actuacion__path__startswith=c.path, nombre_original="informe.pdf")
    with byte_alterado(marca), pytest.raises(CommandError) as error:
        call_command("fijeza_auditar", "--nueva", "--lote", "0", stdout=io.StringIO())
    assert error.value.returncode == 1
    assert HallazgoFijeza.objects.filter(clave=alterada.clave, version_s3=alterada.version_s3,
                                         tipo__in=[TipoHallazgo.ALTERADA, TipoHallazgo.ERROR]).exists()

    # disposal: before the term refused (a), after it (b) leaves the destruction record
    with pytest.raises(ValidationError, match="plazo"):
        bajas.baja_crear(usuario=archivista, expedientes=[a], valores_primarios="Cumplidos.",
                         valores_secundarios="Sin valor histórico.", justificacion="TPCD cumplida.")
    baja = bajas.baja_crear(usuario=archivista, expedientes=[b], valores_primarios="Cumplidos.",
                            valores_secundarios="Sin valor histórico.", justificacion="TPCD cumplida.")
    bajas.baja_autorizar(baja=baja, usuario=jefe, referencia="Acta del Comité de Archivo 2026-07")
    bajas.baja_ejecutar(baja=baja, usuario=archivista)
    item = BajaItem.objects.get(baja=baja, expediente=b)
    destruidas = _versiones(b)
    assert {d["sha256"] for d in item.destruido} == {v.sha256 for v in destruidas}
    for v in destruidas:
        assert v.destruida_en is not None and not almacen.existe(_objeto(v))
    assert ExpedientePage.objects.get(pk=b.pk).archivo_fase == FaseArchivo.ELIMINADO
