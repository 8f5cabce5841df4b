"""Transferencia primaria through the real PostgreSQL, S3 store (Object Lock) and clamd."""

import io
from datetime import date, timedelta

import pytest
from botocore.exceptions import ClientError
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from archivo.fases import FaseArchivo
from archivo.inventario import COLUMNAS, TOTAL
from archivo.models import (
    BloqueoLegal,
    DocumentoArchivo,
    EstadoTransferencia,
    MotivoBloqueo,
    ResultadoCotejo,
    TipoDocumentoArchivo,
)
from archivo.selectors import transferibles
from archivo.services.transferencias import (
    item_cotejar,
    transferencia_aceptar,
    transferencia_agregar,
    transferencia_crear,
    transferencia_quitar,
    transferencia_rechazar,
    transferencia_revisar,
    transferencia_solicitar,
)
from expedientes.custodia import almacen
from expedientes.models import AdjuntoVersion, ExpedientePage
from permisos import policies
from permisos.models import RegistroCustodia
from tests.factories import expediente_crear

pytestmark = [pytest.mark.servicios, pytest.mark.django_db]


def _leer(documento) -> bytes:
    cuerpo = almacen.abrir(almacen.ObjetoAlmacenado(documento.clave, documento.version_s3))
    try:
        return cuerpo.read()
    finally:
        cuerpo.close()


def _filas_inventario(contenido: bytes) -> list[tuple]:
    hoja = load_workbook(io.BytesIO(contenido)).active
    filas = [tuple(f) for f in hoja.iter_rows(values_only=True)]
    inicio = next(n for n, f in enumerate(filas) if f[:len(COLUMNAS)] == COLUMNAS) + 1
    fin = next(n for n, f in enumerate(filas) if f and f[0] == TOTAL)
    return filas[inicio:fin], filas[fin]


def _olvidar(*usuarios):
    for u in usuarios:
        policies.permisos_olvidar(u)


def test_la_propuesta_excluye_abiertos_bloqueados_y_no_vencidos(usuarios, expediente_cerrado, serie_inmediata):
    from archivo.models import Serie

    lista = expediente_cerrado(nombre="LISTA S.A.")
    abierto = expediente_crear(usuario=usuarios["secretaria"], nombre="ABIERTA S.A.")
    bloqueado = expediente_cerrado(nombre="BLOQUEADA S.A.")
    BloqueoLegal.objects.create(expediente=bloqueado, motivo=MotivoBloqueo.AUDITORIA, detalle="Examen especial",
                                puesto_por=usuarios["jefe"])
    larga = Serie.objects.create(seccion=serie_inmediata.seccion, codigo="PRUEBA-LARGA", nombre="Larga",
                                 anios_gestion=2, anios_central=5, disposicion_final="eliminacion", base_legal="x")
    reciente = expediente_cerrado(date(2026, 3, 1), serie=larga, nombre="RECIENTE S.A.")

    propuestos = set(transferibles(date(2026, 12, 2)).values_list("pk", flat=True))
    assert lista.pk in propuestos
    assert not propuestos & {abierto.pk, bloqueado.pk, reciente.pk}

    with pytest.raises(ValidationError) as error:
        transferencia_crear(usuario=usuarios["secretaria"], expedientes=[lista, abierto, bloqueado, reciente])
    mensajes = " ".join(error.value.messages)
    assert f"{abierto.numero} no está cerrado" in mensajes
    assert f"{bloqueado.numero} tiene un bloqueo legal activo" in mensajes
    assert f"{reciente.numero} su plazo en el archivo de gestión termina el 01/03/2028" in mensajes
    assert lista.numero not in mensajes

    primera = transferencia_crear(usuario=usuarios["secretaria"], expedientes=[lista])
    assert primera.numero == f"TP-{date.today().year}-001"
    with pytest.raises(ValidationError, match=f"ya está en la transferencia {primera.numero}"):
        transferencia_crear(usuario=usuarios["jefe"], expedientes=[lista])
    with pytest.raises(ValidationError, match="No tiene permiso"):
        transferencia_crear(usuario=usuarios["abogado"], expedientes=[lista])


