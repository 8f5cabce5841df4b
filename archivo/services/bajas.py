"""Baja documental (archivo.models.bajas): the archivist prepares it from the expedientes
whose TPCD term is over (archivo.selectors.eliminables) with the ficha de prevaloración, the
jefe authorises it citing the committee's act, the archivist executes it: every object
version of those expedientes is deleted from the store by VersionId and checked gone. What
was destroyed (key, version, SHA-256, size, name), when, by whom and on whose authority stays
in BajaItem.destruido, in the acta de baja and in the custody log, forever.

Order of the execution: the deletions run with no row locked (each expediente's list of
what it deleted is written right after its deletions, in a short transaction of its own),
then the acta is rendered and, in the custody transaction, the baja and the expedientes
are marked. A store that refuses a deletion (retention, legal hold) stops the execution
with what was already deleted recorded, and running it again resumes where it stopped."""

import io
from contextlib import contextmanager
from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from archivo.fases import FaseArchivo
from archivo.models import (
    BajaDocumental,
    BajaItem,
    BloqueoLegal,
    Cierre,
    DisposicionFinal,
    DocumentoArchivo,
    EstadoBaja,
    TipoDocumentoArchivo,
)
from archivo.plazos import expedientes_con_plazos
from archivo.selectors import eliminables, versiones_de
from expedientes.custodia import almacen, custodiar
from expedientes.documentos import pdf_renderizar
from expedientes.formato import fecha
from expedientes.models import AdjuntoVersion, ExpedientePage
from permisos import policies
from permisos.custodia import Accion, registro_anotar

ABIERTAS = (EstadoBaja.BORRADOR, EstadoBaja.AUTORIZADA)
# pg advisory locks, two-key space (permisos.custodia uses 0x636F61): «bja»
_CERROJO = 0x626A61
_NUMERACION = 0


# --- eligibility ------------------------------------------------------------------------

def _motivos(pks, hoy, *, baja=None) -> dict[int, str]:
    """Why each of these expedientes may not be disposed of today ({} when all may): the
    same conditions as archivo.selectors.eliminables, said in words. `baja`: the disposal
    they already belong to (not counted as «in another disposal»)."""
    expedientes = expedientes_con_plazos(ExpedientePage.objects.filter(pk__in=pks)).select_related("serie")
    bloqueos = {b.expediente_id: b for b in BloqueoLegal.objects.filter(expediente__in=pks, levantado_en__isnull=True)}
    otras = dict(BajaItem.objects.filter(expediente__in=pks, baja__estado__in=ABIERTAS)
                 .exclude(baja=baja).values_list("expediente_id", "baja__numero"))
    motivos = {}
    for e in expedientes:
        razones = []
        if e.archivo_fase != FaseArchivo.CENTRAL:
            razones.append(f"no está en el Archivo Central (está «{FaseArchivo(e.archivo_fase).label}»)")
        if e.serie is None or e.serie.disposicion_final == DisposicionFinal.CONSERVACION:
            razones.append(f"su serie «{e.serie}» es de conservación permanente")
        if e.pk in bloqueos:
            b = bloqueos[e.pk]
            razones.append(f"tiene un bloqueo legal vigente ({b.get_motivo_display()}, desde {fecha(b.desde)})")
        if e.fin_conservacion is None:
            razones.append("no tiene un cierre vigente del que cuente su plazo de conservación")
        elif e.fin_conservacion > hoy:
            razones.append(f"su plazo de conservación termina el {fecha(e.fin_conservacion)}")
        if e.pk in otras:
            razones.append(f"ya está en la baja documental {otras[e.pk]}")
        if razones:
            motivos[e.pk] = f"El expediente {e.numero} no puede darse de baja: {'; '.join(razones)}."
    return motivos


def _elegibles_exigir(pks, hoy, *, baja=None) -> None:
    motivos = _motivos(pks, hoy, baja=baja)
    if baja is None:  # a new disposal takes exactly what the portal proposes
        propuestos = set(eliminables(hoy).filter(pk__in=pks).values_list("pk", flat=True))
        motivos.update({pk: "Un expediente elegido no es eliminable hoy." for pk in pks
                        if pk not in propuestos and pk not in motivos})
    if motivos:
        raise ValidationError(list(motivos.values()))


def _expedientes_bloquear(pks) -> None:
    from expedientes.services.proceso import expediente_bloquear

    for pk in sorted(pks):  # always in the same order: no deadlock between two disposals
        expediente_bloquear(ExpedientePage(pk=pk), cerrado=True)


