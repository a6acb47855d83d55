"""The Celery application. Without REDIS_URL, tasks run inline (CELERY_TASK_ALWAYS_EAGER)."""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rpo_portal.settings.local")

app = Celery("rpo_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def refuse_unsafe_database_in_workers(**kwargs: Any) -> None:
    """A worker, like the web server, refuses a database role that could bypass RLS."""
    from rpo_portal.tenancy.startup import refuse_unsafe_database  # Django is set up by now

    refuse_unsafe_database()
