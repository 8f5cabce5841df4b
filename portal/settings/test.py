from .base import *  # noqa: F401,F403
from .base import CUSTODIA, STORAGES, env

# Tests run on the real PostgreSQL, S3 store and clamd started by scripts/test.sh;
# each test session works in a bucket of its own (tests/conftest.py).
STORAGES["custodia"]["OPTIONS"]["bucket_name"] = env("S3_BUCKET", "portal-coactivas-test")
CUSTODIA["CLAMD_TIMEOUT"] = float(env("CLAMD_TIMEOUT", "30"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
