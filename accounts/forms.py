"""The forms of the account life-cycle."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

DUTCH_COMMON_PASSWORDS = Path(__file__).resolve().with_name("common-passwords-nl.txt")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's 20,000 common passwords and Dutch ones (welkom2024!, wachtwoord123, zomer2025, ...), in one
    validator so the form names the rule once (OWASP ASVS 4.0 2.1.7; NCSC ICT-beveiligingsrichtlijnen)."""

    def __init__(self, password_list_path=password_validation.CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH):
        super().__init__(password_list_path)
        self.passwords |= {line.strip() for line in DUTCH_COMMON_PASSWORDS.read_text().splitlines() if line.strip()}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in the portal's catalogue: Django 5.2's Dutch catalogue has this message only
    in an older wording, so it would be shown in English."""

    def get_error_message(self) -> str:
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )


class PasswordResetRequestForm(PasswordResetForm):
    """Asks for the e-mail address; saving queues the mail instead of sending it, so the answer takes as long
    for an address with an account as for one without (OWASP ASVS 4.0 2.5.2, 3.1; no user enumeration)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Fill in your e-mail address."),
            "invalid": _("Fill in an e-mail address such as name@gemeente.nl."),
        },
    )

    def save(self, *args, **kwargs) -> None:
        from accounts.tasks import send_password_reset_mail

        # The task looks the address up and sends to the accounts it finds, if any. The request only queues.
        send_password_reset_mail.delay_on_commit(self.cleaned_data["email"])
