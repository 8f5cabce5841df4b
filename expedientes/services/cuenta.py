"""Writes to the ledger of an expediente. Every write is checked against the whole account
recomputed by expedientes.liquidacion, inside a transaction holding the expediente's row:
a payment that would exceed the balance at its date (or make a later one exceed it) is
refused and nothing is saved. A proceeding that ended (pagado, archivado, baja) takes no
payment or costa: nothing reopens it behind its own rules. Which payments count toward a
payment plan, and where its instalments stand, is decided by expedientes/convenios.py."""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from expedientes import convenios
from expedientes.calendario import fecha_formatear
from expedientes.formato import usd
from expedientes.estados import FINALES, Estado, transicion_permitida
from expedientes.liquidacion import Abono, Cargo, EstadoCuenta, LiquidacionError, Obligacion, Tasa, liquidar, tramos
from expedientes.models import (
    ConvenioPago, Costa, Cuota, EstadoConvenio, EstadoMedida, ExpedientePage, MedidaCautelar, OrigenPago, Pago,
    Remate, ResultadoRemate, TasaInteres, TituloCredito, TramoCuenta,
)

from .fechas import fecha_acto_validar
from .plazos import plazo_recalcular
from .proceso import expediente_bloquear, expediente_reanudar, expediente_transicion


def pagos_vigentes(pagos) -> list[Pago]:
    """The payments that count: an annulled one is kept (and shown struck through) but never
    imputed. In Python, so a prefetched `expediente.pagos.all()` costs no query."""
    return [p for p in pagos if p.anulado_en is None]


def cuenta_liquidar(expediente: ExpedientePage, hasta: date | None = None, *, pagos_extra=(), pagos=None,
                    tasas=None):
    """The account of the expediente at `hasta` (today by default). `pagos`: the payments to
    impute (by default all those in force); annulled ones are left out in any case. `tasas`:
    the rate table, as TasaInteres rows already read (many accounts at once) or as
    liquidacion.Tasa (another table, to see what a change would do); else it is read here."""
    hasta = hasta or timezone.localdate()
    pagos = expediente.pagos.all() if pagos is None else pagos
    return liquidar(
        obligaciones=[Obligacion(t.exigible_desde, t.capital, t.numero) for t in expediente.titulos.all()],
        cargos=[Cargo(c.fecha, c.monto, c.concepto) for c in expediente.costas.all()],
        abonos=[Abono(p.fecha, p.monto, p.recibo) for p in pagos_vigentes(pagos)] + list(pagos_extra),
        tasas=_tabla_tasas(tasas),
        hasta=hasta,
    )


def _tabla_tasas(tasas=None) -> list[Tasa]:
    return [t if isinstance(t, Tasa) else Tasa(t.vigente_desde, t.tasa_anual)
            for t in (TasaInteres.objects.all() if tasas is None else tasas)]


def _tramos_de(expediente: ExpedientePage, tasas: list[Tasa]) -> list[TramoCuenta]:
    """The stored segments of the account: liquidacion.tramos on what cuenta_liquidar reads."""
    return [
        TramoCuenta(expediente_id=expediente.pk, desde=t.desde, hasta=t.hasta, capital=t.capital, costas=t.costas,
                    intereses_pagados=t.intereses_pagados, devengado=t.devengado, tasa_acumulada=t.tasa_acumulada,
                    capital_total=t.capital_total, costas_total=t.costas_total, pagado_total=t.pagado_total,
                    error=t.error)
        for t in tramos(
            obligaciones=[Obligacion(t.exigible_desde, t.capital, t.numero) for t in expediente.titulos.all()],
            cargos=[Cargo(c.fecha, c.monto, c.concepto) for c in expediente.costas.all()],
            abonos=[Abono(p.fecha, p.monto, p.recibo) for p in pagos_vigentes(expediente.pagos.all())],
            tasas=tasas,
        )
    ]


def cuenta_recalcular(expediente: ExpedientePage) -> int:
    """Rewrite the stored account segments of one expediente (what saldos_al and the portfolio
    read) from its títulos, costas, payments in force and the rate table. Every service that
    changes one of them calls it inside its own transaction, after its write. Returns how many
    segments it wrote."""
    with transaction.atomic():
        fresco = ExpedientePage.objects.prefetch_related("titulos", "costas", "pagos").get(pk=expediente.pk)
        nuevos = _tramos_de(fresco, _tabla_tasas())
        TramoCuenta.objects.filter(expediente_id=expediente.pk).delete()
        TramoCuenta.objects.bulk_create(nuevos)
        return len(nuevos)


