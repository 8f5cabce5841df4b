from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from wagtail.models import Page, PagePermissionTester
from wagtail.permissions import policy_registry


class PaginaProtegidaPermissionTester(PagePermissionTester):
    """Nothing in the file room leaves the page tree through Wagtail, not even for a
    superuser: no delete, unpublish, copy (an expediente's number is unique) or move. Wagtail
    asks this tester for its buttons, its views, its bulk actions and its page actions.
    Disposal (baja documental) will be an authorised, logged act of the archive, not a page
    deletion. Editing, publishing, locking and adding pages are Wagtail's rules, with the
    actions the permission policy (permisos/policies.py) finds for this page by path, instead
    of Wagtail's scan of every row the user holds (an abogado may hold a thousand)."""

    def __init__(self, user, page):
        self.user = user
        self.permission_policy = policy_registry.get(page)
        self.page = page
        self.page_is_root = page.depth == 1
        if user.is_active and not user.is_superuser:
            self.permissions = self.permission_policy.acciones_en(user, page)

    @cached_property
    def solo_lectura(self) -> bool:
        from .policies import pagina_solo_lectura

        return pagina_solo_lectura(self.page)

    # A closed, transferred or eliminated expediente is read-only for everyone (archivo.fases):
    # only the archive's services (reopening, disposal) change it.
    def can_edit(self):
        return not self.solo_lectura and super().can_edit()

    def can_add_subpage(self):
        return not self.solo_lectura and super().can_add_subpage()

    def can_publish(self):
        return not self.solo_lectura and super().can_publish()

    def can_publish_subpage(self):
        return not self.solo_lectura and super().can_publish_subpage()

    def can_lock(self):
        return not self.solo_lectura and super().can_lock()

    def can_unlock(self):
        return not self.solo_lectura and super().can_unlock()

    def can_reorder_children(self):
        return not self.solo_lectura and super().can_reorder_children()

    def can_delete(self, ignore_bulk=False):
        return False

    def can_unpublish(self):
        return False

    def can_copy(self):
        return False

    def can_copy_to(self, destination, recursive=False):
        return False

    def can_move(self):
        return False

    def can_move_to(self, destination):
        return False


class PaginaProtegidaMixin:
    """Pages of the file room are never public: serving one asks the permission policy.
    A user who may not see it gets a 404, as if it did not exist. They never leave the tree
    through the admin (PaginaProtegidaPermissionTester) and never expire: no go-live/expiry
    settings tab, and a page with `expire_at` does not validate (the publish_scheduled
    command would unpublish it)."""

    settings_panels = []

    def permissions_for_user(self, user):
        return PaginaProtegidaPermissionTester(user, self)

    def clean(self):
        super().clean()
        if self.expire_at:
            raise ValidationError(
                "Las páginas del archivo no caducan: no se programa su despublicación (fecha de caducidad)."
            )

    def serve(self, request, *args, **kwargs):
        from expedientes.models import ExpedientePage
        from expedientes.navegacion import pantalla_url
        from permisos.auditoria import expediente_acceso_denegado_registrar
        from permisos.policies import pagina_puede_ver

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        expediente = isinstance(self, ExpedientePage)
        if not pagina_puede_ver(request.user, self):
            if expediente:
                expediente_acceso_denegado_registrar(expediente=self, request=request, pantalla="página")
            raise Http404
        # an expediente and an actuación live in the unit's screens (which log the view)
        if destino := pantalla_url(self):
            return redirect(destino)
        response = super().serve(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


def paginas_protegidas_modelos() -> list[type]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, PaginaProtegidaMixin)]


def pagina_contiene_protegidas(pagina: Page) -> bool:
    """The page is of the file room, or holds pages of it below (deleting, unpublishing or
    moving it would take them along)."""
    from django.contrib.contenttypes.models import ContentType

    if issubclass(pagina.specific_class or Page, PaginaProtegidaMixin):
        return True
    tipos = ContentType.objects.get_for_models(*paginas_protegidas_modelos()).values()
    return Page.objects.descendant_of(pagina).filter(content_type__in=tipos).exists()
