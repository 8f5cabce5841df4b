"""Fixity audits through the real store: a byte changed in SeaweedFS's own volume file, a
version deleted behind the portal's back, and an audit run in slices."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from archivo.models import (
    AuditoriaFijeza,
    DocumentoArchivo,
    EstadoAuditoria,
    HallazgoFijeza,
    TipoDocumentoArchivo,
    TipoHallazgo,
)
from archivo.services.fijeza import fijeza_auditar, fijeza_ultima
from expedientes.custodia import almacen, custodiar
from expedientes.services.adjuntos import adjunto_crear
from permisos.models import RegistroCustodia
from tests.archivo.almacen_datos import byte_alterado, pdf_unico

pytestmark = pytest.mark.servicios


def _guardar(actuacion, usuario, titulo="Oficio"):
    flujo, marca = pdf_unico()
    version = adjunto_crear(actuacion=actuacion, titulo=titulo, flujo=flujo, nombre=f"{titulo}.pdf",
                            usuario=usuario)
    return version, marca


def _hallazgos(version):
    return HallazgoFijeza.objects.filter(registro=f"adjunto:{version.uuid}")


def test_un_byte_cambiado_en_el_volumen_se_informa(actuacion, usuarios, expediente):
    sana, _ = _guardar(actuacion, usuarios["secretaria"], "Sana")
    version, marca = _guardar(actuacion, usuarios["secretaria"], "Alterada")
    with byte_alterado(marca), pytest.raises(CommandError) as error:
        call_command("fijeza_auditar", "--lote", "0", stdout=io.StringIO(), stderr=io.StringIO())
    assert error.value.returncode == 1
    hallazgo = _hallazgos(version).get()
    # SeaweedFS refuses the damaged needle (its CRC: InternalError), or could serve other bytes
    assert hallazgo.tipo in (TipoHallazgo.ALTERADA, TipoHallazgo.ERROR), hallazgo.detalle
    assert hallazgo.expediente_id == expediente.pk
    assert hallazgo.esperado == version.sha256 and hallazgo.version_s3 == version.version_s3
    if hallazgo.tipo == TipoHallazgo.ALTERADA:
        assert hallazgo.obtenido and hallazgo.obtenido != version.sha256
    assert not _hallazgos(sana).exists()
    auditoria = hallazgo.auditoria
    assert auditoria.estado == EstadoAuditoria.COMPLETA and auditoria.revisadas == 2
    assert auditoria.correctas == 1 and auditoria.alteradas + auditoria.errores == 1


def test_una_version_borrada_con_boto3_es_faltante(actuacion, usuarios):
    sana, _ = _guardar(actuacion, usuarios["secretaria"], "Sana")
    version, _ = _guardar(actuacion, usuarios["secretaria"], "Borrada")
    almacen.cliente().delete_object(Bucket=almacen.bucket(), Key=version.clave, VersionId=version.version_s3)
    salida, errores = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("fijeza_auditar", stdout=salida, stderr=errores)
    assert error.value.returncode == 1
    assert "faltantes 1" in salida.getvalue() and f"adjunto:{version.uuid}" in errores.getvalue()
    hallazgo = _hallazgos(version).get()
    assert hallazgo.tipo == TipoHallazgo.FALTANTE and not hallazgo.obtenido
    assert not _hallazgos(sana).exists()
    # the custody log has the audit's summary
    entrada = RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.FIJEZA).get()
    assert entrada.datos["faltantes"] == 1 and entrada.datos["correctas"] == 1
    assert entrada.datos["hallazgos"][0]["registro"] == f"adjunto:{version.uuid}"


def _documento_archivo(usuario) -> DocumentoArchivo:
    flujo, _ = pdf_unico(8 * 1024)
    return custodiar(flujo=flujo, nombre="manifiesto.pdf", registrar=lambda custodiado: DocumentoArchivo.objects.create(
        **custodiado.campos(), tipo=TipoDocumentoArchivo.OTRO, titulo="Documento del archivo", creado_por=usuario))


def test_por_lotes_tres_ejecuciones_completan_una_auditoria(actuacion, usuarios):
    _guardar(actuacion, usuarios["secretaria"], "Uno")
    _guardar(actuacion, usuarios["secretaria"], "Dos")
    _documento_archivo(usuarios["archivista"])
    # destroyed by a baja documental: its record says it is gone, it is not read
    destruida, _ = _guardar(actuacion, usuarios["secretaria"], "Destruida")
    almacen.eliminar(almacen.ObjetoAlmacenado(destruida.clave, destruida.version_s3))
    type(destruida).objects.filter(pk=destruida.pk).update(destruida_en=timezone.now())

    salida, avance = io.StringIO(), io.StringIO()
    call_command("fijeza_auditar", "--lote", "1", "--cada", "1", stdout=salida, stderr=avance)
    primera = AuditoriaFijeza.objects.get()
    assert primera.estado == EstadoAuditoria.EN_CURSO and primera.terminada_en is None
    assert (primera.revisadas, primera.total) == (1, 3) and set(primera.cursor) == {"adjunto"}
    assert "1/3 versiones revisadas" in avance.getvalue() and "MB/s" in avance.getvalue()
    assert "en curso" in salida.getvalue()

    segunda = fijeza_auditar(lote=1)
    assert segunda.pk == primera.pk and segunda.estado == EstadoAuditoria.EN_CURSO
    assert segunda.revisadas == 2
    assert not RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.FIJEZA).exists()

    tercera = fijeza_auditar(lote=1, usuario=usuarios["archivista"])
    assert tercera.pk == primera.pk and tercera.estado == EstadoAuditoria.COMPLETA
    assert tercera.terminada_en is not None
    assert (tercera.revisadas, tercera.correctas, tercera.total) == (3, 3, 3)
    assert set(tercera.cursor) == {"adjunto", "archivo"} and tercera.bytes_leidos > 0
    assert not tercera.hallazgos.exists()
    entrada = RegistroCustodia.objects.get(accion=RegistroCustodia.Accion.FIJEZA)
    assert entrada.usuario == usuarios["archivista"] and entrada.datos["revisadas"] == 3

    # the next run starts a new audit; --nueva starts one even with another in course
    cuarta = fijeza_auditar(lote=1)
    assert cuarta.pk != primera.pk and cuarta.estado == EstadoAuditoria.EN_CURSO
    quinta = fijeza_auditar(lote=0, nueva=True)
    assert quinta.pk not in (primera.pk, cuarta.pk) and quinta.estado == EstadoAuditoria.COMPLETA
    assert fijeza_ultima() == quinta


def test_dos_ejecuciones_a_la_vez_no_cuentan_dos_veces(actuacion, usuarios, monkeypatch):
    from django.core.exceptions import ValidationError

    from archivo.services import fijeza

    for titulo in ("Uno", "Dos", "Tres"):
        _guardar(actuacion, usuarios["secretaria"], titulo)
    fijeza_auditar(lote=1)
    original = fijeza.version_verificar

    def otra_ejecucion_a_la_vez(**kwargs):
        monkeypatch.setattr(fijeza, "version_verificar", original)
        fijeza_auditar(lote=1)  # a second scheduler moves the same audit meanwhile
        return original(**kwargs)

    monkeypatch.setattr(fijeza, "version_verificar", otra_ejecucion_a_la_vez)
    with pytest.raises(ValidationError, match="Otra ejecución"):
        fijeza_auditar(lote=1)
    auditoria = AuditoriaFijeza.objects.get()
    assert (auditoria.revisadas, auditoria.correctas, auditoria.estado) == (2, 2, EstadoAuditoria.EN_CURSO)
    assert fijeza_auditar(lote=0).estado == EstadoAuditoria.COMPLETA
    auditoria.refresh_from_db()
    assert (auditoria.revisadas, auditoria.correctas) == (3, 3)
