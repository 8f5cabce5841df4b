"""The ledger of an expediente, in exact USD: what is owed (títulos de crédito, costas),
the unit's interest-rate table and what was paid. Balances are computed by
expedientes/liquidacion.py; the only derived copy is TramoCuenta (the account between its
event dates, rewritten by the ledger's services from that same code) for balances in SQL."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from expedientes.formato import fecha, porcentaje

POSITIVO = [MinValueValidator(Decimal("0.01"), _("El monto debe ser mayor que cero."))]


def _monto(verbose_name):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, validators=POSITIVO)


class TituloCredito(models.Model):
    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="titulos", verbose_name=_("expediente"))
    numero = models.CharField(_("número"), max_length=60)
    fecha_emision = models.DateField(_("fecha de emisión"))
    resolucion = models.CharField(_("resolución de origen"), max_length=160,
                                  help_text=_("Resolución sancionatoria que origina la obligación."))
    exigible_desde = models.DateField(_("exigible desde"),
                                      help_text=_("Los intereses corren desde el día siguiente."))
    capital = _monto(_("capital (USD)"))

    class Meta:
        verbose_name = _("título de crédito")
        verbose_name_plural = _("títulos de crédito")
        ordering = ["exigible_desde", "pk"]
        constraints = [models.UniqueConstraint(fields=["expediente", "numero"], name="titulo_unico")]

    def __str__(self):
        return f"Título {self.numero}"


class TasaInteres(models.Model):
    """Annual rate in force from a date until the next entry (published by the Banco
    Central del Ecuador; entered by the unit, never hard-coded)."""

    vigente_desde = models.DateField(_("vigente desde"), unique=True)
    tasa_anual = models.DecimalField(
        _("tasa anual (%)"), max_digits=7, decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )
    fuente = models.CharField(_("fuente"), max_length=200,
                              help_text=_("P. ej. «BCE, tasa activa efectiva referencial, enero 2025»."))
    registrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    registrada_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tasa de interés")
        verbose_name_plural = _("tasas de interés")
        ordering = ["-vigente_desde"]

    def __str__(self):
        return f"{porcentaje(self.tasa_anual)} desde {fecha(self.vigente_desde)}"


class TasaInteresCambio(models.Model):
    """The history of the rate table: every rate added, changed (old and new values) with who,
    when and how many expedientes' balances the change moved. Kept even if the rate goes."""

    class Accion(models.TextChoices):
        ALTA = "alta", _("Alta")
        MODIFICACION = "modificacion", _("Modificación")

    tasa = models.ForeignKey(TasaInteres, null=True, on_delete=models.SET_NULL, related_name="cambios")
    accion = models.CharField(_("acción"), max_length=14, choices=Accion.choices)
    vigente_desde_anterior = models.DateField(_("vigente desde (antes)"), null=True, blank=True)
    tasa_anual_anterior = models.DecimalField(_("tasa anual (antes)"), max_digits=7, decimal_places=4,
                                              null=True, blank=True)
    fuente_anterior = models.CharField(_("fuente (antes)"), max_length=200, blank=True)
    vigente_desde = models.DateField(_("vigente desde"))
    tasa_anual = models.DecimalField(_("tasa anual (%)"), max_digits=7, decimal_places=4)
    fuente = models.CharField(_("fuente"), max_length=200, blank=True)
    expedientes_afectados = models.PositiveIntegerField(
        _("expedientes cuyo saldo cambió"), default=0)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("usuario"))
    registrado_en = models.DateTimeField(_("registrado el"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("cambio de tasa de interés")
        verbose_name_plural = _("historial de tasas de interés")
        ordering = ["-registrado_en", "-pk"]


class Costa(models.Model):
    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="costas", verbose_name=_("expediente"))
    fecha = models.DateField(_("fecha"))
    concepto = models.CharField(_("concepto"), max_length=200)
    monto = _monto(_("monto (USD)"))
    actuacion = models.ForeignKey("expedientes.ActuacionPage", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    registrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                       related_name="+")

    class Meta:
        verbose_name = _("costa")
        verbose_name_plural = _("costas")
        ordering = ["fecha", "pk"]


class OrigenPago(models.TextChoices):
    VOLUNTARIO = "voluntario", _("Pago voluntario")
    RETENCION = "retencion", _("Fondos retenidos")
    REMATE = "remate", _("Producto del remate")
    CONVENIO = "convenio", _("Cuota de convenio")


class Pago(models.Model):
    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="pagos", verbose_name=_("expediente"))
    fecha = models.DateField(_("fecha"))
    monto = _monto(_("monto (USD)"))
    origen = models.CharField(_("origen"), max_length=20, choices=OrigenPago.choices)
    # Unique among the payments in force: an annulled payment frees its number, so the same
    # bank receipt can be recorded again with the right figures.
    recibo = models.CharField(_("número de comprobante"), max_length=60)
    actuacion = models.ForeignKey("expedientes.ActuacionPage", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    # Where the money came from: the retention whose funds paid it (origen «retención») or the
    # adjudicated auction (origen «remate»); services/cuenta.py pago_registrar checks both.
    medida = models.ForeignKey("expedientes.MedidaCautelar", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="pagos", verbose_name=_("medida de retención"))
    remate = models.ForeignKey("expedientes.Remate", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="pagos", verbose_name=_("remate"))
    registrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                       related_name="+")
    registrado_en = models.DateTimeField(auto_now_add=True)
    # The receipt (comprobante/liquidación) as issued: a PDF taken into custody once, never
    # re-rendered (services/pagos.py comprobante_emitir).
    comprobante = models.OneToOneField("expedientes.AdjuntoVersion", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="pago_comprobado",
                                       verbose_name=_("comprobante emitido"))
    # A mistaken payment is annulled, never deleted: kept with who, when and why, and left
    # out of the account (services/cuenta.py pagos_vigentes).
    anulado_en = models.DateTimeField(_("anulado el"), null=True, blank=True)
    anulado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("anulado por"))
    anulacion_motivo = models.TextField(_("motivo de la anulación"), blank=True)

    class Meta:
        verbose_name = _("pago")
        verbose_name_plural = _("pagos")
        ordering = ["fecha", "pk"]
        permissions = [("anular_pago", "Puede anular pagos registrados por error")]
        constraints = [
            models.UniqueConstraint(fields=["recibo"], condition=models.Q(anulado_en__isnull=True),
                                    name="pago_recibo_vigente_unico"),
            models.CheckConstraint(
                condition=models.Q(anulado_en__isnull=True) | ~models.Q(anulacion_motivo=""),
                name="pago_anulado_con_motivo"),
        ]

    @property
    def anulado(self) -> bool:
        return self.anulado_en is not None


