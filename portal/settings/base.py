"""Settings shared by every environment. Everything comes from environment variables;
the defaults are the local ones the README's `run` command uses."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "solo-para-desarrollo-cambie-esta-clave")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # before the project's apps (BACKENDS.md): the queue's tables and its `procrastinate` command
    "procrastinate.contrib.django",
    "portal",
    "expedientes",
    "archivo",
    "permisos",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    # The admin needs these two installed, but their upload screens are closed
    # (portal/urls.py, portal/wagtail_hooks.py): every file enters through the custody
    # pipeline (expedientes.custodia), never through a side door without the antivirus.
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pgtrigger",  # the custody log's append-only triggers (permisos.RegistroCustodia)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # the user's rights in one query, before any menu or check reads them piece by piece
    "permisos.derechos.DerechosMiddleware",
    # an object the user may not see answers 404, like one that does not exist
    "permisos.guardas.ObjetosInvisibles404Middleware",
    # after the guard: the explorer of an expediente opens its process screen (unit's roles)
    "expedientes.navegacion.PantallaDelExpedienteMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    # the client's address for the custody log, also where a service has no request
    "permisos.direcciones.DireccionClienteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after authentication, OTP and messages: they log out / redirect with a message
    "permisos.middleware.SesionVencidaMiddleware",
    "permisos.middleware.VerificacionObligatoriaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a lockout into its page
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Local default: an SQLite file, so `manage.py` works with nothing running.
# The run and test commands point DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the planner overestimates the report queries filtered by the permission policy
    # (an OR of two permission subqueries) and spends about a second compiling and inlining a
    # query that then runs in milliseconds (EXPLAIN ANALYZE of the matrix as a lawyer, 100,000
    # expedientes: JIT 2.4 s of worker time, execution 25 ms of real work).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # first: refuses a locked-out username+IP before any password is checked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous means no access

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env_int("PORTAL_CLAVE_LONGITUD_MINIMA", 12)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

# --- sign-in (permisos/acceso.py holds the rules; README «Inicio de sesión») ---------------
# Idle expiry: the session dies after this long without a request (every request renews it).
SESSION_COOKIE_AGE = env_int("PORTAL_SESION_INACTIVIDAD_MINUTOS", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Absolute expiry: a session ends this long after the password was typed, active or not.
PORTAL_SESION_MAXIMA = timedelta(hours=env_int("PORTAL_SESION_MAXIMA_HORAS", 10))
# Time-based one-time codes for the roles in permisos.acceso.ROLES_CON_OTP and superusers.
# Only a demonstration may turn this off (scripts/run.sh does, and says so; check permisos.W001).
PORTAL_OTP_OBLIGATORIO = env_bool("PORTAL_OTP_OBLIGATORIO", True)
OTP_TOTP_ISSUER = "Portal Coactivas"  # the name the authenticator app shows
# django-axes: after AXES_FAILURE_LIMIT failed passwords the same username from the same
# address is refused (even with the right password) until the cool-off passes. By the pair,
# not by address alone: behind a proxy every user shares one address, and by username alone
# anyone could lock the jefe out. A try during the lockout starts the cool-off again.
AXES_FAILURE_LIMIT = env_int("PORTAL_BLOQUEO_INTENTOS", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PORTAL_BLOQUEO_MINUTOS", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "permisos.acceso.bloqueo_responder"  # the login page, in Spanish
# The address is REMOTE_ADDR, never a forwarded header a client could write. When the
# trusted-proxy setting PORTAL_PROXIES_CONFIABLES lands (client-IP resolution in
# permisos/custodia.py), this callable should ask that resolution instead.
AXES_CLIENT_IP_CALLABLE = "permisos.acceso.ip_cliente"

# Spanish (Ecuador) in the UI; Django has no es_EC locale, so "es" plus our formats
# (portal/formats/es) for dd/mm/aaaa dates and the 140.714,68 number style.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "America/Guayaquil"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = []
MEDIA_URL = "/media-no-publico/"
MEDIA_ROOT = VAR_DIR / "media"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # The custody store: every attachment version lives here, private, versioned.
    "custodia": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": env("S3_ENDPOINT_URL", "http://127.0.0.1:8333"),
            "access_key": env("S3_ACCESS_KEY_ID", "devkey"),
            "secret_key": env("S3_SECRET_ACCESS_KEY", "devsecret123"),
            "bucket_name": env("S3_BUCKET", "portal-coactivas"),
            "region_name": env("S3_REGION", "us-east-1"),
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,  # private: the bucket's own policy; never public-read
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    },
}

# The custody pipeline (expedientes/custodia). The size limit must stay below clamd's
# StreamMaxLength/MaxFileSize: a bigger file would come back unscanned (BACKENDS.md).
CUSTODIA = {
    "TAMANO_MAXIMO": env_int("CUSTODIA_TAMANO_MAXIMO", 100 * 1024 * 1024),
    "ANTIVIRUS_LIMITE": env_int("CLAMD_STREAM_MAX_LENGTH", 100 * 1024 * 1024),
    "CLAMD_HOST": env("CLAMD_HOST", "127.0.0.1"),
    "CLAMD_PORT": env_int("CLAMD_PORT", 3310),
    "CLAMD_SOCKET": env("CLAMD_SOCKET", ""),  # a Unix socket path wins over host/port
    "CLAMD_TIMEOUT": float(env("CLAMD_TIMEOUT", "120")),
    "TEMP_DIR": env("CUSTODIA_TEMP_DIR", None),
    "S3_CHUNK": env_int("CUSTODIA_S3_CHUNK", 8 * 1024 * 1024),
    "S3_CONCURRENCIA": env_int("CUSTODIA_S3_CONCURRENCIA", 2),
    # Office ZIP containers (DOCX/XLSX/PPTX/ODT/ODS), from the central directory, before
    # storage (OWASP File Upload Cheat Sheet). Real documents: ratio ~10-20, a few hundred
    # parts; zip bombs: ratios in the thousands.
    "OFIMATICA_ENTRADAS_MAXIMAS": env_int("CUSTODIA_OFIMATICA_ENTRADAS_MAXIMAS", 10_000),
    "OFIMATICA_DESCOMPRIMIDO_MAXIMO": env_int("CUSTODIA_OFIMATICA_DESCOMPRIMIDO_MAXIMO",
                                              512 * 1024 * 1024),
    "OFIMATICA_PROPORCION_MAXIMA": env_int("CUSTODIA_OFIMATICA_PROPORCION_MAXIMA", 100),
    # Office files with macros (VBA, XLM, ODF Basic/scripts): "rechazar" or "marcar" (stored,
    # flagged on the version). Any other value refuses.
    "MACROS": env("CUSTODIA_MACROS", "rechazar"),
}

# Electronic signatures (expedientes/firmas.py): the certification authorities trusted when
# verifying a signer's certificate, as PEM/DER files or directories (comma-separated). None
# configured: signatures are still checked for integrity, the certificate is reported as
# "no verificado contra una autoridad". Nothing is fetched from the network.
FIRMAS = {
    "RAICES": env_list("FIRMAS_RAICES", ""),
}

# The text of every page (issue 12, expedientes/services/texto.py): OCRmyPDF with Debian's
# tesseract-ocr-spa on scans, in the background.
TEXTO = {
    "IDIOMA": env("TEXTO_IDIOMA", "spa"),  # tesseract languages, e.g. "spa+eng"
    # a scan with more pages without text is refused with a reason (time and temporary disk)
    "PAGINAS_MAXIMAS": env_int("TEXTO_PAGINAS_MAXIMAS", 2000),
    "PROCESOS": env_int("TEXTO_PROCESOS", 0),  # cores per document for OCRmyPDF (0: all)
    "TIEMPO_PAGINA": env_int("TEXTO_TIEMPO_PAGINA", 180),  # tesseract's limit per page, seconds
    "SEGUNDOS_POR_PAGINA": env_int("TEXTO_SEGUNDOS_POR_PAGINA", 120),  # whole run: 2 min + this × pages
}

# Uploads: spool to disk beyond 2.5 MB; the custody handler stops an oversize upload early.
FILE_UPLOAD_HANDLERS = [
    "expedientes.custodia.upload.LimiteUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = env("CUSTODIA_TEMP_DIR", None)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Who signs and where: goes into generated documents.
JUZGADO = {
    "NOMBRE": env("JUZGADO_NOMBRE", "Juzgado de Coactivas"),
    "ENTIDAD": env("JUZGADO_ENTIDAD", "Ministerio del Trabajo"),
    "DIRECCION_REGIONAL": env("JUZGADO_DIRECCION_REGIONAL",
                              "Dirección Regional de Trabajo y Servicio Público de Cuenca"),
    "CIUDAD": env("JUZGADO_CIUDAD", "Cuenca"),
}

# Expediente numbers: MDT-DRTSPC-2025-0042
EXPEDIENTE_PREFIJO = env("EXPEDIENTE_PREFIJO", "MDT-DRTSPC")
# The account of an expediente (expedientes/liquidacion.py): to be confirmed by Asesoría
# Jurídica. Interest is simple and daily over BASE_DIAS; payments are imputed in this order.
LIQUIDACION = {
    "BASE_DIAS": env_int("LIQUIDACION_BASE_DIAS", 365),
    "IMPUTACION": env_list("LIQUIDACION_IMPUTACION", "intereses,costas,capital"),
}
# Untraceable debtors: the registries that must have been searched without result, the
# number of press publications and the working days after the last one until the citation
# takes effect (to be confirmed with Asesoría Jurídica; COA refers to COGEP art. 56).
# The archive (archivo/): the serie every new expediente belongs to, whether the unit keeps
# reading what it transferred to the Archivo Central, and the fixity audit's slice.
ARCHIVO = {
    "SERIE_POR_DEFECTO": env("ARCHIVO_SERIE_POR_DEFECTO", "MDT-DRC-JC-01"),
    "UNIDAD_LEE_TRANSFERIDOS": env_bool("ARCHIVO_UNIDAD_LEE_TRANSFERIDOS", True),
    "FIJEZA_LOTE": int(env("ARCHIVO_FIJEZA_LOTE", "1000")),
}

ILOCALIZABLES = {
    "REGISTROS_EXIGIDOS": env_list("ILOCALIZABLES_REGISTROS", "registro_civil,sri"),
    "PUBLICACIONES": env_int("ILOCALIZABLES_PUBLICACIONES", 3),
    "DIAS_EFECTO_PRENSA": env_int("ILOCALIZABLES_DIAS_EFECTO", 20),
}
# Insolvency: the registries searched for assets without result before the informe.
INSOLVENCIA = {
    "REGISTROS_EXIGIDOS": env_list("INSOLVENCIA_REGISTROS", "registro_propiedad,ant"),
}
# The unit's own service level: citation within this many working days of the orden de cobro.
CITACION_DIAS_SERVICIO = env_int("CITACION_DIAS_SERVICIO", 10)
# INEC codes of the provinces the unit serves (Azuay, Cañar, Morona Santiago)
PROVINCIAS_JURISDICCION = env_list("PROVINCIAS_JURISDICCION", "01,03,14")

WAGTAIL_SITE_NAME = "Portal Coactivas"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no internet; and no phoning home from a court
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILADMIN_USER_LOGIN_FORM = "portal.forms.LoginForm"
WAGTAILADMIN_COMMENTS_ENABLED = False  # notes on a file are actuaciones, not page comments
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no requests to outside services from a court

# The custody log records the client's address. Behind a reverse proxy REMOTE_ADDR is the
# proxy's: list the proxies here (IPs or CIDRs, comma-separated) and the address is taken
# from X-Forwarded-For, right to left, skipping these. From anyone else the header is ignored.
PORTAL_PROXIES_CONFIABLES = env_list("PORTAL_PROXIES_CONFIABLES", "")

# Headers: no sniffing, no framing, HTTPS settings in production.py
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"simple": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple"}},
    "loggers": {
        "expedientes": {"handlers": ["console"], "level": env("PORTAL_LOG_LEVEL", "INFO")},
        "permisos": {"handlers": ["console"], "level": env("PORTAL_LOG_LEVEL", "INFO")},
        # pyHanko logs a warning with a traceback for every signer whose chain does not reach a
        # configured authority (every signature while FIRMAS_RAICES is empty): expected, and
        # recorded per signature in firma_detalle (expedientes/firmas.py), so not in the log.
        "pyhanko": {"level": env("PYHANKO_LOG_LEVEL", "ERROR")},
        "pyhanko_certvalidator": {"level": env("PYHANKO_LOG_LEVEL", "ERROR")},
        "portal": {"handlers": ["console"], "level": env("PORTAL_LOG_LEVEL", "INFO")},
        "archivo": {"handlers": ["console"], "level": env("PORTAL_LOG_LEVEL", "INFO")},
        # the worker says almost nothing below INFO (BACKENDS.md trap 5)
        "procrastinate": {"handlers": ["console"], "level": env("PROCRASTINATE_LOG_LEVEL", "INFO")},
        # ...but not the task list every manage.py command would print at start
        "procrastinate.periodic": {"level": "WARNING"},
        "procrastinate.blueprints": {"level": "WARNING"},
        # ...nor a line per job deferred (the demo defers two per file: its progress drowned)
        "procrastinate.jobs": {"level": "WARNING"},
    },
}

# The queue (portal/cola.py): tasks in each app's tasks.py (autodiscovered) plus the queue-wide
# periodic ones here.
PROCRASTINATE_IMPORT_PATHS = ["portal.cola"]