def cuentas_recalcular(expedientes=None, *, tamano: int = 500, progreso=None) -> int:
    """The bulk path (imports, a rate change, deploys): the segments of `expedientes` (all by
    default), `tamano` at a time, each batch in its own transaction with its rows locked in pk
    order (like plazos_recalcular), the rate table read once. Calls progreso(hechos, total)
    after each batch. Returns how many expedientes were recomputed."""
    base = ExpedientePage.objects.all() if expedientes is None else expedientes
    ids = list(base.order_by("pk").values_list("pk", flat=True).distinct())
    total, hechos = len(ids), 0
    tasas = _tabla_tasas()
    for inicio in range(0, total, tamano):
        lote_ids = ids[inicio:inicio + tamano]
        with transaction.atomic():
            bloqueados = list(ExpedientePage.objects.filter(pk__in=lote_ids).select_for_update()
                              .order_by("pk").values_list("pk", flat=True))
            lote = ExpedientePage.objects.filter(pk__in=bloqueados).prefetch_related("titulos", "costas", "pagos")
            nuevos = [tramo for expediente in lote for tramo in _tramos_de(expediente, tasas)]
            TramoCuenta.objects.filter(expediente_id__in=bloqueados).delete()
            TramoCuenta.objects.bulk_create(nuevos, batch_size=2000)
        hechos += len(lote_ids)
        if progreso is not None:
            progreso(hechos, total)
    return total


def cuentas_faltantes():
    """Expedientes with a título and no stored segment: created before the segments existed,
    or by a bulk path that did not call cuentas_recalcular (portal_inicializar fills them)."""
    return ExpedientePage.objects.filter(titulos__isnull=False, tramos__isnull=True).distinct()


def cuenta_liquidar_o_rechazar(expediente: ExpedientePage, hasta: date, *, para: str, pagos=None) -> EstadoCuenta:
    """The account at `hasta`; one that cannot be liquidated (a payment above the balance once
    the rates were edited, a misconfigured imputation order) becomes a refusal with its reason.
    `para` opens the message: «No se puede generar el documento»."""
    try:
        return cuenta_liquidar(expediente, hasta, pagos=pagos)
    except LiquidacionError as error:
        raise ValidationError(
            f"{para}: la cuenta del expediente {expediente.numero} no se puede liquidar al "
            f"{fecha_formatear(hasta)}. {error} Revise la tabla de tasas y los pagos registrados."
        ) from None


def _estado_final(expediente) -> str | None:
    """«El expediente … está en «Pagado», un estado final» when it is in one."""
    if expediente.estado in FINALES:
        return f"El expediente {expediente.numero} está en «{Estado(expediente.estado).label}», un estado final"
    return None


def titulo_registrar(*, expediente, numero, fecha_emision, resolucion, capital, exigible_desde=None):
    titulo = TituloCredito(
        expediente=expediente, numero=numero, fecha_emision=fecha_emision, resolucion=resolucion,
        capital=capital, exigible_desde=exigible_desde or fecha_emision,
    )
    titulo.full_clean()
    with transaction.atomic():
        titulo.save()
        cuenta_recalcular(expediente)
    return titulo


def costa_registrar(*, expediente, fecha, concepto, monto, usuario, actuacion=None) -> Costa:
    """A cost of the proceeding. None once it ended: a costa does not reopen it."""
    fecha_acto_validar(expediente=expediente, fecha=fecha, que="de la costa")
    with transaction.atomic():
        expediente = expediente_bloquear(expediente)
        if final := _estado_final(expediente):
            raise ValidationError(
                f"{final}: no se registran costas después del pago o del cierre, y registrar una costa "
                "no reabre el proceso."
            )
        costa = Costa(expediente=expediente, fecha=fecha, concepto=concepto, monto=monto,
                      actuacion=actuacion, registrada_por=usuario)
        costa.full_clean()
        costa.save()
        cuenta_recalcular(expediente)
        return costa


