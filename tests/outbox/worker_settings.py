"""Settings of a real Celery worker started by tests/outbox/worker.py.

The test settings, plus: the test database as the runtime role (so RLS applies in the worker
too), the broker the test started, tasks sent to the broker rather than run inline, and SMTP to
the test's loopback server.
"""

from rpo_portal.settings.test import *  # noqa: F403
from rpo_portal.settings.test import DATABASES, DB_RUNTIME_PASSWORD, DB_RUNTIME_ROLE, env

DATABASES["default"]["NAME"] = env.str("WORKER_DATABASE_NAME")
DATABASES["default"]["USER"] = DB_RUNTIME_ROLE
DATABASES["default"]["PASSWORD"] = DB_RUNTIME_PASSWORD
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("WORKER_EMAIL_PORT")
EMAIL_USE_TLS = False
EMAIL_USE_SSL = False
EMAIL_HOST_USER = ""
EMAIL_HOST_PASSWORD = ""
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