# --- preparing: the ficha de prevaloración -------------------------------------------------

def _filas(pks) -> dict[int, dict]:
    """The expedientes as they go into the disposal (BajaItem's snapshot)."""
    cierres = {c.expediente_id: c for c in Cierre.objects.filter(expediente__in=pks, vigente=True)}
    filas = {}
    for e in expedientes_con_plazos(ExpedientePage.objects.filter(pk__in=pks)).select_related("serie"):
        cierre = cierres[e.pk]
        filas[e.pk] = {"codigo": e.numero, "titulo": e.title, "serie": str(e.serie),
                       "fecha_inicial": cierre.fecha_inicial, "fecha_final": cierre.fecha_final,
                       "folios": cierre.folios, "plazo_cumplido_el": e.fin_conservacion}
    return filas


def _numero(hoy) -> str:
    prefijo = f"BD-{hoy.year}-"
    return f"{prefijo}{BajaDocumental.objects.filter(numero__startswith=prefijo).count() + 1:03d}"


def _juzgado() -> dict:
    return {"nombre": settings.JUZGADO["NOMBRE"], "entidad": settings.JUZGADO["ENTIDAD"],
            "direccion_regional": settings.JUZGADO["DIRECCION_REGIONAL"]}


def _nombre(usuario) -> str:
    return usuario.get_full_name() or usuario.get_username()


def _documento_guardar(custodiado, *, baja, tipo, titulo, usuario) -> DocumentoArchivo:
    documento = DocumentoArchivo(**custodiado.campos(), tipo=tipo, titulo=titulo, baja=baja, creado_por=usuario)
    documento.full_clean()
    documento.save()
    return documento


def baja_crear(*, usuario, expedientes, valores_primarios, valores_secundarios, justificacion) -> BajaDocumental:
    """A disposal in borrador, of expedientes the portal proposes today, with its ficha de
    prevaloración (PDF, in custody as an archive record)."""
    if not usuario.has_perm("archivo.add_bajadocumental"):
        raise ValidationError("Solo el Archivo (archivistas) prepara las bajas documentales.")
    ficha = {"valores_primarios": (valores_primarios or "").strip(),
             "valores_secundarios": (valores_secundarios or "").strip(),
             "justificacion": (justificacion or "").strip()}
    faltan = {campo: "Complete este dato de la ficha de prevaloración." for campo, valor in ficha.items() if not valor}
    if faltan:
        raise ValidationError(faltan)
    pks = sorted({getattr(e, "pk", e) for e in expedientes})
    if not pks:
        raise ValidationError("Elija los expedientes que se dan de baja.")
    visibles = policies.expedientes_filtrar_visibles(usuario, ExpedientePage.objects.filter(pk__in=pks))
    if visibles.count() != len(pks):
        raise ValidationError("Elija expedientes de la lista de candidatos.")
    hoy = timezone.localdate()
    _elegibles_exigir(pks, hoy)
    filas = _filas(pks)
    numero = _numero(hoy)
    contexto = {"juzgado": _juzgado(), "numero": numero, "ficha": ficha, "hoy": hoy,
                "preparada_por": _nombre(usuario), "items": sorted(filas.values(), key=lambda f: f["codigo"])}
    pdf = pdf_renderizar("archivo/documentos/ficha_prevaloracion.html", contexto)

    def registrar(custodiado) -> BajaDocumental:
        with connection.cursor() as cursor:  # one numbering at a time, until the commit
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", (_CERROJO, _NUMERACION))
        _expedientes_bloquear(pks)
        _elegibles_exigir(pks, hoy)
        if _numero(hoy) != numero or _filas(pks) != filas:
            raise ValidationError("Mientras se preparaba la ficha cambió la numeración o un expediente elegido. "
                                  "No se guardó nada: prepárela de nuevo.")
        baja = BajaDocumental(numero=numero, creada_por=usuario, **ficha)
        baja.full_clean()
        baja.save()
        BajaItem.objects.bulk_create(BajaItem(baja=baja, expediente_id=pk, **filas[pk]) for pk in pks)
        documento = _documento_guardar(custodiado, baja=baja, tipo=TipoDocumentoArchivo.FICHA_PREVALORACION,
                                       titulo=f"Ficha de prevaloración de la baja documental {numero}",
                                       usuario=usuario)
        registro_anotar(accion=Accion.BAJA_DOCUMENTAL, usuario=usuario, objeto=f"Baja documental {numero}",
                        sha256=documento.sha256,
                        datos={"paso": "preparada", "baja": numero,
                               "expedientes": [filas[pk]["codigo"] for pk in pks]})
        return baja

    return custodiar(flujo=io.BytesIO(pdf), nombre=f"ficha-prevaloracion-{numero}.pdf", registrar=registrar)


