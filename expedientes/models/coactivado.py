import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from expedientes.identificacion import TipoIdentificacion, identificacion_validar

from .expediente import Provincia


class CoactivadoQuerySet(models.QuerySet):
    def con_domicilio_vigente(self):
        """Annotate `domicilio_vigente` (the newest address not marked outdated) and
        `ultimo_domicilio_desactualizado` (whether the newest address of all is outdated)."""
        domicilios = Domicilio.objects.filter(coactivado=OuterRef("pk")).order_by(
            *Domicilio._meta.ordering)
        vigentes = domicilios.filter(desactualizado=False)
        return self.annotate(
            domicilio_vigente=Subquery(vigentes.values("direccion")[:1]),
            ultimo_domicilio_desactualizado=Subquery(domicilios.values("desactualizado")[:1]),
        )


class Coactivado(ClusterableModel):
    """The debtor: a natural person (cédula) or a company (RUC). One coactivado may have
    many expedientes. Its addresses are edited with it (a cluster: one form, one save)."""

    identificacion = models.CharField(
        _("cédula o RUC"), max_length=13, unique=True, validators=[identificacion_validar]
    )
    tipo_identificacion = models.CharField(
        _("tipo de identificación"), max_length=6, choices=TipoIdentificacion.choices, editable=False
    )
    nombre = models.CharField(_("nombres o razón social"), max_length=255)
    correo = models.EmailField(_("correo electrónico para notificaciones"), blank=True)
    casillero_judicial = models.CharField(_("casillero judicial"), max_length=60, blank=True)
    telefono = models.CharField(_("teléfono"), max_length=40, blank=True)
    advertencia = models.CharField(
        _("advertencia"), max_length=255, blank=True, editable=False,
        help_text=_("Observación de la validación (p. ej. RUC con dígito verificador no válido)."),
    )
    creado_en = models.DateTimeField(_("registrado el"), auto_now_add=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrado por"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = CoactivadoQuerySet.as_manager()

    class Meta:
        verbose_name = _("coactivado")
        verbose_name_plural = _("coactivados")
        ordering = ["nombre"]
        triggers = [
            # the expedientes' search text follows a renamed debtor (their own trigger composes it)
            pgtrigger.Trigger(
                name="busqueda_propagar", when=pgtrigger.After, operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("nombre", "identificacion"),
                func="""UPDATE expedientes_expedientepage SET busqueda = '' WHERE coactivado_id = NEW.id;
                        RETURN NULL;""",
            ),
        ]

    def __str__(self):
        return f"{self.nombre} ({self.identificacion})"

    def clean(self):
        if self.identificacion:
            resultado = identificacion_validar(self.identificacion)
            self.identificacion = resultado.numero
            self.tipo_identificacion = resultado.tipo
            self.advertencia = resultado.advertencia
        self.nombre = " ".join((self.nombre or "").split())


class Domicilio(models.Model):
    """Where the debtor was said to live or work, kept over time: outdated addresses are
    the first cause of late citations (DOMAIN.md), so none is ever overwritten."""

    coactivado = ParentalKey(Coactivado, on_delete=models.CASCADE, related_name="domicilios")
    direccion = models.CharField(_("dirección"), max_length=300)
    canton = models.CharField(_("cantón"), max_length=80, blank=True)
    provincia = models.CharField(_("provincia"), max_length=2, blank=True, choices=Provincia.choices)
    fuente = models.CharField(_("fuente"), max_length=120, blank=True,
                              help_text=_("P. ej. orden de cobro, SRI, Registro Civil, el propio coactivado."))
    registrado_en = models.DateField(_("registrado el"), default=timezone.localdate)
    desactualizado = models.BooleanField(
        _("domicilio desactualizado"), default=False,
        help_text=_("Marcado cuando una citación o búsqueda mostró que ya no corresponde."),
    )
    registrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("domicilio")
        verbose_name_plural = _("domicilios")
        ordering = ["-registrado_en", "-pk"]

    def __str__(self):
        return self.direccion
