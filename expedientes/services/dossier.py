"""The insolvency dossier: the jefe assembles it from an expediente in insolvency
(dossier_armar); Asesoría Jurídica acknowledges it (dossier_acusar_recibo) and records the
lawsuit (dossier_juicio_registrar). Sharing and withdrawing are grants, in
permisos/services.py.

Where the PDF goes: it is a version of the attachment «Dossier de insolvencia» of a new
actuación of that type in the expediente, through the custody pipeline like a generated
document. So it has its SHA-256 and S3 version, the same download and audit trail, the
reconciliation of the store knows it, and the paper file's order holds: the remission to
Asesoría Jurídica is an act of the proceeding. Asesoría reaches it only through the dossier
(its download checks the dossier's policy, not the expediente's)."""

import os
import tempfile
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from archivo.fases import solo_lectura
from expedientes.calendario import fecha_formatear
from expedientes.custodia import custodiar
from expedientes.documentos.dossier import dossier_pdf
from expedientes.estados import Estado
from expedientes.models import (
    ActualizacionJuicio,
    DossierActuacion,
    DossierInsolvencia,
    EstadoDossier,
    TipoActuacion,
)
from expedientes.selectors import actuaciones_para_dossier
from permisos import auditoria, policies

from .actuaciones import actuacion_registrar
from .adjuntos import adjunto_registrar
from .foliado import huellas, piezas_descargar, versiones_vigentes
from .proceso import expediente_bloquear

TITULO = "Dossier de insolvencia"


def dossier_armable(expediente) -> bool:
    """The expediente's state allows a dossier (the process screen offers it only then); a
    closed or transferred one takes no new act (archivo.fases)."""
    return expediente.estado == Estado.INSOLVENCIA and not solo_lectura(expediente)


def _estado_validar(expediente) -> None:
    if not dossier_armable(expediente):
        raise ValidationError(
            f"El expediente {expediente.numero} está en «{expediente.get_estado_display()}»: el dossier "
            "de insolvencia se arma solo con el expediente en «Insolvencia» (tras el informe de insolvencia)."
        )


def _elegidas(expediente, actuaciones) -> list:
    """The chosen actuaciones, of this expediente, in the order of the file; the informe de
    insolvencia among them."""
    pks = {getattr(a, "pk", a) for a in actuaciones}
    if not pks:
        raise ValidationError("Elija las actuaciones que forman el dossier.")
    elegidas = list(actuaciones_para_dossier(expediente).filter(pk__in=pks))
    if len(elegidas) != len(pks):
        raise ValidationError("Solo se eligen actuaciones de este expediente (no dossiers anteriores).")
    if not any(a.tipo == TipoActuacion.INFORME_INSOLVENCIA for a in elegidas):
        raise ValidationError("El dossier incluye el informe de insolvencia: elija también su actuación.")
    return elegidas


def _contexto(expediente, *, actuaciones, armado_en, usuario, referencia) -> dict:
    coactivado = expediente.coactivado
    return {
        "titulo": f"{TITULO} — expediente {expediente.numero}",
        "referencia": referencia,
        "juzgado": {"nombre": settings.JUZGADO["NOMBRE"], "entidad": settings.JUZGADO["ENTIDAD"],
                    "direccion_regional": settings.JUZGADO["DIRECCION_REGIONAL"]},
        "expediente": {"numero": expediente.numero, "monto_titulo": expediente.monto_titulo,
                       "estado": expediente.get_estado_display()},
        "coactivado": {"nombre": coactivado.nombre, "identificacion": coactivado.identificacion,
                       "tipo_identificacion": coactivado.get_tipo_identificacion_display()},
        "actuaciones": actuaciones,
        "armado_en": timezone.localtime(armado_en),
        "armado_por": usuario.get_full_name() or usuario.username,
    }