# --- authorising ------------------------------------------------------------------------

def baja_autorizar(*, baja: BajaDocumental, usuario, referencia: str) -> BajaDocumental:
    """Record the authorisation (the committee's act or resolution), after checking again
    that every expediente may still be disposed of."""
    if not usuario.has_perm("archivo.autorizar_baja"):
        raise ValidationError("Solo el jefe de coactivas autoriza una baja documental.")
    referencia = " ".join((referencia or "").split())
    if not referencia:
        raise ValidationError({"referencia": "Indique la resolución o el acta del comité que autoriza la baja."})
    with transaction.atomic():
        actual = BajaDocumental.objects.select_for_update().get(pk=baja.pk)
        if actual.estado != EstadoBaja.BORRADOR:
            raise ValidationError(f"La baja documental {actual.numero} está «{actual.get_estado_display()}»: "
                                  "solo se autoriza una baja en borrador.")
        pks = list(actual.items.values_list("expediente_id", flat=True))
        _expedientes_bloquear(pks)
        _elegibles_exigir(pks, timezone.localdate(), baja=actual)
        actual.estado, actual.autorizacion_referencia = EstadoBaja.AUTORIZADA, referencia
        actual.autorizada_en, actual.autorizada_por = timezone.now(), usuario
        actual.save(update_fields=["estado", "autorizacion_referencia", "autorizada_en", "autorizada_por"])
        registro_anotar(accion=Accion.BAJA_DOCUMENTAL, usuario=usuario, objeto=f"Baja documental {actual.numero}",
                        datos={"paso": "autorizada", "baja": actual.numero, "referencia": referencia})
    return actual


# --- executing --------------------------------------------------------------------------