def test_solicitar_genera_inventario_y_acta_y_ya_no_se_modifica(usuarios, expediente_cerrado):
    secretaria, archivista = usuarios["secretaria"], usuarios["archivista"]
    a = expediente_cerrado(folios=12, caja="CAJA-001", nombre="ALFA S.A.")
    b = expediente_cerrado(folios=30, caja="CAJA-002", nombre="BETA S.A.")
    c = expediente_cerrado(folios=7, nombre="GAMMA S.A.")
    t = transferencia_crear(usuario=secretaria, expedientes=[a, b, c], observaciones="Lote 1")
    transferencia_quitar(transferencia=t, expedientes=[a], usuario=secretaria)
    transferencia_agregar(transferencia=t, expedientes=[a], usuario=secretaria)
    assert [(i.orden, i.codigo) for i in t.items.order_by("orden")] == [(1, b.numero), (2, c.numero), (3, a.numero)]
    assert not policies.expediente_puede_ver(archivista, a)

    transferencia_solicitar(transferencia=t, usuario=secretaria)
    t.refresh_from_db()
    assert t.estado == EstadoTransferencia.SOLICITADA and t.solicitada_por == secretaria

    documentos = {d.tipo: d for d in t.documentos.all()}
    assert set(documentos) == {TipoDocumentoArchivo.INVENTARIO_XLSX, TipoDocumentoArchivo.INVENTARIO_PDF,
                               TipoDocumentoArchivo.ACTA_ENTREGA}
    filas, total = _filas_inventario(_leer(documentos[TipoDocumentoArchivo.INVENTARIO_XLSX]))
    assert [(f[0], f[1], f[5], f[6]) for f in filas] == [
        (1, b.numero, 30, "CAJA-002"), (2, c.numero, 7, None), (3, a.numero, 12, "CAJA-001")]
    assert total[5] == 49
    for tipo in (TipoDocumentoArchivo.INVENTARIO_PDF, TipoDocumentoArchivo.ACTA_ENTREGA):
        assert _leer(documentos[tipo]).startswith(b"%PDF")
        assert documentos[tipo].tipo_mime == "application/pdf"

    _olvidar(archivista)
    assert all(policies.expediente_puede_ver(archivista, e) for e in (a, b, c))
    assert not policies.expediente_puede_trabajar(archivista, a)

    otro = expediente_cerrado(nombre="DELTA S.A.")
    mensaje = f"La transferencia {t.numero} ya fue solicitada: no se modifica"
    for intento in (lambda: transferencia_agregar(transferencia=t, expedientes=[otro], usuario=secretaria),
                    lambda: transferencia_quitar(transferencia=t, expedientes=[a], usuario=secretaria),
                    lambda: transferencia_solicitar(transferencia=t, usuario=secretaria)):
        with pytest.raises(ValidationError, match=mensaje):
            intento()
    assert t.items.count() == 3 and t.documentos.count() == 3


def _cotejada(usuarios, expediente_cerrado):
    """Three closed expedientes transferred and checked: the second rejected at cotejo."""
    secretaria, archivista = usuarios["secretaria"], usuarios["archivista"]
    expedientes = [expediente_cerrado(folios=5 + n, archivos=2, nombre=f"TRANSFERIDA {n} S.A.") for n in range(3)]
    t = transferencia_crear(usuario=secretaria, expedientes=expedientes)
    transferencia_solicitar(transferencia=t, usuario=secretaria)
    items = list(t.items.order_by("orden"))
    with pytest.raises(ValidationError, match="Falta cotejar"):
        transferencia_revisar(transferencia=t, usuario=archivista)
    with pytest.raises(ValidationError, match="Describa las discrepancias"):
        item_cotejar(item=items[1], usuario=archivista, conforme=False)
    with pytest.raises(ValidationError, match="No tiene permiso"):
        item_cotejar(item=items[0], usuario=secretaria, conforme=True)
    item_cotejar(item=items[0], usuario=archivista, conforme=True)
    item_cotejar(item=items[1], usuario=archivista, conforme=False, discrepancias="Faltan los folios 3 a 5.")
    item_cotejar(item=items[2], usuario=archivista, conforme=True)
    transferencia_revisar(transferencia=t, usuario=archivista)
    return t, expedientes


