"""The local log-in with a second factor (django-two-factor-auth, django-otp): a code from an authenticator app
(TOTP, RFC 6238) or a recovery code. Required for whoever manages the portal, offered to everyone.

Why it is required where it is: BIO 9.4.2 (secure log-on procedures) and OWASP ASVS 4.0 V2.8 (one-time
verifiers) ask for a second factor on accounts with management rights. A log-in through an organisation's own
identity provider (session key "login_method" = "oidc") relies on that provider's multi-factor policy."""

from __future__ import annotations

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.core import is_ratelimited
from two_factor import views as two_factor_views
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm, DisableForm, MethodForm, TOTPDeviceForm
from two_factor.utils import default_device, get_otpauth_url, totp_digits
from two_factor.views.utils import LoginStorage as TwoFactorLoginStorage

from audit.models import AuditEvent, client_address, record
from core.ratelimits import too_many_requests
from municipalities.backends import is_regional_coordinator

# --- Who needs a second factor -------------------------------------------------------------------------------


def second_factor_required(user) -> bool:
    """Whether this account may use the portal only after a second factor: superusers, staff and whoever may
    open the management site (config.admin.PortalAdminSite.has_permission: the regional coordinator)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.is_staff or is_regional_coordinator(user)


def has_second_factor(user) -> bool:
    """Whether the account has a confirmed authenticator app (two_factor's "default" device)."""
    return default_device(user) is not None


def is_organisation_log_in(request: HttpRequest) -> bool:
    """A log-in through the organisation's identity provider, whose own MFA policy applies (accounts/oidc.py).
    For an account that needs a second factor, the callback lets such a log-in in only when the provider said
    it asked for one (`gave_second_factor`)."""
    return request.session.get("login_method") == "oidc"


# RFC 8176, 2: the authentication method reference values that say more than a password was asked: "mfa"
# itself, or a factor of possession or of the person (a one-time code, a hardware key, a smart card, a text
# message or call, a fingerprint, face, iris, retina or voice). "pwd", "pin", "kba", "user", "swk" (a key in
# software, as a browser's) and values of the provider's own are not enough.
SECOND_FACTOR_AMR = frozenset({"mfa", "otp", "hwk", "sc", "sms", "tel", "fpt", "face", "iris", "retina", "vbm"})


def gave_second_factor(amr) -> bool:
    """Whether an ID token's `amr` claim (a list of strings, OpenID Connect Core 1.0, 2) names a second factor."""
    if isinstance(amr, str):
        amr = amr.split()
    if not isinstance(amr, list | tuple):
        return False
    return any(isinstance(value, str) and value.lower() in SECOND_FACTOR_AMR for value in amr)


# --- Forms: the portal's wording, the code field as a person expects it ------------------------------------------

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "pattern": "[0-9]*",
    "autofocus": "autofocus",
    "spellcheck": "false",
}

OTP_ERRORS = {
    "token_required": _("Enter the code."),
    "invalid_token": _("This code is not right. Check the code and try again."),
    "n_failed_attempts": _("Too many wrong codes in a row. Wait a little while and try again."),
    "verification_not_allowed": _("Checking codes is paused for a little while. Try again shortly."),
    "device_required": _("There is no second factor set up for this account."),
    "challenge_exception": _("The code could not be sent."),
    "not_interactive": _("This second factor does not send codes."),
    "challenge_message": "{0}",
}


class TokenForm(AuthenticationTokenForm):
    """The code from the authenticator app, at log-in."""

    otp_token = forms.RegexField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits the app shows for the regional portal."),
        regex=r"^[0-9]*$",
        min_length=totp_digits(),
        max_length=totp_digits(),
        error_messages={
            "invalid": _("The code has only digits."),
            "min_length": _("The code has 6 digits."),
            "max_length": _("The code has 6 digits."),
        },
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )
    otp_error_messages = {**AuthenticationTokenForm.otp_error_messages, **OTP_ERRORS}


class RecoveryCodeForm(BackupTokenForm):
    """One of the recovery codes, at log-in, when the app is not at hand. Each code works once."""

    otp_token = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the recovery codes you stored when you set up two-step verification."),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": "autofocus", "spellcheck": "false"}
        ),
    )
    otp_error_messages = {
        **BackupTokenForm.otp_error_messages,
        **OTP_ERRORS,
        "invalid_token": _("This recovery code is not right, or it has been used before."),
    }


