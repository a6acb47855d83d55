from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from rpo_portal.tenancy.models import Organisation
from tests.factories import OrganisationFactory

from .smtp import RecordingHandler, smtp_server


@pytest.fixture
def smtp() -> Iterator[RecordingHandler]:
    """A loopback SMTP server, and Django's SMTP backend pointed at it."""
    with (
        smtp_server() as (handler, port),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=10,
        ),
    ):
        yield handler


@pytest.fixture
def org(transactional_db) -> Organisation:
    return OrganisationFactory(slug="acme", name="Acme R&D Ltd", brand_colour="#c0392b")


@pytest.fixture
def other_org(transactional_db) -> Organisation:
    return OrganisationFactory(slug="globex", name="Globex Ltd", brand_colour="#0f7a5a")
