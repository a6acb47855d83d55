from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_slug
from django.db import models, router
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .context import TenantScopeError, current_organisation_id
from .managers import AllTenantsManager, TenantManager

TIMEZONE_CHOICES = sorted((tz, tz) for tz in zoneinfo.available_timezones() if "/" in tz)
validate_hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hex digits, e.g. #1f5fbf.")
)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def logo_path(instance: Organisation, filename: str) -> str:
    # Stored files carry the organisation id.
    return f"orgs/{instance.pk or 'new'}/logo/{filename}"


class Organisation(models.Model):
    """The tenant: one client organisation of the RPO provider."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, validators=[validate_slug])
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/London", validators=[validate_timezone]
    )
    locale = models.CharField(_("locale"), max_length=10, default="en-gb")
    brand_colour = models.CharField(
        _("brand colour"), max_length=7, default="#1f5fbf", validators=[validate_hex_colour]
    )
    logo = models.FileField(_("logo"), upload_to=logo_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantOwned(models.Model):
    """Base of every tenant-owned model: isolation layer 1 (see TENANCY.md)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.PROTECT, editable=False, related_name="+"
    )

    objects = TenantManager()
    all_tenants = AllTenantsManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.claim_organisation()
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude: Any = None) -> None:
        """Django's check, with a tenant unique (organisation + one field) reported on that
        field in plain words: every unique here includes the organisation, which would
        otherwise make every duplicate a nameless form-wide error."""
        errors: dict[str, list[ValidationError]] = {}
        using = router.db_for_write(type(self), instance=self)
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)  # type: ignore[attr-defined]
                except ValidationError as exc:
                    own = [f for f in getattr(constraint, "fields", ()) if f != "organisation"]
                    if isinstance(constraint, models.UniqueConstraint) and len(own) == 1:
                        field: Any = self._meta.get_field(own[0])
                        errors.setdefault(field.name, []).append(
                            ValidationError(
                                _("%(field)s “%(value)s” is already used in this organisation.")
                                % {
                                    "field": capfirst(field.verbose_name),
                                    "value": getattr(self, field.attname),
                                },
                                code="unique",
                            )
                        )
                    else:
                        errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def claim_organisation(self) -> None:
        """Fill `organisation` from the scope, refusing a missing scope or a mismatch."""
        current = current_organisation_id()
        if current is None:
            raise TenantScopeError(
                f"Cannot save {type(self).__name__} with no organisation in scope."
            )
        if self.organisation_id is None:
            self.organisation_id = current
        elif self.organisation_id != current:
            raise TenantScopeError(
                f"{type(self).__name__} belongs to organisation {self.organisation_id}, "
                f"not to the one in scope ({current})."
            )


@receiver(class_prepared)
def _tenant_base_manager(sender: type[models.Model], **kwargs: object) -> None:
    """Make the fail-closed manager the base manager too (forward relations, saves, deletes)."""
    if issubclass(sender, TenantOwned) and not sender._meta.abstract:
        sender._meta.base_manager_name = "objects"


class Role(models.TextChoices):
    TALENT_LEAD = "talent_lead", _("Talent lead")
    RECRUITER = "recruiter", _("Recruiter")
    VIEWER = "viewer", _("Viewer")


WRITER_ROLES = frozenset({Role.TALENT_LEAD, Role.RECRUITER})


class Membership(TenantOwned):
    """A user's role in one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="tenancy_membership_one_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]),
                name="tenancy_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def can_write(self) -> bool:
        return self.role in WRITER_ROLES


# The public-link model lives beside its services; importing it here registers it with the app.
from .links import PublicLink  # noqa: E402, F401
