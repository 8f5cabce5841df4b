"""Corrections of an expediente's own data and its assignment. The page editor cannot change
them (models/propios.py); these services can, on the locked row, with the reason, and each
change leaves a Correccion row (before, after, who, when, why) and an entry in the page's
history."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from wagtail.log_actions import log

from expedientes.calendario import fecha_formatear
from expedientes.estados import FINALES
from expedientes.formato import usd
from expedientes.liquidacion import LiquidacionError
from expedientes.models import Correccion, ExpedientePage, Provincia, TituloCredito
from permisos.custodia import Accion, registro_anotar
from permisos.services import asignacion_aplicar

from .cuenta import cuenta_liquidar, cuenta_recalcular
from .fechas import fecha_no_futura
from .plazos import plazo_recalcular
from .proceso import expediente_bloquear

ACCION_CORRECCION = "coactivas.correccion"


def _motivo(motivo: str) -> str:
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo de la corrección."})
    return motivo


def _registrar(*, expediente, campo: str, anterior, nuevo, motivo: str, usuario) -> Correccion:
    correccion = Correccion(expediente=expediente, campo=campo, anterior=str(anterior or ""),
                            nuevo=str(nuevo or ""), motivo=motivo, usuario=usuario)
    correccion.full_clean()
    correccion.save()
    log(instance=expediente, action=ACCION_CORRECCION, user=usuario,
        data={"campo": campo, "anterior": correccion.anterior, "nuevo": correccion.nuevo, "motivo": motivo})
    return correccion


def _exigir_permiso(usuario, permiso: str = "expedientes.corregir_expediente",
                    que: str = "corrige los datos de un expediente") -> None:
    if usuario is None or not usuario.has_perm(permiso):
        raise ValidationError(f"Solo el jefe de coactivas {que}.")


def titulo_corregir(*, titulo: TituloCredito, capital: Decimal, motivo: str, usuario) -> TituloCredito:
    """The título's capital, and with it the expediente's amount (their stored sum). Refused
    when the ledger could no longer be liquidated with it (a payment would exceed the debt)
    and once the proceeding has ended."""
    motivo = _motivo(motivo)
    _exigir_permiso(usuario)
    with transaction.atomic():
        expediente = expediente_bloquear(titulo.expediente)
        if expediente.estado in FINALES:
            raise ValidationError(f"El expediente {expediente.numero} está en «{expediente.get_estado_display()}»: "
                                  "su título ya no se corrige.")
        actual = TituloCredito.objects.select_for_update().get(pk=titulo.pk)
        anterior = actual.capital
        actual.capital = capital
        actual.full_clean()
        actual.save(update_fields=["capital"])
        try:
            cuenta_liquidar(expediente)
        except LiquidacionError as error:
            raise ValidationError({"capital": f"Con ese capital la cuenta no cuadra: {error}"}) from None
        cuenta_recalcular(expediente)
        total = expediente.titulos.aggregate(total=Sum("capital"))["total"]
        ExpedientePage.objects.filter(pk=expediente.pk).update(monto_titulo=total)
        _registrar(expediente=expediente, campo=f"capital del título {actual.numero}", anterior=usd(anterior),
                   nuevo=usd(capital), motivo=motivo, usuario=usuario)
        titulo.capital = capital
        titulo.expediente.monto_titulo = total
        return titulo


def expediente_corregir(*, expediente: ExpedientePage, usuario, motivo: str,
                        fecha_recepcion: date | None = None, provincia: str | None = None) -> list[Correccion]:
    """The reception date of the orden de cobro or the province, as typed wrong at opening.
    No act of the expediente may end up dated before the corrected reception."""
    motivo = _motivo(motivo)
    _exigir_permiso(usuario)
    correcciones = []
    with transaction.atomic():
        actual = expediente_bloquear(expediente)
        cambios = {}
        if provincia and provincia != actual.provincia:
            if provincia not in Provincia.values:
                raise ValidationError({"provincia": "Provincia desconocida."})
            cambios["provincia"] = provincia
            correcciones.append(_registrar(expediente=actual, campo="provincia", anterior=actual.get_provincia_display(),
                                           nuevo=Provincia(provincia).label, motivo=motivo, usuario=usuario))
        if fecha_recepcion and fecha_recepcion != actual.fecha_recepcion:
            fecha_no_futura(fecha_recepcion, "de recepción", campo="fecha_recepcion")
            primera = min(filter(None, [
                actual.transiciones.order_by("fecha").values_list("fecha", flat=True).first(),
                actual.pagos.filter(anulado_en__isnull=True).order_by("fecha").values_list("fecha", flat=True).first(),
                actual.costas.order_by("fecha").values_list("fecha", flat=True).first(),
                actual.medidas.order_by("fecha_envio").values_list("fecha_envio", flat=True).first(),
            ]), default=None)
            if primera and fecha_recepcion > primera:
                raise ValidationError({"fecha_recepcion": (
                    f"Hay actos del expediente desde el {fecha_formatear(primera)}: la recepción no puede "
                    "ser posterior."
                )})
            cambios["fecha_recepcion"] = fecha_recepcion
            correcciones.append(_registrar(expediente=actual, campo="fecha de recepción",
                                           anterior=fecha_formatear(actual.fecha_recepcion),
                                           nuevo=fecha_formatear(fecha_recepcion), motivo=motivo, usuario=usuario))
        if cambios:
            ExpedientePage.objects.filter(pk=actual.pk).update(**cambios)
            for campo, valor in cambios.items():
                setattr(expediente, campo, valor)
            if "fecha_recepcion" in cambios:
                plazo_recalcular(expediente)  # the citation's service level counts from it
        return correcciones


def expediente_asignar(*, expediente: ExpedientePage, abogado, usuario, motivo: str = "") -> Correccion | None:
    """Assign (or reassign) the abogado impulsor: the jefe's act, logged like a correction.
    The assignment is the abogado's access: the previous one loses it in the same transaction."""
    motivo = (motivo or "").strip() or "Asignación del abogado impulsor."
    _exigir_permiso(usuario, "expedientes.asignar_expediente", "asigna el abogado impulsor")
    with transaction.atomic():
        actual = expediente_bloquear(expediente)
        if actual.abogado_id == (abogado.pk if abogado else None):
            return None
        anterior = actual.abogado
        ExpedientePage.objects.filter(pk=actual.pk).update(abogado=abogado)
        asignacion_aplicar(expediente=actual, anterior=anterior, nuevo=abogado, usuario=usuario)
        expediente.abogado = abogado
        correccion = _registrar(expediente=actual, campo="abogado impulsor",
                                anterior=anterior.get_full_name() if anterior else "",
                                nuevo=abogado.get_full_name() if abogado else "", motivo=motivo, usuario=usuario)
        registro_anotar(  # last: its lock lasts until the transaction ends
            accion=Accion.ASIGNACION, usuario=usuario, expediente=actual,
            objeto=f"Abogado impulsor: {correccion.nuevo or 'ninguno'}",
            datos={"anterior": anterior.get_username() if anterior else None,
                   "nuevo": abogado.get_username() if abogado else None, "motivo": motivo,
                   "correccion": correccion.pk},
        )
        return correccion
