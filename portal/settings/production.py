from .base import *  # noqa: F401,F403
from django.core.exceptions import ImproperlyConfigured

from .base import env, env_bool

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # required: no default in production

# docker-compose fills unset secrets with a visible CAMBIE-... placeholder: refuse to run.
_PENDIENTES = [
    nombre for nombre in ("DJANGO_SECRET_KEY", "DATABASE_URL", "S3_ACCESS_KEY_ID",
                          "S3_SECRET_ACCESS_KEY", "DJANGO_ALLOWED_HOSTS")
    if not env(nombre) or "CAMBIE" in env(nombre)
]
if _PENDIENTES:
    raise ImproperlyConfigured("Defina en el entorno: " + ", ".join(_PENDIENTES))
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
# Static files from the app itself (no separate web server needed), right after security.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
