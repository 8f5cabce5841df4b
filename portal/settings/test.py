import uuid

from .base import *  # noqa: F401,F403
from .base import CUSTODIA, STORAGES, env

# Tests run on the real PostgreSQL, S3 store and clamd started by scripts/test.sh.
# Each test process works in a bucket of its own (removed by tests/conftest.py at the end):
# two sessions sharing one bucket would delete it under each other, and SeaweedFS recreates
# a missing bucket on the next put without versioning.
# A queue worker started by a test (tests/portal/test_cola.py) is told the bucket of the test
# process that started it (PORTAL_BUCKET_PRUEBA), so both see the same files.
STORAGES["custodia"]["OPTIONS"]["bucket_name"] = env("PORTAL_BUCKET_PRUEBA") or (
    f"{env('S3_BUCKET', 'portal-coactivas-test')}-{uuid.uuid4().hex[:8]}"
)
CUSTODIA["CLAMD_TIMEOUT"] = float(env("CLAMD_TIMEOUT", "30"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Tests log in with force_login as any role; the one-time code is tested where it is
# switched on (tests/permisos/test_acceso.py).
PORTAL_OTP_OBLIGATORIO = False
SILENCED_SYSTEM_CHECKS = ["permisos.W001"]
