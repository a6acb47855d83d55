"""Tests: the machine's PostgreSQL and Redis.

The test database is created and migrated by the owner role; the test session then switches
the connection to the runtime role, so row-level security applies to every test
(see tests/conftest.py).
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
ALLOWED_HOSTS = ["*"]
TENANCY_REQUIRE_RLS = False  # the runtime role is checked by the catalog test instead

TEST_DATABASE_HOST = env.str("TEST_DATABASE_HOST", default="127.0.0.1")
TEST_DATABASE_PORT = env.int("TEST_DATABASE_PORT", default=5432)
DATABASES = {
    "default": {
        "ENGINE": POSTGRESQL_ENGINE,  # noqa: F405
        "NAME": env.str("TEST_DATABASE_NAME", default="rpo_portal"),
        "USER": DB_OWNER_ROLE,  # noqa: F405  (switched to DB_RUNTIME_ROLE once migrated)
        "PASSWORD": DB_OWNER_PASSWORD,  # noqa: F405
        "HOST": TEST_DATABASE_HOST,
        "PORT": TEST_DATABASE_PORT,
        "CONN_MAX_AGE": 0,
        "ATOMIC_REQUESTS": False,
        "TEST": {"NAME": env.str("TEST_DATABASE_TEST_NAME", default="test_rpo_portal")},
    }
}
# A Celery worker started by tests/worker.py serves the test database as the runtime role, and
# keeps its connection between tasks (so a test can see that no tenant is carried over).
TEST_WORKER = env.bool("TEST_WORKER", default=False)
if TEST_WORKER:
    DATABASES["default"].update(
        NAME=DATABASES["default"]["TEST"]["NAME"],
        USER=DB_RUNTIME_ROLE,  # noqa: F405
        PASSWORD=DB_RUNTIME_PASSWORD,  # noqa: F405
        CONN_MAX_AGE=None,
    )
    CELERY_DB_REUSE_MAX = env.int("TEST_WORKER_DB_REUSE_MAX", default=1000)

REDIS_URL = env.str("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
# Tasks run inline unless a test starts a real worker (tests/worker.py).
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = not TEST_WORKER

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"token": "1000/minute"}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
