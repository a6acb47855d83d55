from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rpo_portal.tenancy.models import TenantOwned


class Programme(TenantOwned):
    """One client's RPO engagement."""

    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organisation", "name"], name="programme_org_name")]

    def __str__(self) -> str:
        return self.name
