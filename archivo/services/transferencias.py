"""Transferencia primaria (DOMAIN.md «Archives»): the unit prepares a batch of the closed
expedientes whose term in the archivo de gestión is over (borrador), requests it with its
inventory and acta (solicitada: the archivists get to see the expedientes to check them),
the Archivo Central checks each one (cotejo) and finishes (revisada), then accepts the
conforming ones (aceptada: they pass to the archivo central, custody moves, their object
versions are put under S3 Object Lock) or rejects the whole batch (rechazada).

Each step: the Transferencia row locked, the state checked on the fresh row, who and when
written, the custody log last. Files (inventory, acta, manifest) are rendered and S3 is
called with no row locked; the rows are written in the custody pipeline's `registrar`,
which locks and checks again."""

import json
from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from archivo import inventario, retencion
from archivo.fases import FaseArchivo
from archivo.models import (
    Cierre,
    DocumentoArchivo,
    EstadoTransferencia,
    ProcesoImpugnado,
    ResultadoCotejo,
    TipoDocumentoArchivo,
    Transferencia,
    TransferenciaItem,
    UbicacionFisica,
)
from archivo.plazos import expedientes_con_plazos
from archivo.selectors import TRANSFERENCIA_ABIERTA, con_bloqueo, transferibles
from expedientes.custodia import custodiar_varios, tipos
from expedientes.formato import fecha as fecha_formatear
from expedientes.models import ExpedientePage
from expedientes.services.proceso import expediente_bloquear
from permisos.custodia import Accion, registro_anotar
from permisos.roles import ROL_ARCHIVISTA
from permisos.services import expediente_conceder_grupo, expediente_retirar_grupo

SOLICITAR, COTEJAR = "archivo.solicitar_transferencia", "archivo.cotejar_transferencia"
VER = "view_expedientepage"  # what the archivists' group holds on each expediente handed over
# pg_advisory_xact_lock(int, int) of the yearly numbering (the custody log uses (…, 1))
_CERROJO_NUMERO = (0x636F61, 0x5450)


# --- checks ------------------------------------------------------------------------------

def _permiso_exigir(usuario, permiso: str, que: str) -> None:
    if not (usuario and usuario.is_active and usuario.has_perm(permiso)):
        raise ValidationError(f"No tiene permiso para {que}.")


def _bloquear(transferencia) -> Transferencia:
    return Transferencia.objects.select_for_update().get(pk=transferencia.pk)


def _estado_exigir(transferencia, *estados, que: str) -> None:
    if transferencia.estado in estados:
        return
    if transferencia.estado != EstadoTransferencia.BORRADOR and EstadoTransferencia.BORRADOR in estados:
        raise ValidationError(f"La transferencia {transferencia.numero} ya fue solicitada: no se modifica.")
    raise ValidationError(f"La transferencia {transferencia.numero} está «{transferencia.get_estado_display()}»: "
                          f"no se puede {que}.")


def _anotados(pks):
    return {e.pk: e for e in expedientes_con_plazos(ExpedientePage.objects.filter(pk__in=pks))
            .annotate(bloqueado=con_bloqueo())}


def _motivo(e, hoy: date) -> str:
    """Why an annotated expediente (_anotados) is not transferible today, or ""."""
    if e.archivo_fase != FaseArchivo.CERRADO:
        return f"no está cerrado (está «{FaseArchivo(e.archivo_fase).label}»)"
    if e.bloqueado:
        return "tiene un bloqueo legal activo"
    if e.fin_gestion is None:
        return "no tiene serie documental ni plazo en el archivo de gestión"
    if e.fin_gestion > hoy:
        return f"su plazo en el archivo de gestión termina el {fecha_formatear(e.fin_gestion)}"
    return ""