def dossier_armar(*, expediente, actuaciones, usuario) -> DossierInsolvencia:
    """Assemble the dossier from the chosen actuaciones (each file at its latest version) and
    take its PDF into custody. The files are read from the store, checked and joined with no
    row locked; then, in the custody transaction, the expediente is locked and the state and
    the files checked again on the fresh rows (a change meanwhile: nothing is kept)."""
    if not policies.dossier_puede_armar(usuario, expediente):
        raise ValidationError("Solo el jefe de coactivas arma el dossier de insolvencia.")
    expediente.refresh_from_db()
    _estado_validar(expediente)
    elegidas = _elegidas(expediente, actuaciones)
    por_actuacion = versiones_vigentes(elegidas)
    referencia, armado_en = uuid.uuid4(), timezone.now()
    with tempfile.TemporaryDirectory(prefix="dossier-", dir=settings.CUSTODIA["TEMP_DIR"]) as directorio:
        piezas, por_actuacion_piezas = piezas_descargar(elegidas, por_actuacion, directorio,
                                                         para="no se arma el dossier")
        contexto = _contexto(expediente, actuaciones=por_actuacion_piezas, armado_en=armado_en,
                             usuario=usuario, referencia=referencia)
        ruta = os.path.join(directorio, "dossier.pdf")
        folios = dossier_pdf(piezas=piezas, contexto=contexto, destino=ruta)
        manifiesto = {
            "expediente": expediente.numero, "dossier": str(referencia), "armado_en": armado_en,
            "folios": folios, "documentos": [p.fila() for p in piezas],
            "actuaciones": [{"id": a.pk, "titulo": a.title, "archivos": len(por_actuacion[a.pk])}
                            for a in elegidas],
        }

        def registrar(custodiado):
            bloqueado = expediente_bloquear(expediente)
            _estado_validar(bloqueado)
            if huellas(versiones_vigentes(elegidas)) != huellas(por_actuacion):
                raise ValidationError("Mientras se armaba el dossier cambió un archivo de las actuaciones "
                                      "elegidas. No se guardó nada: ármelo de nuevo.")
            # numbered per expediente (the lock makes the count exact): two dossiers of one
            # day are two acts, each with its own page
            actuacion = actuacion_registrar(
                expediente=bloqueado, tipo=TipoActuacion.DOSSIER_INSOLVENCIA, fecha=timezone.localdate(),
                numero=str(bloqueado.dossiers.count() + 1), usuario=usuario,
                resumen=f"Para Asesoría Jurídica: {len(elegidas)} actuaciones, {len(piezas)} archivos, "
                        f"{folios['total']} folios.")
            version = adjunto_registrar(
                actuacion=actuacion, titulo=TITULO, custodiado=custodiado, usuario=usuario,
                generado_con="Dossier de insolvencia (índice, documentos foliados y manifiesto)")
            dossier = DossierInsolvencia(uuid=referencia, expediente=bloqueado, version=version,
                                         manifiesto=manifiesto, folios=folios["total"],
                                         armado_por=usuario, armado_en=armado_en)
            dossier.full_clean()
            dossier.save()
            DossierActuacion.objects.bulk_create(DossierActuacion(dossier=dossier, actuacion=a, orden=n)
                                                 for n, a in enumerate(elegidas, start=1))
            auditoria.dossier_anotar(accion=auditoria.DOSSIER_ARMADO, dossier=dossier, usuario=usuario,
                                     datos={"folios": folios["total"], "archivos": len(piezas),
                                            "actuaciones": [a.pk for a in elegidas]})
            return dossier

        with open(ruta, "rb") as flujo:
            nombre = f"dossier-insolvencia-{expediente.numero}-{timezone.localdate(armado_en):%Y%m%d}.pdf"
            return custodiar(flujo=flujo, nombre=nombre, registrar=registrar)


def _bloquear(dossier) -> DossierInsolvencia:
    return (DossierInsolvencia.objects.select_for_update(of=("self",))
            .select_related("expediente", "version").get(pk=dossier.pk))


def dossier_acusar_recibo(*, dossier, usuario, request=None) -> DossierInsolvencia:
    """Asesoría Jurídica states it received the dossier."""
    with transaction.atomic():
        actual = _bloquear(dossier)
        if not policies.dossier_puede_gestionar(usuario, actual):
            raise ValidationError("Solo Asesoría Jurídica, con el dossier compartido, acusa su recibo.")
        if actual.estado == EstadoDossier.RECIBIDO:
            acuse = fecha_formatear(timezone.localdate(actual.acuse_en))
            raise ValidationError(f"El recibo ya se acusó el {acuse}.")
        actual.estado = EstadoDossier.RECIBIDO
        actual.acuse_por, actual.acuse_en = usuario, timezone.now()
        actual.full_clean()
        actual.save(update_fields=["estado", "acuse_por", "acuse_en"])
        auditoria.dossier_anotar(accion=auditoria.DOSSIER_ACUSE, dossier=actual, usuario=usuario,
                                 request=request)
    return actual


def dossier_juicio_registrar(*, dossier, numero_juicio: str, judicatura: str, estado_juicio: str, usuario,
                             observaciones: str = "", request=None) -> ActualizacionJuicio:
    """The insolvency lawsuit as Asesoría Jurídica reports it now; each report is kept."""
    with transaction.atomic():
        actual = _bloquear(dossier)
        if not policies.dossier_puede_gestionar(usuario, actual):
            raise ValidationError("Solo Asesoría Jurídica, con el dossier compartido, registra el juicio.")
        if actual.estado != EstadoDossier.RECIBIDO:
            raise ValidationError("Acuse primero el recibo del dossier; luego registre el juicio.")
        registro = ActualizacionJuicio(
            dossier=actual, numero_juicio=" ".join((numero_juicio or "").split()),
            judicatura=" ".join((judicatura or "").split()), estado_juicio=estado_juicio,
            observaciones=(observaciones or "").strip(), registrada_por=usuario)
        registro.full_clean()
        registro.save()
        actual.numero_juicio, actual.judicatura = registro.numero_juicio, registro.judicatura
        actual.estado_juicio = registro.estado_juicio
        actual.juicio_actualizado_por, actual.juicio_actualizado_en = usuario, registro.registrada_en
        actual.full_clean()
        actual.save(update_fields=["numero_juicio", "judicatura", "estado_juicio", "juicio_actualizado_por",
                                   "juicio_actualizado_en"])
        auditoria.dossier_anotar(
            accion=auditoria.DOSSIER_JUICIO, dossier=actual, usuario=usuario, request=request,
            datos={"numero_juicio": registro.numero_juicio, "judicatura": registro.judicatura,
                   "estado_juicio": registro.estado_juicio, "observaciones": registro.observaciones})
    return registro


def dossier_acciones(*, dossier, usuario) -> set[str]:
    """What the user may do with the dossier now (the screen shows only these)."""
    acciones = set()
    if policies.dossier_puede_compartir(usuario, dossier):
        compartido = dossier.estado in (EstadoDossier.COMPARTIDO, EstadoDossier.RECIBIDO)
        acciones.add("retirar" if compartido else "compartir")
    if policies.dossier_puede_gestionar(usuario, dossier):
        if dossier.estado == EstadoDossier.COMPARTIDO:
            acciones.add("acuse")
        elif dossier.estado == EstadoDossier.RECIBIDO:
            acciones.add("juicio")
    return acciones
