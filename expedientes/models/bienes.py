"""Seized assets and their auctions (DOMAIN.md: embargo, avalúo, remate; COA art. 282).
A seizure of retained funds points to its retention measure; a vehicle or a property is
valued and may go to auction, whose adjudicated value is paid into the account (Pago.remate).
The rules live in expedientes/services/embargos.py."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cuenta import POSITIVO


class TipoBien(models.TextChoices):
    FONDOS = "fondos", _("Fondos en cuenta")
    VEHICULO = "vehiculo", _("Vehículo")
    INMUEBLE = "inmueble", _("Inmueble")
    OTRO = "otro", _("Otro bien")


class EstadoBien(models.TextChoices):
    EMBARGADO = "embargado", _("Embargado")
    REMATADO = "rematado", _("Rematado")
    LEVANTADO = "levantado", _("Embargo levantado")


class BienEmbargado(models.Model):
    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="bienes", verbose_name=_("expediente"))
    tipo = models.CharField(_("tipo"), max_length=10, choices=TipoBien.choices)
    descripcion = models.CharField(_("descripción"), max_length=300)
    # funds seized from a retention: the measure they were retained by (its monto_retenido)
    medida = models.ForeignKey("expedientes.MedidaCautelar", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="bienes", verbose_name=_("medida de retención"))
    fecha_embargo = models.DateField(_("fecha de embargo"))
    avaluo = models.DecimalField(_("avalúo (USD)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=POSITIVO)
    fecha_avaluo = models.DateField(_("fecha del avalúo"), null=True, blank=True)
    estado = models.CharField(_("estado"), max_length=10, choices=EstadoBien.choices,
                              default=EstadoBien.EMBARGADO, db_index=True)
    fecha_levantamiento = models.DateField(_("fecha de levantamiento"), null=True, blank=True)
    motivo_levantamiento = models.CharField(_("motivo del levantamiento"), max_length=300, blank=True)
    actuacion = models.ForeignKey("expedientes.ActuacionPage", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", verbose_name=_("auto de embargo"))
    registrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                       related_name="+")
    registrado_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bien embargado")
        verbose_name_plural = _("bienes embargados")
        ordering = ["fecha_embargo", "pk"]
        constraints = [
            # the funds of one retention are seized once
            models.UniqueConstraint(fields=["medida"], condition=Q(medida__isnull=False), name="bien_medida_unica"),
            models.CheckConstraint(condition=Q(avaluo__isnull=True) | Q(fecha_avaluo__isnull=False),
                                   name="bien_avaluo_con_fecha"),
            models.CheckConstraint(condition=~Q(estado="levantado") | Q(fecha_levantamiento__isnull=False),
                                   name="bien_levantado_con_fecha"),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()}: {self.descripcion}"

    @property
    def valor(self) -> Decimal | None:
        """What it is worth for the reports: its avalúo, else the funds retained."""
        if self.avaluo is not None:
            return self.avaluo
        return self.medida.monto_retenido if self.medida_id else None


class ResultadoRemate(models.TextChoices):
    SENALADO = "senalado", _("Señalado")
    ADJUDICADO = "adjudicado", _("Adjudicado")
    DESIERTO = "desierto", _("Desierto")
    CANCELADO = "cancelado", _("Cancelado")


class Remate(models.Model):
    bien = models.ForeignKey(BienEmbargado, on_delete=models.PROTECT, related_name="remates",
                             verbose_name=_("bien"))
    senalado_el = models.DateField(_("fecha de la providencia de señalamiento"))
    fecha_senalada = models.DateField(_("fecha señalada"))
    base = models.DecimalField(_("base del remate (USD)"), max_digits=14, decimal_places=2, validators=POSITIVO)
    resultado = models.CharField(_("resultado"), max_length=10, choices=ResultadoRemate.choices,
                                 default=ResultadoRemate.SENALADO, db_index=True)
    fecha_resultado = models.DateField(_("fecha del resultado"), null=True, blank=True)
    valor_adjudicado = models.DecimalField(_("valor adjudicado (USD)"), max_digits=14, decimal_places=2,
                                           null=True, blank=True, validators=POSITIVO)
    adjudicatario = models.CharField(_("adjudicatario"), max_length=200, blank=True)
    observaciones = models.CharField(_("observaciones"), max_length=500, blank=True)
    actuacion = models.ForeignKey("expedientes.ActuacionPage", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("providencia de señalamiento"))
    actuacion_resultado = models.ForeignKey("expedientes.ActuacionPage", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+",
                                            verbose_name=_("acta del remate"))
    registrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                       related_name="+")
    registrado_en = models.DateTimeField(auto_now_add=True)
    resultado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    resultado_en = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("remate")
        verbose_name_plural = _("remates")
        ordering = ["fecha_senalada", "pk"]
        constraints = [
            # one auction pending per asset: a second one is a double submit
            models.UniqueConstraint(fields=["bien"], condition=Q(resultado="senalado"), name="remate_senalado_unico"),
            models.CheckConstraint(
                condition=~Q(resultado="adjudicado") | (Q(valor_adjudicado__gt=0) & ~Q(adjudicatario="")),
                name="remate_adjudicado_con_valor"),
            models.CheckConstraint(condition=Q(resultado="senalado") | Q(fecha_resultado__isnull=False),
                                   name="remate_resultado_con_fecha"),
        ]

    def __str__(self):
        return f"Remate del {self.fecha_senalada:%d/%m/%Y} ({self.bien.descripcion})"