def _transferibles_exigir(expedientes, hoy: date) -> list[ExpedientePage]:
    """The expedientes, locked and fresh, if every one is among the transferibles of today
    (archivo.selectors); otherwise a refusal naming each one and why."""
    pks = sorted({int(getattr(e, "pk", e)) for e in expedientes})
    if not pks:
        raise ValidationError("Elija al menos un expediente.")
    if ExpedientePage.objects.filter(pk__in=pks).count() != len(pks):
        raise ValidationError("Alguno de los expedientes elegidos no existe.")
    bloqueados = [expediente_bloquear(ExpedientePage(pk=pk), cerrado=True) for pk in pks]  # pk order: no deadlock
    aptos = set(transferibles(hoy).filter(pk__in=pks).values_list("pk", flat=True))
    if len(aptos) == len(pks):
        return bloqueados
    anotados = _anotados(pks)
    otras = dict(TransferenciaItem.objects.filter(expediente__in=pks, transferencia__estado__in=TRANSFERENCIA_ABIERTA)
                 .exclude(cotejo=ResultadoCotejo.RECHAZADO).values_list("expediente_id", "transferencia__numero"))
    rechazos = []
    for e in bloqueados:
        if e.pk not in aptos:
            motivo = _motivo(anotados[e.pk], hoy) or (f"ya está en la transferencia {otras[e.pk]}" if e.pk in otras
                                                      else "no es transferible")
            rechazos.append(f"El expediente {e.numero} {motivo}.")
    raise ValidationError(rechazos)


def _expedientes_bloquear(items) -> None:
    """No reopening or hold meanwhile: the expedientes' rows, in pk order (no deadlock)."""
    for pk in sorted(i.expediente_id for i in items):
        expediente_bloquear(ExpedientePage(pk=pk), cerrado=True)


def _siguen_exigir(items, hoy: date) -> None:
    """Each row still describes a transferible expediente: the same cierre in force (not
    reopened since), no hold, the term over (its serie may have changed)."""
    anotados = _anotados([i.expediente_id for i in items])
    vigentes = dict(Cierre.objects.filter(expediente__in=anotados, vigente=True).values_list("expediente_id", "pk"))
    rechazos = []
    for item in items:
        if vigentes.get(item.expediente_id) != item.cierre_id:
            rechazos.append(f"El expediente {item.codigo} se reabrió o se cerró de nuevo después de incluirlo: "
                            "quítelo y agréguelo otra vez.")
        elif motivo := _motivo(anotados[item.expediente_id], hoy):
            rechazos.append(f"El expediente {item.codigo} {motivo}.")
    if rechazos:
        raise ValidationError(rechazos)


# --- borrador ----------------------------------------------------------------------------

def _numero_nuevo(anio: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _CERROJO_NUMERO)
    prefijo = f"TP-{anio}-"
    n = Transferencia.objects.filter(numero__startswith=prefijo).count()
    return f"{prefijo}{n + 1:03d}"


def _item_nuevo(transferencia, expediente, orden: int) -> TransferenciaItem:
    """The inventory row: the expediente as its current cierre and box describe it now."""
    cierre = Cierre.objects.get(expediente=expediente, vigente=True)
    ubicacion = (UbicacionFisica.objects.filter(expediente=expediente, hasta__isnull=True)
                 .select_related("caja").first())
    item = TransferenciaItem(
        transferencia=transferencia, expediente=expediente, orden=orden, cierre=cierre,
        codigo=expediente.numero, titulo=expediente.title[:255], fecha_inicial=cierre.fecha_inicial,
        fecha_final=cierre.fecha_final, folios=cierre.folios, soporte=cierre.soporte,
        caja=ubicacion.caja.codigo if ubicacion else "")
    item.full_clean(exclude=["transferencia", "expediente", "cierre"])
    item.save()
    return item


