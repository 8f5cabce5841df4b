"""Precautionary measures: retention letters to the control entities, their answers, the
conversion into seizure and the lifting once the debt is paid (COA arts. 281–282)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from expedientes.estados import Estado, transicion_permitida
from expedientes.models import ABIERTAS, ClaveDocumento, Entidad, EstadoMedida, ExpedientePage, MedidaCautelar

from .documentos import documento_generar
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


def medida_ordenar(*, expediente: ExpedientePage, entidad: str, usuario, fecha: date, firmante=None,
                   entidad_detalle: str = "") -> MedidaCautelar:
    """A retention letter to one entity: the measure, its oficio (PDF in custody) and, when
    enforcement stands at its start, the state «medidas cautelares»."""
    llamador = expediente
    with transaction.atomic():
        expediente = expediente_bloquear(expediente)
        if expediente.estado not in ACEPTAN_MEDIDAS:
            raise ValidationError(
                f"El expediente {expediente.numero} está en «{expediente.get_estado_display()}»: "
                "no se ordenan medidas cautelares en ese estado."
            )
        numero = f"{expediente.numero}-OF-{expediente.medidas.count() + 1}"
        medida = MedidaCautelar(expediente=expediente, entidad=entidad, entidad_detalle=entidad_detalle,
                                oficio_numero=numero, fecha_envio=fecha)
        medida.full_clean()
        version = documento_generar(expediente=expediente, clave=ClaveDocumento.OFICIO_RETENCION,
                                    usuario=usuario, firmante=firmante, fecha=fecha, numero=numero,
                                    extra=_oficio_extra(medida, numero))
        medida.actuacion = version.adjunto.actuacion
        medida.save()
        _pasar_si_corresponde(expediente, Estado.MEDIDAS_CAUTELARES, usuario=usuario, fecha=fecha,
                              actuacion=medida.actuacion,
                              motivo=f"Retención de fondos: oficio {numero} a {medida.entidad_nombre}.")
        llamador.estado = expediente.estado
        return medida


def medida_respuesta_registrar(*, medida: MedidaCautelar, fecha: date, monto_retenido: Decimal,
                               observaciones: str = "") -> MedidaCautelar:
    if fecha < medida.fecha_envio:
        raise ValidationError({"fecha_respuesta": (
            f"La respuesta ({fecha:%d/%m/%Y}) no puede ser anterior al oficio ({medida.fecha_envio:%d/%m/%Y})."
        )})
    if medida.estado != EstadoMedida.ENVIADA:
        raise ValidationError(f"El oficio {medida.oficio_numero} ya no espera respuesta ({medida.get_estado_display()}).")
    medida.fecha_respuesta, medida.monto_retenido = fecha, monto_retenido
    medida.observaciones = observaciones
    medida.estado = EstadoMedida.RESPONDIDA
    medida.full_clean()
    medida.save()
    return medida


def medida_convertir_embargo(*, medida: MedidaCautelar, fecha: date, usuario, firmante=None) -> MedidaCautelar:
    """Seize what was retained: the auto de embargo, the measure and the expediente's state."""
    if medida.estado != EstadoMedida.RESPONDIDA or not medida.monto_retenido:
        raise ValidationError(f"El oficio {medida.oficio_numero} no tiene fondos retenidos que embargar.")
    with transaction.atomic():
        expediente = expediente_bloquear(medida.expediente)
        version = documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_EMBARGO,
                                    usuario=usuario, firmante=firmante, fecha=fecha)
        medida.estado, medida.fecha_embargo = EstadoMedida.EMBARGO, fecha
        medida.save(update_fields=["estado", "fecha_embargo"])
        _pasar_si_corresponde(expediente, Estado.EMBARGO, usuario=usuario, fecha=fecha,
                              actuacion=version.adjunto.actuacion,
                              motivo=f"Embargo de USD {medida.monto_retenido} retenidos por {medida.entidad_nombre}.")
        medida.expediente.estado = expediente.estado
        return medida


def medidas_por_levantar(expediente: ExpedientePage) -> list[MedidaCautelar]:
    """What the portal proposes to lift once the debt is paid."""
    if expediente.estado != Estado.PAGADO:
        return []
    return list(expediente.medidas.filter(estado__in=ABIERTAS))


def medida_levantar(*, medida: MedidaCautelar, fecha: date, usuario, firmante=None) -> MedidaCautelar:
    if medida.estado not in ABIERTAS:
        raise ValidationError(f"El oficio {medida.oficio_numero} ya fue levantado.")
    with transaction.atomic():
        numero = f"{medida.oficio_numero}-L"
        documento_generar(expediente=expediente_bloquear(medida.expediente), clave=ClaveDocumento.OFICIO_LEVANTAMIENTO,
                          usuario=usuario, firmante=firmante, fecha=fecha, numero=numero,
                          extra=_oficio_extra(medida, numero, referencia=medida.oficio_numero))
        medida.estado, medida.fecha_levantamiento = EstadoMedida.LEVANTADA, fecha
        medida.save(update_fields=["estado", "fecha_levantamiento"])
        return medida


def oficios_retencion_masivos(*, expedientes, entidades=(Entidad.SUPERINTENDENCIA_BANCOS, Entidad.SEPS),
                              usuario, fecha: date, firmante=None, progreso=None) -> dict:
    """Retention letters for a selection of expedientes (the unit's 2026 plan for 2009–2025).
    Each expediente on its own: one that cannot take measures is reported, not fatal."""
    resultado = {"oficios": [], "omitidos": []}
    expedientes = list(expedientes)
    for indice, expediente in enumerate(expedientes, start=1):
        for entidad in entidades:
            try:
                resultado["oficios"].append(medida_ordenar(expediente=expediente, entidad=entidad,
                                                           usuario=usuario, fecha=fecha, firmante=firmante))
            except ValidationError as error:
                resultado["omitidos"].append((expediente.numero, " ".join(error.messages)))
                break
        if progreso:
            progreso(indice, len(expedientes))
    return resultado
