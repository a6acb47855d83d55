"""Writes for organisations and memberships."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from rpo_portal.accounts.models import User
from rpo_portal.audit.services import audited

from .context import tenant_context
from .models import Membership, Organisation, Role


@audited("organisation.create")
def organisation_create(
    *, slug: str, name: str, timezone: str = "Europe/London", brand_colour: str = "#1f5fbf"
) -> Organisation:
    """Create an organisation; raises ValidationError naming the field at fault."""
    organisation = Organisation(slug=slug, name=name, timezone=timezone, brand_colour=brand_colour)
    organisation.full_clean()
    organisation.save()
    return organisation


def user_ensure(*, email: str, password: str | None = None, full_name: str = "") -> User:
    """The user with this email, created if missing; the password is validated and set if given."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name)
        user.full_clean(exclude=["password"])
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.save()
    return user


@audited("membership.set")
def membership_set(*, organisation: Organisation, user: User, role: str) -> Membership:
    """Give `user` the `role` in `organisation` (one membership per user and organisation)."""
    Role(role)  # ValueError for an unknown role
    with transaction.atomic(), tenant_context(organisation):
        membership = Membership.objects.filter(user=user).first()
        if membership is None:
            membership = Membership(user=user, role=role)
            membership.save()
        elif membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        return membership
