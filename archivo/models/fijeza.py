"""Fixity audits: each run re-hashes stored object versions (streaming) and records every
mismatch or missing version. A run can go in slices and resume where it stopped (`cursor`).
archivo.services.fijeza, `manage.py fijeza_auditar`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ._comun import usuario_opcional


class EstadoAuditoria(models.TextChoices):
    EN_CURSO = "en_curso", _("En curso")
    COMPLETA = "completa", _("Completa")


class AuditoriaFijeza(models.Model):
    iniciada_en = models.DateTimeField(_("iniciada el"), auto_now_add=True)
    terminada_en = models.DateTimeField(_("terminada el"), null=True, blank=True)
    estado = models.CharField(_("estado"), max_length=10, choices=EstadoAuditoria.choices,
                              default=EstadoAuditoria.EN_CURSO, db_index=True)
    lanzada_por = usuario_opcional(_("lanzada por"))
    # where the next slice resumes (the last row checked, per kind of record)
    cursor = models.JSONField(_("avance"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("versiones por revisar"), default=0)
    revisadas = models.PositiveIntegerField(_("versiones revisadas"), default=0)
    correctas = models.PositiveIntegerField(_("correctas"), default=0)
    alteradas = models.PositiveIntegerField(_("alteradas"), default=0)
    faltantes = models.PositiveIntegerField(_("faltantes"), default=0)
    errores = models.PositiveIntegerField(_("errores de lectura"), default=0)
    bytes_leidos = models.BigIntegerField(_("bytes leídos"), default=0)

    class Meta:
        verbose_name = _("auditoría de integridad")
        verbose_name_plural = _("auditorías de integridad")
        permissions = [
            ("auditar_fijeza", _("Puede lanzar una auditoría de integridad")),
        ]
        ordering = ["-iniciada_en"]


class TipoHallazgo(models.TextChoices):
    ALTERADA = "alterada", _("SHA-256 distinto")
    FALTANTE = "faltante", _("Versión faltante")
    ERROR = "error", _("Error de lectura")


class HallazgoFijeza(models.Model):
    auditoria = models.ForeignKey(AuditoriaFijeza, verbose_name=_("auditoría"), on_delete=models.PROTECT,
                                  related_name="hallazgos")
    tipo = models.CharField(_("tipo"), max_length=10, choices=TipoHallazgo.choices)
    # "adjunto:<uuid>" or "archivo:<uuid>": the record whose stored version failed
    registro = models.CharField(_("registro"), max_length=80)
    expediente = models.ForeignKey("expedientes.ExpedientePage", verbose_name=_("expediente"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    clave = models.CharField(_("clave del objeto"), max_length=200)
    version_s3 = models.CharField(_("versión del objeto"), max_length=200)
    esperado = models.CharField(_("SHA-256 registrado"), max_length=64)
    obtenido = models.CharField(_("SHA-256 leído"), max_length=64, blank=True)
    detalle = models.TextField(_("detalle"), blank=True)
    encontrado_en = models.DateTimeField(_("encontrado el"), auto_now_add=True)

    class Meta:
        verbose_name = _("hallazgo de integridad")
        verbose_name_plural = _("hallazgos de integridad")
        ordering = ["auditoria", "pk"]
