"""Cuadro General de Clasificación Documental (fondo → sección → serie → subserie) and the
Tabla de Plazos de Conservación Documental: each serie says how many years its closed
expedientes stay in the archivo de gestión and then in the archivo central, and what
happens at the end (conserve, eliminate, sample), on which legal basis. Archivists edit it;
every change is an entry of the custody log (archivo.services.clasificacion)."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisposicionFinal(models.TextChoices):
    CONSERVACION = "conservacion", _("Conservación permanente")
    ELIMINACION = "eliminacion", _("Eliminación")
    MUESTREO = "muestreo", _("Muestreo (selección)")


class Fondo(models.Model):
    codigo = models.CharField(_("código"), max_length=20, unique=True)
    nombre = models.CharField(_("nombre"), max_length=200)

    class Meta:
        verbose_name = _("fondo")
        verbose_name_plural = _("fondos")
        ordering = ["codigo"]

    def __str__(self):
        return f"{self.codigo} {self.nombre}"


class Seccion(models.Model):
    fondo = models.ForeignKey(Fondo, verbose_name=_("fondo"), on_delete=models.PROTECT, related_name="secciones")
    codigo = models.CharField(_("código"), max_length=20)
    nombre = models.CharField(_("nombre"), max_length=200)

    class Meta:
        verbose_name = _("sección")
        verbose_name_plural = _("secciones")
        ordering = ["fondo__codigo", "codigo"]
        constraints = [models.UniqueConstraint(fields=["fondo", "codigo"], name="seccion_codigo_unico")]

    def __str__(self):
        return f"{self.codigo} {self.nombre}"


class Serie(models.Model):
    """A serie, or a subserie when it has a `padre`. The TPCD's terms are per serie; a
    subserie carries its own."""

    seccion = models.ForeignKey(Seccion, verbose_name=_("sección"), on_delete=models.PROTECT, related_name="series")
    padre = models.ForeignKey("self", verbose_name=_("subserie de"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="subseries")
    codigo = models.CharField(_("código"), max_length=30, unique=True)
    nombre = models.CharField(_("nombre"), max_length=200)
    anios_gestion = models.PositiveSmallIntegerField(
        _("años en el archivo de gestión"), validators=[MaxValueValidator(100)],
        help_text=_("Desde el cierre del expediente."))
    anios_central = models.PositiveSmallIntegerField(
        _("años en el archivo central"), validators=[MaxValueValidator(100)],
        help_text=_("Desde el fin del plazo en gestión."))
    disposicion_final = models.CharField(_("disposición final"), max_length=20, choices=DisposicionFinal.choices)
    base_legal = models.TextField(_("base legal"))
    activa = models.BooleanField(_("vigente"), default=True)

    class Meta:
        verbose_name = _("serie documental")
        verbose_name_plural = _("series documentales (TPCD)")
        ordering = ["codigo"]

    def __str__(self):
        return f"{self.codigo} {self.nombre}"

    @property
    def anios_total(self) -> int:
        return self.anios_gestion + self.anios_central
