"""Sessions: idle time-out, absolute lifetime, and the page where a person sees and ends their sessions.

The sessions stay django.contrib.sessions' database rows, so ending one is deleting its row. Beside each row a
SessionRecord says where and how it began and when it was last used (OWASP ASVS 4.0 V3.3, V3.7; BIO 9.4.2)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import SessionRecord
from audit.models import AuditEvent, client_address, record

# Keys in the session's own data.
STARTED = "session_started_at"  # when the log-in happened (seconds since the epoch)
SEEN = "session_seen_at"  # the last request that counted as activity, written at most once a minute
RECORD = "session_record"  # [SessionRecord pk, the session key it was last written with]
OTP_DEVICE = "otp_device_id"  # django_otp.DEVICE_ID_SESSION_KEY: set once the second factor is verified


def idle_seconds() -> float:
    return float(settings.SESSION_IDLE_MINUTES) * 60


def absolute_seconds() -> float:
    return float(settings.SESSION_ABSOLUTE_HOURS) * 3600


def touch_seconds() -> float:
    """How stale the recorded activity may get before a request writes it again: a minute, or less when the
    idle time-out itself is short."""
    return min(60.0, idle_seconds() / 4)


def _method_of(request: HttpRequest, user) -> str:
    session = request.session
    method = session.get("login_method")
    if method in (SessionRecord.Method.ORGANISATION, SessionRecord.Method.PASSWORD_AND_CODE):
        return method
    # At the log-in two_factor has put the device on the user; later django-otp's middleware verifies it.
    verified = getattr(user, "otp_device", None) is not None
    if not verified and session.get(OTP_DEVICE):
        is_verified = getattr(request.user, "is_verified", None)
        verified = bool(is_verified and is_verified())
    return SessionRecord.Method.PASSWORD_AND_CODE if verified else SessionRecord.Method.PASSWORD


def _amr_text(value) -> str:
    if isinstance(value, list | tuple):
        value = " ".join(str(part) for part in value)
    return str(value or "")[:200]


def _write_record(request: HttpRequest, user, *, started: float | None = None) -> SessionRecord:
    """The record of the request's session (made when it has none), pointed at the session's current key."""
    session = request.session
    if session.session_key is None:
        session.save()
    now = time.time()
    started = started if started is not None else session.get(STARTED, now)
    record_ = SessionRecord.objects.create(
        user=user,
        session_key=session.session_key,
        started=datetime.fromtimestamp(started, tz=UTC),
        last_seen=timezone.now(),
        ip_address=client_address(request),
        user_agent=request.headers.get("User-Agent", "")[:300],
        method=_method_of(request, user),
        provider_id=session.get("login_provider") if session.get("login_method") == "oidc" else None,
        amr=_amr_text(session.get("login_amr")),
        acr=str(session.get("login_acr") or "")[:200],
    )
    session[RECORD] = [record_.pk, session.session_key]
    session["session_method"] = record_.method
    return record_


@receiver(user_logged_in, dispatch_uid="accounts.sessions.session_began")
def session_began(sender, request: HttpRequest | None, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[STARTED] = now
    session[SEEN] = now
    # A log-in in a session that already had one (the same person again) starts a new record.
    SessionRecord.objects.filter(session_key=session.session_key).delete()
    # Records of sessions that ended without a log-out (closed browser, time-out) go at the next log-in.
    SessionRecord.objects.filter(user=user).exclude(
        Exists(Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now()))
    ).delete()
    _write_record(request, user, started=now)


@receiver(user_logged_out, dispatch_uid="accounts.sessions.session_ended")
def session_ended(sender, request: HttpRequest | None, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        SessionRecord.objects.filter(session_key=session.session_key).delete()


def end_all_sessions(user, *, except_key: str | None = None, reason: str) -> int:
    """Ends every session of the account (but the one with except_key): its row goes, so the next request of
    that browser is not logged in. Each ended session is in the audit trail. Returns how many were ended."""
    records = SessionRecord.objects.filter(user=user)
    if except_key:
        records = records.exclude(session_key=except_key)
    ended = list(records)
    with transaction.atomic():
        Session.objects.filter(session_key__in=[r.session_key for r in ended]).delete()
        SessionRecord.objects.filter(pk__in=[r.pk for r in ended]).delete()
        for r in ended:
            # Never the session key itself: the trail says which session by when and how it began.
            record(
                AuditEvent.Kind.SESSION_ENDED,
                user=user,
                reason=reason,
                started=r.started.isoformat(),
                method=r.method,
            )
    return len(ended)


def seconds_left(request: HttpRequest) -> int:
    """Seconds until the request's session times out (idle or absolute, whichever is first)."""
    session = request.session
    now = time.time()
    started = session.get(STARTED, now)
    seen = session.get(SEEN, now)
    return max(0, int(min(seen + idle_seconds(), started + absolute_seconds()) - now))


