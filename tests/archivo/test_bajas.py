"""Baja documental through the real PostgreSQL and S3 store: refused before the term and on
hold, with the reason; after the term authorised and executed, every object version gone
by VersionId, and the record of what was destroyed kept."""

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from archivo.fases import FaseArchivo
from archivo.models import (
    BajaDocumental,
    DisposicionFinal,
    DocumentoArchivo,
    EstadoBaja,
    MotivoBloqueo,
    TipoDocumentoArchivo,
)
from archivo.selectors import eliminables, versiones_de
from archivo.services.bajas import baja_autorizar, baja_crear, baja_ejecutar
from archivo.services.bloqueos import bloqueo_poner
from expedientes.custodia import almacen
from expedientes.formato import fecha
from permisos.models import RegistroCustodia

pytestmark = pytest.mark.servicios

FICHA = {"valores_primarios": "Cumplidos: proceso terminado y pagado.",
         "valores_secundarios": "Sin valor histórico.",
         "justificacion": "Plazo de la TPCD cumplido."}


def _crear(usuarios, *expedientes):
    return baja_crear(usuario=usuarios["archivista"], expedientes=expedientes, **FICHA)


def test_antes_del_plazo_se_rechaza_con_la_fecha(usuarios, con_archivos, archivar, serie_sin_plazo):
    serie_sin_plazo.anios_central = 5
    serie_sin_plazo.save()
    cierre = timezone.localdate() - timedelta(days=10)
    expediente = archivar(con_archivos(), serie=serie_sin_plazo, fecha_cierre=cierre)
    assert not eliminables().filter(pk=expediente.pk).exists()
    with pytest.raises(ValidationError) as error:
        _crear(usuarios, expediente)
    fin = cierre.replace(year=cierre.year + 5)
    assert f"su plazo de conservación termina el {fecha(fin)}" in str(error.value)
    assert not BajaDocumental.objects.exists()


def test_con_bloqueo_o_conservacion_permanente_se_rechaza(usuarios, con_archivos, archivar, serie_sin_plazo):
    expediente = archivar(con_archivos(), serie=serie_sin_plazo)
    bloqueo_poner(expediente=expediente, motivo=MotivoBloqueo.AUDITORIA, detalle="Auditoría de la Contraloría",
                  usuario=usuarios["archivista"])
    with pytest.raises(ValidationError, match="tiene un bloqueo legal vigente"):
        _crear(usuarios, expediente)
    serie_sin_plazo.disposicion_final = DisposicionFinal.CONSERVACION
    serie_sin_plazo.save()
    with pytest.raises(ValidationError, match="es de conservación permanente"):
        _crear(usuarios, expediente)
    assert not BajaDocumental.objects.exists()


def test_no_transferido_ficha_incompleta_y_sin_permiso(usuarios, con_archivos, archivar, serie_sin_plazo):
    from expedientes.models import ExpedientePage

    expediente = archivar(con_archivos(), serie=serie_sin_plazo)
    ExpedientePage.objects.filter(pk=expediente.pk).update(archivo_fase=FaseArchivo.CERRADO)
    with pytest.raises(ValidationError, match="no está en el Archivo Central"):
        _crear(usuarios, expediente)
    with pytest.raises(ValidationError) as error:
        baja_crear(usuario=usuarios["archivista"], expedientes=[expediente], valores_primarios=" ",
                   valores_secundarios="x", justificacion="x")
    assert "valores_primarios" in error.value.message_dict
    with pytest.raises(ValidationError, match="Solo el Archivo"):
        baja_crear(usuario=usuarios["jefe"], expedientes=[expediente], **FICHA)


