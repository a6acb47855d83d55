"""Reads about organisations and memberships."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rpo_portal.accounts.models import User

from .models import Membership, Organisation, Role


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: Organisation
    role: str | None  # None: a provider admin without a membership (read-only)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label if self.role else _("Provider admin"))


def organisation_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def accessible_organisations(user: User) -> list[OrganisationAccess]:
    """Every organisation the user may open, with their role there, sorted by name.

    Memberships are tenant rows under row-level security, so they are read across tenants
    through a SECURITY DEFINER function that returns only this user's rows.
    """
    if not user.is_authenticated:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT organisation_id, role FROM tenancy_memberships_of(%s)", [user.pk]
            )
            roles = dict(cursor.fetchall())
    else:
        roles = dict(
            Membership.all_tenants.filter(user=user).values_list("organisation_id", "role")
        )
    if user.is_provider_admin:
        organisations = list(Organisation.objects.order_by("name"))
    else:
        organisations = list(Organisation.objects.filter(pk__in=roles).order_by("name"))
    return [OrganisationAccess(org, roles.get(org.pk)) for org in organisations]


def membership_in_scope(user: User) -> Membership | None:
    """The user's membership of the organisation in scope (tenant_context must be entered)."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user).first()


def member_users(*, role: str = "") -> QuerySet[User]:
    """Users with a membership (with `role`, when given) of the organisation in scope: the
    people who may own things.

    Every user picker and owner field resolves ids through this, so an id of another
    organisation's user is as unknown as an id that does not exist."""
    memberships = Membership.objects.filter(role=role) if role else Membership.objects.all()
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name", "email")


def is_member(user: User | int | None, *, role: str = "") -> bool:
    """Whether `user` (or a user id) is a member (with `role`, when given) of the organisation
    in scope. The one place this question is answered."""
    if user is None:
        return False
    user_id = user if isinstance(user, int) else user.pk
    memberships = Membership.objects.filter(user_id=user_id)
    return (memberships.filter(role=role) if role else memberships).exists()


def membership_list(*, role: str = "") -> QuerySet[Membership]:
    """Memberships of the organisation in scope with their users joined, oldest first."""
    queryset = Membership.objects.select_related("user")
    if role:
        queryset = queryset.filter(role=role)
    return queryset.order_by("id")
