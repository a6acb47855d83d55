"""Links in emails follow the port `make run` serves on (PORT) unless SITE_URL says otherwise."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from requisitions.digest import digest_send
from rpo_portal.outbox.models import OutboxMessage
from tests.requisitions.factories import make_requisition


def _site_url(**env: str) -> str:
    """SITE_URL as the settings compute it in a fresh process with `env` (and no SITE_URL)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    environment.update(env, DJANGO_SETTINGS_MODULE="rpo_portal.settings.local")
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_site_url_follows_port_unless_set():
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert _site_url(PORT="8123", SITE_URL="https://rpo.example/") == "https://rpo.example"


def test_digest_email_links_use_the_configured_port(in_a):
    # given: the settings of a server started with PORT=8123
    site_url = _site_url(PORT="8123")
    make_requisition(
        recruiter=in_a.recruiter,
        title="Late baker",
        target_date=timezone.localdate() - dt.timedelta(days=2),
    )
    # when
    with override_settings(SITE_URL=site_url):
        digest_send()
    # then: every link in the email points at that port
    (message,) = OutboxMessage.objects.all()
    assert f"http://127.0.0.1:8123/orgs/{in_a.slug}/requisitions/" in message.text_body
    assert "127.0.0.1:8000" not in message.text_body + message.html_body
