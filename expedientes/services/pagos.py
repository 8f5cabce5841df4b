"""What follows a recorded payment (recording it is services/cuenta.py): its receipt, the
statement of account at any date, and the annulment of a payment recorded by mistake.

The receipt (comprobante/liquidación) is issued once and kept: rendered with no row locked,
taken into custody (antivirus, versioned S3, SHA-256) as the attachment of the payment's
actuación, and recorded under the expediente's and the payment's row locks. Rendering it on
demand would let it change after it was handed to the debtor: a rate edited later, an earlier
payment annulled or a costa dated back all move «how it was applied» and «the balance after
it». Once stored, every download is that exact version.

The statement of account is a computation at a date the user chooses: it is rendered on
demand (nothing is asserted to a third party until a document is issued) and each one is a
view of the expediente in the custody log."""

import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from expedientes.calendario import fecha_formatear
from expedientes.custodia import custodiar
from expedientes.documentos import pdf_renderizar
from expedientes.documentos.contexto import contexto_documento
from expedientes.estados import FINALES, Estado
from expedientes.liquidacion import EstadoCuenta, Imputacion
from expedientes.models import AdjuntoVersion, ExpedientePage, Pago, TipoActuacion
from expedientes.formato import usd
from permisos import policies
from permisos.custodia import Accion, registro_anotar

from .actuaciones import actuacion_registrar
from .adjuntos import adjunto_registrar
from .cuenta import cuenta_liquidar_o_rechazar, cuenta_recalcular, pagos_vigentes
from .plazos import plazo_recalcular
from .proceso import expediente_bloquear

ACCION_ANULACION = "coactivas.pago.anulado"  # the expediente's page history
PERMISO_ANULAR = "expedientes.anular_pago"
INTENTOS = 3


def _con_cuenta(expediente_id: int) -> ExpedientePage:
    return (ExpedientePage.objects.select_related("coactivado", "abogado")
            .prefetch_related("titulos", "costas", "pagos").get(pk=expediente_id))


@dataclass(frozen=True)
class Aplicacion:
    """How one payment was imputed, and the account right after it on its date."""

    imputacion: Imputacion
    cuenta: EstadoCuenta


def pago_aplicacion(pago: Pago, expediente: ExpedientePage | None = None) -> Aplicacion:
    """The payment's imputation and the balance after it: the account at its date with the
    payments in force up to it (same-day payments in the order they were recorded)."""
    expediente = expediente or _con_cuenta(pago.expediente_id)
    hasta_este = [p for p in pagos_vigentes(expediente.pagos.all()) if (p.fecha, p.pk) <= (pago.fecha, pago.pk)]
    cuenta = cuenta_liquidar_o_rechazar(expediente, pago.fecha, pagos=hasta_este,
                                        para="No se puede emitir el comprobante")
    imputacion = cuenta.imputaciones[-1]
    assert imputacion.abono.referencia == pago.recibo
    return Aplicacion(imputacion=imputacion, cuenta=cuenta)


def _contexto_comprobante(pago: Pago, expediente: ExpedientePage, usuario, emitido: date) -> dict:
    aplicacion = pago_aplicacion(pago, expediente)
    cuenta = aplicacion.cuenta
    return contexto_documento(expediente=expediente, fecha=pago.fecha, firmante=usuario, extra={
        "pago": {"recibo": pago.recibo, "fecha": pago.fecha, "monto": pago.monto,
                 "origen": pago.get_origen_display(),
                 "registrado_por": (pago.registrado_por.get_full_name() or pago.registrado_por.username)
                 if pago.registrado_por else ""},
        "aplicacion": {"intereses": aplicacion.imputacion.intereses, "costas": aplicacion.imputacion.costas,
                       "capital": aplicacion.imputacion.capital},
        "cuenta": {"capital": cuenta.capital, "intereses": cuenta.intereses, "costas": cuenta.costas,
                   "pagado": cuenta.pagado_total, "saldo": cuenta.saldo},
        "emitido": emitido,
    })


class _Desactualizado(Exception):
    """The ledger changed between rendering and locking: what was printed is not what holds."""


class _YaEmitido(Exception):
    def __init__(self, version):
        super().__init__()
        self.version = version


def _anulado_error(pago: Pago) -> ValidationError:
    return ValidationError(f"El pago con comprobante {pago.recibo} está anulado: no se emite su comprobante.")


def comprobante_emitir(*, pago: Pago, usuario) -> AdjuntoVersion:
    """The payment's receipt, issued once: the stored version if it exists, otherwise render
    it, take it into custody and record it. Safe to call twice at once (one is kept)."""
    for _intento in range(INTENTOS):
        pago.refresh_from_db()
        if pago.comprobante_id:
            return pago.comprobante
        if pago.anulado:
            raise _anulado_error(pago)
        emitido = timezone.localdate()
        contexto = _contexto_comprobante(pago, _con_cuenta(pago.expediente_id), usuario, emitido)
        pdf = pdf_renderizar("expedientes/documentos/comprobante_pago.html", contexto)

        def registrar(custodiado):
            bloqueado = expediente_bloquear(pago.expediente)
            fresco = Pago.objects.select_for_update(of=("self",)).select_related("registrado_por").get(pk=pago.pk)
            if fresco.comprobante_id:
                raise _YaEmitido(fresco.comprobante)
            if fresco.anulado:
                raise _anulado_error(fresco)
            if _contexto_comprobante(fresco, _con_cuenta(bloqueado.pk), usuario, emitido) != contexto:
                raise _Desactualizado
            actuacion = fresco.actuacion or actuacion_registrar(
                expediente=bloqueado, tipo=TipoActuacion.PAGO, fecha=fresco.fecha, usuario=usuario,
                numero=fresco.recibo, resumen=f"Pago de {usd(fresco.monto)} ({fresco.get_origen_display()})")
            version = adjunto_registrar(
                actuacion=actuacion, titulo=f"Comprobante de pago {fresco.recibo}", custodiado=custodiado,
                usuario=usuario, firmante=usuario, generado_con="Comprobante de pago (formato del portal)")
            fresco.comprobante, fresco.actuacion = version, actuacion
            fresco.save(update_fields=["comprobante", "actuacion"])
            return version

        try:
            return custodiar(flujo=io.BytesIO(pdf), nombre=f"comprobante-{pago.recibo}.pdf", registrar=registrar)
        except _YaEmitido as ya:
            return ya.version
        except _Desactualizado:
            continue
    raise ValidationError("La cuenta del expediente cambió mientras se emitía el comprobante (otra persona "
                          "registró algo al mismo tiempo). No se guardó nada: intente de nuevo.")


