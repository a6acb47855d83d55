"""Settings for the list benchmark: the product as served (DEBUG off), plus bench/urls.py."""

from rpo_portal.settings.local import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
TENANCY_REQUIRE_RLS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
