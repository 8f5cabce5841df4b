"""Precautionary measures: retention letters to the control entities, their answers, the
conversion into seizure and the lifting once the debt is paid (COA arts. 281–282)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from expedientes.calendario import fecha_formatear
from expedientes.formato import usd
from expedientes.custodia import ArchivoRechazado
from expedientes.estados import EJECUCION, Estado, transicion_permitida
from expedientes.models import ABIERTAS, ClaveDocumento, Entidad, EstadoMedida, ExpedientePage, MedidaCautelar

from .documentos import documento_generar
from .embargos import bien_fondos_registrar, bienes_de_medida_levantar
from .fechas import fecha_acto_validar, fecha_no_futura
from .plazos import plazo_recalcular
from .proceso import expediente_bloquear, expediente_transicion

# Enforcement may still order measures in these states.
ACEPTAN_MEDIDAS = (Estado.INICIADO, Estado.CITADO, Estado.MEDIDAS_CAUTELARES, Estado.EMBARGO,
                   Estado.ILOCALIZABLE)

DESTINATARIO = "Señor/a representante legal"


def _oficio_extra(medida: MedidaCautelar, numero: str, referencia: str = "") -> dict:
    return {"oficio": {"numero": numero, "entidad": medida.entidad_nombre, "destinatario": DESTINATARIO,
                       "referencia": referencia}}


def _pasar_si_corresponde(expediente, hasta, *, usuario, fecha, motivo, actuacion=None):
    if expediente.estado != hasta and transicion_permitida(expediente.estado, hasta):
        expediente_transicion(expediente=expediente, hasta=hasta, usuario=usuario, fecha=fecha,
                              motivo=motivo, actuacion=actuacion)


def _medida_abierta(expediente, entidad: str, entidad_detalle: str = ""):
    return expediente.medidas.filter(entidad=entidad, entidad_detalle=entidad_detalle, estado__in=ABIERTAS).first()


def medida_ordenar(*, expediente: ExpedientePage, entidad: str, usuario, fecha: date, firmante=None,
                   entidad_detalle: str = "") -> MedidaCautelar:
    """A retention letter to one entity: the measure, its oficio (PDF in custody) and, when
    enforcement stands at its start, the state «medidas cautelares». One open letter per
    entity: a second one (a double submit, a re-run of the bulk letters) is refused."""
    fecha_acto_validar(expediente=expediente, fecha=fecha, que="del oficio")
    entidad_detalle = (entidad_detalle or "").strip()

    def validar(e):
        if e.estado not in ACEPTAN_MEDIDAS:
            raise ValidationError(
                f"El expediente {e.numero} está en «{e.get_estado_display()}»: "
                "no se ordenan medidas cautelares en ese estado."
            )
        if abierta := _medida_abierta(e, entidad, entidad_detalle):
            raise ValidationError(
                f"Ya hay un oficio abierto a {abierta.entidad_nombre} en el expediente {e.numero} "
                f"({abierta.oficio_numero}, {abierta.get_estado_display().lower()})."
            )

    def medida_nueva(e) -> MedidaCautelar:
        numero = f"{e.numero}-OF-{e.medidas.count() + 1}"
        return MedidaCautelar(expediente=e, entidad=entidad, entidad_detalle=entidad_detalle,
                              oficio_numero=numero, fecha_envio=fecha)

    def preparar(e):
        medida = medida_nueva(e)
        medida.full_clean(exclude=["expediente"])
        return medida.oficio_numero, _oficio_extra(medida, medida.oficio_numero)

    def registrar(e, version):
        medida = medida_nueva(e)
        medida.actuacion = version.adjunto.actuacion
        medida.full_clean()
        medida.save()
        _pasar_si_corresponde(e, Estado.MEDIDAS_CAUTELARES, usuario=usuario, fecha=fecha,
                              actuacion=medida.actuacion,
                              motivo=f"Retención de fondos: oficio {medida.oficio_numero} a {medida.entidad_nombre}.")
        plazo_recalcular(e)  # the entity's answer is now awaited
        resultado.append(medida)

    resultado = []
    documento_generar(expediente=expediente, clave=ClaveDocumento.OFICIO_RETENCION, usuario=usuario,
                      firmante=firmante, fecha=fecha, validar=validar, preparar=preparar, registrar=registrar)
    return resultado[-1]


def _medida_bloquear(medida: MedidaCautelar) -> tuple[ExpedientePage, MedidaCautelar]:
    """The expediente, then the measure (always in that order: no deadlock), locked and fresh."""
    expediente = expediente_bloquear(medida.expediente)
    return expediente, MedidaCautelar.objects.select_for_update().get(pk=medida.pk)


def _copiar(origen: MedidaCautelar, destino: MedidaCautelar) -> MedidaCautelar:
    for campo in MedidaCautelar._meta.concrete_fields:
        setattr(destino, campo.attname, getattr(origen, campo.attname))
    return destino


def _medida_marcar(medida: MedidaCautelar, estado: str, **fechas) -> MedidaCautelar:
    """The measure's new state and its date, on the locked row; the caller's copy follows."""
    expediente, actual = _medida_bloquear(medida)
    actual.estado = estado
    for campo, valor in fechas.items():
        setattr(actual, campo, valor)
    actual.save(update_fields=["estado", *fechas])
    plazo_recalcular(expediente)
    _copiar(actual, medida)
    return actual


def _no_anterior(fecha: date, referencia: date, acto: str, a_que: str, *, campo: str = "fecha") -> None:
    """«El embargo (25/03/2025) no puede ser anterior a la respuesta de la entidad (24/03/2025).»"""
    if fecha < referencia:
        raise ValidationError({campo: (
            f"{acto} ({fecha_formatear(fecha)}) no puede ser anterior {a_que} ({fecha_formatear(referencia)})."
        )})


def medida_respuesta_registrar(*, medida: MedidaCautelar, fecha: date, monto_retenido: Decimal,
                               observaciones: str = "") -> MedidaCautelar:
    fecha_no_futura(fecha, "de la respuesta", campo="fecha_respuesta")
    with transaction.atomic():
        expediente, actual = _medida_bloquear(medida)
        if actual.estado != EstadoMedida.ENVIADA:
            raise ValidationError(
                f"El oficio {actual.oficio_numero} ya no espera respuesta ({actual.get_estado_display()}).")
        _no_anterior(fecha, actual.fecha_envio, "La respuesta", "al oficio", campo="fecha_respuesta")
        actual.fecha_respuesta, actual.monto_retenido = fecha, monto_retenido
        actual.observaciones = observaciones
        actual.estado = EstadoMedida.RESPONDIDA
        actual.full_clean()
        actual.save()
        plazo_recalcular(expediente)  # the letter no longer waits on an answer
        return _copiar(actual, medida)


def medida_convertir_embargo(*, medida: MedidaCautelar, fecha: date, usuario, firmante=None) -> MedidaCautelar:
    """Seize what was retained: the auto de embargo, the measure, the seized funds (a
    BienEmbargado of tipo «fondos») and the expediente's state.
    Not while a payment plan or a contest suspends enforcement, nor once the debt is paid."""

    def validar(e):
        actual = MedidaCautelar.objects.get(pk=medida.pk)
        if actual.estado != EstadoMedida.RESPONDIDA or not actual.monto_retenido:
            raise ValidationError(f"El oficio {actual.oficio_numero} no tiene fondos retenidos que embargar.")
        if e.estado not in EJECUCION:
            raise ValidationError(
                f"El expediente {e.numero} está en «{e.get_estado_display()}»: no se embarga mientras la "
                "ejecución está suspendida (convenio de pago, impugnación) ni después del pago."
            )
        _no_anterior(fecha, actual.fecha_respuesta or actual.fecha_envio, "El embargo",
                     "a la respuesta de la entidad")

    def registrar(e, version):
        actual = _medida_marcar(medida, EstadoMedida.EMBARGO, fecha_embargo=fecha)
        bien_fondos_registrar(expediente=e, medida=actual, fecha=fecha, usuario=usuario,
                              actuacion=version.adjunto.actuacion)
        _pasar_si_corresponde(e, Estado.EMBARGO, usuario=usuario, fecha=fecha,
                              actuacion=version.adjunto.actuacion,
                              motivo=f"Embargo de {usd(actual.monto_retenido)} retenidos por {actual.entidad_nombre}.")

    documento_generar(expediente=medida.expediente, clave=ClaveDocumento.AUTO_EMBARGO, usuario=usuario,
                      firmante=firmante, fecha=fecha, validar=validar, registrar=registrar)
    return medida


def medidas_por_levantar(expediente: ExpedientePage) -> list[MedidaCautelar]:
    """What the portal proposes to lift once the debt is paid."""
    if expediente.estado != Estado.PAGADO:
        return []
    return list(expediente.medidas.filter(estado__in=ABIERTAS))


def medida_levantar(*, medida: MedidaCautelar, fecha: date, usuario, firmante=None) -> MedidaCautelar:
    numero = f"{medida.oficio_numero}-L"

    def validar(e):
        actual = MedidaCautelar.objects.get(pk=medida.pk)
        if actual.estado not in ABIERTAS:
            raise ValidationError(f"El oficio {actual.oficio_numero} ya fue levantado.")
        _no_anterior(fecha, actual.fecha_envio, "El levantamiento", "al oficio")

    def registrar(e, version):
        actual = _medida_marcar(medida, EstadoMedida.LEVANTADA, fecha_levantamiento=fecha)
        bienes_de_medida_levantar(medida=actual, fecha=fecha)  # the funds it had seized are released

    documento_generar(expediente=medida.expediente, clave=ClaveDocumento.OFICIO_LEVANTAMIENTO, usuario=usuario,
                      firmante=firmante, fecha=fecha, numero=numero, validar=validar, registrar=registrar,
                      extra=_oficio_extra(medida, numero, referencia=medida.oficio_numero))
    return medida




class OficiosInterrumpidos(Exception):
    def __init__(self, resultado: dict, numero: str, mensaje: str):
        super().__init__(mensaje)
        self.resultado, self.numero, self.mensaje = resultado, numero, mensaje


def oficios_retencion_masivos(*, expedientes, entidades=(Entidad.SUPERINTENDENCIA_BANCOS, Entidad.SEPS),
                              usuario, fecha: date, firmante=None, progreso=None) -> dict:
    """Retention letters for a selection of expedientes (the unit's 2026 plan for 2009–2025).
    Idempotent and resumable: an entity that already has an open letter in the expediente is
    skipped («existentes»), so a second run never duplicates a letter; an expediente that
    cannot take measures is reported («omitidos»), not fatal; an outage of the store or the
    antivirus raises OficiosInterrumpidos with what was done (each letter is all or nothing)."""
    resultado = {"oficios": [], "omitidos": [], "existentes": []}
    expedientes = list(expedientes)
    for indice, expediente in enumerate(expedientes, start=1):
        for entidad in entidades:
            if abierta := _medida_abierta(expediente, entidad):
                resultado["existentes"].append((expediente.numero, abierta.oficio_numero))
                continue
            try:
                resultado["oficios"].append(medida_ordenar(expediente=expediente, entidad=entidad,
                                                           usuario=usuario, fecha=fecha, firmante=firmante))
            except ArchivoRechazado as error:
                # the store or the antivirus is down: stop here; running again resumes, since an
                # entity with an open letter is skipped
                if error.temporal:
                    raise OficiosInterrumpidos(resultado, expediente.numero, error.mensaje) from error
                resultado["omitidos"].append((expediente.numero, error.mensaje))
                break
            except ValidationError as error:
                resultado["omitidos"].append((expediente.numero, " ".join(error.messages)))
                break
        if progreso:
            progreso(indice, len(expedientes))
    return resultado


TRABAJO_OFICIOS = "oficios_retencion"


def oficios_retencion_seleccion(*, desde: int, hasta: int):
    """Enforcement still running (not suspended, not ended) in those years."""
    return (ExpedientePage.objects.filter(anio__range=(desde, hasta), estado__in=EJECUCION)
            .exclude(estado=Estado.REMATE).order_by("anio", "secuencial"))


def oficios_retencion_parametros(*, desde: int, hasta: int, entidades, usuario, firmante=None,
                                 fecha: date) -> dict:
    if desde > hasta:
        raise ValidationError("El año inicial no puede ser posterior al año final.")
    return {"desde": int(desde), "hasta": int(hasta), "entidades": [Entidad(e).value for e in entidades],
            "usuario_id": usuario.pk, "firmante_id": (firmante or usuario).pk, "fecha": fecha.isoformat()}


def oficios_retencion_titulo(*, desde: int, hasta: int, entidades) -> str:
    return f"Oficios de retención {desde}–{hasta} ({', '.join(str(Entidad(e).label) for e in entidades)})"


def oficios_retencion_trabajo(trabajo_id: int, *, progreso=None) -> dict:
    """The bulk letters of a portal.Trabajo (its `parametros`), with progress on the record: what
    the queue's task runs, and `manage.py oficios_retencion --esperar` inline. Safe to run again
    (a retry, a worker killed mid-way): letters already issued are skipped. An outage raises
    OficiosInterrumpidos after recording how far it got; the queue tries again later."""
    from django.contrib.auth import get_user_model

    from portal.models import Trabajo
    from portal.trabajos import trabajo_avanzar, trabajo_empezar, trabajo_terminar

    p = Trabajo.objects.get(pk=trabajo_id).parametros
    usuarios = get_user_model().objects
    usuario, firmante = usuarios.get(pk=p["usuario_id"]), usuarios.get(pk=p["firmante_id"])
    seleccion = list(oficios_retencion_seleccion(desde=p["desde"], hasta=p["hasta"]))
    trabajo_empezar(trabajo_id, total=len(seleccion),
                    mensaje=f"{len(seleccion)} expedientes {p['desde']}–{p['hasta']} en ejecución")

    def avanzar(hecho, total):
        trabajo_avanzar(trabajo_id, hecho, total, f"{hecho} de {total} expedientes")
        if progreso:
            progreso(hecho, total)

    resultado = oficios_retencion_masivos(expedientes=seleccion, entidades=[Entidad(e) for e in p["entidades"]],
                                          usuario=usuario, firmante=firmante,
                                          fecha=date.fromisoformat(p["fecha"]), progreso=avanzar)
    resumen = {"oficios": [m.oficio_numero for m in resultado["oficios"]],
               "existentes": [list(x) for x in resultado["existentes"]],
               "omitidos": [list(x) for x in resultado["omitidos"]]}
    trabajo_terminar(trabajo_id, resultado=resumen, mensaje=(
        f"{len(resumen['oficios'])} oficios generados; {len(resumen['existentes'])} ya emitidos antes "
        f"(omitidos); {len(resumen['omitidos'])} expedientes omitidos."))
    return resultado