def test_despues_del_plazo_autorizada_y_ejecutada_deja_el_registro(
        client, usuarios, con_archivos, archivar, serie_sin_plazo, django_capture_on_commit_callbacks):
    expediente = archivar(con_archivos(), serie=serie_sin_plazo)
    versiones = list(versiones_de(expediente))
    assert len(versiones) == 2
    baja = _crear(usuarios, expediente)
    assert baja.estado == EstadoBaja.BORRADOR
    item = baja.items.get()
    assert (item.codigo, item.folios, item.plazo_cumplido_el) == (
        expediente.numero, 7, timezone.localdate() - timedelta(days=1))
    ficha = DocumentoArchivo.objects.get(baja=baja, tipo=TipoDocumentoArchivo.FICHA_PREVALORACION)
    assert almacen.existe(almacen.ObjetoAlmacenado(ficha.clave, ficha.version_s3))
    # in a disposal already: no longer proposed, nor taken by another
    assert not eliminables().filter(pk=expediente.pk).exists()
    with pytest.raises(ValidationError, match=f"ya está en la baja documental {baja.numero}"):
        _crear(usuarios, expediente)

    with pytest.raises(ValidationError, match="solo se ejecuta una baja autorizada"):
        baja_ejecutar(baja=baja, usuario=usuarios["archivista"])
    with pytest.raises(ValidationError, match="Solo el jefe"):
        baja_autorizar(baja=baja, usuario=usuarios["archivista"], referencia="Acta 1")
    with pytest.raises(ValidationError) as error:
        baja_autorizar(baja=baja, usuario=usuarios["jefe"], referencia="  ")
    assert "referencia" in error.value.message_dict
    baja = baja_autorizar(baja=baja, usuario=usuarios["jefe"], referencia="Acta del comité 2026-07")
    assert baja.estado == EstadoBaja.AUTORIZADA

    baja = baja_ejecutar(baja=baja, usuario=usuarios["archivista"])
    assert baja.estado == EstadoBaja.EJECUTADA and baja.ejecutada_por == usuarios["archivista"]
    for version in versiones:  # gone, by VersionId (not a delete marker hiding them)
        assert not almacen.existe(almacen.ObjetoAlmacenado(version.clave, version.version_s3))
        with pytest.raises(ClientError):
            almacen.abrir(almacen.ObjetoAlmacenado(version.clave, version.version_s3)).read()
    item.refresh_from_db()
    assert {(d["clave"], d["version_s3"], d["sha256"], d["version"]) for d in item.destruido} == {
        (v.clave, v.version_s3, v.sha256, v.numero) for v in versiones}
    assert all(v.destruida_en for v in versiones_de(expediente))
    expediente.refresh_from_db()
    assert expediente.archivo_fase == FaseArchivo.ELIMINADO
    acta = DocumentoArchivo.objects.get(baja=baja, tipo=TipoDocumentoArchivo.ACTA_BAJA)
    assert almacen.existe(almacen.ObjetoAlmacenado(acta.clave, acta.version_s3))
    entrada = RegistroCustodia.objects.filter(accion=RegistroCustodia.Accion.BAJA_DOCUMENTAL,
                                              expediente_id=expediente.pk).get()
    assert entrada.datos["baja"] == baja.numero and len(entrada.datos["versiones"]) == 2
    with pytest.raises(ValidationError, match="ya está «Ejecutada»|solo se ejecuta una baja autorizada"):
        baja_ejecutar(baja=baja, usuario=usuarios["archivista"])

    # the download of a destroyed version says so, instead of a store error
    client.force_login(usuarios["jefe"])
    respuesta = client.get(reverse("adjunto_descargar", args=[versiones[0].uuid]))
    assert respuesta.status_code == 410
    texto = respuesta.content.decode()
    assert f"destruido el {fecha(timezone.localdate())} por la baja documental {baja.numero}" in " ".join(texto.split())


