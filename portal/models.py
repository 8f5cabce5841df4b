from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from permisos.paginas import PaginaProtegidaMixin


class InicioPage(PaginaProtegidaMixin, Page):
    """The site root. Nothing here is public: anonymous visitors go to the login page."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["expedientes.JuzgadoIndexPage"]
    max_count = 1
    template = "portal/inicio_page.html"

    class Meta:
        verbose_name = _("inicio")
        verbose_name_plural = _("inicio")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["juzgados"] = self.get_children().live().specific()
        return context


class EstadoTrabajo(models.TextChoices):
    PENDIENTE = "pendiente", _("Pendiente")
    EN_CURSO = "en_curso", _("En curso")
    TERMINADO = "terminado", _("Terminado")
    FALLIDO = "fallido", _("Fallido")


class Trabajo(models.Model):
    """A long job run by the queue's workers (procrastinate), as the admin shows it: who asked,
    how far it got, how it ended. Written only through portal.trabajos. The queue's own row
    (procrastinate_jobs, job_id) says when it runs and retries; this one says what it did."""

    tipo = models.CharField(_("tipo"), max_length=60, db_index=True)
    titulo = models.CharField(_("título"), max_length=200)
    estado = models.CharField(_("estado"), max_length=12, choices=EstadoTrabajo.choices,
                              default=EstadoTrabajo.PENDIENTE, db_index=True)
    hechos = models.PositiveIntegerField(_("hechos"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    mensaje = models.CharField(_("mensaje"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    parametros = models.JSONField(_("parámetros"), default=dict, blank=True)
    resultado = models.JSONField(_("resultado"), default=dict, blank=True)
    intentos = models.PositiveIntegerField(_("intentos"), default=0)
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="trabajos", verbose_name=_("creado por"))
    creado_en = models.DateTimeField(_("creado en"), default=timezone.now, db_index=True)
    empezado_en = models.DateTimeField(_("empezado en"), null=True, blank=True)
    terminado_en = models.DateTimeField(_("terminado en"), null=True, blank=True)
    job_id = models.BigIntegerField(_("trabajo en la cola"), null=True, blank=True)

    class Meta:
        verbose_name = _("trabajo en segundo plano")
        verbose_name_plural = _("trabajos en segundo plano")
        ordering = ["-creado_en", "-pk"]
        indexes = [models.Index(fields=["creado_por", "-creado_en"])]

    def __str__(self):
        return f"{self.titulo} ({self.get_estado_display()})"

    @property
    def porcentaje(self) -> int | None:
        if not self.total:
            return 100 if self.estado == EstadoTrabajo.TERMINADO else None
        return min(100, round(100 * self.hechos / self.total))

    @property
    def activo(self) -> bool:
        return self.estado in (EstadoTrabajo.PENDIENTE, EstadoTrabajo.EN_CURSO)
