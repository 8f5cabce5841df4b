from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.models import Page

from archivo.fases import FaseArchivo
from permisos.paginas import PaginaProtegidaMixin

from expedientes.estados import Estado
from expedientes.paneles import DatoPanel

from .actuacion import TipoActuacion
from .arbol import LockedAddChildMixin
from .propios import CamposPropiosMixin


class Provincia(models.TextChoices):
    """Ecuador's provinces with their INEC codes (also the first two digits of a cédula)."""

    AZUAY = "01", "Azuay"
    BOLIVAR = "02", "Bolívar"
    CANAR = "03", "Cañar"
    CARCHI = "04", "Carchi"
    COTOPAXI = "05", "Cotopaxi"
    CHIMBORAZO = "06", "Chimborazo"
    EL_ORO = "07", "El Oro"
    ESMERALDAS = "08", "Esmeraldas"
    GUAYAS = "09", "Guayas"
    IMBABURA = "10", "Imbabura"
    LOJA = "11", "Loja"
    LOS_RIOS = "12", "Los Ríos"
    MANABI = "13", "Manabí"
    MORONA_SANTIAGO = "14", "Morona Santiago"
    NAPO = "15", "Napo"
    PASTAZA = "16", "Pastaza"
    PICHINCHA = "17", "Pichincha"
    TUNGURAHUA = "18", "Tungurahua"
    ZAMORA_CHINCHIPE = "19", "Zamora Chinchipe"
    GALAPAGOS = "20", "Galápagos"
    SUCUMBIOS = "21", "Sucumbíos"
    ORELLANA = "22", "Orellana"
    SANTO_DOMINGO = "23", "Santo Domingo de los Tsáchilas"
    SANTA_ELENA = "24", "Santa Elena"


# lower(unaccent(...)): the query side (expedientes.busqueda) normalises each word the same way
BUSQUEDA_COMPONER = """
    SELECT lower(unaccent(concat_ws(' ', NEW.numero, c.nombre, c.identificacion)))
      INTO NEW.busqueda FROM expedientes_coactivado c WHERE c.id = NEW.coactivado_id;
    RETURN NEW;
"""


