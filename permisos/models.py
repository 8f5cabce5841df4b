"""Object permissions on expedientes, with django-guardian's direct foreign-key models.

Guardian's generic tables (content type + object id as text) can't be joined to the page
table and make every filtered listing slow (guardian#68; paperless-ngx #13499: non-superusers
40× slower). A row here says: this user (or group) may see (view) or work on (change) this
expediente and everything under it. Only permisos/ reads or writes these tables: the policy
(permisos/policies.py) decides with them, permisos/services.py grants and revokes."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


CAMBIOS_TABLA = "permisos_cambio_permisos"


def solo_anotar() -> list:
    """The triggers of an append-only table: the database refuses UPDATE, DELETE and TRUNCATE
    (TRUNCATE fires no row triggers: a statement-level one of its own)."""
    return [
        pgtrigger.Protect(name="solo_anotar", operation=pgtrigger.Update | pgtrigger.Delete),
        pgtrigger.Trigger(
            name="sin_vaciar", level=pgtrigger.Statement, when=pgtrigger.Before,
            operation=pgtrigger.Truncate,
            func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
        ),
    ]


def _cambios_anotar(columna: str) -> list:
    """The triggers that note, in CambioPermisos, every statement that writes rows of a
    guardian table on expedientes: for whom (the `columna` of the rows written: user_id or
    group_id) on INSERT and DELETE, for everybody on UPDATE and TRUNCATE (nothing in the
    project updates these rows: they are granted and revoked)."""
    destino = "usuario_id" if columna == "user_id" else "grupo_id"
    filas = f"INSERT INTO {CAMBIOS_TABLA} ({destino}) SELECT DISTINCT {columna} FROM filas; RETURN NULL;"
    return [
        pgtrigger.Trigger(name="cambios_alta", level=pgtrigger.Statement, when=pgtrigger.After,
                          operation=pgtrigger.Insert, referencing=pgtrigger.Referencing(new="filas"), func=filas),
        pgtrigger.Trigger(name="cambios_baja", level=pgtrigger.Statement, when=pgtrigger.After,
                          operation=pgtrigger.Delete, referencing=pgtrigger.Referencing(old="filas"), func=filas),
        pgtrigger.Trigger(name="cambios_todos", level=pgtrigger.Statement, when=pgtrigger.After,
                          operation=pgtrigger.Update | pgtrigger.Truncate,
                          func=f"INSERT INTO {CAMBIOS_TABLA} (usuario_id, grupo_id) VALUES (NULL, NULL); RETURN NULL;"),
    ]


class ExpedienteUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(
        "expedientes.ExpedientePage", on_delete=models.CASCADE, related_name="permisos_usuario"
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "permiso de usuario sobre un expediente"
        verbose_name_plural = "permisos de usuario sobre expedientes"
        triggers = _cambios_anotar("user_id")


class ExpedienteGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        "expedientes.ExpedientePage", on_delete=models.CASCADE, related_name="permisos_grupo"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "permiso de grupo sobre un expediente"
        verbose_name_plural = "permisos de grupo sobre expedientes"
        triggers = _cambios_anotar("group_id")


class CambioPermisos(models.Model):
    """One statement that granted or revoked rows of the two tables above, for one user or
    group (both empty: for everybody), written by their triggers in the same transaction.
    Append-only. What it is for: a process keeps each lawyer's visible expedientes between
    requests (permisos.policies.ids_expedientes_visibles) and knows they still hold when the
    number of these rows for him and his current groups has not changed: a grant or a
    revocation adds one when it commits, never before, and without locking anything that
    another grant would wait for (a counter row would)."""

    usuario_id = models.IntegerField(null=True)
    grupo_id = models.IntegerField(null=True)
    registrado_en = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = CAMBIOS_TABLA
        verbose_name = "cambio de permisos sobre expedientes"
        verbose_name_plural = "cambios de permisos sobre expedientes"
        default_permissions = ()
        # a user's rows, a group's (usuario_id NULL) and everybody's (both NULL)
        indexes = [models.Index(fields=["usuario_id", "grupo_id"], name="cambios_quien_idx")]
        # a mark must never come back (policies._VISIBLES): the rows are never changed, deleted
        # or truncated (only the tests' flush goes around it: tests/conftest.py)
        triggers = solo_anotar()


class RegistroCustodia(models.Model):
    """One entry of the custody log: who did what, when, from where, with which file.

    Append-only: the database itself refuses UPDATE, DELETE and TRUNCATE on this table (the
    triggers below, installed by the migration), so not even a bug or a shell can rewrite
    history through the application. Each entry also carries the SHA-256 of its own content
    and of the entry before it (permisos/custodia.py): an entry changed or removed behind
    the triggers' back breaks the chain, and `manage.py custodia_verificar` names it.
    Only permisos/custodia.py writes here."""

    class Accion(models.TextChoices):
        VISTA = "vista", _("Vista de expediente")
        DESCARGA = "descarga", _("Descarga")
        CARGA = "carga", _("Carga / nueva versión")
        CAMBIO_ESTADO = "cambio_estado", _("Cambio de estado")
        ASIGNACION = "asignacion", _("Asignación")
        CONCESION = "concesion", _("Concesión de permiso")
        RETIRO = "retiro", _("Retiro de permiso")
        EXPORTACION = "exportacion", _("Exportación")
        COMPARTIR = "compartir", _("Compartir")
        RETIRO_COMPARTIR = "retiro_compartir", _("Retiro de compartir")
        ACUSE = "acuse", _("Acuse de recibo")
        INICIO_SESION = "inicio_sesion", _("Inicio de sesión")
        CIERRE_SESION = "cierre_sesion", _("Cierre de sesión")
        INICIO_FALLIDO = "inicio_fallido", _("Inicio de sesión fallido")
        ACCESO_DENEGADO = "acceso_denegado", _("Acceso denegado")
        DOSSIER_ARMADO = "dossier_armado", _("Armado de dossier de insolvencia")
        JUICIO = "juicio", _("Registro del juicio de insolvencia")
        ANULACION_PAGO = "anulacion_pago", _("Anulación de pago")
        CAMBIO_TASA = "cambio_tasa", _("Cambio de tasa de interés")
        # the archive (archivo/services/)
        CAMBIO_TPCD = "cambio_tpcd", _("Cambio del cuadro de clasificación / TPCD")
        CIERRE = "cierre", _("Cierre de expediente")
        REAPERTURA = "reapertura", _("Reapertura de expediente")
        UBICACION = "ubicacion", _("Ubicación física (caja)")
        PRESTAMO = "prestamo", _("Préstamo de expediente físico")
        DEVOLUCION = "devolucion", _("Devolución de expediente físico")
        DEPURACION = "depuracion", _("Depuración de proceso impugnado")
        TRANSFERENCIA = "transferencia", _("Transferencia al Archivo Central")
        COTEJO = "cotejo", _("Cotejo de transferencia")
        BLOQUEO = "bloqueo", _("Bloqueo legal")
        LEVANTAMIENTO = "levantamiento", _("Levantamiento de bloqueo legal")
        BAJA_DOCUMENTAL = "baja_documental", _("Baja documental")
        FIJEZA = "fijeza", _("Auditoría de integridad")
        # the unit's reports and the import of its historical matrices (expedientes/informes/)
        INFORME = "informe", _("Emisión de informe")
        IMPORTACION = "importacion", _("Importación de matriz histórica")
        # the reading room (issue 12)
        LECTURA = "lectura", _("Lectura en el visor")
        TEXTO = "texto", _("Texto reconocido (OCR) de un documento")
        FIRMA = "firma", _("Verificación de firma electrónica")
        TRABAJO = "trabajo", _("Trabajo en segundo plano")

    # Gap-free, assigned under a lock by registro_anotar: a missing number is a removed entry.
    secuencia = models.BigIntegerField(_("secuencia"), primary_key=True, editable=False)
    registrado_en = models.DateTimeField(_("fecha y hora"), editable=False)
    # PROTECT: whoever acted stays in the log (deactivate a user, never delete one with history).
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # The username at the time (or the one typed in a failed login, when no user matched).
    usuario_nombre = models.CharField(_("nombre de usuario"), max_length=150, blank=True)
    accion = models.CharField(_("acción"), max_length=20, choices=Accion.choices)
    # PROTECT: deleting an expediente must never touch (UPDATE or DELETE) its log. Indexed
    # by the composite index below.
    expediente = models.ForeignKey(
        "expedientes.ExpedientePage", verbose_name=_("expediente"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )
    objeto = models.TextField(_("objeto"), blank=True)
    ip = models.GenericIPAddressField(_("dirección IP"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 del archivo"), max_length=64, blank=True)
    datos = models.JSONField(_("datos"), default=dict, blank=True)
    hash_anterior = models.CharField(_("hash del registro anterior"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("registro de custodia")
        verbose_name_plural = _("registro de custodia")
        # Nobody is ever given add/change/delete on the log: only reading it is a permission.
        default_permissions = ()
        permissions = [
            ("ver_registro_custodia", _("Puede ver y exportar el registro de custodia")),
        ]
        indexes = [
            models.Index(fields=["expediente", "registrado_en"], name="custodia_expediente_idx"),
            models.Index(fields=["usuario_nombre", "registrado_en"], name="custodia_usuario_idx"),
            models.Index(fields=["registrado_en"], name="custodia_fecha_idx"),
        ]
        # pgtrigger (not SQL kept by hand in a migration): the triggers are declared here next
        # to the fields, makemigrations writes them, and `pgtrigger.ignore` is the one
        # sanctioned way around them (the tests that prove the chain catches tampering).
        triggers = solo_anotar()

    def __str__(self):
        return f"#{self.secuencia} {self.get_accion_display()} {self.usuario_nombre}".strip()


# --- Dossiers de insolvencia
# Sharing a dossier with Asesoría Jurídica is a group row (view + change) for its group;
# withdrawing it deletes the rows. permisos/services.py writes them, the policy reads them.


class DossierUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(
        "expedientes.DossierInsolvencia", on_delete=models.CASCADE, related_name="permisos_usuario"
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "permiso de usuario sobre un dossier de insolvencia"
        verbose_name_plural = "permisos de usuario sobre dossiers de insolvencia"


class DossierGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        "expedientes.DossierInsolvencia", on_delete=models.CASCADE, related_name="permisos_grupo"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "permiso de grupo sobre un dossier de insolvencia"
        verbose_name_plural = "permisos de grupo sobre dossiers de insolvencia"
