"""Identity providers for organisation log-in, and the log-in sessions a person can see and end."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect provider, through which its civil servants log in to the portal."""

    class SignAlgorithm(models.TextChoices):
        RS256 = "RS256", "RS256"
        ES256 = "ES256", "ES256"

    name = models.CharField(
        _("organisation"), max_length=200, help_text=_('Shown on the log-in page as "Log in with <organisation>".')
    )
    slug = models.SlugField(_("short name"), max_length=50, unique=True, help_text=_("Part of the log-in address."))
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="identity_providers",
        help_text=_("Empty for a regional organisation."),
    )
    enabled = models.BooleanField(_("offered on the log-in page"), default=False)
    issuer = models.URLField(_("issuer"), max_length=500, help_text=_("The provider's issuer identifier (iss)."))
    discovery_url = models.URLField(
        _("discovery address"),
        max_length=500,
        blank=True,
        help_text=_("Empty: the issuer followed by /.well-known/openid-configuration."),
    )
    client_id = models.CharField(_("client id"), max_length=255)
    client_secret = models.CharField(_("client secret"), max_length=1000, blank=True)
    scopes = models.CharField(_("scopes"), max_length=255, default="openid email profile")
    claim = models.CharField(
        _("claim with the e-mail address"),
        max_length=100,
        default="email",
        help_text=_("The claim of the ID token or user info that holds the person's e-mail address."),
    )
    allowed_domains = models.CharField(
        _("allowed e-mail domains"),
        max_length=500,
        help_text=_("Comma-separated, e.g. haarlem.nl, zandvoort.nl. Other addresses are refused."),
    )
    require_verified_email = models.BooleanField(
        _("require a verified e-mail address"),
        default=True,
        help_text=_("Refuse a log-in whose email_verified claim is not true."),
    )
    sign_algorithm = models.CharField(
        _("signature algorithm"), max_length=10, choices=SignAlgorithm.choices, default=SignAlgorithm.RS256
    )
    # The provider's discovery document as last read, so a log-in does not fetch it every time.
    configuration = models.JSONField(_("discovered configuration"), default=dict, blank=True, editable=False)
    configuration_read_at = models.DateTimeField(_("configuration read at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["client_secret", "configuration", "configuration_read_at"])

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SessionRecord(models.Model):
    """A log-in session of one account: where and how it began, when it was last used."""

    class Method(models.TextChoices):
        PASSWORD = "password", _("password")
        PASSWORD_AND_CODE = "password_otp", _("password and second factor")
        ORGANISATION = "oidc", _("organisation log-in")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="session_records"
    )
    session_key = models.CharField(_("session"), max_length=40, unique=True)
    started = models.DateTimeField(_("started"), default=timezone.now)
    last_seen = models.DateTimeField(_("last used"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    method = models.CharField(_("log-in method"), max_length=20, choices=Method.choices, default=Method.PASSWORD)
    provider = models.ForeignKey(
        IdentityProvider, verbose_name=_("identity provider"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # What the identity provider says about how the person authenticated (OpenID Connect Core 1.0, 2).
    amr = models.CharField(_("authentication methods (amr)"), max_length=200, blank=True)
    acr = models.CharField(_("authentication level (acr)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("log-in session")
        verbose_name_plural = _("log-in sessions")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} {self.started:%Y-%m-%d %H:%M}"
