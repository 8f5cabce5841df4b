"""Writing pages into the tree the way Wagtail's own create view does: add under a locked
parent, first revision, published, «create» in the audit log."""

from django.core.exceptions import ValidationError
from wagtail.log_actions import log


def pagina_publicar_nueva(*, padre, pagina, usuario):
    """Every page of the file room is born here: under the permission policy (a user who
    may not add under the parent reads why, in Spanish, before anything is written)."""
    from permisos.policies import pagina_puede_agregar

    if usuario is not None and not pagina_puede_agregar(usuario, padre):
        raise ValidationError(
            f"No puede registrar en «{padre.title}»: el expediente no le está asignado o su rol no lo permite.")
    pagina.owner = usuario
    padre.add_child(instance=pagina)  # LockedAddChildMixin holds the parent's row lock
    revision = pagina.save_revision(user=usuario, log_action=False)
    revision.publish(user=usuario, log_action=False)
    log(instance=pagina, action="wagtail.create", user=usuario)
    return pagina
