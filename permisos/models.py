"""Object permissions on expedientes, with django-guardian's direct foreign-key models.

Guardian's generic tables (content type + object id as text) can't be joined to the page
table and make every filtered listing slow (guardian#68; paperless-ngx #13499: non-superusers
40× slower). A row here says: this user (or group) may see (view) or work on (change) this
expediente and everything under it. Only permisos/ reads or writes these tables: the policy
(permisos/policies.py) decides with them, permisos/services.py grants and revokes."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class ExpedienteUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(
        "expedientes.ExpedientePage", on_delete=models.CASCADE, related_name="permisos_usuario"
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "permiso de usuario sobre un expediente"
        verbose_name_plural = "permisos de usuario sobre expedientes"


class ExpedienteGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        "expedientes.ExpedientePage", on_delete=models.CASCADE, related_name="permisos_grupo"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "permiso de grupo sobre un expediente"
        verbose_name_plural = "permisos de grupo sobre expedientes"


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
