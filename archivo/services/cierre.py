"""Closing an expediente (cierre) and reopening it (DOMAIN.md «Archives»; issue 10, item 2).

Closing orders the documents — every actuación in the order of the file, each file at its
latest version (destroyed versions left out) — numbers the folios across every file (a PDF
gives its pages, an image a page per frame; other formats are listed without folios) and
produces, in a new actuación «Cierre del expediente», four PDFs through the custody
pipeline: the carátula, the índice, the rótulo de caja and the «Expediente foliado», a
derived copy of every document with «Folio N» stamped on each page (the stored versions of
the originals are untouched). Where folios are counted: the carátula and the índice are the
first folios of the file (folio 1 is the carátula, then the índice), then the documents;
Cierre.folios is that total. The rótulo goes on the box, not in the file: no folio.

While the cierre is vigente the expediente is read-only (archivo_fase «cerrado»); only a
reopening authorised by the jefe, with its reason, ends it (the row keeps who and why)."""

import os
import tempfile
from contextlib import ExitStack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from archivo.fases import FaseArchivo
from archivo.models import Cierre, Soporte, UbicacionFisica
from expedientes.calendario import fecha_formatear
from expedientes.custodia import custodiar_varios
from expedientes.documentos import pdf_renderizar
from expedientes.documentos.foliado import Hoja, foliado_escribir, maquetar, pieza_preparar
from expedientes.estados import FINALES
from expedientes.models import ExpedientePage, TipoActuacion
from expedientes.selectors import actuaciones_para_dossier
from expedientes.services.actuaciones import actuacion_registrar
from expedientes.services.adjuntos import adjunto_registrar
from expedientes.services.fechas import fecha_acto_validar
from expedientes.services.foliado import huellas, piezas_descargar, versiones_vigentes
from expedientes.services.proceso import expediente_bloquear
from permisos import policies
from permisos.custodia import Accion, registro_anotar

PERMISO_CERRAR = "archivo.cerrar_expediente"
PERMISO_REABRIR = "archivo.reabrir_expediente"
# the four files of the actuación «Cierre del expediente», by key: their titles
TITULOS = {"caratula": "Carátula", "indice": "Índice del expediente", "rotulo": "Rótulo de caja",
           "foliado": "Expediente foliado"}
ANTES = [Hoja("caratula", "archivo/cierre/caratula.html", "Carátula"),
         Hoja("indice", "archivo/cierre/indice.html", "Índice del expediente")]


def cierre_vigente(expediente) -> Cierre | None:
    return Cierre.objects.filter(expediente=expediente, vigente=True).select_related("actuacion").first()


def cierre_puede_cerrar(usuario, expediente) -> bool:
    return (usuario is not None and usuario.is_active and usuario.has_perm(PERMISO_CERRAR)
            and policies.expediente_puede_ver(usuario, expediente))


def cierre_puede_reabrir(usuario, expediente) -> bool:
    return (usuario is not None and usuario.is_active and usuario.has_perm(PERMISO_REABRIR)
            and policies.expediente_puede_ver(usuario, expediente))


def expediente_cerrable(expediente) -> bool:
    """Its state and phase allow closing it (the process screen offers it only then)."""
    return expediente.estado in FINALES and expediente.archivo_fase == FaseArchivo.TRAMITE


def _cerrable_validar(expediente) -> None:
    if expediente.archivo_fase != FaseArchivo.TRAMITE:
        raise ValidationError(f"El expediente {expediente.numero} ya está «{expediente.get_archivo_fase_display()}»: "
                              "no se cierra de nuevo.")
    if expediente.estado not in FINALES:
        finales = ", ".join(f"«{e.label}»" for e in FINALES)
        raise ValidationError(
            f"El expediente {expediente.numero} está en «{expediente.get_estado_display()}»: solo se cierra un "
            f"expediente terminado ({finales}). Registre antes el cambio de estado que lo termina.")


def _actuaciones(expediente) -> list:
    """The file's acts in its order; earlier dossiers and cierres are copies of them, not acts
    to foliate again."""
    return list(actuaciones_para_dossier(expediente).exclude(tipo=TipoActuacion.CIERRE))


def _firma(actuaciones, por_actuacion) -> tuple:
    return [a.pk for a in actuaciones], huellas(por_actuacion)


def _caja(expediente):
    ubicacion = (UbicacionFisica.objects.filter(expediente=expediente, hasta__isnull=True)
                 .select_related("caja__estante").first())
    return ubicacion.caja if ubicacion else None


