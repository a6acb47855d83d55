from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
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
    }

    def clean_username(self) -> str:
        # Emails are stored lower-cased (UserManager, user_ensure); match what people type.
        return str(self.cleaned_data["username"]).lower()


class PasswordResetForm(BasePasswordResetForm):
    def get_users(self, email: str) -> Iterator[User]:  # type: ignore[override]
        """Active users with this email, including those who have no password yet.

        `addmember` without --password creates a user with an unusable password; the reset
        email is how they choose their first one (Django's form would skip them).
        """
        return iter(User.objects.filter(email__iexact=email.strip(), is_active=True))
