"""The ledger of an expediente, in exact USD: what is owed (títulos de crédito, costas),
the unit's interest-rate table and what was paid. Balances are computed by
expedientes/liquidacion.py, never stored."""

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
    recibo = models.CharField(_("número de comprobante"), max_length=60, unique=True)
    actuacion = models.ForeignKey("expedientes.ActuacionPage", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    registrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                       related_name="+")
    registrado_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pago")
        verbose_name_plural = _("pagos")
        ordering = ["fecha", "pk"]


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