def _contexto(expediente, *, grupos, fecha, soporte, fechas_extremas, usuario, numero) -> dict:
    serie = expediente.serie
    coactivado = expediente.coactivado
    clasificacion = None
    if serie is not None:
        seccion = serie.seccion
        clasificacion = {"fondo": seccion.fondo, "seccion": seccion, "serie": serie}
    return {
        "titulo": f"Expediente {expediente.numero} — foliado",
        "juzgado": {"nombre": settings.JUZGADO["NOMBRE"], "entidad": settings.JUZGADO["ENTIDAD"],
                    "direccion_regional": settings.JUZGADO["DIRECCION_REGIONAL"]},
        "clasificacion": clasificacion, "caja": _caja(expediente),
        "expediente": {"numero": expediente.numero, "estado": expediente.get_estado_display(),
                       "fecha_recepcion": expediente.fecha_recepcion, "monto_titulo": expediente.monto_titulo},
        "coactivado": {"nombre": coactivado.nombre, "identificacion": coactivado.identificacion,
                       "tipo_identificacion": coactivado.get_tipo_identificacion_display()},
        "actuaciones": grupos, "fecha": fecha, "numero": numero,
        "soporte": Soporte(soporte).label, "fecha_inicial": fechas_extremas[0], "fecha_final": fechas_extremas[1],
        "cerrado_por": usuario.get_full_name() or usuario.username,
    }


def _producir(expediente, *, actuaciones, por_actuacion, directorio: str, **datos) -> tuple[dict, dict, list]:
    """The four PDFs in `directorio` (with no row locked): each file downloaded and checked,
    foliated after the carátula and the índice. Returns their paths by key, the folios and
    the manifest (every document in folio order)."""
    piezas, grupos = piezas_descargar(actuaciones, por_actuacion, directorio, para="no se cierra el expediente")
    contexto = _contexto(expediente, grupos=grupos, **datos)
    rutas = {clave: os.path.join(directorio, f"{clave}.pdf") for clave in TITULOS}
    with ExitStack() as abiertos:
        for pieza in piezas:
            pieza_preparar(pieza, abiertos)
        hojas, folios = maquetar(piezas, contexto, antes=ANTES)
        foliado_escribir(piezas=piezas, hojas=hojas, antes=ANTES, folios=folios, titulo=contexto["titulo"],
                         destino=rutas["foliado"])
    hojas["rotulo"] = pdf_renderizar("archivo/cierre/rotulo.html", {**contexto, "folios": folios})
    for clave in ("caratula", "indice", "rotulo"):
        with open(rutas[clave], "wb") as destino:
            destino.write(hojas[clave])
    return rutas, folios, [p.fila() for p in piezas]


def expediente_cerrar(*, expediente, usuario, soporte=Soporte.HIBRIDO, fecha=None) -> Cierre:
    """Close a finished expediente (see the module's docstring for what it produces and how
    folios count). The files are read from the store, checked, foliated and rendered with
    no row locked; then, in the custody transaction, the expediente is locked and its state
    and files checked again on the fresh rows (a change meanwhile: nothing is kept)."""
    if not cierre_puede_cerrar(usuario, expediente):
        raise ValidationError("Solo el jefe de coactivas o la secretaría cierran un expediente que pueden ver.")
    if soporte not in Soporte.values:
        raise ValidationError({"soporte": "Elija el soporte del expediente (papel, electrónico o híbrido)."})
    expediente.refresh_from_db()
    _cerrable_validar(expediente)
    fecha = fecha or timezone.localdate()
    fecha_acto_validar(expediente=expediente, fecha=fecha, que="del cierre")
    actuaciones = _actuaciones(expediente)
    por_actuacion = versiones_vigentes(actuaciones)
    firma = _firma(actuaciones, por_actuacion)
    fechas = [expediente.fecha_recepcion, *(a.fecha for a in actuaciones)]
    extremas = (min(fechas), max(fechas))
    if fecha < extremas[1]:
        raise ValidationError({"fecha": f"La fecha del cierre ({fecha_formatear(fecha)}) es anterior a la última "
                                        f"actuación del expediente ({fecha_formatear(extremas[1])})."})
    numero = expediente.cierres.count() + 1  # checked again under the lock
    nombre = f"{expediente.numero}-cierre-{numero}"
    with tempfile.TemporaryDirectory(prefix="cierre-", dir=settings.CUSTODIA["TEMP_DIR"]) as directorio:
        rutas, folios, manifiesto = _producir(
            expediente, actuaciones=actuaciones, por_actuacion=por_actuacion, directorio=directorio, fecha=fecha,
            soporte=soporte, fechas_extremas=extremas, usuario=usuario, numero=numero)
        orden = ["foliado", "caratula", "indice", "rotulo"]

        def registrar(custodiados) -> Cierre:
            bloqueado = expediente_bloquear(expediente)  # open still: it is closed below
            _cerrable_validar(bloqueado)
            actuales = _actuaciones(bloqueado)
            if _firma(actuales, versiones_vigentes(actuales)) != firma:
                raise ValidationError("Mientras se preparaba el cierre cambió una actuación o un archivo del "
                                      "expediente. No se guardó nada: ciérrelo de nuevo.")
            if bloqueado.cierres.count() + 1 != numero:
                raise ValidationError("Otro cierre de este expediente se registró a la vez. No se guardó nada.")
            actuacion = actuacion_registrar(
                expediente=bloqueado, tipo=TipoActuacion.CIERRE, fecha=fecha, numero=str(numero), usuario=usuario,
                resumen=f"{len(manifiesto)} archivos, {folios['total']} folios; soporte {Soporte(soporte).label.lower()}.")
            versiones = {}
            for clave, custodiado in zip(orden, custodiados):
                versiones[clave] = adjunto_registrar(actuacion=actuacion, titulo=TITULOS[clave], custodiado=custodiado,
                                                     usuario=usuario, generado_con="Cierre del expediente")
            cierre = Cierre(expediente=bloqueado, numero=numero, fecha=fecha, cerrado_por=usuario, actuacion=actuacion,
                            folios=folios["total"], fecha_inicial=extremas[0], fecha_final=extremas[1],
                            soporte=soporte, manifiesto=manifiesto)
            cierre.full_clean()
            cierre.save()
            ExpedientePage.objects.filter(pk=bloqueado.pk).update(archivo_fase=FaseArchivo.CERRADO)
            expediente.archivo_fase = FaseArchivo.CERRADO
            registro_anotar(  # last: its lock lasts until the transaction ends
                accion=Accion.CIERRE, usuario=usuario, expediente=bloqueado, objeto=f"Cierre n.º {numero}",
                sha256=versiones["foliado"].sha256,
                datos={"cierre": cierre.pk, "numero": numero, "fecha": fecha, "folios": folios["total"],
                       "soporte": soporte, "archivos": len(manifiesto),
                       "versiones": {clave: str(v.uuid) for clave, v in versiones.items()}})
            return cierre

        return custodiar_varios([(rutas[clave], f"{nombre}-{clave}.pdf") for clave in orden], registrar)


