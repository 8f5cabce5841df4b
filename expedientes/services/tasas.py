"""The interest-rate table keeps its history. A rate that already applies to past days changes
balances that were computed, notified or paid against: before such a change is saved the
register says how many expedientes' balances move, asks for confirmation, and every rate added
or changed is a `TasaInteresCambio` row (old and new values, who, when, how many balances
moved) and a custody-log entry."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from expedientes.liquidacion import LiquidacionError, Tasa
from expedientes.models import ExpedientePage, TasaInteres, TasaInteresCambio
from permisos.custodia import Accion, registro_anotar

from .cuenta import cuenta_liquidar, cuentas_recalcular


@dataclass(frozen=True)
class EfectoTasa:
    """What a rate change does to the balances of today."""

    aplica_al_pasado: bool  # the rate governed (or will govern) days up to today
    desde: date | None = None  # the first day whose interest may change
    afectados: list[str] = field(default_factory=list)  # numbers of the expedientes whose balance changes
    sin_liquidar: list[str] = field(default_factory=list)  # those the new table cannot liquidate
    edicion: bool = False  # an existing rate is changed (not a new one added)

    @property
    def cantidad(self) -> int:
        return len(self.afectados)

    @property
    def requiere_confirmacion(self) -> bool:
        """Editing a rate that governed past days always asks; adding one dated in the past
        asks when it moves some balance (a first table typed in an empty system does not)."""
        return self.aplica_al_pasado and (self.edicion or self.cantidad > 0)


def _tabla(excluida: int | None, nueva: tuple[date, Decimal] | None) -> list[Tasa]:
    tasas = [Tasa(t.vigente_desde, t.tasa_anual) for t in TasaInteres.objects.exclude(pk=excluida)]
    return tasas + ([Tasa(*nueva)] if nueva else [])


def tasa_efecto(*, tasa: TasaInteres | None, vigente_desde: date, tasa_anual: Decimal,
                hoy: date | None = None) -> EfectoTasa:
    """The expedientes whose balance today differs with the new values (`tasa`: the rate as it
    is stored, None for a new one). Only expedientes with a título due before today can move;
    each is liquidated with both tables (the same function as every balance)."""
    hoy = hoy or timezone.localdate()
    desde = min(vigente_desde, tasa.vigente_desde) if tasa else vigente_desde
    if tasa and (tasa.vigente_desde, tasa.tasa_anual) == (vigente_desde, tasa_anual):
        return EfectoTasa(aplica_al_pasado=False)  # only the source's wording changes
    if desde > hoy:
        return EfectoTasa(aplica_al_pasado=False, desde=desde)
    antes = _tabla(None, None)
    despues = _tabla(tasa.pk if tasa else None, (vigente_desde, tasa_anual))
    afectados, sin_liquidar = [], []
    candidatos = (ExpedientePage.objects.filter(titulos__exigible_desde__lt=hoy).distinct()
                  .prefetch_related("titulos", "costas", "pagos").order_by("numero"))
    for expediente in candidatos:
        try:
            anterior = cuenta_liquidar(expediente, hoy, tasas=antes).saldo
        except LiquidacionError:
            anterior = None
        try:
            nuevo = cuenta_liquidar(expediente, hoy, tasas=despues).saldo
        except LiquidacionError:
            sin_liquidar.append(expediente.numero)
            afectados.append(expediente.numero)
            continue
        if nuevo != anterior:
            afectados.append(expediente.numero)
    return EfectoTasa(aplica_al_pasado=True, desde=desde, afectados=afectados, sin_liquidar=sin_liquidar,
                      edicion=tasa is not None)


def efecto_describir(efecto: EfectoTasa) -> str:
    """The warning shown before confirming, in the unit's words."""
    from expedientes.calendario import fecha_formatear

    if efecto.cantidad == 0:
        cambia = "no cambia el saldo de ningún expediente"
    elif efecto.cantidad == 1:
        cambia = f"cambia el saldo de 1 expediente ({efecto.afectados[0]})"
    else:
        muestra = ", ".join(efecto.afectados[:5]) + (" y otros" if efecto.cantidad > 5 else "")
        cambia = f"cambia el saldo de {efecto.cantidad} expedientes ({muestra})"
    texto = (f"Esta tasa se aplica a días ya transcurridos (desde el {fecha_formatear(efecto.desde)}): "
             f"{cambia}, también de los liquidados o pagados.")
    if efecto.sin_liquidar:
        texto += (f" Con la tasa nueva no se podrían liquidar {len(efecto.sin_liquidar)} "
                  f"(pagos mayores que el saldo): {', '.join(efecto.sin_liquidar[:5])}.")
    return texto


def tasa_guardar(*, tasa: TasaInteres | None, vigente_desde: date, tasa_anual: Decimal, fuente: str,
                 usuario, confirmado: bool = False) -> TasaInteres:
    """Add a rate (tasa=None) or change one, under its row lock, with its history row and a
    custody-log entry. A change that moves balances of past days needs `confirmado`."""
    with transaction.atomic():
        if tasa is not None:
            tasa = TasaInteres.objects.select_for_update().get(pk=tasa.pk)
        efecto = tasa_efecto(tasa=tasa, vigente_desde=vigente_desde, tasa_anual=tasa_anual)
        if efecto.requiere_confirmacion and not confirmado:
            raise ValidationError(efecto_describir(efecto) + " Confírmelo para guardarlo.")
        anterior = (tasa.vigente_desde, tasa.tasa_anual, tasa.fuente) if tasa else (None, None, "")
        if tasa is None:
            tasa = TasaInteres(registrada_por=usuario)
        tasa.vigente_desde, tasa.tasa_anual, tasa.fuente = vigente_desde, tasa_anual, fuente
        tasa.full_clean()
        tasa.save()
        # The stored account segments that start on or after the first day whose rate changed
        # (their accrued interest and cumulative rate move); earlier ones keep their values and
        # read the new rate for later days from the table itself (expedientes/saldos.py).
        primer_dia = min(vigente_desde, anterior[0]) if anterior[0] else vigente_desde
        cuentas_recalcular(ExpedientePage.objects.filter(tramos__desde__gte=primer_dia))
        cambio = TasaInteresCambio.objects.create(
            tasa=tasa, accion=TasaInteresCambio.Accion.MODIFICACION if anterior[0] else TasaInteresCambio.Accion.ALTA,
            vigente_desde_anterior=anterior[0], tasa_anual_anterior=anterior[1], fuente_anterior=anterior[2],
            vigente_desde=vigente_desde, tasa_anual=tasa_anual, fuente=fuente,
            expedientes_afectados=efecto.cantidad, usuario=usuario)
        if usuario is not None:  # the seeds and fixtures add rates with no one acting
            registro_anotar(
                accion=Accion.CAMBIO_TASA, usuario=usuario,
                objeto=f"Tasa de interés vigente desde el {vigente_desde:%d/%m/%Y}",
                datos={"cambio": cambio.pk, "tasa": tasa.pk, "anterior": {
                    "vigente_desde": anterior[0], "tasa_anual": anterior[1]},
                    "nuevo": {"vigente_desde": vigente_desde, "tasa_anual": tasa_anual},
                    "expedientes_afectados": efecto.afectados[:50], "cantidad": efecto.cantidad})
        return tasa
