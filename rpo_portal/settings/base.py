"""Every setting is declared here; environments differ only through environment variables.

`os.environ` is read nowhere else: django-environ reads it here, once.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-only-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The port `make run` (bin/run) serves on; links in emails follow it unless SITE_URL is set.
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "django_countries",
    "rpo_portal.accounts",
    "rpo_portal.tenancy",
    "rpo_portal.outbox",
    "rpo_portal.audit",
    "programmes",
    "changeplans",
    "requisitions",
    "feedback",
    "metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rpo_portal.audit.context.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rpo_portal.tenancy.middleware.TenantMiddleware",
]

ROOT_URLCONF = "rpo_portal.urls"
WSGI_APPLICATION = "rpo_portal.wsgi.application"
ASGI_APPLICATION = "rpo_portal.asgi.application"

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
                "rpo_portal.tenancy.context_processors.tenancy",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL is the connection the application serves with. On PostgreSQL that is the
# runtime role (not the owner, no BYPASSRLS); migrations run with the owner's URL
# (see README, "PostgreSQL roles"). Empty: the embedded SQLite demo under var/.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'rpo_portal.sqlite3'}"
POSTGRESQL_ENGINE = "rpo_portal.tenancy.postgresql"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # the tenant middleware opens the transaction
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Tenant tables are keyed by (organisation_id, id): see rpo_portal/tenancy/postgresql.
    DATABASES["default"]["ENGINE"] = POSTGRESQL_ENGINE
    DATABASES["default"].setdefault("OPTIONS", {})
    if env.bool("DATABASE_POOL", default=False):
        DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 2, "max_size": 20}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_REPORTING_URL = env.str("DATABASE_REPORTING_URL", default="")
if DATABASE_REPORTING_URL:
    # Provider-wide reporting: a read-only role with a FOR SELECT policy on every tenant table.
    DATABASES["reporting"] = env.db_url_config(DATABASE_REPORTING_URL)
    DATABASES["reporting"]["ENGINE"] = POSTGRESQL_ENGINE
DATABASE_ROUTERS = ["rpo_portal.tenancy.routers.ReportingRouter"]

# Names of the PostgreSQL roles the RLS migrations and `manage.py db_roles` refer to.
DB_OWNER_ROLE = env.str("DB_OWNER_ROLE", default="rpo_owner")
DB_RUNTIME_ROLE = env.str("DB_RUNTIME_ROLE", default="rpo_app")
DB_REPORTING_ROLE = env.str("DB_REPORTING_ROLE", default="rpo_reporting")
DB_OWNER_PASSWORD = env.str("DB_OWNER_PASSWORD", default="")
DB_RUNTIME_PASSWORD = env.str("DB_RUNTIME_PASSWORD", default="")
DB_REPORTING_PASSWORD = env.str("DB_REPORTING_PASSWORD", default="")
# Production refuses to serve when the runtime role could bypass row-level security.
TENANCY_REQUIRE_RLS = env.bool("TENANCY_REQUIRE_RLS", default=not DEBUG)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English (UK)")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Email ----------------------------------------------------------------------------------
# EMAIL_URL: smtp://user:pass@host:port, smtp+tls://..., or empty for files under var/mail/.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="RPO Portal <no-reply@rpo-portal.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=60)

# --- Celery ---------------------------------------------------------------------------------
# Without REDIS_URL, tasks run inline (the embedded demo).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
# Time limits stay well below the visibility timeout, so a running task is never redelivered.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs live here, in code review, rather than in a data migration: DatabaseScheduler
# syncs these entries into django-celery-beat's tables at start-up, and a plain beat uses them as is.
CELERY_BEAT_SCHEDULE = {
    # The outbox sweeper re-queues due and stuck email, so a lost broker message loses none.
    "outbox-sweep": {
        "task": "outbox.sweep",
        "schedule": OUTBOX_SWEEP_SECONDS,
        "options": {"expires": OUTBOX_SWEEP_SECONDS},  # no pile-up while workers are down
    },
}
# Communication owners hear the day before and when overdue; hourly, so each organisation's
# day starts near its own midnight (the task is idempotent).
CELERY_BEAT_SCHEDULE["changeplans-communication-reminders"] = {
    "task": "changeplans.communication_reminders_all",
    "schedule": 3600,
    "options": {"expires": 3600},
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rpo_portal.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "rpo_portal.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rpo_portal.api.DefaultCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_TOKEN_THROTTLE", default="10/minute")},
    # How many proxies stand in front (0: trust no X-Forwarded-For, so the rate limit on the
    # token endpoint cannot be dodged by sending a different header each time).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RPO Portal API",
    "DESCRIPTION": "Programmes, requisitions, feedback and metrics of RPO programmes, "
    "one organisation (tenant) per URL prefix.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ImprovementKindEnum": "programmes.models.Improvement.Kind",
        "ImportKindEnum": "requisitions.imports.models.ImportKind",
        "BarrierStateEnum": "changeplans.barriers.BARRIER_STATES",
    },
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="rpo-demo-2026")
# Password guessing on the login page: this many failures for one email from one address...
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=10)
# ...within this many seconds refuse further attempts until the window has passed.
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", default=900)

# --- Requisitions ---------------------------------------------------------------------------
from celery.schedules import crontab  # noqa: E402

# An open requisition with no status change, kick-off or application move for this many days
# is flagged "no movement" on the lists and in the recruiters' daily digest.
REQUISITION_STALE_DAYS = env.int("REQUISITION_STALE_DAYS", default=7)
# Diversity answers are reported only over groups of at least this many people (never below 3).
DIVERSITY_MIN_GROUP_SIZE = max(3, env.int("DIVERSITY_MIN_GROUP_SIZE", default=5))
# The recruiters' daily digest (local time of CELERY_TIMEZONE).
REQUISITION_DIGEST_HOUR = env.int("REQUISITION_DIGEST_HOUR", default=7)
CELERY_BEAT_SCHEDULE["requisitions-daily-digest"] = {
    "task": "requisitions.daily_digest",
    "schedule": crontab(hour=REQUISITION_DIGEST_HOUR, minute=0),
    "options": {"expires": 6 * 3600},
}

# --- Imports and exports (requisitions) -----------------------------------------------------
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=25_000_000)
# Rows per import task: each batch commits its rows, its report lines and the progress at once.
IMPORT_BATCH_SIZE = env.int("IMPORT_BATCH_SIZE", default=1000)
# Lists up to this many rows export in the request; longer ones are built by a Celery task.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=2000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
