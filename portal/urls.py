from django.conf import settings
from django.http import Http404
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from permisos import cuenta


def cerrado(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    # Wagtail's own document and image libraries would take files without the antivirus
    # and outside the expedientes' permissions: closed.
    re_path(r"^admin/(documents|images)/", cerrado),
    # the account page without the avatar upload (an image stored without the antivirus)
    path("admin/account/", cuenta.cuenta),
    # Every object an admin URL names is checked before the view: permisos/guardas.py.
    path("admin/", include(wagtailadmin_urls)),
    path("", include("permisos.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Wagtail serves the page tree last; every page of it asks the permission policy.
urlpatterns += [path("", include(wagtail_urls))]