def estado_cuenta_pdf(*, expediente: ExpedientePage, fecha: date, usuario) -> bytes:
    """The statement of account at `fecha`: títulos, costas, each payment in force with how
    it was imputed, the annulled ones (named, not imputed) and the pending balance."""
    expediente = _con_cuenta(expediente.pk)
    cuenta = cuenta_liquidar_o_rechazar(expediente, fecha, para="No se puede generar el estado de cuenta")
    pagos = {p.recibo: p for p in pagos_vigentes(expediente.pagos.all())}
    contexto = contexto_documento(expediente=expediente, fecha=fecha, firmante=usuario, extra={
        "estado": cuenta,
        "costas": [c for c in expediente.costas.all() if c.fecha <= fecha],
        "imputaciones": [(pagos[i.abono.referencia], i) for i in cuenta.imputaciones],
        "anulados": [p for p in expediente.pagos.all() if p.anulado and p.fecha <= fecha],
        "emitido": timezone.localdate(),
        "orden_imputacion": ", luego a ".join(settings.LIQUIDACION["IMPUTACION"]),
    })
    return pdf_renderizar("expedientes/documentos/estado_cuenta.html", contexto)


# --- Annulment --------------------------------------------------------------------------

def pago_puede_anular(usuario, expediente) -> bool:
    """The jefe and the secretaría (model permission, permisos/roles.py) on an expediente they
    may work on; an abogado records payments but does not annul them."""
    return (usuario is not None and usuario.has_perm(PERMISO_ANULAR)
            and policies.expediente_puede_trabajar(usuario, expediente))


def pago_anular(*, pago: Pago, usuario, motivo: str) -> Pago:
    """Annul a payment recorded by mistake: kept with who, when and why, left out of the
    account from then on. Under the expediente's and the payment's row locks; twice is
    refused. A proceeding that ended (pagado, archivado, baja) is not reopened by it."""
    motivo = " ".join((motivo or "").split())
    if not motivo:
        raise ValidationError({"motivo": "Escriba el motivo de la anulación."})
    if not pago_puede_anular(usuario, pago.expediente):
        raise ValidationError("Solo la jefatura y la secretaría de coactivas pueden anular pagos; "
                              "pídalo a una de ellas indicando el motivo.")
    with transaction.atomic():
        expediente = expediente_bloquear(pago.expediente)
        fresco = Pago.objects.select_for_update(of=("self",)).select_related("anulado_por").get(pk=pago.pk, expediente=expediente)
        if fresco.anulado:
            quien = fresco.anulado_por.get_full_name() or fresco.anulado_por.username if fresco.anulado_por else ""
            raise ValidationError(
                f"El pago con comprobante {fresco.recibo} ya fue anulado el "
                f"{fecha_formatear(timezone.localtime(fresco.anulado_en).date())}{f' por {quien}' if quien else ''}: "
                "un pago se anula una sola vez.")
        if expediente.estado in FINALES:
            raise ValidationError(
                f"El expediente {expediente.numero} está en «{Estado(expediente.estado).label}», un estado final: "
                "anular un pago no lo reabre. Si el pago que lo cerró fue un error, consulte con la jefatura.")
        fresco.anulado_en, fresco.anulado_por, fresco.anulacion_motivo = timezone.now(), usuario, motivo
        fresco.full_clean()
        fresco.save(update_fields=["anulado_en", "anulado_por", "anulacion_motivo"])
        saldo = cuenta_liquidar_o_rechazar(_con_cuenta(expediente.pk), max(fresco.fecha, timezone.localdate()),
                          para="No se puede anular el pago").saldo
        cuenta_recalcular(expediente)
        datos = {"pago": fresco.pk, "recibo": fresco.recibo, "fecha": fresco.fecha, "monto": fresco.monto,
                 "motivo": motivo, "saldo": saldo}
        log(instance=expediente, action=ACCION_ANULACION, user=usuario, data=datos)
        plazo_recalcular(expediente)  # a plan's instalment may be uncovered again
        # last: the custody log's append lock lasts until this transaction ends
        registro_anotar(accion=Accion.ANULACION_PAGO, usuario=usuario, expediente=expediente,
                        objeto=f"Pago {fresco.recibo} de {usd(fresco.monto)} del {fecha_formatear(fresco.fecha)}",
                        datos=datos)
        pago.anulado_en, pago.anulado_por, pago.anulacion_motivo = fresco.anulado_en, usuario, motivo
        return fresco