def _agregar(transferencia, expedientes, usuario) -> list[TransferenciaItem]:
    hoy = timezone.localdate()
    orden = transferencia.items.count()
    items = [_item_nuevo(transferencia, e, orden + n)
             for n, e in enumerate(_transferibles_exigir(expedientes, hoy), start=1)]
    for item in items:
        registro_anotar(accion=Accion.TRANSFERENCIA, usuario=usuario, expediente=item.expediente,
                        objeto=f"Transferencia {transferencia.numero}: expediente incluido (borrador)",
                        datos={"transferencia": transferencia.numero, "orden": item.orden,
                               "folios": item.folios, "caja": item.caja})
    return items


def transferencia_crear(*, usuario, expedientes, observaciones: str = "") -> Transferencia:
    _permiso_exigir(usuario, SOLICITAR, "preparar transferencias")
    with transaction.atomic():
        transferencia = Transferencia(numero=_numero_nuevo(timezone.localdate().year),
                                      observaciones=(observaciones or "").strip(), creada_por=usuario)
        transferencia.full_clean()
        transferencia.save()
        _agregar(transferencia, expedientes, usuario)
    return transferencia


def transferencia_agregar(*, transferencia, expedientes, usuario) -> list[TransferenciaItem]:
    _permiso_exigir(usuario, SOLICITAR, "modificar transferencias")
    with transaction.atomic():
        actual = _bloquear(transferencia)
        _estado_exigir(actual, EstadoTransferencia.BORRADOR, que="modificar")
        return _agregar(actual, expedientes, usuario)


def transferencia_quitar(*, transferencia, expedientes, usuario) -> None:
    _permiso_exigir(usuario, SOLICITAR, "modificar transferencias")
    pks = {int(getattr(e, "pk", e)) for e in expedientes}
    if not pks:
        raise ValidationError("Marque los expedientes que quiere quitar.")
    with transaction.atomic():
        actual = _bloquear(transferencia)
        _estado_exigir(actual, EstadoTransferencia.BORRADOR, que="modificar")
        quitados = list(actual.items.filter(expediente__in=pks).select_related("expediente"))
        if len(quitados) != len(pks):
            raise ValidationError(f"Solo se quitan expedientes de la transferencia {actual.numero}.")
        actual.items.filter(pk__in=[i.pk for i in quitados]).delete()
        # n.º stays 1..n: moving each one down in order never meets a taken number
        for n, item in enumerate(actual.items.order_by("orden"), start=1):
            if item.orden != n:
                TransferenciaItem.objects.filter(pk=item.pk).update(orden=n)
        for item in quitados:
            registro_anotar(accion=Accion.TRANSFERENCIA, usuario=usuario, expediente=item.expediente,
                            objeto=f"Transferencia {actual.numero}: expediente quitado (borrador)",
                            datos={"transferencia": actual.numero})


# --- solicitada --------------------------------------------------------------------------

def _documento(custodiado, *, tipo, titulo, transferencia, usuario) -> DocumentoArchivo:
    documento = DocumentoArchivo(**custodiado.campos(), tipo=tipo, titulo=titulo,
                                 transferencia=transferencia, creado_por=usuario)
    documento.full_clean()
    documento.save()
    return documento


def _items(transferencia) -> list[TransferenciaItem]:
    return list(transferencia.items.select_related("expediente__serie__seccion__fondo").order_by("orden"))


def _huella_items(items) -> list[tuple]:
    return [(i.pk, i.expediente_id, i.cierre_id, i.folios, i.caja) for i in items]


