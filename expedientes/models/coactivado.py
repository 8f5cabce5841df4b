from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from expedientes.identificacion import TipoIdentificacion, identificacion_validar


class Coactivado(models.Model):
    """The debtor: a natural person (cédula) or a company (RUC). One coactivado may have
    many expedientes."""

    identificacion = models.CharField(
        _("cédula o RUC"), max_length=13, unique=True, validators=[identificacion_validar]
    )
    tipo_identificacion = models.CharField(
        _("tipo de identificación"), max_length=6, choices=TipoIdentificacion.choices, editable=False
    )
    nombre = models.CharField(_("nombres o razón social"), max_length=255)
    advertencia = models.CharField(
        _("advertencia"), max_length=255, blank=True, editable=False,
        help_text=_("Observación de la validación (p. ej. RUC con dígito verificador no válido)."),
    )
    creado_en = models.DateTimeField(_("registrado el"), auto_now_add=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrado por"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("coactivado")
        verbose_name_plural = _("coactivados")
        ordering = ["nombre"]

    def __str__(self):
        return f"{self.nombre} ({self.identificacion})"

    def clean(self):
        if self.identificacion:
            resultado = identificacion_validar(self.identificacion)
            self.identificacion = resultado.numero
            self.tipo_identificacion = resultado.tipo
            self.advertencia = resultado.advertencia
        self.nombre = " ".join((self.nombre or "").split())