def _page_of(address: str) -> str:
    """The path and query of a full address (the log-in page checks that `next` stays on this site)."""
    parts = urlsplit(address)
    return parts.path + (f"?{parts.query}" if parts.query else "") if parts.path else ""


def _expired_response(request: HttpRequest, reason: str, view_func) -> HttpResponse | None:
    user = request.user
    record(AuditEvent.Kind.SESSION_ENDED, request=request, user=user, reason=reason)
    # What to come back to: the page itself; for an htmx fragment or a form sent, the page it came from.
    next_url = request.get_full_path()
    if request.headers.get("HX-Request"):
        next_url = _page_of(request.headers.get("HX-Current-URL", "")) or "/"
    elif request.method != "GET":
        next_url = _page_of(request.headers.get("Referer", "")) or "/"
    logout(request)
    if reason == "absolute":
        hours = settings.SESSION_ABSOLUTE_HOURS
        text = _("For your safety you are logged out after %(hours)s hours. Log in again to go on.") % {"hours": hours}
    else:
        minutes = settings.SESSION_IDLE_MINUTES
        text = _(
            "You have been logged out because you did not use the portal for %(minutes)s minutes. "
            "Log in again to go on."
        ) % {"minutes": minutes}
    messages.warning(request, text)
    if not getattr(view_func, "login_required", True) and not getattr(view_func, "session_json", False):
        return None  # a page open to everyone (the log-in page itself): shown as to anyone not logged in
    login_url = f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"
    if getattr(view_func, "session_json", False):
        return JsonResponse({"remaining": 0, "login": login_url}, status=401)
    if request.headers.get("HX-Request"):
        # A fragment of the log-in page inside the page would be wrong; htmx goes to the log-in page instead.
        response = HttpResponse(status=200)
        response["HX-Redirect"] = login_url
        return response
    return HttpResponseRedirect(login_url)


class SessionLifetimeMiddleware:
    """Logs a session out after SESSION_IDLE_MINUTES without a request and SESSION_ABSOLUTE_HOURS after the
    log-in (OWASP ASVS 4.0 3.3.2; BIO 9.4.2), and keeps the session's record up to date: its last use is
    written at most once a minute, so a page view costs no write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        # In process_view, so the messages of the log-out reach the log-in page (MessageMiddleware has run).
        user = request.user
        if not user.is_authenticated:
            return None
        session = request.session
        now = time.time()
        if STARTED not in session:
            # A session from before this rule: its life counts from now.
            session[STARTED] = now
            session[SEEN] = now
        started, seen = session[STARTED], session.get(SEEN, session[STARTED])
        if now - started > absolute_seconds():
            return _expired_response(request, "absolute", view_func)
        if now - seen > idle_seconds():
            return _expired_response(request, "idle", view_func)
        counts = getattr(view_func, "session_activity", True)
        record_pk, record_key = (session.get(RECORD) or [None, None])[:2]
        if counts and now - seen >= touch_seconds():
            session[SEEN] = now
            self._touch(request, user, record_pk, now)
        elif record_key != session.session_key or self._newly_verified(request, user):
            # The key changed (a password change cycles it) or the second factor was verified since: write now.
            self._touch(request, user, record_pk, now)
        # For the warning in the page (templates/accounts/_session_dialog.html).
        request.session_seconds_left = seconds_left(request)
        request.session_idle_seconds = int(idle_seconds())
        return None

    @staticmethod
    def _newly_verified(request: HttpRequest, user) -> bool:
        session = request.session
        return (
            bool(session.get(OTP_DEVICE))
            and session.get("session_method") != SessionRecord.Method.PASSWORD_AND_CODE
            and _method_of(request, user) == SessionRecord.Method.PASSWORD_AND_CODE
        )

    @staticmethod
    def _touch(request: HttpRequest, user, record_pk, now: float) -> None:
        session = request.session
        changes = {"last_seen": datetime.fromtimestamp(now, tz=UTC), "session_key": session.session_key}
        method = _method_of(request, user)
        if method == SessionRecord.Method.PASSWORD_AND_CODE:
            changes["method"] = method
        if not record_pk or not SessionRecord.objects.filter(pk=record_pk, user=user).update(**changes):
            _write_record(request, user)
        else:
            session[RECORD] = [record_pk, session.session_key]
        session["session_method"] = method


# --- The keep-alive of the warning in the page (static/js/session.js) ---


@login_not_required
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the session has left, asked by the page before it warns; asking does not count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0, "login": reverse(settings.LOGIN_URL)}, status=401)
    return JsonResponse({"remaining": seconds_left(request)})


session_status.session_activity = False
session_status.session_json = True


@login_not_required
@require_POST
def session_keep_alive(request: HttpRequest) -> JsonResponse:
    """'Stay logged in': the session's idle time starts again (never past its absolute lifetime)."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0, "login": reverse(settings.LOGIN_URL)}, status=401)
    request.session[SEEN] = time.time()
    return JsonResponse({"remaining": seconds_left(request)})


