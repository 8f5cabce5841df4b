from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from .roles import ROLES


def roles_configurar(*, juzgado) -> list[Group]:
    """Create the role groups (idempotent), let them into the admin and give each its page
    permissions on the Juzgado subtree. Nothing else is granted: default deny."""
    acceso_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    grupos = []
    for rol in ROLES:
        grupo, _ = Group.objects.get_or_create(name=rol.nombre)
        grupo.permissions.add(acceso_admin)
        for codename in rol.permisos_juzgado:
            GroupPagePermission.objects.get_or_create(
                group=grupo, page=juzgado,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
        for nombre in rol.permisos_modelo:
            app_label, codename = nombre.split(".")
            grupo.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        grupos.append(grupo)
    return grupos
