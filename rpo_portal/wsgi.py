import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rpo_portal.settings.production")

application = get_wsgi_application()

from rpo_portal.tenancy.startup import refuse_unsafe_database  # noqa: E402

refuse_unsafe_database()