class ExpedientePage(CamposPropiosMixin, PaginaProtegidaMixin, LockedAddChildMixin, Page):
    """One coercive proceeding: the file. Its children are the actuaciones."""

    numero = models.CharField(_("número"), max_length=40, unique=True, editable=False)
    anio = models.PositiveSmallIntegerField(_("año"), editable=False, db_index=True)
    secuencial = models.PositiveIntegerField(_("secuencial"), null=True, editable=False)
    coactivado = models.ForeignKey(
        "expedientes.Coactivado", verbose_name=_("coactivado"), on_delete=models.PROTECT,
        related_name="expedientes",
    )
    provincia = models.CharField(_("provincia"), max_length=2, choices=Provincia.choices)
    fecha_recepcion = models.DateField(_("fecha de recepción de la orden de cobro"))
    orden_cobro_numero = models.CharField(_("número de la orden de cobro"), max_length=60, blank=True)
    # The títulos de crédito (TituloCredito) are the amount's one source of truth; this is
    # their sum, stored for listings and written only by the título services.
    monto_titulo = models.DecimalField(
        _("monto de los títulos de crédito (USD)"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), _("El monto debe ser mayor que cero."))],
    )
    estado = models.CharField(
        _("estado"), max_length=20, choices=Estado.choices, default=Estado.INICIADO,
        editable=False, db_index=True,
        help_text=_("Lo cambia solo expediente_transicion, que registra cada cambio."),
    )
    abogado = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("abogado impulsor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="expedientes_asignados",
    )
    # The listing's search: number, debtor's name and cédula/RUC, lowercase and without
    # accents (PostgreSQL's unaccent), written only by the database triggers below (here and
    # on Coactivado), so no save, bulk insert or rename can leave it stale. A trigram GIN index
    # answers «each word anywhere» (LIKE '%palabra%') without reading every row.
    busqueda = models.TextField(_("texto de búsqueda"), blank=True, default="", db_default="", editable=False)
    # The deadline this expediente waits on first (expedientes.plazos.vencimientos_de), stored
    # so the home's panels and the listing read it with SQL instead of recomputing every
    # expediente: written by expedientes.services.plazos.plazo_recalcular, which each service
    # that changes what it depends on calls; `manage.py plazos_recalcular` recomputes them all.
    plazo_vence = models.DateField(_("próximo plazo"), null=True, blank=True, editable=False, db_index=True)
    plazo_concepto = models.CharField(_("plazo"), max_length=120, blank=True, default="", db_default="",
                                      editable=False)
    # The unit's citation service level (plazos.nivel_servicio_citacion counts them in SQL):
    # the last day to cite within CITACION_DIAS_SERVICIO working days of the reception, and the
    # day of the first citation. Written with the deadline, by the same services.
    citacion_limite = models.DateField(_("límite de citación (nivel de servicio)"), null=True, blank=True,
                                       editable=False)
    citado_el = models.DateField(_("citado el"), null=True, blank=True, editable=False)
    plazo_explicacion = models.TextField(_("cómputo del plazo"), blank=True, default="", db_default="",
                                         editable=False)
    # The archive (archivo/): the serie of the classification whose TPCD governs the file
    # (archivo.services.clasificacion.serie_por_defecto when opened), and where the file is
    # in its life cycle; closed, transferred or eliminated, it is read-only (archivo.fases).
    serie = models.ForeignKey("archivo.Serie", verbose_name=_("serie documental"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="expedientes")
    archivo_fase = models.CharField(_("fase de archivo"), max_length=10, choices=FaseArchivo.choices,
                                    default=FaseArchivo.TRAMITE, db_default=FaseArchivo.TRAMITE,
                                    editable=False, db_index=True)

    # The last act of the file (the latest live actuación by date), for the monthly matrix and
    # the listings: written by expedientes.services.actuaciones.ultima_actuacion_anotar each
    # time an actuación is born or published.
    ultima_actuacion_fecha = models.DateField(_("fecha de la última actuación"), null=True, blank=True,
                                              editable=False)
    ultima_actuacion_tipo = models.CharField(_("última actuación"), max_length=30, blank=True, default="",
                                             db_default="", choices=TipoActuacion.choices, editable=False)

    # Written only by the services (opening, state changes, corrections, assignment), each
    # under the row lock and with who/when/why: never by the page editor or a revision.
    campos_propios = ("numero", "anio", "secuencial", "coactivado", "provincia", "fecha_recepcion",
                      "orden_cobro_numero", "monto_titulo", "estado", "abogado",
                      "busqueda", "plazo_vence", "plazo_concepto", "plazo_explicacion", "citacion_limite",
                      "citado_el", "serie", "archivo_fase", "ultima_actuacion_fecha", "ultima_actuacion_tipo")

    parent_page_types = ["expedientes.AnioPage"]
    subpage_types = ["expedientes.ActuacionPage"]
    is_creatable = False  # opened with expediente_abrir (numbering), never by the page editor
    template = "expedientes/expediente_page.html"

    content_panels = [
        HelpPanel(template="expedientes/panels/expediente_cabecera.html"),
        MultiFieldPanel(
            [
                FieldRowPanel([DatoPanel("coactivado"), DatoPanel("orden_cobro_numero")]),
                FieldRowPanel([DatoPanel("provincia"), DatoPanel("fecha_recepcion")]),
                FieldRowPanel([DatoPanel("monto_titulo"), DatoPanel("abogado")]),
            ],
            heading=_("Datos del expediente"),
            help_text=_("Se corrigen desde la pantalla del proceso, con el motivo; cada cambio queda registrado."),
        ),
    ]
    promote_panels = []

    class Meta:
        verbose_name = _("expediente")
        verbose_name_plural = _("expedientes")
        permissions = [
            ("baja_expediente", _("Puede dar de baja un expediente")),
            ("corregir_expediente", _("Puede corregir los datos de un expediente (título, fechas, provincia)")),
            ("asignar_expediente", _("Puede asignar el abogado impulsor de un expediente")),
        ]
        indexes = [GinIndex(fields=["busqueda"], opclasses=["gin_trgm_ops"], name="expediente_busqueda_trgm")]
        triggers = [
            pgtrigger.Trigger(
                name="busqueda_componer", when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=BUSQUEDA_COMPONER,
            ),
        ]

    def __str__(self):
        return self.numero or super().__str__()

    def get_context(self, request, *args, **kwargs):
        from expedientes.selectors import actuaciones_de

        context = super().get_context(request, *args, **kwargs)
        context["actuaciones"] = actuaciones_de(self)
        return context

    def full_clean(self, *args, **kwargs):
        # The title and slug follow the number and debtor; nobody types them.
        if self.numero:
            nombre = self.coactivado.nombre if self.coactivado_id else ""
            self.title = f"{self.numero} — {nombre}".strip(" —")[:255]
            self.slug = self.numero.lower()
        super().full_clean(*args, **kwargs)