def _reabrible_validar(expediente) -> None:
    fase = expediente.archivo_fase
    if fase == FaseArchivo.CENTRAL:
        raise ValidationError(
            f"El expediente {expediente.numero} fue transferido al Archivo Central: su custodia ya no es de la "
            "unidad y sus archivos están bajo retención. No se reabre; solicite su préstamo al Archivo Central.")
    if fase == FaseArchivo.ELIMINADO:
        raise ValidationError(f"El expediente {expediente.numero} fue eliminado por baja documental: no queda "
                              "nada que reabrir (su registro de destrucción se conserva).")
    if fase != FaseArchivo.CERRADO:
        raise ValidationError(f"El expediente {expediente.numero} no está cerrado: no hay nada que reabrir.")


def expediente_reabrir(*, expediente, usuario, motivo: str) -> Cierre:
    """End the vigente cierre with the reason, authorised by who holds the permission (the
    jefe): the expediente takes acts, files and changes again; the cierre's documents stay
    in its actuación as they were. Only from «cerrado»: once transferred, the file is the
    Archivo Central's; once eliminated, it is gone."""
    if not cierre_puede_reabrir(usuario, expediente):
        raise ValidationError("Solo el jefe de coactivas autoriza la reapertura de un expediente cerrado.")
    motivo = " ".join((motivo or "").split())
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo de la reapertura."})
    with transaction.atomic():
        bloqueado = expediente_bloquear(expediente, cerrado=True)
        _reabrible_validar(bloqueado)
        cierre = Cierre.objects.select_for_update().filter(expediente=bloqueado, vigente=True).first()
        if cierre is None:
            raise ValidationError(f"El expediente {bloqueado.numero} no tiene un cierre vigente.")
        cierre.vigente = False
        cierre.reabierto_en, cierre.reabierto_por = timezone.now(), usuario
        cierre.reapertura_autorizada_por, cierre.reapertura_motivo = usuario, motivo
        cierre.save(update_fields=["vigente", "reabierto_en", "reabierto_por", "reapertura_autorizada_por",
                                   "reapertura_motivo"])
        ExpedientePage.objects.filter(pk=bloqueado.pk).update(archivo_fase=FaseArchivo.TRAMITE)
        expediente.archivo_fase = FaseArchivo.TRAMITE
        registro_anotar(accion=Accion.REAPERTURA, usuario=usuario, expediente=bloqueado,
                        objeto=f"Cierre n.º {cierre.numero}",
                        datos={"cierre": cierre.pk, "numero": cierre.numero, "motivo": motivo})
    return cierre


def cierre_acciones(*, expediente, usuario) -> set[str]:
    """What the user may do about the closing of this expediente now (the screen shows only these)."""
    acciones = set()
    if expediente_cerrable(expediente) and cierre_puede_cerrar(usuario, expediente):
        acciones.add("cerrar")
    if expediente.archivo_fase == FaseArchivo.CERRADO and cierre_puede_reabrir(usuario, expediente):
        acciones.add("reabrir")
    return acciones