session_keep_alive.session_json = True


# --- My sessions ---


def describe_browser(user_agent: str) -> str:
    """A readable name of the browser and system from a User-Agent header, e.g. "Firefox op Windows"."""
    browsers = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome")]
    browsers += [("Chromium/", "Chromium"), ("Safari/", "Safari")]
    systems = [("Windows", "Windows"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android")]
    systems += [("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]
    browser = next((name for mark, name in browsers if mark in user_agent), "")
    system = next((name for mark, name in systems if mark in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("unknown browser")


def _live_records(user):
    live = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now())
    return SessionRecord.objects.filter(user=user).filter(Exists(live)).select_related("provider")


def my_sessions(request: HttpRequest) -> HttpResponse:
    """The person's sessions that are still open, this one marked, each of the others with a button to end it."""
    records = list(_live_records(request.user).order_by("-last_seen"))
    current_key = request.session.session_key
    for r in records:
        r.is_current = r.session_key == current_key
        r.browser = describe_browser(r.user_agent)
    return render(
        request,
        "accounts/my_sessions.html",
        {
            "records": records,
            "others": sum(1 for r in records if not r.is_current),
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "absolute_hours": settings.SESSION_ABSOLUTE_HOURS,
        },
    )


@require_POST
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Ends one other session of the person; another account's session does not exist here (404)."""
    session_record = get_object_or_404(SessionRecord, pk=pk, user=request.user)
    if session_record.session_key == request.session.session_key:
        messages.info(request, _("This is the session you are using now; log out to end it."))
        return redirect("my_sessions")
    with transaction.atomic():
        Session.objects.filter(session_key=session_record.session_key).delete()
        session_record.delete()
        record(
            AuditEvent.Kind.SESSION_ENDED,
            request=request,
            reason="ended by the person",
            started=session_record.started.isoformat(),
            method=session_record.method,
        )
    messages.success(request, _("The session has been ended."))
    return redirect("my_sessions")


@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    count = end_all_sessions(request.user, except_key=request.session.session_key, reason="ended by the person")
    if count:
        messages.success(request, _("All your other sessions have been ended."))
    else:
        messages.info(request, _("You had no other sessions."))
    return redirect("my_sessions")


urlpatterns = [
    path("account/sessies/", my_sessions, name="my_sessions"),
    path("account/sessies/<int:pk>/beeindigen/", end_session, name="end_session"),
    path("account/sessies/andere-beeindigen/", end_other_sessions, name="end_other_sessions"),
    path("account/sessie/", session_status, name="session_status"),
    path("account/sessie/verlengen/", session_keep_alive, name="session_keep_alive"),
]