def transferencia_solicitar(*, transferencia, usuario) -> Transferencia:
    """Request it: inventory (XLSX and PDF) and acta de entrega-recepción into custody, the
    archivists' group may see each expediente (to check it). From now on it is not edited."""
    _permiso_exigir(usuario, SOLICITAR, "solicitar transferencias")
    transferencia.refresh_from_db()
    _estado_exigir(transferencia, EstadoTransferencia.BORRADOR, que="solicitar")
    items = _items(transferencia)
    if not items:
        raise ValidationError(f"La transferencia {transferencia.numero} no tiene expedientes.")
    _siguen_exigir(items, timezone.localdate())
    datos = inventario.contexto(transferencia, items, usuario=usuario)
    base = f"transferencia-{transferencia.numero}"
    archivos = [(inventario.inventario_xlsx(datos), f"inventario-{base}.xlsx", None),
                (inventario.inventario_pdf(datos), f"inventario-{base}.pdf", None),
                (inventario.acta_pdf(datos), f"acta-entrega-{base}.pdf", None)]
    archivistas = Group.objects.get(name=ROL_ARCHIVISTA)

    def registrar(custodiados):
        actual = _bloquear(transferencia)
        _estado_exigir(actual, EstadoTransferencia.BORRADOR, que="solicitar")
        frescos = _items(actual)
        if _huella_items(frescos) != _huella_items(items):
            raise ValidationError("La transferencia cambió mientras se generaba el inventario: solicítela de nuevo.")
        _expedientes_bloquear(frescos)
        _siguen_exigir(frescos, timezone.localdate())
        for custodiado, (tipo, titulo) in zip(custodiados, (
                (TipoDocumentoArchivo.INVENTARIO_XLSX, f"Inventario {actual.numero} (XLSX)"),
                (TipoDocumentoArchivo.INVENTARIO_PDF, f"Inventario {actual.numero} (PDF)"),
                (TipoDocumentoArchivo.ACTA_ENTREGA, f"Acta de entrega-recepción {actual.numero}"))):
            _documento(custodiado, tipo=tipo, titulo=titulo, transferencia=actual, usuario=usuario)
        actual.estado = EstadoTransferencia.SOLICITADA
        actual.solicitada_por, actual.solicitada_en = usuario, timezone.now()
        actual.save(update_fields=["estado", "solicitada_por", "solicitada_en"])
        for item in frescos:
            expediente_conceder_grupo(expediente=item.expediente, grupo=archivistas, codename=VER, usuario=usuario,
                                      motivo=f"Cotejo de la transferencia {actual.numero}")
            registro_anotar(accion=Accion.TRANSFERENCIA, usuario=usuario, expediente=item.expediente,
                            objeto=f"Transferencia {actual.numero} solicitada al Archivo Central",
                            sha256=custodiados[0].sha256,
                            datos={"transferencia": actual.numero, "orden": item.orden, "folios": item.folios,
                                   "inventario_sha256": custodiados[0].sha256})
        return actual

    return custodiar_varios(archivos, registrar)


# --- cotejo ------------------------------------------------------------------------------

def item_cotejar(*, item, usuario, conforme: bool, discrepancias: str = "") -> TransferenciaItem:
    """The Archivo Central checked this expediente against the inventory."""
    _permiso_exigir(usuario, COTEJAR, "cotejar transferencias")
    discrepancias = (discrepancias or "").strip()
    if not conforme and not discrepancias:
        raise ValidationError({"discrepancias": "Describa las discrepancias encontradas."})
    with transaction.atomic():
        actual = _bloquear(item.transferencia)
        _estado_exigir(actual, EstadoTransferencia.SOLICITADA, que="cotejar")
        fila = actual.items.select_for_update().select_related("expediente").get(pk=item.pk)
        fila.cotejo = ResultadoCotejo.CONFORME if conforme else ResultadoCotejo.RECHAZADO
        fila.discrepancias = discrepancias
        fila.cotejado_por, fila.cotejado_en = usuario, timezone.now()
        fila.save(update_fields=["cotejo", "discrepancias", "cotejado_por", "cotejado_en"])
        registro_anotar(accion=Accion.COTEJO, usuario=usuario, expediente=fila.expediente,
                        objeto=f"Transferencia {actual.numero}: {fila.get_cotejo_display()}",
                        datos={"transferencia": actual.numero, "cotejo": fila.cotejo, "discrepancias": discrepancias})
    return fila