def tasa_registrar(*, vigente_desde, tasa_anual, fuente, usuario=None) -> TasaInteres:
    """A new rate from code (seeds, demo, tests): recorded in the rates' history like one
    added in the register, whose confirmation step is the caller's decision here."""
    from .tasas import tasa_guardar  # tasas reads the account through this module

    return tasa_guardar(tasa=None, vigente_desde=vigente_desde, tasa_anual=tasa_anual, fuente=fuente,
                        usuario=usuario, confirmado=True)


def _recibo_repetido(recibo) -> ValidationError | None:
    """A receipt is recorded once, in whichever expediente (an annulled payment frees it)."""
    anterior = Pago.objects.select_related("expediente").filter(recibo=recibo, anulado_en__isnull=True).first()
    if anterior is None:
        return None
    return ValidationError({"recibo": (
        f"El comprobante {recibo} ya está registrado (pago de {usd(anterior.monto)} del "
        f"{fecha_formatear(anterior.fecha)} en el expediente {anterior.expediente.numero}): un comprobante se "
        "registra una sola vez."
    )})


def _ya_aplicado(pagos) -> Decimal:
    return pagos.filter(anulado_en__isnull=True).aggregate(total=Sum("monto"))["total"] or Decimal("0.00")


def _procedencia_validar(expediente, *, origen, fecha, monto, medida, remate) -> None:
    """Where the money came from, on the locked expediente: funds retained by a measure of
    this expediente (never more than it retained), or the value of an auction of this
    expediente that was adjudicated (never more than that value)."""
    if origen == OrigenPago.RETENCION:
        if medida is None:
            raise ValidationError({"medida": "Un pago de fondos retenidos indica la medida (oficio) que los retuvo."})
        medida = MedidaCautelar.objects.select_for_update().get(pk=medida.pk)
        if medida.expediente_id != expediente.pk:
            raise ValidationError({"medida": (
                f"El oficio {medida.oficio_numero} es de otro expediente, no del {expediente.numero}.")})
        if not medida.monto_retenido:
            raise ValidationError({"medida": f"El oficio {medida.oficio_numero} no retuvo fondos."})
        if medida.estado == EstadoMedida.LEVANTADA:
            raise ValidationError({"medida": (
                f"El oficio {medida.oficio_numero} fue levantado el {fecha_formatear(medida.fecha_levantamiento)}: "
                "sus fondos ya no están retenidos.")})
        if fecha < medida.fecha_respuesta:
            raise ValidationError({"fecha": (
                f"El pago ({fecha_formatear(fecha)}) no puede ser anterior a la retención de los fondos "
                f"({fecha_formatear(medida.fecha_respuesta)}).")})
        aplicado = _ya_aplicado(medida.pagos)
        if aplicado + monto > medida.monto_retenido:
            raise ValidationError({"monto": (
                f"El oficio {medida.oficio_numero} retuvo {usd(medida.monto_retenido)} y ya se aplicaron "
                f"{usd(aplicado)}: quedan {usd(medida.monto_retenido - aplicado)}.")})
    elif medida is not None:
        raise ValidationError({"medida": "Solo un pago de fondos retenidos indica la medida de retención."})
    if origen == OrigenPago.REMATE:
        if remate is None:
            raise ValidationError({"remate": "Un pago del producto del remate indica el remate adjudicado."})
        remate = Remate.objects.select_for_update(of=("self",)).select_related("bien").get(pk=remate.pk)
        if remate.bien.expediente_id != expediente.pk:
            raise ValidationError({"remate": f"El remate de «{remate.bien.descripcion}» es de otro expediente, "
                                             f"no del {expediente.numero}."})
        if remate.resultado != ResultadoRemate.ADJUDICADO:
            raise ValidationError({"remate": (
                f"El remate de «{remate.bien.descripcion}» del {fecha_formatear(remate.fecha_senalada)} está "
                f"{remate.get_resultado_display().lower()}: solo un remate adjudicado produce un pago.")})
        if fecha < remate.fecha_resultado:
            raise ValidationError({"fecha": (
                f"El pago ({fecha_formatear(fecha)}) no puede ser anterior a la adjudicación del remate "
                f"({fecha_formatear(remate.fecha_resultado)}).")})
        aplicado = _ya_aplicado(remate.pagos)
        if aplicado + monto > remate.valor_adjudicado:
            raise ValidationError({"monto": (
                f"El remate se adjudicó en {usd(remate.valor_adjudicado)} y ya se aplicaron {usd(aplicado)}: "
                f"quedan {usd(remate.valor_adjudicado - aplicado)}.")})
    elif remate is not None:
        raise ValidationError({"remate": "Solo un pago del producto del remate indica el remate."})


