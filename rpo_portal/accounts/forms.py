from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "That email and password do not match an account. Check both and try again; "
            "passwords are case-sensitive."
        ),
        "inactive": _("This account is inactive."),
        "too_many": _(
            "Too many failed attempts for this email from your network. Wait 15 minutes, or "
            "reset your password with “Forgotten your password?”."
        ),
    }

    def clean_username(self) -> str:
        # Emails are stored lower-cased (UserManager, user_ensure); match what people type.
        return str(self.cleaned_data["username"]).lower()

    def clean(self) -> dict[str, Any]:
        """Django's check, refused outright after LOGIN_MAX_FAILURES failures for one email from
        one address within LOGIN_FAILURE_WINDOW seconds (password guessing)."""
        key = self._failure_key()
        if key and cache.get(key, 0) >= settings.LOGIN_MAX_FAILURES:
            raise ValidationError(self.error_messages["too_many"], code="too_many")
        try:
            return super().clean()
        except ValidationError:
            if key:
                cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
                cache.incr(key)
            raise

    def _failure_key(self) -> str | None:
        email = self.cleaned_data.get("username")
        if not email or self.request is None:
            return None
        address = self.request.META.get("REMOTE_ADDR", "")
        digest = hashlib.sha256(f"{email}|{address}".encode()).hexdigest()
        return f"login-failures:{digest}"


class PasswordResetForm(BasePasswordResetForm):
    def get_users(self, email: str) -> Iterator[User]:  # type: ignore[override]
        """Active users with this email, including those who have no password yet.

        `addmember` without --password creates a user with an unusable password; the reset
        email is how they choose their first one (Django's form would skip them).
        """
        return iter(User.objects.filter(email__iexact=email.strip(), is_active=True))
