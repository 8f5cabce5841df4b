"""The paper originals: shelves (estantes), boxes (cajas), which expedientes each box holds,
and loans of a physical file with their due date and return (archivo.services.fisico)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ._comun import usuario, usuario_opcional


class Estante(models.Model):
    codigo = models.CharField(_("código"), max_length=30, unique=True)
    ubicacion = models.CharField(_("ubicación"), max_length=200, help_text=_("Depósito, pasillo, cuerpo."))

    class Meta:
        verbose_name = _("estante")
        verbose_name_plural = _("estantes")
        ordering = ["codigo"]

    def __str__(self):
        return self.codigo


class Caja(models.Model):
    codigo = models.CharField(_("código"), max_length=30, unique=True)
    estante = models.ForeignKey(Estante, verbose_name=_("estante"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="cajas")
    nivel = models.CharField(_("nivel / bandeja"), max_length=30, blank=True)
    descripcion = models.CharField(_("descripción"), max_length=255, blank=True)
    creada_en = models.DateTimeField(_("creada el"), auto_now_add=True)
    creada_por = usuario(_("creada por"))

    class Meta:
        verbose_name = _("caja")
        verbose_name_plural = _("cajas")
        ordering = ["codigo"]

    def __str__(self):
        return self.codigo


class UbicacionFisica(models.Model):
    """Where the expediente's paper original is: one box at a time; a move ends this row
    (hasta) and starts another, so the history of its places stays."""

    expediente = models.ForeignKey("expedientes.ExpedientePage", verbose_name=_("expediente"),
                                   on_delete=models.PROTECT, related_name="ubicaciones")
    caja = models.ForeignKey(Caja, verbose_name=_("caja"), on_delete=models.PROTECT, related_name="ubicaciones")
    desde = models.DateTimeField(_("desde"), auto_now_add=True)
    hasta = models.DateTimeField(_("hasta"), null=True, blank=True)
    registrada_por = usuario(_("registrada por"))

    class Meta:
        verbose_name = _("ubicación física")
        verbose_name_plural = _("ubicaciones físicas")
        ordering = ["-desde"]
        constraints = [
            models.UniqueConstraint(fields=["expediente"], condition=Q(hasta__isnull=True),
                                    name="ubicacion_actual_unica"),
        ]


class Prestamo(models.Model):
    expediente = models.ForeignKey("expedientes.ExpedientePage", verbose_name=_("expediente"),
                                   on_delete=models.PROTECT, related_name="prestamos")
    solicitante = usuario(_("prestado a"))
    motivo = models.TextField(_("motivo"))
    prestado_en = models.DateTimeField(_("prestado el"), auto_now_add=True)
    vence_el = models.DateField(_("devolver hasta"))
    prestado_por = usuario(_("entregado por"))
    devuelto_en = models.DateTimeField(_("devuelto el"), null=True, blank=True)
    recibido_por = usuario_opcional(_("recibido por"))
    observaciones_devolucion = models.TextField(_("observaciones de la devolución"), blank=True)

    class Meta:
        verbose_name = _("préstamo")
        verbose_name_plural = _("préstamos")
        ordering = ["-prestado_en"]
        constraints = [
            models.UniqueConstraint(fields=["expediente"], condition=Q(devuelto_en__isnull=True),
                                    name="prestamo_abierto_unico"),
        ]