@contextmanager
def _ejecucion_exclusiva(baja):
    """One execution of a disposal at a time: a session advisory lock (not a row lock: the
    deletions run under it), released however the execution ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", (_CERROJO, baja.pk))
        if not cursor.fetchone()[0]:
            raise ValidationError(f"La baja documental {baja.numero} ya se está ejecutando.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", (_CERROJO, baja.pk))


def _ejecutable(baja) -> BajaDocumental:
    with transaction.atomic():
        actual = BajaDocumental.objects.select_for_update().get(pk=baja.pk)
        if actual.estado != EstadoBaja.AUTORIZADA:
            raise ValidationError(f"La baja documental {actual.numero} está «{actual.get_estado_display()}»: "
                                  "solo se ejecuta una baja autorizada.")
        pks = list(actual.items.values_list("expediente_id", flat=True))
        _expedientes_bloquear(pks)
        _elegibles_exigir(pks, timezone.localdate(), baja=actual)  # a hold placed since the authorisation
    return actual


def _destruida(version: AdjuntoVersion, cuando) -> dict:
    return {"clave": version.clave, "version_s3": version.version_s3, "sha256": version.sha256,
            "tamano": version.tamano, "nombre": version.nombre_original, "adjunto": version.adjunto.titulo,
            "version": version.numero, "destruida_en": cuando.isoformat()}


def _destruidas_registrar(item: BajaItem, versiones, cuando) -> None:
    """What was deleted from the store, written at once in its own short transaction: from
    here on the record says so, whatever fails later (the objects are gone either way)."""
    if not versiones:
        return
    with transaction.atomic():
        fila = BajaItem.objects.select_for_update().get(pk=item.pk)
        ya = {(d["clave"], d["version_s3"]) for d in fila.destruido}
        fila.destruido += [_destruida(v, cuando) for v in versiones if (v.clave, v.version_s3) not in ya]
        fila.save(update_fields=["destruido"])
        AdjuntoVersion.objects.filter(pk__in=[v.pk for v in versiones], destruida_en__isnull=True).update(
            destruida_en=cuando)
    item.destruido = fila.destruido


def _item_destruir(item: BajaItem, cuando) -> None:
    """Delete every version of the item's expediente by VersionId and check it is gone; a
    refusal stops here, after recording what was deleted."""
    destruidas, rechazo = [], None
    for version in list(versiones_de(item.expediente).filter(destruida_en__isnull=True)):
        objeto = almacen.ObjetoAlmacenado(version.clave, version.version_s3)
        try:
            almacen.eliminar(objeto)
            sigue = almacen.existe(objeto)
        except (BotoCoreError, ClientError) as error:
            rechazo = (version, getattr(error, "response", {}).get("Error", {}).get("Code") or str(error))
            break
        if sigue:
            rechazo = (version, "la versión sigue en el almacén")
            break
        destruidas.append(version)
    _destruidas_registrar(item, destruidas, cuando)
    if rechazo:
        version, causa = rechazo
        raise ValidationError(
            f"El almacén no eliminó «{version.nombre_original}» (versión {version.numero}) del expediente "
            f"{item.codigo}: sigue bajo retención o bloqueo legal en el almacén ({causa}). La ejecución se "
            "detuvo; lo ya eliminado quedó registrado. Resuelva la retención y vuelva a ejecutar la baja.")


def baja_ejecutar(*, baja: BajaDocumental, usuario) -> BajaDocumental:
    """Destroy every object version of the disposal's expedientes, then record the execution:
    the acta de baja (PDF, in custody), the expedientes «eliminado», one custody-log entry
    per expediente. The rows (versions, items, baja) stay forever. Call it outside any
    transaction: the record of each expediente's deletions must commit on its own, even if
    a later step fails (then running it again resumes)."""
    from expedientes.services.proceso import expediente_bloquear

    if not usuario.has_perm("archivo.ejecutar_baja"):
        raise ValidationError("Solo el Archivo (archivistas) ejecuta una baja documental autorizada.")
    with _ejecucion_exclusiva(baja):
        baja = _ejecutable(baja)
        ahora = timezone.now()
        items = list(baja.items.select_related("expediente"))
        for item in items:
            _item_destruir(item, ahora)
        contexto = {"juzgado": _juzgado(), "baja": baja, "ejecutada_en": ahora,
                    "items": [(i, [{**d, "fecha": fecha(datetime.fromisoformat(d["destruida_en"]))}
                                   for d in i.destruido]) for i in items],
                    "ejecutada_por": _nombre(usuario), "autorizada_por": _nombre(baja.autorizada_por),
                    "versiones": sum(len(i.destruido) for i in items)}
        pdf = pdf_renderizar("archivo/documentos/acta_baja.html", contexto)

        def registrar(custodiado) -> BajaDocumental:
            actual = BajaDocumental.objects.select_for_update().get(pk=baja.pk)
            if actual.estado != EstadoBaja.AUTORIZADA:
                raise ValidationError(f"La baja documental {actual.numero} ya está «{actual.get_estado_display()}».")
            for item in items:
                expediente_bloquear(item.expediente, cerrado=True)
            ExpedientePage.objects.filter(pk__in=[i.expediente_id for i in items]).update(
                archivo_fase=FaseArchivo.ELIMINADO)
            actual.estado, actual.ejecutada_en, actual.ejecutada_por = EstadoBaja.EJECUTADA, ahora, usuario
            actual.save(update_fields=["estado", "ejecutada_en", "ejecutada_por"])
            documento = _documento_guardar(custodiado, baja=actual, tipo=TipoDocumentoArchivo.ACTA_BAJA,
                                           titulo=f"Acta de baja documental {actual.numero}", usuario=usuario)
            for item in items:
                registro_anotar(
                    accion=Accion.BAJA_DOCUMENTAL, usuario=usuario, expediente=item.expediente,
                    objeto=f"Expediente {item.codigo}: baja documental {actual.numero}", sha256=documento.sha256,
                    datos={"paso": "ejecutada", "baja": actual.numero, "autorizacion": actual.autorizacion_referencia,
                           "versiones": [{"clave": d["clave"], "version_s3": d["version_s3"], "sha256": d["sha256"]}
                                         for d in item.destruido]})
            return actual

        return custodiar(flujo=io.BytesIO(pdf), nombre=f"acta-baja-{baja.numero}.pdf", registrar=registrar)


def baja_acciones(usuario, baja: BajaDocumental) -> dict:
    """What the detail screen offers this user."""
    return {"autorizar": baja.estado == EstadoBaja.BORRADOR and usuario.has_perm("archivo.autorizar_baja"),
            "ejecutar": baja.estado == EstadoBaja.AUTORIZADA and usuario.has_perm("archivo.ejecutar_baja")}