class EnrolmentForm(TOTPDeviceForm):
    """The first code from the app, which proves the app holds the secret before the portal relies on it."""

    token = forms.IntegerField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits the app shows after you added the regional portal."),
        min_value=0,
        max_value=int("9" * totp_digits()),
        error_messages={
            "invalid": _("The code has only digits."),
            "min_value": _("The code has only digits."),
            "max_value": _("The code has 6 digits."),
        },
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )
    error_messages = {"invalid_token": _("This code is not right. Check the code and try again.")}


class TurnOffForm(DisableForm):
    understand = forms.BooleanField(
        label=_("Yes, turn off two-step verification for my account"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


# --- The log-in --------------------------------------------------------------------------------------------------


def _login_rate(group: str, request: HttpRequest) -> str:
    return settings.LOGIN_RATE_LIMIT


def _client_key(group: str, request: HttpRequest) -> str:
    # The address as django-axes reads it, so the limit holds behind the proxies (AXES_PROXY_COUNT).
    return client_address(request) or ""


def safe_target(request: HttpRequest, target: str | None, fallback: str) -> str:
    """A `next` that points into this site, else the fallback (no open redirect, OWASP ASVS 5.1.5)."""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


class LoginStorage(TwoFactorLoginStorage):
    """two_factor's wizard storage, but a visit to the log-in page (a GET before anything was posted) keeps the
    wizard's state in memory: a visitor, or a bot, gets no session row until a password is posted."""

    def __init__(self, prefix, request=None, file_storage=None):
        self._memory = None
        super().__init__(prefix, request, file_storage)

    def _in_memory(self) -> bool:
        return self.request.method in ("GET", "HEAD") and self.prefix not in self.request.session

    def _get_data(self):
        return self._memory if self._in_memory() else super()._get_data()

    def _set_data(self, value) -> None:
        if self._in_memory():
            self._memory = value
        else:
            super()._set_data(value)

    data = property(_get_data, _set_data)


class PortalLoginView(two_factor_views.LoginView):
    """User name and password, then the code from the app (or a recovery code) for accounts that have one.

    A wrong code counts as a failed log-in for django-axes, against the same user name and address as a wrong
    password, so guessing codes locks the account as guessing passwords does."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True
    storage_name = "accounts.second_factor.LoginStorage"
    form_list = (
        (two_factor_views.LoginView.AUTH_STEP, two_factor_views.LoginView.form_list[0][1]),
        (two_factor_views.LoginView.TOKEN_STEP, TokenForm),
        (two_factor_views.LoginView.BACKUP_STEP, RecoveryCodeForm),
    )
    CODE_STEPS = (two_factor_views.LoginView.TOKEN_STEP, two_factor_views.LoginView.BACKUP_STEP)

    def get_form_list(self):
        # two_factor picks the token form of the device's method; the portal has one method and its own wording.
        form_list = super().get_form_list()
        if self.TOKEN_STEP in form_list:
            form_list[self.TOKEN_STEP] = TokenForm
        return form_list

    def get_form_prefix(self, step=None, form=None):
        # The password step keeps the plain field names (username, password) that password managers and
        # scripts know; the code steps are prefixed by the wizard.
        if step == self.AUTH_STEP:
            return None
        return super().get_form_prefix(step, form)

    def post(self, *args, **kwargs):
        request = self.request
        # OWASP ASVS 2.2.1: a limit per address on top of django-axes's lock-out per user name and address.
        if is_ratelimited(request, group="login", key=_client_key, rate=_login_rate, method="POST", increment=True):
            return too_many_requests(request)
        management_field = f"{self.prefix}-current_step"
        if management_field not in request.POST:
            # A plain log-in form (user name and password only) is the first step.
            request.POST = request.POST.copy()
            request.POST[management_field] = self.AUTH_STEP
            self.storage.reset()
        elif request.POST[management_field] in self.CODE_STEPS and self.get_user():
            # A locked-out account cannot go on with a code either (the lock-out is per user name and address).
            credentials = {"username": self.get_user().get_username()}
            if not AxesProxyHandler.is_allowed(request, credentials):
                self.storage.reset()
                return get_lockout_response(request, None, credentials)
        return super().post(*args, **kwargs)

    def render(self, form=None, **kwargs):
        response = super().render(form, **kwargs)
        if (
            form is not None
            and form.is_bound
            and self.steps.current in self.CODE_STEPS
            and form.errors
            and form.data.get(form.add_prefix("otp_token"))
        ):
            self.code_failed()
        return response

    def code_failed(self) -> None:
        user = self.get_user()
        # django-axes counts this as it counts a wrong password (same user name, same address).
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=self.request)
        record(AuditEvent.Kind.SECOND_FACTOR_FAILED, request=self.request, user=user, step=self.steps.current)
        if getattr(self.request, "axes_locked_out", False):
            self.storage.reset()

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        if self.request.user.is_authenticated:
            verified = getattr(self.request.user, "otp_device", None) is not None
            # Read by the session records and by the middleware below (an organisation log-in sets "oidc").
            self.request.session["login_method"] = "password_otp" if verified else "password"
        return response

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["next"] = safe_target(self.request, self.request.POST.get("next") or self.request.GET.get("next"), "")
        return context


# --- Setting it up, recovery codes, turning it off ---------------------------------------------------------------


def refuse_unverified(request: HttpRequest) -> HttpResponse:
    """The answer to a session that has not given the second factor of an account that has one."""
    return render(request, "two_factor/core/otp_required.html", status=403)


class UnverifiedRefused:
    """A page about the second factor that a session without it may not open: refused with a clear page rather
    than sent to the log-in page (which would send an authenticated person straight back)."""

    def refuses(self, request) -> bool:
        return request.user.is_authenticated and not request.user.is_verified()

    def dispatch(self, request, *args, **kwargs):
        if self.refuses(request):
            return refuse_unverified(request)
        return super().dispatch(request, *args, **kwargs)


class PortalSetupView(UnverifiedRefused, two_factor_views.SetupView):
    """The QR code and the secret as text, then the first code from the app; recovery codes come next."""

    form_list = (("method", MethodForm),)  # one method (the app): no welcome or method step

    def refuses(self, request) -> bool:
        # Setting up the first app is how an unverified session becomes verified; a session that has not given
        # the code of the account's app may not set up another one (for every account, required or not).
        return super().refuses(request) and has_second_factor(request.user)

    def get_form_list(self):
        form_list = super().get_form_list()
        if "generator" in form_list:
            form_list["generator"] = EnrolmentForm
        return form_list

    def get_success_url(self) -> str:
        # Always past the recovery codes, then on to where the person was going.
        url = reverse("two_factor:setup_complete")
        target = self.get_redirect_url()
        return f"{url}?{urlencode({'next': target})}" if target else url

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if self.steps.current == "generator":
            # The issuer the app shows is the portal's name, not the host name (the sites framework is not used).
            context["issuer"] = settings.OTP_TOTP_ISSUER
            context["otpauth_url"] = get_otpauth_url(
                self.request.user.get_username(), context["secret_key"], settings.OTP_TOTP_ISSUER
            )
        return context

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        record(AuditEvent.Kind.SECOND_FACTOR_ENROLLED, request=self.request, obj=self.request.user)
        return response


class PortalQRView(two_factor_views.QRGeneratorView):
    def get_issuer(self) -> str:
        return settings.OTP_TOTP_ISSUER


class PortalSetupCompleteView(two_factor_views.SetupCompleteView):
    def get(self, request, *args, **kwargs):
        # two_factor would go straight on to a remembered `next`; the recovery codes come first.
        return super(two_factor_views.SetupCompleteView, self).get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = safe_target(self.request, self.request.GET.get("next"), "")
        return context


class RecoveryCodesView(UnverifiedRefused, two_factor_views.BackupTokensView):
    """Ten recovery codes, shown once: on the page that makes them. Making new ones ends the old ones."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["remaining"] = context["device"].token_set.count()
        context["next"] = safe_target(self.request, self.request.POST.get("next") or self.request.GET.get("next"), "")
        return context

    def form_valid(self, form):
        device = self.get_device()
        with transaction.atomic():
            device.token_set.all().delete()
            codes = [StaticToken.random_token() for _ in range(self.number_of_tokens)]
            StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        return self.render_to_response(self.get_context_data(form=form, codes=codes))


class PortalProfileView(two_factor_views.ProfileView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = second_factor_required(self.request.user)
        context["verified"] = self.request.user.is_verified()
        return context


class PortalDisableView(two_factor_views.DisableView):
    """Turning it off oneself; not for whom it is required (the coordinator resets it in the admin site)."""

    form_class = TurnOffForm

    def dispatch(self, request, *args, **kwargs):
        if second_factor_required(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        record(AuditEvent.Kind.SECOND_FACTOR_RESET, request=self.request, obj=self.request.user, by="self")
        return response


# --- Where it is required ----------------------------------------------------------------------------------------

# What a session without the required second factor may still open: leaving, the language, and the
# idle-time-out warning (accounts/sessions.py), which works on the set-up pages too.
OPEN_WITHOUT_SECOND_FACTOR = frozenset(
    {"login", "logout", "set_language", "health", "config.urls.favicon", "session_status", "session_keep_alive"}
)
# And, only for an account that has no second factor yet: setting one up. An account that has one gives its
# code at the log-in; setting up another app is not a way around it.
OPEN_FOR_ENROLMENT = frozenset(
    {"two_factor:setup", "two_factor:qr", "two_factor:setup_complete", "two_factor:backup_tokens"}
)


class SecondFactorRequiredMiddleware:
    """A session of an account that needs a second factor opens nothing else until it has given one: without a
    device it is sent to set one up, with a device it is asked to log in again with the code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or is_organisation_log_in(request):
            return None
        if not second_factor_required(user) or user.is_verified():
            return None
        # The pages it may still open can leave out what needs the second factor (the menu and its counts).
        request.second_factor_pending = True
        view_name = request.resolver_match.view_name if request.resolver_match is not None else None
        if view_name in OPEN_WITHOUT_SECOND_FACTOR:
            return None
        if has_second_factor(user):
            return refuse_unverified(request)
        if view_name in OPEN_FOR_ENROLMENT:
            return None
        target = reverse("two_factor:setup")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)


# --- The coordinator's reset -------------------------------------------------------------------------------------


class SecondFactorAccount(get_user_model()):
    """An account as the coordinator sees it for its two-step verification: set up or not, and its resets."""

    class Meta:
        proxy = True
        app_label = "accounts"
        verbose_name = _("two-step verification of an account")
        verbose_name_plural = _("two-step verification of accounts")


def end_sessions_of(user) -> int:
    """Ends every session of the account: accounts.sessions.end_all_sessions, or where that is missing, every
    live session whose data names the account (Django keeps the account only in the session data)."""
    from accounts import sessions

    end_all_sessions = getattr(sessions, "end_all_sessions", None)
    if end_all_sessions is not None:
        return end_all_sessions(user, reason="second factor reset")
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    return deleted


def reset_second_factor(account, *, by, request: HttpRequest | None = None) -> None:
    """Removes the account's app and recovery codes and ends its sessions: at the next log-in with the password
    the person sets up two-step verification again. Recorded in the audit trail."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=account).delete()
        StaticDevice.objects.filter(user=account).delete()
        record(AuditEvent.Kind.SECOND_FACTOR_RESET, request=request, user=by, obj=account)
    end_sessions_of(account)


def last_resets(account, limit: int = 10):
    from django.contrib.contenttypes.models import ContentType

    return AuditEvent.objects.filter(
        kind=AuditEvent.Kind.SECOND_FACTOR_RESET,
        object_type=ContentType.objects.get_for_model(account),
        object_id=str(account.pk),
    )[:limit]


two_factor_patterns = [
    path("", PortalProfileView.as_view(), name="profile"),
    path("instellen/", PortalSetupView.as_view(), name="setup"),
    path("qr-code/", PortalQRView.as_view(), name="qr"),
    path("ingesteld/", PortalSetupCompleteView.as_view(), name="setup_complete"),
    path("herstelcodes/", RecoveryCodesView.as_view(), name="backup_tokens"),
    path("uitzetten/", PortalDisableView.as_view(), name="disable"),
]

urlpatterns = [
    path("inloggen/", PortalLoginView.as_view(), name="login"),
    path("account/tweede-factor/", include((two_factor_patterns, "two_factor"))),
]