def test_una_version_retenida_en_el_almacen_detiene_la_ejecucion(usuarios, con_archivos, archivar, serie_sin_plazo):
    """The store refuses a deletion (here a legal hold left ON in S3): the execution stops with
    a clear message, and only what is really gone is recorded as destroyed."""
    expediente = archivar(con_archivos(), serie=serie_sin_plazo)
    baja = baja_autorizar(baja=_crear(usuarios, expediente), usuario=usuarios["jefe"], referencia="Acta 9")
    primera, segunda = versiones_de(expediente)
    almacen.retencion_legal_fijar(almacen.ObjetoAlmacenado(segunda.clave, segunda.version_s3), True)
    with pytest.raises(ValidationError, match="sigue bajo retención o bloqueo legal"):
        baja_ejecutar(baja=baja, usuario=usuarios["archivista"])
    baja.refresh_from_db()
    assert baja.estado == EstadoBaja.AUTORIZADA
    item = baja.items.get()
    assert [d["version_s3"] for d in item.destruido] == [primera.version_s3]
    segunda.refresh_from_db()
    assert segunda.destruida_en is None
    assert almacen.existe(almacen.ObjetoAlmacenado(segunda.clave, segunda.version_s3))
    # the hold is released: running it again resumes and finishes
    almacen.retencion_legal_fijar(almacen.ObjetoAlmacenado(segunda.clave, segunda.version_s3), False)
    baja = baja_ejecutar(baja=baja, usuario=usuarios["archivista"])
    assert baja.estado == EstadoBaja.EJECUTADA
    item.refresh_from_db()
    assert len(item.destruido) == 2


def test_un_bloqueo_puesto_tras_la_autorizacion_impide_ejecutar(usuarios, con_archivos, archivar, serie_sin_plazo):
    expediente = archivar(con_archivos(), serie=serie_sin_plazo)
    baja = baja_autorizar(baja=_crear(usuarios, expediente), usuario=usuarios["jefe"], referencia="Acta 3")
    bloqueo_poner(expediente=expediente, motivo=MotivoBloqueo.INSOLVENCIA, detalle="Juicio 0101-2026",
                  usuario=usuarios["jefe"])
    with pytest.raises(ValidationError, match="tiene un bloqueo legal vigente"):
        baja_ejecutar(baja=baja, usuario=usuarios["archivista"])
    assert all(almacen.existe(almacen.ObjetoAlmacenado(v.clave, v.version_s3)) for v in versiones_de(expediente))


def test_pantallas_de_la_baja(client, usuarios, con_archivos, archivar, serie_sin_plazo):
    expediente = archivar(con_archivos(), serie=serie_sin_plazo)
    client.force_login(usuarios["archivista"])
    assert client.get(reverse("archivo_bajas")).status_code == 200
    nueva = client.get(reverse("archivo_baja_nueva")).content.decode()
    assert expediente.numero in nueva
    respuesta = client.post(reverse("archivo_baja_nueva"), {"expedientes": [expediente.pk], **FICHA})
    baja = BajaDocumental.objects.get()
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("archivo_baja", args=[baja.pk])
    detalle = client.get(reverse("archivo_baja", args=[baja.pk])).content.decode()
    assert "Ficha de prevaloración de la baja documental" in detalle and "Autorizar la baja" not in detalle
    assert client.post(reverse("archivo_baja", args=[baja.pk]), {"accion": "autorizar", "referencia": "x"}).status_code == 404

    client.force_login(usuarios["jefe"])
    assert client.get(reverse("archivo_baja_nueva")).status_code == 404  # the jefe authorises, does not prepare
    client.post(reverse("archivo_baja", args=[baja.pk]), {"accion": "autorizar", "referencia": "Acta 2026-11"})
    baja.refresh_from_db()
    assert baja.estado == EstadoBaja.AUTORIZADA

    client.force_login(usuarios["archivista"])
    client.post(reverse("archivo_baja", args=[baja.pk]), {"accion": "ejecutar"})
    baja.refresh_from_db()
    assert baja.estado == EstadoBaja.EJECUTADA
    detalle = client.get(reverse("archivo_baja", args=[baja.pk])).content.decode()
    assert "Acta de baja documental" in detalle and "2 versiones" in detalle

    client.force_login(usuarios["abogado"])
    assert client.get(reverse("archivo_bajas")).status_code == 404
    assert client.get(reverse("archivo_baja", args=[baja.pk])).status_code == 404