def transferencia_revisar(*, transferencia, usuario) -> Transferencia:
    """The cotejo is over: every expediente checked."""
    _permiso_exigir(usuario, COTEJAR, "cotejar transferencias")
    with transaction.atomic():
        actual = _bloquear(transferencia)
        _estado_exigir(actual, EstadoTransferencia.SOLICITADA, que="terminar el cotejo")
        pendientes = list(actual.items.filter(cotejo=ResultadoCotejo.PENDIENTE).values_list("codigo", flat=True))
        if pendientes:
            raise ValidationError(f"Falta cotejar: {', '.join(pendientes)}.")
        actual.estado = EstadoTransferencia.REVISADA
        actual.revisada_por, actual.revisada_en = usuario, timezone.now()
        actual.save(update_fields=["estado", "revisada_por", "revisada_en"])
        cuenta = {r: actual.items.filter(cotejo=r).count() for r in (ResultadoCotejo.CONFORME, ResultadoCotejo.RECHAZADO)}
        registro_anotar(accion=Accion.COTEJO, usuario=usuario,
                        objeto=f"Transferencia {actual.numero}: cotejo terminado",
                        datos={"transferencia": actual.numero, **cuenta})
    return actual


# --- aceptada / rechazada ----------------------------------------------------------------

def _ids_versiones(manifiesto) -> list[str]:
    return sorted(v["version_uuid"] for e in manifiesto["expedientes"] for v in e["versiones"])


