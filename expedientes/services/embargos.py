"""Seizure of assets, their valuation and their auction (COA art. 282; DOMAIN.md «embargo,
avalúo, remate»). Funds retained by a measure are seized through the measure
(medidas.medida_convertir_embargo, which records their BienEmbargado); a vehicle, a property
or another asset is seized here with its auto de embargo (a document in custody). An auction
is set on a valued asset; adjudicated, the asset is «rematado» and its value is paid into the
account (cuenta.pago_registrar with origen «remate» and the remate).

Every write locks the expediente first, then the row it changes (always in that order: no
deadlock), decides on the fresh rows, moves the state along estados.py when the procedure
asks (embargo → remate → back to embargo when the auction fails) and recomputes the stored
next deadline."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from expedientes.calendario import fecha_formatear
from expedientes.estados import EJECUCION, Estado, transicion_permitida
from expedientes.formato import usd
from expedientes.models import (
    BienEmbargado, ClaveDocumento, EstadoBien, ExpedientePage, MedidaCautelar, Remate, ResultadoRemate, TipoActuacion,
    TipoBien,
)

from .actuaciones import actuacion_registrar
from .documentos import documento_generar
from .fechas import fecha_acto_validar, fecha_no_futura
from .plazos import plazo_recalcular
from .proceso import expediente_bloquear, expediente_transicion


def _ejecucion_exigir(expediente: ExpedientePage, que: str) -> None:
    if expediente.estado not in EJECUCION:
        raise ValidationError(
            f"El expediente {expediente.numero} está en «{expediente.get_estado_display()}»: no se {que} mientras "
            "la ejecución está suspendida (convenio de pago, impugnación) ni después del pago o del cierre."
        )


def _pasar_si_corresponde(expediente, hasta, *, usuario, fecha, motivo, actuacion=None):
    if expediente.estado != hasta and transicion_permitida(expediente.estado, hasta):
        expediente_transicion(expediente=expediente, hasta=hasta, usuario=usuario, fecha=fecha,
                              motivo=motivo, actuacion=actuacion)


def _no_anterior(fecha: date, referencia: date, acto: str, a_que: str, *, campo: str = "fecha") -> None:
    if fecha < referencia:
        raise ValidationError({campo: (
            f"{acto} ({fecha_formatear(fecha)}) no puede ser anterior {a_que} ({fecha_formatear(referencia)})."
        )})


def _bien_bloquear(bien: BienEmbargado) -> tuple[ExpedientePage, BienEmbargado]:
    """The expediente, then the asset, locked and fresh."""
    expediente = expediente_bloquear(bien.expediente)
    return expediente, BienEmbargado.objects.select_for_update().get(pk=bien.pk)


def _remate_bloquear(remate: Remate) -> tuple[ExpedientePage, BienEmbargado, Remate]:
    """The expediente, the asset, then the auction, locked and fresh."""
    bien = BienEmbargado.objects.select_related("expediente").get(pk=remate.bien_id)
    expediente, bien = _bien_bloquear(bien)
    return expediente, bien, Remate.objects.select_for_update().get(pk=remate.pk)


def _copiar(origen, destino):
    for campo in type(origen)._meta.concrete_fields:
        setattr(destino, campo.attname, getattr(origen, campo.attname))
    return destino


def _vigente_exigir(bien: BienEmbargado, que: str) -> None:
    if bien.estado != EstadoBien.EMBARGADO:
        raise ValidationError(
            f"El bien «{bien.descripcion}» está {bien.get_estado_display().lower()}: no se {que}.")


# --- seizure ------------------------------------------------------------------------------

def bien_embargar(*, expediente: ExpedientePage, tipo: str, descripcion: str, fecha: date, usuario,
                  firmante=None, avaluo: Decimal | None = None) -> BienEmbargado:
    """Seize an asset: the auto de embargo (PDF in custody), the asset and, when enforcement
    stood before it, the state «embargo». Retained funds are seized from their measure."""
    descripcion = (descripcion or "").strip()
    if not descripcion:
        raise ValidationError({"descripcion": "Describa el bien embargado (placa, matrícula, ubicación…)."})
    if tipo == TipoBien.FONDOS:
        raise ValidationError({"tipo": "Los fondos retenidos se embargan desde su medida de retención "
                                       "(«Convertir en embargo» en el oficio)."})
    if tipo not in TipoBien.values:
        raise ValidationError({"tipo": "Elija el tipo de bien."})
    if avaluo is not None and avaluo <= 0:
        raise ValidationError({"avaluo": "El avalúo debe ser mayor que cero."})
    fecha_acto_validar(expediente=expediente, fecha=fecha, que="del embargo")

    def validar(e):
        _ejecucion_exigir(e, "embargan bienes")
        if e.bienes.filter(tipo=tipo, descripcion__iexact=descripcion, estado=EstadoBien.EMBARGADO).exists():
            raise ValidationError(f"El bien «{descripcion}» ya está embargado en el expediente {e.numero}.")

    resultado = []

    def registrar(e, version):
        bien = BienEmbargado(expediente=e, tipo=tipo, descripcion=descripcion, fecha_embargo=fecha,
                             avaluo=avaluo, fecha_avaluo=fecha if avaluo is not None else None,
                             actuacion=version.adjunto.actuacion, registrado_por=usuario)
        bien.full_clean()
        bien.save()
        _pasar_si_corresponde(e, Estado.EMBARGO, usuario=usuario, fecha=fecha, actuacion=bien.actuacion,
                              motivo=f"Embargo de {bien.get_tipo_display().lower()}: {descripcion}.")
        plazo_recalcular(e)
        resultado.append(bien)

    documento_generar(expediente=expediente, clave=ClaveDocumento.AUTO_EMBARGO, usuario=usuario,
                      firmante=firmante, fecha=fecha, validar=validar, registrar=registrar,
                      extra={"bien": {"tipo": TipoBien(tipo).label, "descripcion": descripcion}})
    return resultado[-1]


def bien_fondos_registrar(*, expediente: ExpedientePage, medida: MedidaCautelar, fecha: date, usuario,
                          actuacion=None) -> BienEmbargado:
    """The funds a retention measure holds, seized (called by medida_convertir_embargo on its
    locked rows, in its transaction)."""
    bien = BienEmbargado(
        expediente=expediente, tipo=TipoBien.FONDOS, medida=medida, fecha_embargo=fecha, actuacion=actuacion,
        descripcion=f"Fondos retenidos por {medida.entidad_nombre} (oficio {medida.oficio_numero}): "
                    f"{usd(medida.monto_retenido)}",
        registrado_por=usuario,
    )
    bien.full_clean()
    bien.save()
    return bien


def bienes_de_medida_levantar(*, medida: MedidaCautelar, fecha: date) -> int:
    """Lifting a measure releases the funds it had seized (on the caller's locked rows)."""
    return BienEmbargado.objects.filter(medida=medida, estado=EstadoBien.EMBARGADO).update(
        estado=EstadoBien.LEVANTADO, fecha_levantamiento=fecha,
        motivo_levantamiento=f"Levantamiento del oficio {medida.oficio_numero}.")


def bien_avaluar(*, bien: BienEmbargado, avaluo: Decimal, fecha: date, usuario, perito: str = "") -> BienEmbargado:
    """The valuation of a seized asset (an act of the file). Not while an auction is set on
    the previous one: its base was fixed on it."""
    if avaluo is None or avaluo <= 0:
        raise ValidationError({"avaluo": "El avalúo debe ser mayor que cero."})
    fecha_no_futura(fecha, "del avalúo")
    with transaction.atomic():
        expediente, actual = _bien_bloquear(bien)
        fecha_acto_validar(expediente=expediente, fecha=fecha, que="del avalúo")
        _vigente_exigir(actual, "avalúa")
        if actual.tipo == TipoBien.FONDOS:
            raise ValidationError("Los fondos embargados valen lo retenido: no se avalúan.")
        _no_anterior(fecha, actual.fecha_embargo, "El avalúo", "al embargo")
        if señalado := actual.remates.filter(resultado=ResultadoRemate.SENALADO).first():
            raise ValidationError(
                f"Hay un remate señalado para el {fecha_formatear(señalado.fecha_senalada)} con base en el avalúo "
                "vigente: registre su resultado (o cancélelo) antes de un nuevo avalúo.")
        perito = (perito or "").strip()
        actuacion_registrar(expediente=expediente, tipo=TipoActuacion.AVALUO, fecha=fecha, usuario=usuario,
                            resumen=f"Avalúo de {actual.descripcion}: {usd(avaluo)}"
                                    + (f" (perito: {perito})." if perito else "."))
        actual.avaluo, actual.fecha_avaluo = avaluo, fecha
        actual.full_clean()
        actual.save(update_fields=["avaluo", "fecha_avaluo"])
        return _copiar(actual, bien)


def bien_levantar(*, bien: BienEmbargado, fecha: date, usuario, motivo: str) -> BienEmbargado:
    """Release a seized asset (debt paid, a third party's property proven, a court order)."""
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo del levantamiento del embargo."})
    with transaction.atomic():
        expediente, actual = _bien_bloquear(bien)
        fecha_acto_validar(expediente=expediente, fecha=fecha, que="del levantamiento")
        _vigente_exigir(actual, "levanta")
        if actual.medida_id:
            raise ValidationError("Los fondos retenidos se liberan levantando su medida de retención "
                                  "(«Levantar» en el oficio, con su oficio de levantamiento).")
        _no_anterior(fecha, actual.fecha_embargo, "El levantamiento", "al embargo")
        if actual.remates.filter(resultado=ResultadoRemate.SENALADO).exists():
            raise ValidationError("El bien tiene un remate señalado: cancélelo antes de levantar el embargo.")
        actuacion_registrar(expediente=expediente, tipo=TipoActuacion.OTRO, fecha=fecha, usuario=usuario,
                            resumen=f"Levantamiento del embargo de {actual.descripcion}: {motivo}")
        actual.estado, actual.fecha_levantamiento, actual.motivo_levantamiento = (
            EstadoBien.LEVANTADO, fecha, motivo[:300])
        actual.save(update_fields=["estado", "fecha_levantamiento", "motivo_levantamiento"])
        plazo_recalcular(expediente)
        return _copiar(actual, bien)


# --- auction ------------------------------------------------------------------------------

def remate_senalar(*, bien: BienEmbargado, fecha: date, fecha_senalada: date, base: Decimal, usuario) -> Remate:
    """Set the auction of a valued asset (the providencia that sets it, dated `fecha`, for
    `fecha_senalada`); the expediente enters «remate»."""
    if base is None or base <= 0:
        raise ValidationError({"base": "La base del remate debe ser mayor que cero."})
    with transaction.atomic():
        expediente, actual = _bien_bloquear(bien)
        fecha_acto_validar(expediente=expediente, fecha=fecha, que="del señalamiento")
        _vigente_exigir(actual, "remata")
        _ejecucion_exigir(expediente, "rematan bienes")
        if actual.tipo == TipoBien.FONDOS:
            raise ValidationError("Los fondos embargados no se rematan: se aplican al pago (origen «fondos retenidos»).")
        if actual.avaluo is None:
            raise ValidationError(f"Registre el avalúo de «{actual.descripcion}» antes de señalar su remate.")
        if base > actual.avaluo:
            raise ValidationError({"base": f"La base ({usd(base)}) no puede superar el avalúo ({usd(actual.avaluo)})."})
        _no_anterior(fecha, actual.fecha_avaluo, "El señalamiento", "al avalúo")
        if fecha_senalada is None or fecha_senalada <= fecha:
            raise ValidationError({"fecha_senalada": "El remate se señala para una fecha posterior a la providencia."})
        if señalado := actual.remates.filter(resultado=ResultadoRemate.SENALADO).first():
            raise ValidationError(f"«{actual.descripcion}» ya tiene un remate señalado para el "
                                  f"{fecha_formatear(señalado.fecha_senalada)}.")
        actuacion = actuacion_registrar(
            expediente=expediente, tipo=TipoActuacion.REMATE, fecha=fecha, usuario=usuario,
            resumen=f"Señalamiento de remate de {actual.descripcion} para el {fecha_formatear(fecha_senalada)}, "
                    f"base {usd(base)}.")
        remate = Remate(bien=actual, senalado_el=fecha, fecha_senalada=fecha_senalada, base=base, actuacion=actuacion,
                        registrado_por=usuario)
        remate.full_clean()
        remate.save()
        _pasar_si_corresponde(expediente, Estado.REMATE, usuario=usuario, fecha=fecha, actuacion=actuacion,
                              motivo=f"Remate de {actual.descripcion} señalado para el {fecha_formatear(fecha_senalada)}.")
        plazo_recalcular(expediente)
        return remate


def remate_registrar_resultado(*, remate: Remate, resultado: str, fecha: date, usuario,
                               valor_adjudicado: Decimal | None = None, adjudicatario: str = "",
                               observaciones: str = "") -> Remate:
    """What happened to a set auction: adjudicado (the asset is «rematado»; its value is then
    paid into the account), desierto (no valid bid) or cancelado. With no auction left pending,
    a failed one takes the expediente back to «embargo»."""
    adjudicatario = (adjudicatario or "").strip()
    if resultado not in (ResultadoRemate.ADJUDICADO, ResultadoRemate.DESIERTO, ResultadoRemate.CANCELADO):
        raise ValidationError({"resultado": "Elija el resultado: adjudicado, desierto o cancelado."})
    if resultado == ResultadoRemate.ADJUDICADO:
        if valor_adjudicado is None or valor_adjudicado <= 0:
            raise ValidationError({"valor_adjudicado": "El valor adjudicado debe ser mayor que cero."})
        if not adjudicatario:
            raise ValidationError({"adjudicatario": "Indique a quién se adjudicó el bien."})
    elif valor_adjudicado is not None or adjudicatario:
        raise ValidationError("Solo un remate adjudicado tiene valor y adjudicatario.")
    fecha_no_futura(fecha, "del resultado")
    with transaction.atomic():
        expediente, bien, actual = _remate_bloquear(remate)
        if actual.resultado != ResultadoRemate.SENALADO:
            raise ValidationError(f"El remate del {fecha_formatear(actual.fecha_senalada)} ya tiene resultado "
                                  f"({actual.get_resultado_display().lower()}).")
        fecha_acto_validar(expediente=expediente, fecha=fecha, que="del resultado")
        if resultado == ResultadoRemate.CANCELADO:
            _no_anterior(fecha, actual.senalado_el, "La cancelación", "al señalamiento")
        else:
            _no_anterior(fecha, actual.fecha_senalada, "El resultado", "a la fecha señalada del remate")
        if resultado == ResultadoRemate.ADJUDICADO and valor_adjudicado < actual.base:
            raise ValidationError({"valor_adjudicado": (
                f"El valor adjudicado ({usd(valor_adjudicado)}) no puede ser menor que la base del remate "
                f"({usd(actual.base)}).")})
        etiqueta = ResultadoRemate(resultado).label.lower()
        detalle = f": {usd(valor_adjudicado)} a {adjudicatario}" if resultado == ResultadoRemate.ADJUDICADO else ""
        actuacion = actuacion_registrar(
            expediente=expediente, tipo=TipoActuacion.REMATE, fecha=fecha, usuario=usuario,
            resumen=f"Remate de {bien.descripcion} {etiqueta}{detalle}.")
        actual.resultado, actual.fecha_resultado = resultado, fecha
        actual.valor_adjudicado, actual.adjudicatario = valor_adjudicado, adjudicatario
        actual.observaciones = (observaciones or "").strip()[:500]
        actual.actuacion_resultado, actual.resultado_por, actual.resultado_en = actuacion, usuario, timezone.now()
        actual.full_clean()
        actual.save()
        if resultado == ResultadoRemate.ADJUDICADO:
            bien.estado = EstadoBien.REMATADO
            bien.save(update_fields=["estado"])
        elif (expediente.estado == Estado.REMATE
              and not Remate.objects.filter(bien__expediente=expediente, resultado=ResultadoRemate.SENALADO).exists()):
            expediente_transicion(expediente=expediente, hasta=Estado.EMBARGO, usuario=usuario, fecha=fecha,
                                  actuacion=actuacion, motivo=f"Remate de {bien.descripcion} {etiqueta}.")
        plazo_recalcular(expediente)
        return _copiar(actual, remate)
