"""Writing pages into the tree the way Wagtail's own create view does: add under a locked
parent, first revision, published, «create» in the audit log."""

from wagtail.log_actions import log


def pagina_publicar_nueva(*, padre, pagina, usuario):
    pagina.owner = usuario
    padre.add_child(instance=pagina)  # LockedAddChildMixin holds the parent's row lock
    revision = pagina.save_revision(user=usuario, log_action=False)
    revision.publish(user=usuario, log_action=False)
    log(instance=pagina, action="wagtail.create", user=usuario)
    return pagina
