"""The import of the unit's historical Excel matrices (expedientes/importacion/): the column
mapping saved per layout, each import run (dry or real) with its problems, and the rows it
created, keyed by process number, which make a re-import change nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormatoMatriz(models.Model):
    """A layout of the matrices (the columns drift between years): its normalised header
    signature and which header holds each field."""

    nombre = models.CharField(_("nombre"), max_length=120, unique=True)
    firma = models.CharField(_("firma de las cabeceras"), max_length=64, unique=True,
                             help_text=_("SHA-256 de las cabeceras normalizadas, en orden."))
    cabeceras = models.JSONField(_("cabeceras"), default=list)
    mapeo = models.JSONField(_("mapeo campo → cabecera"), default=dict)
    actualizado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    actualizado_en = models.DateTimeField(_("actualizado el"), auto_now=True)

    class Meta:
        verbose_name = _("formato de matriz")
        verbose_name_plural = _("formatos de matriz")
        ordering = ["nombre"]

    def __str__(self):
        return self.nombre


class LibroPendiente(models.Model):
    """An uploaded workbook waiting for its dry run and its import, which the queue's workers
    run (expedientes.tasks.matriz_importar): the bytes live in PostgreSQL, the state every web
    process and worker shares, not in one user's session. It enters custody only when imported
    (a DocumentoUnidad); then, or after DIAS_PENDIENTE days unused, this row is deleted."""

    DIAS_PENDIENTE = 7

    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.CASCADE,
                                related_name="+")
    nombre_archivo = models.CharField(_("archivo"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    contenido = models.BinaryField(_("contenido"))
    creado_en = models.DateTimeField(_("subido el"), auto_now_add=True)

    class Meta:
        verbose_name = _("matriz pendiente de importar")
        verbose_name_plural = _("matrices pendientes de importar")
        constraints = [models.UniqueConstraint(fields=["usuario", "sha256"], name="libro_pendiente_unico")]

    def __str__(self):
        return self.nombre_archivo


class ImportacionMatriz(models.Model):
    class Modo(models.TextChoices):
        SIMULACION = "simulacion", _("Simulación")
        REAL = "real", _("Importación")

    class Resultado(models.TextChoices):
        CON_PROBLEMAS = "con_problemas", _("Con problemas (nada importado)")
        VALIDA = "valida", _("Válida (simulación)")
        IMPORTADA = "importada", _("Importada")
        SIN_CAMBIOS = "sin_cambios", _("Sin cambios (ya importada)")

    nombre_archivo = models.CharField(_("archivo"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    documento = models.ForeignKey("expedientes.DocumentoUnidad", verbose_name=_("matriz en custodia"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="importaciones")
    modo = models.CharField(_("modo"), max_length=12, choices=Modo.choices)
    estado = models.CharField(_("resultado"), max_length=16, choices=Resultado.choices)
    formato = models.ForeignKey(FormatoMatriz, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="importaciones")
    corte = models.DateField(_("fecha de corte"))
    filas_leidas = models.PositiveIntegerField(_("filas leídas"), default=0)
    expedientes_creados = models.PositiveIntegerField(_("expedientes creados"), default=0)
    coactivados_creados = models.PositiveIntegerField(_("coactivados creados"), default=0)
    pagos_creados = models.PositiveIntegerField(_("pagos creados"), default=0)
    sin_cambios = models.PositiveIntegerField(_("filas ya importadas"), default=0)
    problemas = models.JSONField(_("problemas"), default=list,
                                 help_text=_("Lista de {hoja, fila, columna, mensaje}."))
    avisos = models.JSONField(_("avisos"), default=list)
    mapeo = models.JSONField(_("mapeo usado"), default=dict)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("usuario"), null=True,
                                on_delete=models.PROTECT, related_name="+")
    creada_en = models.DateTimeField(_("fecha"), auto_now_add=True)
    # the workbook still waiting to be imported (a dry run's), and the queue's job that ran this one
    libro = models.ForeignKey(LibroPendiente, verbose_name=_("matriz pendiente"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="importaciones")
    trabajo = models.OneToOneField("portal.Trabajo", verbose_name=_("trabajo en segundo plano"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="importacion")

    class Meta:
        verbose_name = _("importación de matriz")
        verbose_name_plural = _("importaciones de matrices")
        ordering = ["-creada_en", "-pk"]

    def __str__(self):
        return f"{self.nombre_archivo} ({self.get_modo_display()})"


class FilaImportada(models.Model):
    """One process number imported from a matrix: its key (a number is imported once) and the
    fingerprint of its row, so the same row again changes nothing."""

    numero = models.CharField(_("número de proceso"), max_length=40, unique=True)
    huella = models.CharField(_("huella de la fila"), max_length=64)
    expediente = models.OneToOneField("expedientes.ExpedientePage", on_delete=models.PROTECT,
                                      related_name="fila_importada")
    importacion = models.ForeignKey(ImportacionMatriz, on_delete=models.PROTECT, related_name="filas")
    hoja = models.CharField(_("hoja"), max_length=120)
    fila = models.PositiveIntegerField(_("fila"))

    class Meta:
        verbose_name = _("fila importada")
        verbose_name_plural = _("filas importadas")
