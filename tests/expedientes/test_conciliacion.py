"""A crash between the S3 put and the commit leaves an orphan version, never a row
without its object; the reconciliation finds and removes it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from expedientes.custodia import almacen
from expedientes.custodia.conciliacion import custodia_conciliar
from expedientes.services.adjuntos import adjunto_crear

pytestmark = pytest.mark.servicios


def test_huerfano_tras_caida_se_detecta_y_retira(actuacion, usuarios, pdf, versiones_en_bucket, tmp_path):
    registrada = adjunto_crear(actuacion=actuacion, titulo="A", flujo=pdf(), nombre="a.pdf",
                               usuario=usuarios["secretaria"])
    # The process "dies" right after the put: an object no row points to.
    contenido = tmp_path / "b.pdf"
    contenido.write_bytes(pdf().getvalue())
    huerfano = almacen.guardar(str(contenido), tamano=contenido.stat().st_size, sha256="0" * 64,
                               tipo_mime="application/pdf", nombre="b.pdf")

    reciente = custodia_conciliar()  # within the grace period: may still be committing
    assert reciente.recientes >= 1 and huerfano not in reciente.huerfanas

    informe = custodia_conciliar(gracia=timedelta(0), eliminar=True)
    assert huerfano in informe.huerfanas and informe.eliminadas >= 1
    assert informe.faltantes == []
    assert (huerfano.clave, huerfano.version_s3) not in versiones_en_bucket()
    assert (registrada.clave, registrada.version_s3) in versiones_en_bucket()


def test_fila_sin_objeto_se_informa(actuacion, usuarios, pdf):
    version = adjunto_crear(actuacion=actuacion, titulo="A", flujo=pdf(), nombre="a.pdf",
                            usuario=usuarios["secretaria"])
    almacen.eliminar(almacen.ObjetoAlmacenado(version.clave, version.version_s3))
    salida, errores = StringIO(), StringIO()
    call_command("custodia_conciliar", stdout=salida, stderr=errores)
    assert "Registros sin objeto en el almacén: 1" in errores.getvalue()
    assert str(version.uuid) in errores.getvalue()


def test_registros_del_archivo_y_versiones_destruidas(usuarios, pdf, actuacion):
    """The archive's own records are not orphans; a version destroyed by a baja documental is
    not a row without its object."""
    from django.utils import timezone

    from archivo.models import DocumentoArchivo, TipoDocumentoArchivo
    from expedientes.custodia import custodiar

    documento = custodiar(flujo=pdf("Acta"), nombre="acta.pdf", registrar=lambda c: DocumentoArchivo.objects.create(
        **c.campos(), tipo=TipoDocumentoArchivo.ACTA_ENTREGA, titulo="Acta", creado_por=usuarios["jefe"]))
    destruida = adjunto_crear(actuacion=actuacion, titulo="B", flujo=pdf(), nombre="b.pdf",
                              usuario=usuarios["secretaria"])
    almacen.eliminar(almacen.ObjetoAlmacenado(destruida.clave, destruida.version_s3))
    type(destruida).objects.filter(pk=destruida.pk).update(destruida_en=timezone.now())

    informe = custodia_conciliar(gracia=timedelta(0), eliminar=True)
    assert almacen.ObjetoAlmacenado(documento.clave, documento.version_s3) not in informe.huerfanas
    assert almacen.existe(almacen.ObjetoAlmacenado(documento.clave, documento.version_s3))
    assert informe.faltantes == []


def test_huerfano_bajo_retencion_se_informa_y_no_se_retira(db, tmp_path, bucket):
    """A version the store keeps under Object Lock (a transfer whose commit failed after
    locking) is reported, not removed, and the reconciliation goes on."""
    from datetime import date

    contenido = tmp_path / "c.pdf"
    contenido.write_bytes(b"%PDF-1.4\n% retenida\n%%EOF\n")
    huerfano = almacen.guardar(str(contenido), tamano=contenido.stat().st_size, sha256="0" * 64,
                               tipo_mime="application/pdf", nombre="c.pdf")
    almacen.retencion_fijar(huerfano, date.today() + timedelta(days=1))
    informe = custodia_conciliar(gracia=timedelta(0), eliminar=True)
    assert huerfano in informe.retenidas and almacen.existe(huerfano)
