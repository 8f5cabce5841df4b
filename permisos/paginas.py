from django.contrib.auth.views import redirect_to_login
from django.http import Http404


class PaginaProtegidaMixin:
    """Pages of the file room are never public: serving one asks the permission policy.
    A user who may not see it gets a 404, as if it did not exist."""

    def serve(self, request, *args, **kwargs):
        from permisos.policies import pagina_puede_ver

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not pagina_puede_ver(request.user, self):
            raise Http404
        response = super().serve(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response
