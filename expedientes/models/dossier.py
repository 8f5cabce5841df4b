"""The insolvency dossier: the chosen actuaciones of an expediente in insolvency and its
informe, assembled into one foliated PDF for the Unidad de Asesoría Jurídica, which
acknowledges it and follows the insolvency lawsuit.

The PDF is an attachment version of an actuación «Dossier de insolvencia» of the
expediente (expedientes/services/dossier.py): it went through the custody pipeline like
every file, has its SHA-256 and S3 version, and the paper file's order holds (the
remission is an act of the proceeding). Who may see a dossier is decided in
permisos/policies.py; sharing is a guardian row for the Asesoría group (permisos/models.py)."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EstadoDossier(models.TextChoices):
    ARMADO = "armado", _("Armado, sin compartir")
    COMPARTIDO = "compartido", _("Compartido con Asesoría Jurídica")
    RECIBIDO = "recibido", _("Recibido por Asesoría Jurídica")
    RETIRADO = "retirado", _("Compartición retirada")


class EstadoJuicio(models.TextChoices):
    EN_PREPARACION = "en_preparacion", _("Demanda en preparación")
    PRESENTADO = "presentado", _("Demanda presentada")
    EN_TRAMITE = "en_tramite", _("En trámite")
    INSOLVENCIA_DECLARADA = "insolvencia_declarada", _("Insolvencia declarada")
    NEGADO = "negado", _("Demanda negada o inadmitida")
    CONCLUIDO = "concluido", _("Concluido")


def _usuario(nombre, **kwargs):
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=nombre, on_delete=models.PROTECT,
                             related_name="+", **kwargs)


class DossierInsolvencia(models.Model):
    """Written only by the services (dossier_armar, dossier_compartir, dossier_retirar,
    dossier_acusar_recibo, dossier_juicio_registrar), each on the locked row with who and
    when; the previous states stay in the log."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    expediente = models.ForeignKey("expedientes.ExpedientePage", verbose_name=_("expediente"),
                                   on_delete=models.PROTECT, related_name="dossiers")
    actuaciones = models.ManyToManyField("expedientes.ActuacionPage", through="DossierActuacion",
                                         related_name="+", verbose_name=_("actuaciones incluidas"))
    version = models.OneToOneField("expedientes.AdjuntoVersion", verbose_name=_("PDF del dossier"),
                                   on_delete=models.PROTECT, related_name="dossier")
    # every file with its SHA-256, size and folios; the same table closes the PDF
    manifiesto = models.JSONField(_("manifiesto"), encoder=DjangoJSONEncoder)
    folios = models.PositiveIntegerField(_("folios"))
    estado = models.CharField(_("estado"), max_length=20, choices=EstadoDossier.choices,
                              default=EstadoDossier.ARMADO)
    armado_por = _usuario(_("armado por"))
    # the moment printed on the PDF's cover (set by dossier_armar before rendering)
    armado_en = models.DateTimeField(_("armado el"), default=timezone.now, editable=False)
    compartido_por = _usuario(_("compartido por"), null=True, blank=True)
    compartido_en = models.DateTimeField(_("compartido el"), null=True, blank=True)
    acuse_por = _usuario(_("recibido por"), null=True, blank=True)
    acuse_en = models.DateTimeField(_("acuse de recibo"), null=True, blank=True)
    retirado_por = _usuario(_("retirado por"), null=True, blank=True)
    retirado_en = models.DateTimeField(_("retirado el"), null=True, blank=True)
    retiro_motivo = models.TextField(_("motivo del retiro"), blank=True)
    # the insolvency lawsuit, as Asesoría Jurídica last recorded it (history: ActualizacionJuicio)
    numero_juicio = models.CharField(_("número del juicio"), max_length=40, blank=True)
    judicatura = models.CharField(_("judicatura"), max_length=200, blank=True)
    estado_juicio = models.CharField(_("estado del juicio"), max_length=30, choices=EstadoJuicio.choices,
                                     blank=True)
    juicio_actualizado_por = _usuario(_("juicio actualizado por"), null=True, blank=True)
    juicio_actualizado_en = models.DateTimeField(_("juicio actualizado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier de insolvencia")
        verbose_name_plural = _("dossiers de insolvencia")
        ordering = ["-armado_en", "-pk"]
        permissions = [
            ("compartir_dossierinsolvencia",
             _("Puede compartir un dossier de insolvencia con Asesoría Jurídica y retirarlo")),
        ]

    def __str__(self):
        return f"Dossier de insolvencia del {timezone.localtime(self.armado_en):%d/%m/%Y}"


class DossierActuacion(models.Model):
    """An actuación in the dossier, in the order of the PDF."""

    dossier = models.ForeignKey(DossierInsolvencia, on_delete=models.CASCADE, related_name="incluidas")
    actuacion = models.ForeignKey("expedientes.ActuacionPage", verbose_name=_("actuación"),
                                  on_delete=models.PROTECT, related_name="+")
    orden = models.PositiveIntegerField(_("orden"))

    class Meta:
        verbose_name = _("actuación del dossier")
        verbose_name_plural = _("actuaciones del dossier")
        ordering = ["dossier", "orden"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "actuacion"], name="dossier_actuacion_unica"),
        ]


class ActualizacionJuicio(models.Model):
    """Each time Asesoría Jurídica records the lawsuit: what it said, who and when."""

    dossier = models.ForeignKey(DossierInsolvencia, on_delete=models.PROTECT,
                                related_name="actualizaciones_juicio")
    numero_juicio = models.CharField(_("número del juicio"), max_length=40)
    judicatura = models.CharField(_("judicatura"), max_length=200)
    estado_juicio = models.CharField(_("estado del juicio"), max_length=30, choices=EstadoJuicio.choices)
    observaciones = models.TextField(_("observaciones"), blank=True)
    registrada_por = _usuario(_("registrada por"))
    registrada_en = models.DateTimeField(_("registrada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("actualización del juicio de insolvencia")
        verbose_name_plural = _("actualizaciones del juicio de insolvencia")
        ordering = ["registrada_en", "pk"]

    def __str__(self):
        return f"{self.numero_juicio} · {self.get_estado_juicio_display()}"