def pago_registrar(*, expediente, fecha, monto: Decimal, origen, recibo, usuario, actuacion=None,
                   medida=None, remate=None) -> Pago:
    """Record a payment; when it settles the whole debt the expediente becomes «pagado». Two
    clerks recording the same receipt at once: the expediente's lock (same expediente) or the
    unique receipt (another one) lets one through and refuses the other with a message.
    `medida`: the retention whose funds paid it (required with origen «retención»); `remate`:
    the adjudicated auction (required with origen «remate»)."""
    fecha_acto_validar(expediente=expediente, fecha=fecha, que="del pago")
    llamador = expediente
    with transaction.atomic():
        expediente = expediente_bloquear(expediente)
        if final := _estado_final(expediente):
            raise ValidationError(f"{final}: no admite pagos.")
        if recibo and (repetido := _recibo_repetido(recibo)):
            raise repetido
        if monto is not None and monto > 0:
            _procedencia_validar(expediente, origen=origen, fecha=fecha, monto=monto, medida=medida, remate=remate)
        pago = Pago(expediente=expediente, fecha=fecha, monto=monto, origen=origen, recibo=recibo,
                    actuacion=actuacion, registrado_por=usuario, medida=medida, remate=remate)
        pago.full_clean()
        try:  # the whole account with this payment in it, also after its date
            cuenta_liquidar(expediente, max(fecha, timezone.localdate()),
                            pagos_extra=[Abono(fecha, monto, recibo)])
        except LiquidacionError as error:
            raise ValidationError({"monto": str(error)}) from None
        try:
            with transaction.atomic():  # a savepoint: the race with another expediente's receipt
                pago.save()
        except IntegrityError:
            if repetido := _recibo_repetido(recibo):
                raise repetido from None
            raise
        cuenta_recalcular(expediente)
        if cuenta_liquidar(expediente, fecha).saldo == 0 and transicion_permitida(expediente.estado, Estado.PAGADO):
            expediente_transicion(expediente=expediente, hasta=Estado.PAGADO, usuario=usuario,
                                  fecha=fecha, actuacion=actuacion,
                                  motivo=f"Pago total de la obligación (comprobante {recibo}).")
        else:
            plazo_recalcular(expediente)  # a plan's instalment may now be covered
        llamador.estado = expediente.estado
        return pago


def convenio_registrar(*, expediente, fecha, cuotas: list[tuple[date, Decimal]], usuario,
                       resolucion="", dias_gracia=0, actuacion=None) -> ConvenioPago:
    """Accept a payment plan for the balance at `fecha`: the instalments must add up to it,
    fall after the plan's date and in order. Enforcement is suspended while it is kept."""
    fecha_acto_validar(expediente=expediente, fecha=fecha, que="del convenio")
    if not cuotas:
        raise ValidationError({"cuotas": "El convenio necesita al menos una cuota."})
    llamador = expediente
    with transaction.atomic():
        expediente = expediente_bloquear(expediente)
        if not transicion_permitida(expediente.estado, Estado.CONVENIO_PAGO):
            admiten = ", ".join(str(e.label) for e in Estado if transicion_permitida(e, Estado.CONVENIO_PAGO))
            raise ValidationError(
                f"El expediente {expediente.numero} está en «{Estado(expediente.estado).label}»: no admite un "
                f"convenio de pago. Se admite en: {admiten}."
            )
        saldo = cuenta_liquidar_o_rechazar(expediente, fecha, para="No se puede registrar el convenio").saldo
        total = sum((monto for _, monto in cuotas), Decimal("0.00"))
        if total != saldo:
            raise ValidationError({"cuotas": (
                f"Las cuotas suman {usd(total)} y el saldo al {fecha_formatear(fecha)} es {usd(saldo)}: "
                f"deben coincidir (diferencia {usd(saldo - total)})."
            )})
        vencimientos = [vence for vence, _ in cuotas]
        if vencimientos != sorted(vencimientos) or vencimientos[0] <= fecha:
            raise ValidationError({"cuotas": "Las cuotas deben vencer después del convenio y en orden."})
        if any(monto <= 0 for _, monto in cuotas):
            raise ValidationError({"cuotas": "Cada cuota debe ser mayor que cero."})
        convenio = ConvenioPago(expediente=expediente, fecha=fecha, resolucion=resolucion,
                                monto_total=saldo, dias_gracia=dias_gracia, actuacion=actuacion)
        convenio.full_clean()
        convenio.save()
        Cuota.objects.bulk_create(
            Cuota(convenio=convenio, numero=n, vence=vence, monto=monto)
            for n, (vence, monto) in enumerate(cuotas, start=1)
        )
        expediente_transicion(expediente=expediente, hasta=Estado.CONVENIO_PAGO, usuario=usuario,
                              fecha=fecha, actuacion=actuacion,
                              motivo=f"Convenio de pago en {len(cuotas)} cuotas por {usd(saldo)}.")
        llamador.estado = expediente.estado
        return convenio