def test_cotejo_aceptacion_y_object_lock(usuarios, expediente_cerrado, bucket):
    archivista = usuarios["archivista"]
    t, (uno, rechazado, tres) = _cotejada(usuarios, expediente_cerrado)
    with pytest.raises(ValidationError, match="Revisada"):
        item_cotejar(item=t.items.first(), usuario=archivista, conforme=True)

    transferencia_aceptar(transferencia=t, usuario=archivista)
    t.refresh_from_db()
    assert t.estado == EstadoTransferencia.ACEPTADA and t.resuelta_por == archivista
    fases = dict(ExpedientePage.objects.filter(pk__in=[uno.pk, rechazado.pk, tres.pk])
                 .values_list("pk", "archivo_fase"))
    assert fases == {uno.pk: FaseArchivo.CENTRAL, rechazado.pk: FaseArchivo.CERRADO, tres.pk: FaseArchivo.CENTRAL}
    assert t.items.get(expediente=rechazado).cotejo == ResultadoCotejo.RECHAZADO

    _olvidar(archivista)
    assert policies.expediente_puede_ver(archivista, uno) and policies.expediente_puede_ver(archivista, tres)
    assert not policies.expediente_puede_ver(archivista, rechazado)

    # the manifest: a record in custody and on the row, every version with its hash
    manifiesto = DocumentoArchivo.objects.get(transferencia=t, tipo=TipoDocumentoArchivo.MANIFIESTO)
    assert manifiesto.tipo_mime == "application/json"
    entradas = {e["numero"]: e for e in t.manifiesto["expedientes"]}
    assert set(entradas) == {uno.numero, tres.numero}
    versiones = list(AdjuntoVersion.objects.filter(adjunto__actuacion__path__startswith=uno.path))
    assert len(versiones) == 2
    assert {v["sha256"] for v in entradas[uno.numero]["versiones"]} == {v.sha256 for v in versiones}
    fin = date.today().replace(year=date.today().year + 5) - timedelta(days=1)  # cierre yesterday + 5 years
    assert entradas[uno.numero]["retencion"] == "COMPLIANCE" and entradas[uno.numero]["retencion_hasta"] == fin.isoformat()

    # every version of a transferred expediente is under COMPLIANCE retention; delete refused
    s3 = almacen.cliente()
    for version in versiones:
        retencion = s3.get_object_retention(Bucket=bucket, Key=version.clave, VersionId=version.version_s3)
        assert retencion["Retention"]["Mode"] == "COMPLIANCE"
        assert retencion["Retention"]["RetainUntilDate"].date() >= fin - timedelta(days=1)
        with pytest.raises(ClientError) as error:
            s3.delete_object(Bucket=bucket, Key=version.clave, VersionId=version.version_s3)
        assert error.value.response["Error"]["Code"] == "AccessDenied"
    # an overwrite makes a new version; the archived one stays, byte for byte
    version = versiones[0]
    s3.put_object(Bucket=bucket, Key=version.clave, Body=b"sobrescrito")
    # through the portal's own call, too; and a delete without VersionId only adds a delete
    # marker (the trap of BACKENDS.md): the archived version is still there
    objeto = almacen.ObjetoAlmacenado(version.clave, version.version_s3)
    with pytest.raises(ClientError):
        almacen.eliminar(objeto)
    s3.delete_object(Bucket=bucket, Key=version.clave)
    import hashlib
    assert hashlib.sha256(almacen.abrir(objeto).read()).hexdigest() == version.sha256
    # the rejected one was not locked, and may go in a later transfer
    libre = AdjuntoVersion.objects.filter(adjunto__actuacion__path__startswith=rechazado.path).first()
    with pytest.raises(ClientError):
        s3.get_object_retention(Bucket=bucket, Key=libre.clave, VersionId=libre.version_s3)
    nueva = transferencia_crear(usuario=usuarios["secretaria"], expedientes=[rechazado])
    assert nueva.numero.endswith("-002")
    assert RegistroCustodia.objects.filter(accion="transferencia", expediente=uno).count() >= 3


