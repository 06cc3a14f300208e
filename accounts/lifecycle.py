"""The account life-cycle: password change and reset by e-mail, accounts without an office, unused accounts."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse_lazy
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.utils.http import base36_to_int
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from accounts.forms import PasswordResetRequestForm
from accounts.models import SessionRecord
from accounts.sessions import RECORD, end_all_sessions
from audit.models import AuditEvent, client_address, record

User = get_user_model()


# --- Password reset by e-mail ---


class PasswordResetTokens(PasswordResetTokenGenerator):
    """The reset link's token. Its own salt, so an invitation's link (municipalities/invitations.py, valid for
    PASSWORD_RESET_TIMEOUT) is no reset link, and its own, shorter lifetime PASSWORD_RESET_LINK_MINUTES.
    Like Django's, it stops working once the password or the last log-in changes."""

    key_salt = "accounts.lifecycle.PasswordResetTokens"

    def check_token(self, user, token) -> bool:
        if not super().check_token(user, token):
            return False
        try:
            made = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        return self._num_seconds(self._now()) - made <= settings.PASSWORD_RESET_LINK_MINUTES * 60


password_reset_tokens = PasswordResetTokens()


def address_hash(email: str) -> str:
    """What the audit trail keeps of an address typed into the reset form: enough to see the same address
    asked for again, not the address a stranger typed."""
    return salted_hmac("accounts.password-reset-address", email.strip().lower()).hexdigest()[:20]


def _typed_address(group: str, request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()


def _rate_per_client(group: str, request: HttpRequest) -> str:
    return settings.PASSWORD_RESET_RATE_PER_CLIENT


def _rate_per_address(group: str, request: HttpRequest) -> str:
    return settings.PASSWORD_RESET_RATE_PER_ADDRESS


def _client(group: str, request: HttpRequest) -> str:
    # The address as django-axes reads it, behind AXES_PROXY_COUNT proxies.
    return client_address(request) or ""


@method_decorator(
    [
        # Per client address and per address typed in (OWASP ASVS 4.0 2.2.1): mail bombing of one person and
        # probing many addresses are both slowed; an unknown address counts the same as a known one.
        ratelimit(group="password-reset-client", key=_client, rate=_rate_per_client, block=False),
        ratelimit(group="password-reset-address", key=_typed_address, rate=_rate_per_address, block=False),
    ],
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the e-mail address. The same page follows for an address with an account, without one, or of
    an account that is switched off; the request only queues the mail (accounts.tasks)."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            from core.ratelimits import too_many_requests

            return too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        email = form.cleaned_data["email"]
        # One lookup and one row in the trail, whether or not the address has an account.
        account = User._default_manager.filter(email__iexact=email).order_by("pk").first()
        record(
            AuditEvent.Kind.PASSWORD_RESET_REQUESTED,
            request=self.request,
            user=account,
            address=address_hash(email),
        )
        form.save()
        return redirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "minutes": settings.PASSWORD_RESET_LINK_MINUTES}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the link. Every session of the account ends: whoever knew the old
    password is logged out everywhere (OWASP ASVS 4.0 3.3.3)."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    token_generator = password_reset_tokens
    reset_url_token = "nieuw-wachtwoord"

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        end_all_sessions(user, reason="password reset")
        record(AuditEvent.Kind.PASSWORD_CHANGED, request=self.request, user=user, by="reset link")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


# --- Password change ---


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password with the old one. The other sessions of the account end; this one goes on."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form) -> HttpResponse:
        session = self.request.session
        response = super().form_valid(form)  # cycles the session key (update_session_auth_hash)
        record_pk = (session.get(RECORD) or [None])[0]
        if record_pk:
            SessionRecord.objects.filter(pk=record_pk, user=form.user).update(session_key=session.session_key)
            session[RECORD] = [record_pk, session.session_key]
        ended = end_all_sessions(form.user, except_key=session.session_key, reason="password changed")
        record(AuditEvent.Kind.PASSWORD_CHANGED, request=self.request, user=form.user, by="the person")
        if ended:
            messages.info(self.request, _("Your other sessions have been ended."))
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


# --- Accounts without a current office ---


def holds_a_role(user) -> bool:
    """Whether the account's person holds an office or a seat in a consultation body today. A yes is kept
    for a minute (one cheap query a minute, not one a page); a no is asked again on every page, so an office
    entered for the person opens the portal at once."""
    key = f"accounts:holds-a-role:{user.pk}"
    if cache.get(key):
        return True
    from municipalities.models import Office, Person

    Membership = apps.get_model("governance", "Membership")
    holds = (
        Person.objects.filter(user=user)
        .filter(
            Exists(Office.objects.current().filter(person=OuterRef("pk")))
            | Exists(Membership.objects.current().filter(person=OuterRef("pk")))
        )
        .exists()
    )
    if holds:
        cache.set(key, True, 60)
    return holds


# What such an account may still open: its start page, its own account (password, sessions, second factor)
# and its own notifications (the header links to them; reminders of earlier offices stay readable).
OPEN_WITHOUT_OFFICE = frozenset(
    {
        "home",
        "logout",
        "login",
        "set_language",
        "notification_list",
        "notification_read",
        "notifications_all_read",
        "delivery_settings",
    }
)
ACCOUNT_PREFIX = "/account/"


class NoOfficeMiddleware:
    """An account whose person holds no office (or seat) today sees only its start page (BIO 9.2.6: access
    ends with the office). Only the lists and work pages (GET, no object in their address) are turned to
    the start page; an object's page answers as before (404 when not visible, 403 when not allowed), so the
    answer does not tell whether the object exists, and a POST or htmx request is refused by its view as
    before. The person's own notifications stay open. Superusers keep their access: they manage accounts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_superuser:
            return None
        if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
            return None
        if view_args or view_kwargs or not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is None or match.url_name in OPEN_WITHOUT_OFFICE or request.path.startswith(ACCOUNT_PREFIX):
            return None
        if "admin" in match.namespaces:
            return None  # the management site refuses on its own terms (403), with its own log-in
        if holds_a_role(user):
            return None
        if getattr(user, "person", None) is not None:
            # Without a person the start page says so itself.
            messages.info(
                request,
                _("You hold no office in the region at the moment; that is why you only see your start page."),
            )
        return redirect("home")


urlpatterns = [
    path("account/wachtwoord/", PasswordChangeView.as_view(), name="password_change"),
    path("account/wachtwoord/gewijzigd/", PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/wachtwoord-vergeten/", PasswordResetView.as_view(), name="password_reset"),
    path("account/wachtwoord-vergeten/verzonden/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "account/wachtwoord-vergeten/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("account/wachtwoord-vergeten/klaar/", PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