def convenio_situacion(convenio: ConvenioPago, fecha: date, *, pagos=None) -> convenios.SituacionConvenio:
    """Where the plan and its instalments stand at `fecha` (the rule: expedientes/convenios.py).
    Reads `convenio.cuotas.all()` and the expediente's payments (prefetch-friendly)."""
    if pagos is None:
        pagos = convenio.expediente.pagos.all()
    return convenios.convenio_situacion(convenio=convenio, cuotas=convenio.cuotas.all(), pagos=pagos, fecha=fecha)


def convenio_revisar(*, convenio: ConvenioPago, fecha: date, usuario=None) -> str:
    """Default detection: an instalment the payments did not cover by its due date plus the
    days of grace ends the plan and resumes enforcement, however late the review runs and
    whatever was paid since. Returns the plan's state."""
    if convenio.estado != EstadoConvenio.VIGENTE:
        return convenio.estado
    with transaction.atomic():
        expediente = expediente_bloquear(convenio.expediente)
        situacion = convenio_situacion(convenio, fecha, pagos=expediente.pagos.all())
        if (vencida := situacion.incumplida) is not None:
            convenio.estado = EstadoConvenio.INCUMPLIDO
            convenio.save(update_fields=["estado"])
            if expediente.estado == Estado.CONVENIO_PAGO:
                plazo = (f" (días de gracia hasta el {fecha_formatear(vencida.limite)})"
                         if convenio.dias_gracia else "")
                pagado = (f": hasta ese día se pagaron {usd(vencida.pagado_en_plazo)} de ella"
                          if vencida.pagado_en_plazo else " sin pagar")
                expediente_reanudar(
                    expediente=expediente, usuario=usuario, fecha=fecha,
                    motivo=(f"Incumplimiento del convenio: cuota {vencida.numero} de {usd(vencida.monto)} "
                            f"vencida el {fecha_formatear(vencida.vence)}{plazo}{pagado}."),
                )
        elif situacion.cumplido or expediente.estado == Estado.PAGADO:
            convenio.estado = EstadoConvenio.CUMPLIDO
            convenio.save(update_fields=["estado"])
            # Interest keeps running during the plan (LIQUIDACION): a plan kept to the letter
            # may leave that interest unpaid; enforcement resumes for it, saying so.
            restante = cuenta_liquidar_o_rechazar(expediente, fecha, para="No se puede cerrar el convenio").saldo
            if expediente.estado == Estado.CONVENIO_PAGO and restante > 0:
                expediente_reanudar(
                    expediente=expediente, usuario=usuario, fecha=fecha,
                    motivo=(f"Convenio cumplido; queda un saldo de {usd(restante)} por los intereses "
                            "generados durante el convenio."),
                )
        if convenio.estado != EstadoConvenio.VIGENTE:
            plazo_recalcular(expediente)  # the plan no longer waits on an instalment
        convenio.expediente.estado = expediente.estado
        return convenio.estado


def cuotas_iguales(*, total: Decimal, numero: int, primera: date) -> list[tuple[date, Decimal]]:
    """Monthly instalments of equal cents; the last one takes the remainder, so they add up."""
    cuota = (total / numero).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    montos = [cuota] * (numero - 1) + [total - cuota * (numero - 1)]
    return [(primera + relativedelta(months=n), monto) for n, monto in enumerate(montos)]