class EstadoConvenio(models.TextChoices):
    VIGENTE = "vigente", _("Vigente")
    CUMPLIDO = "cumplido", _("Cumplido")
    INCUMPLIDO = "incumplido", _("Incumplido")


class ConvenioPago(models.Model):
    """Facilidades de pago: instalments that suspend enforcement while they are kept."""

    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="convenios", verbose_name=_("expediente"))
    fecha = models.DateField(_("fecha de aceptación"))
    resolucion = models.CharField(_("resolución"), max_length=120, blank=True)
    monto_total = _monto(_("monto convenido (USD)"))
    dias_gracia = models.PositiveSmallIntegerField(
        _("días de gracia"), default=0,
        help_text=_("Días después del vencimiento de una cuota antes de declarar el incumplimiento."),
    )
    estado = models.CharField(_("estado"), max_length=12, choices=EstadoConvenio.choices,
                              default=EstadoConvenio.VIGENTE)
    actuacion = models.ForeignKey("expedientes.ActuacionPage", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    # When it was recorded: a payment of the plan's own day recorded before it is in its total,
    # one recorded after it counts toward it (expedientes/convenios.py). Empty for older plans.
    registrado_en = models.DateTimeField(_("registrado en"), auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("convenio de pago")
        verbose_name_plural = _("convenios de pago")
        ordering = ["fecha", "pk"]


class Cuota(models.Model):
    convenio = models.ForeignKey(ConvenioPago, on_delete=models.CASCADE, related_name="cuotas")
    numero = models.PositiveSmallIntegerField(_("cuota"))
    vence = models.DateField(_("vence"))
    monto = _monto(_("monto (USD)"))

    class Meta:
        verbose_name = _("cuota")
        verbose_name_plural = _("cuotas")
        ordering = ["convenio", "numero"]
        constraints = [models.UniqueConstraint(fields=["convenio", "numero"], name="cuota_unica")]


class TramoCuenta(models.Model):
    """The account of an expediente between two of its event dates (título exigible, costa,
    payment), as expedientes.liquidacion.tramos computes it: derived data, rewritten whole by
    services/cuenta.py cuenta_recalcular whenever what the ledger reads changes. The balance at
    any date D is the segment containing D plus the interest its capital accrued since `desde`
    (expedientes/saldos.py, in SQL): exact to the cent, equal to liquidar(hasta=D)."""

    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.CASCADE,
                                   related_name="tramos", verbose_name=_("expediente"))
    desde = models.DateField(_("desde"))
    hasta = models.DateField(_("hasta"), null=True, blank=True, help_text=_("Vacío: hasta hoy y después."))
    capital = models.DecimalField(_("capital pendiente"), max_digits=14, decimal_places=2)
    costas = models.DecimalField(_("costas pendientes"), max_digits=14, decimal_places=2)
    intereses_pagados = models.DecimalField(_("intereses pagados"), max_digits=14, decimal_places=2)
    # Σ capital · tasa · días up to `desde`, exact: the interest accrued is devengado / (100 · BASE_DIAS)
    devengado = models.DecimalField(_("devengado (numerador exacto)"), max_digits=34, decimal_places=6)
    # R(desde): Σ of the annual rate in force over the days up to `desde` (liquidacion.tasa_acumulada)
    tasa_acumulada = models.DecimalField(_("tasa acumulada"), max_digits=22, decimal_places=4)
    capital_total = models.DecimalField(_("capital total"), max_digits=14, decimal_places=2)
    costas_total = models.DecimalField(_("costas totales"), max_digits=14, decimal_places=2)
    pagado_total = models.DecimalField(_("pagado total"), max_digits=14, decimal_places=2)
    error = models.TextField(_("cuenta no liquidable"), blank=True)

    class Meta:
        verbose_name = _("tramo de la cuenta")
        verbose_name_plural = _("tramos de la cuenta")
        ordering = ["expediente", "desde"]
        constraints = [models.UniqueConstraint(fields=["expediente", "desde"], name="tramo_cuenta_unico")]
        indexes = [models.Index(fields=["desde"], name="tramo_cuenta_desde")]
