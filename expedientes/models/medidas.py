"""Precautionary measures (retention letters and their answers) and the searches and press
publications for untraceable debtors."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Entidad(models.TextChoices):
    SUPERINTENDENCIA_BANCOS = "sb", _("Superintendencia de Bancos")
    SEPS = "seps", _("Superintendencia de Economía Popular y Solidaria")
    ANT = "ant", _("Agencia Nacional de Tránsito (vehículos)")
    REGISTRO_PROPIEDAD = "rp", _("Registro de la Propiedad")
    REGISTRO_MERCANTIL = "rm", _("Registro Mercantil")
    OTRA = "otra", _("Otra entidad")


class EstadoMedida(models.TextChoices):
    ENVIADA = "enviada", _("Oficio enviado")
    RESPONDIDA = "respondida", _("Respondida")
    EMBARGO = "embargo", _("Convertida en embargo")
    LEVANTADA = "levantada", _("Levantada")


ABIERTAS = (EstadoMedida.ENVIADA, EstadoMedida.RESPONDIDA, EstadoMedida.EMBARGO)


class MedidaCautelar(models.Model):
    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="medidas", verbose_name=_("expediente"))
    entidad = models.CharField(_("entidad"), max_length=10, choices=Entidad.choices)
    entidad_detalle = models.CharField(_("entidad (detalle)"), max_length=160, blank=True)
    oficio_numero = models.CharField(_("número de oficio"), max_length=80, unique=True)
    fecha_envio = models.DateField(_("fecha de envío"))
    estado = models.CharField(_("estado"), max_length=12, choices=EstadoMedida.choices,
                              default=EstadoMedida.ENVIADA, db_index=True)
    fecha_respuesta = models.DateField(_("fecha de respuesta"), null=True, blank=True)
    monto_retenido = models.DecimalField(_("monto retenido (USD)"), max_digits=14, decimal_places=2,
                                         null=True, blank=True, validators=[MinValueValidator(Decimal("0"))])
    fecha_embargo = models.DateField(_("fecha de embargo"), null=True, blank=True)
    fecha_levantamiento = models.DateField(_("fecha de levantamiento"), null=True, blank=True)
    observaciones = models.TextField(_("observaciones"), blank=True)
    actuacion = models.ForeignKey("expedientes.ActuacionPage", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("medida cautelar")
        verbose_name_plural = _("medidas cautelares")
        ordering = ["fecha_envio", "pk"]

    def __str__(self):
        return f"{self.get_entidad_display()} — oficio {self.oficio_numero}"

    @property
    def entidad_nombre(self) -> str:
        return self.entidad_detalle or self.get_entidad_display()


class RegistroPublico(models.TextChoices):
    REGISTRO_CIVIL = "registro_civil", _("Registro Civil")
    SRI = "sri", _("Servicio de Rentas Internas")
    IESS = "iess", _("IESS")
    ANT = "ant", _("Agencia Nacional de Tránsito")
    CNEL = "cnel", _("Empresa eléctrica / servicios básicos")
    REGISTRO_PROPIEDAD = "registro_propiedad", _("Registro de la Propiedad")
    OTRO = "otro", _("Otro registro")


class ObjetoBusqueda(models.TextChoices):
    # Different questions: an address decides «ilocalizable», assets decide insolvency.
    DOMICILIO = "domicilio", _("Domicilio del coactivado")
    BIENES = "bienes", _("Bienes o fondos")


class Busqueda(models.Model):
    """A search for the debtor or its assets in a public registry, with its result."""

    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="busquedas", verbose_name=_("expediente"))
    registro = models.CharField(_("registro consultado"), max_length=20, choices=RegistroPublico.choices)
    objeto = models.CharField(_("se buscó"), max_length=10, choices=ObjetoBusqueda.choices,
                              default=ObjetoBusqueda.DOMICILIO)
    fecha = models.DateField(_("fecha"))
    resultado = models.CharField(_("resultado"), max_length=300)
    encontrado = models.BooleanField(_("se encontró lo buscado"), default=False)
    registrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                       related_name="+")

    class Meta:
        verbose_name = _("búsqueda")
        verbose_name_plural = _("búsquedas")
        ordering = ["fecha", "pk"]


class PublicacionPrensa(models.Model):
    """One publication of the citation in a newspaper; its cost becomes a costa."""

    expediente = models.ForeignKey("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                   related_name="publicaciones", verbose_name=_("expediente"))
    periodico = models.CharField(_("periódico"), max_length=120)
    fecha = models.DateField(_("fecha de publicación"))
    costa = models.OneToOneField("expedientes.Costa", on_delete=models.PROTECT, related_name="publicacion")

    class Meta:
        verbose_name = _("publicación por la prensa")
        verbose_name_plural = _("publicaciones por la prensa")
        ordering = ["fecha", "pk"]
