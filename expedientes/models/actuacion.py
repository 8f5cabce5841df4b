from django.db import models
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from permisos.paginas import PaginaProtegidaMixin

from .propios import CamposPropiosMixin


class TipoActuacion(models.TextChoices):
    ORDEN_DE_COBRO = "orden_cobro", _("Orden de cobro")
    AUTO_DE_PAGO = "auto_pago", _("Auto de pago / orden de pago inmediato")
    PROVIDENCIA = "providencia", _("Providencia")
    CITACION = "citacion", _("Citación")
    NOTIFICACION = "notificacion", _("Notificación")
    RAZON = "razon", _("Razón")
    MEDIDA_CAUTELAR = "medida_cautelar", _("Medida cautelar")
    OFICIO = "oficio", _("Oficio")
    EMBARGO = "embargo", _("Embargo")
    AVALUO = "avaluo", _("Avalúo")
    REMATE = "remate", _("Remate")
    CONVENIO_DE_PAGO = "convenio_pago", _("Convenio / facilidades de pago")
    PAGO = "pago", _("Pago")
    ESCRITO = "escrito", _("Escrito del coactivado")
    INFORME_INSOLVENCIA = "informe_insolvencia", _("Informe de insolvencia")
    # the PDF sent to Asesoría Jurídica (services/dossier.py), as an act of the file
    DOSSIER_INSOLVENCIA = "dossier_insolvencia", _("Dossier de insolvencia")
    # índice, carátula, rótulo and foliated copy of a closed file (archivo/services/cierre.py)
    CIERRE = "cierre", _("Cierre del expediente")
    OTRO = "otro", _("Otra actuación")


class ActuacionPageForm(WagtailAdminPageForm):
    """The type and date of an act are chosen when it is recorded; afterwards they are part
    of the record (transitions, measures and documents point to the act) and are shown only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for campo in ActuacionPage.campos_propios:
                if campo in self.fields:
                    self.fields[campo].disabled = True


class ActuacionPage(CamposPropiosMixin, PaginaProtegidaMixin, Page):
    """One procedural act of the expediente, holding its attached files (Adjuntos)."""

    tipo = models.CharField(_("tipo"), max_length=30, choices=TipoActuacion.choices)
    fecha = models.DateField(_("fecha"))
    numero = models.CharField(_("número"), max_length=60, blank=True)
    resumen = models.TextField(_("resumen"), blank=True)
    # The parent expediente, stored so the reports count acts by expediente, type and date in
    # SQL (a join on the tree's paths would not use an index). Filled from the parent on
    # every creation path (services, page editor): see save() and full_clean().
    expediente = models.ForeignKey(
        "expedientes.ExpedientePage", verbose_name=_("expediente"), on_delete=models.PROTECT,
        related_name="actuaciones_registradas", editable=False, db_index=False,
    )

    campos_propios = ("tipo", "fecha", "expediente")

    parent_page_types = ["expedientes.ExpedientePage"]
    subpage_types = []
    template = "expedientes/actuacion_page.html"
    base_form_class = ActuacionPageForm

    content_panels = [
        FieldRowPanel([FieldPanel("tipo"), FieldPanel("fecha"), FieldPanel("numero")]),
        FieldPanel("resumen"),
        HelpPanel(template="expedientes/panels/actuacion_adjuntos.html", heading=_("Adjuntos")),
    ]
    promote_panels = []

    class Meta:
        verbose_name = _("actuación")
        verbose_name_plural = _("actuaciones")
        # the reports: acts of these expedientes, of this type, in this period (it also serves
        # the foreign key: its first column is the expediente)
        indexes = [models.Index(fields=["expediente", "tipo", "fecha"], name="actuacion_exp_tipo_fecha")]

    def get_context(self, request, *args, **kwargs):
        from expedientes.selectors import adjuntos_de

        context = super().get_context(request, *args, **kwargs)
        context["adjuntos"] = adjuntos_de(self)
        return context

    def clean(self):
        from expedientes.services.fechas import fecha_no_futura

        super().clean()
        fecha_no_futura(self.fecha, "de la actuación")

    def _expediente_completar(self) -> None:
        """An actuación is always a direct child of its expediente: once it has a place in the
        tree (add_child gives it its path before saving), its parent is the expediente."""
        if self.expediente_id is None and self.path:
            from .expediente import ExpedientePage

            self.expediente_id = (ExpedientePage.objects.filter(path=self.path[:-self.steplen])
                                  .values_list("pk", flat=True).first())

    def save(self, *args, **kwargs):
        self._expediente_completar()
        resultado = super().save(*args, **kwargs)
        actualizar = kwargs.get("update_fields")
        if self.expediente_id and (actualizar is None or "live" in actualizar):
            # born or published: the expediente's last act may have changed (all paths)
            from expedientes.services.actuaciones import ultima_actuacion_anotar

            ultima_actuacion_anotar(self.expediente_id)
        return resultado

    def full_clean(self, *args, **kwargs):
        self._expediente_completar()
        if self.tipo and self.fecha:
            partes = [self.get_tipo_display(), self.numero, formats.date_format(self.fecha)]
            self.title = " ".join(p for p in partes if p)[:255]
            if not self.slug:
                self.slug = slugify(f"{self.tipo}-{self.fecha:%Y%m%d}-{self.numero}")[:200]
        super().full_clean(*args, **kwargs)