def transferencia_aceptar(*, transferencia, usuario) -> Transferencia:
    """The Archivo Central receives the conforming expedientes: they pass to the archivo
    central (still read-only), the archivists keep seeing them, the rejected ones go back to
    the archivo de gestión (closed, for a later transfer) and their archivists' rows go.

    Order against the store: every object version is hashed and locked in S3 (COMPLIANCE,
    until the end of the TPCD term) FIRST, with no row locked; then, in one transaction, the
    rows are locked, checked again and written. If that transaction fails, the versions stay
    locked although the transfer was not recorded: harmless, since a retention only extends
    the protection of records that must be kept until that very date anyway, and a retry
    sets the same dates again. The other order (commit, then lock) could leave an accepted
    transfer whose files are not protected."""
    _permiso_exigir(usuario, COTEJAR, "aceptar transferencias")
    transferencia.refresh_from_db()
    _estado_exigir(transferencia, EstadoTransferencia.REVISADA, que="aceptar")
    conformes = list(transferencia.items.filter(cotejo=ResultadoCotejo.CONFORME)
                     .select_related("expediente__serie", "cierre").order_by("orden"))
    if not conformes:
        raise ValidationError(f"Ningún expediente de la transferencia {transferencia.numero} resultó conforme: "
                              "recházela con el motivo.")
    hoy, ahora = timezone.localdate(), timezone.now()
    _siguen_exigir(conformes, hoy)
    manifiesto = {"transferencia": transferencia.numero, "algoritmo": "SHA-256", "aceptada_en": ahora,
                  "aceptada_por": usuario.get_username(),
                  "expedientes": [retencion.expediente_retener(item, hoy) for item in conformes]}
    contenido = json.dumps(manifiesto, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    archivistas = Group.objects.get(name=ROL_ARCHIVISTA)

    def registrar(custodiados):
        actual = _bloquear(transferencia)
        _estado_exigir(actual, EstadoTransferencia.REVISADA, que="aceptar")
        items = list(actual.items.select_related("expediente__serie", "cierre").order_by("orden"))
        frescos = [i for i in items if i.cotejo == ResultadoCotejo.CONFORME]
        _expedientes_bloquear(items)
        _siguen_exigir(frescos, hoy)
        versiones = sorted(str(v.uuid) for i in frescos for v in retencion.versiones(i.expediente))
        if [i.pk for i in frescos] != [i.pk for i in conformes] or versiones != _ids_versiones(manifiesto):
            raise ValidationError("La transferencia o sus archivos cambiaron mientras se aceptaba: acéptela de nuevo.")
        documento = _documento(custodiados[0], tipo=TipoDocumentoArchivo.MANIFIESTO,
                               titulo=f"Manifiesto SHA-256 {actual.numero}", transferencia=actual, usuario=usuario)
        ExpedientePage.objects.filter(pk__in=[i.expediente_id for i in frescos]).update(
            archivo_fase=FaseArchivo.CENTRAL)
        actual.estado = EstadoTransferencia.ACEPTADA
        actual.resuelta_por, actual.resuelta_en = usuario, ahora
        actual.manifiesto = json.loads(contenido)
        actual.save(update_fields=["estado", "resuelta_por", "resuelta_en", "manifiesto"])
        for item in items:
            if item.cotejo == ResultadoCotejo.RECHAZADO:
                _archivistas_retirar(item, archivistas, usuario=usuario,
                                     motivo=f"Rechazado en el cotejo de {actual.numero}")
        for item, entrada in zip(frescos, manifiesto["expedientes"]):
            registro_anotar(accion=Accion.TRANSFERENCIA, usuario=usuario, expediente=item.expediente,
                            objeto=f"Transferencia {actual.numero} aceptada: en custodia del Archivo Central",
                            sha256=documento.sha256,
                            datos={"transferencia": actual.numero, "versiones": len(entrada["versiones"]),
                                   "retencion_hasta": entrada["retencion_hasta"],
                                   "sin_retencion": entrada["sin_retencion"], "manifiesto_sha256": documento.sha256})
        return actual

    return custodiar_varios([(contenido, f"manifiesto-transferencia-{transferencia.numero}.json", tipos.JSON)],
                            registrar)


def _archivistas_retirar(item, archivistas, *, usuario, motivo) -> None:
    """The archivists stop seeing an expediente the transfer no longer hands them, unless the
    clean-up of contested cases handed it to them too (one group row serves both)."""
    if ProcesoImpugnado.objects.filter(expediente_id=item.expediente_id).exists():
        return
    expediente_retirar_grupo(expediente=item.expediente, grupo=archivistas, codename=VER, usuario=usuario,
                             motivo=motivo)


def transferencia_rechazar(*, transferencia, usuario, motivo: str) -> Transferencia:
    """The Archivo Central does not receive the batch: nothing moves, the archivists stop
    seeing its expedientes, which may go in a later transfer."""
    _permiso_exigir(usuario, COTEJAR, "rechazar transferencias")
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo del rechazo."})
    archivistas = Group.objects.get(name=ROL_ARCHIVISTA)
    with transaction.atomic():
        actual = _bloquear(transferencia)
        _estado_exigir(actual, EstadoTransferencia.SOLICITADA, EstadoTransferencia.REVISADA, que="rechazar")
        actual.estado = EstadoTransferencia.RECHAZADA
        actual.resuelta_por, actual.resuelta_en, actual.motivo_rechazo = usuario, timezone.now(), motivo
        actual.save(update_fields=["estado", "resuelta_por", "resuelta_en", "motivo_rechazo"])
        for item in actual.items.select_related("expediente"):
            _archivistas_retirar(item, archivistas, usuario=usuario, motivo=f"Transferencia {actual.numero} rechazada")
            registro_anotar(accion=Accion.TRANSFERENCIA, usuario=usuario, expediente=item.expediente,
                            objeto=f"Transferencia {actual.numero} rechazada",
                            datos={"transferencia": actual.numero, "motivo": motivo})
    return actual


def transferencia_acciones(*, transferencia, usuario) -> set[str]:
    """What the user may do with the transfer now (the screen shows only these)."""
    estado, acciones = transferencia.estado, set()
    if usuario.has_perm(SOLICITAR) and estado == EstadoTransferencia.BORRADOR:
        acciones |= {"agregar", "quitar", "solicitar"}
    if usuario.has_perm(COTEJAR):
        if estado == EstadoTransferencia.SOLICITADA:
            acciones |= {"cotejar", "revisar", "rechazar"}
        elif estado == EstadoTransferencia.REVISADA:
            acciones |= {"aceptar", "rechazar"}
    return acciones
