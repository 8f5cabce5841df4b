from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TipoDiaEspecial(models.TextChoices):
    NACIONAL = "nacional", _("Feriado nacional")
    LOCAL = "local", _("Feriado local")
    DECRETADO = "decretado", _("Día decretado")
    AJUSTE = "ajuste", _("Ajuste")


class DiaEspecial(models.Model):
    """A day of the legal calendar that is not an ordinary weekday or weekend: a day off
    (holiday as actually taken, local holiday, decreed day) or a day explicitly worked (e.g.
    the original date of a moved holiday). A date is hábil iff it has an entry with
    laborable=True, or it is Monday–Friday with no entry laborable=False."""

    fecha = models.DateField(_("fecha"), unique=True)
    laborable = models.BooleanField(
        _("laborable"), default=False,
        help_text=_("Desmarcado: día de descanso. Marcado: día hábil aunque otra regla diga lo "
                    "contrario (p. ej. la fecha original de un feriado trasladado)."),
    )
    tipo = models.CharField(_("tipo"), max_length=10, choices=TipoDiaEspecial.choices)
    nombre = models.CharField(_("nombre"), max_length=120)
    fuente = models.CharField(
        _("fuente"), max_length=255,
        help_text=_(
            "Decreto ejecutivo, resolución u origen del dato (p. ej. «holidays 0.109»)."
        ),
    )
    creado_en = models.DateTimeField(_("registrado el"), auto_now_add=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrado por"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("día especial")
        verbose_name_plural = _("días especiales")
        ordering = ["-fecha"]

    def __str__(self):
        estado = _("laborable") if self.laborable else _("descanso")
        return f"{self.fecha:%d/%m/%Y} {self.nombre} ({estado})"