def test_rechazar_no_mueve_nada_y_retira_el_acceso(usuarios, expediente_cerrado):
    archivista = usuarios["archivista"]
    t, expedientes = _cotejada(usuarios, expediente_cerrado)
    with pytest.raises(ValidationError, match="motivo"):
        transferencia_rechazar(transferencia=t, usuario=archivista, motivo=" ")
    transferencia_rechazar(transferencia=t, usuario=archivista, motivo="Inventario incompleto")
    t.refresh_from_db()
    assert t.estado == EstadoTransferencia.RECHAZADA and t.motivo_rechazo == "Inventario incompleto"
    assert set(ExpedientePage.objects.filter(pk__in=[e.pk for e in expedientes])
               .values_list("archivo_fase", flat=True)) == {FaseArchivo.CERRADO}
    _olvidar(archivista)
    assert not any(policies.expediente_puede_ver(archivista, e) for e in expedientes)
    with pytest.raises(ValidationError, match="Rechazada"):
        transferencia_aceptar(transferencia=t, usuario=archivista)


@pytest.mark.parametrize("lee", [True, False])
def test_la_unidad_lee_los_transferidos_segun_el_ajuste(client, settings, usuarios, expediente_cerrado, lee):
    settings.ARCHIVO = {**settings.ARCHIVO, "UNIDAD_LEE_TRANSFERIDOS": lee}
    secretaria, archivista = usuarios["secretaria"], usuarios["archivista"]
    transferido, otro = expediente_cerrado(nombre="TRANSFERIDA S.A."), expediente_cerrado(nombre="QUEDA S.A.")
    t = transferencia_crear(usuario=secretaria, expedientes=[transferido])
    transferencia_solicitar(transferencia=t, usuario=secretaria)
    item_cotejar(item=t.items.get(), usuario=archivista, conforme=True)
    transferencia_revisar(transferencia=t, usuario=archivista)
    transferencia_aceptar(transferencia=t, usuario=archivista)
    _olvidar(secretaria)

    client.force_login(secretaria)
    version = AdjuntoVersion.objects.filter(adjunto__actuacion__path__startswith=transferido.path).first()
    proceso = client.get(reverse("expedientes_proceso", args=[transferido.pk]))
    descarga = client.get(reverse("adjunto_descargar", args=[version.uuid]))
    visibles = set(policies.expedientes_filtrar_visibles(secretaria, ExpedientePage.objects.all())
                   .values_list("pk", flat=True))
    assert otro.pk in visibles
    assert client.get(reverse("expedientes_proceso", args=[otro.pk])).status_code == 200
    assert not policies.expediente_puede_trabajar(secretaria, transferido)
    pagina = ExpedientePage.objects.get(pk=transferido.pk)
    assert not pagina.permissions_for_user(secretaria).can_edit()
    if lee:
        assert proceso.status_code == 200 and descarga.status_code == 200
        assert transferido.pk in visibles
        assert policies.pagina_puede_ver(secretaria, pagina)
    else:
        assert proceso.status_code == 404 and descarga.status_code == 404
        assert transferido.pk not in visibles
        assert not policies.pagina_puede_ver(secretaria, pagina)
        assert policies.PoliticaPaginas().acciones_en(secretaria, pagina) == set()
    client.force_login(archivista)
    assert client.get(reverse("expedientes_proceso", args=[transferido.pk])).status_code == 200


def test_plazo_de_conservacion_ya_vencido_no_fija_retencion_y_lo_dice(usuarios, expediente_cerrado, bucket):
    from archivo.models import Serie

    secretaria, archivista = usuarios["secretaria"], usuarios["archivista"]
    vencida = Serie.objects.create(seccion=Serie.objects.first().seccion, codigo="PRUEBA-VENCIDA", nombre="Vencida",
                                   anios_gestion=0, anios_central=0, disposicion_final="eliminacion", base_legal="x")
    expediente = expediente_cerrado(serie=vencida)
    t = transferencia_crear(usuario=secretaria, expedientes=[expediente])
    transferencia_solicitar(transferencia=t, usuario=secretaria)
    item_cotejar(item=t.items.get(), usuario=archivista, conforme=True)
    transferencia_revisar(transferencia=t, usuario=archivista)
    transferencia_aceptar(transferencia=t, usuario=archivista)
    t.refresh_from_db()
    entrada = t.manifiesto["expedientes"][0]
    assert entrada["retencion"] == "" and "no se fija retención" in entrada["sin_retencion"]
    version = AdjuntoVersion.objects.filter(adjunto__actuacion__path__startswith=expediente.path).first()
    with pytest.raises(ClientError):
        almacen.cliente().get_object_retention(Bucket=bucket, Key=version.clave, VersionId=version.version_s3)
