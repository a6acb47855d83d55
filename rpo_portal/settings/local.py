"""The embedded default for `make run`: DEBUG on, SQLite, tasks inline, mail to files."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
TENANCY_REQUIRE_RLS = env.bool("TENANCY_REQUIRE_RLS", default=False)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
}
