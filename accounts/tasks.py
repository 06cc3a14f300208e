"""The mails of the account life-cycle and the daily pass over unused accounts."""

from __future__ import annotations

import logging

from celery import shared_task
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from audit.models import AuditEvent, record

logger = logging.getLogger(__name__)
User = get_user_model()


def _language_of(user) -> str:
    person = getattr(user, "person", None)
    return getattr(person, "language", None) or settings.LANGUAGE_CODE


def _send(user, template: str, context: dict) -> None:
    with translation.override(_language_of(user)):
        subject = render_to_string(f"registration/{template}_subject.txt", context).strip()
        body = render_to_string(f"registration/{template}_email.txt", context)
    send_mail(subject, body, None, [user.email])


@shared_task
def send_password_reset_mail(email: str) -> int:
    """The reset link to each active account with this address and a password (none for an unknown address,
    a switched-off account or one still waiting for its invitation). Returns how many were sent."""
    from accounts.lifecycle import password_reset_tokens

    sent = 0
    for user in PasswordResetForm().get_users(email):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = password_reset_tokens.make_token(user)
        link = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        context = {
            "user": user,
            "username": user.get_username(),
            "url": settings.PORTAL_URL.rstrip("/") + link,
            "minutes": settings.PASSWORD_RESET_LINK_MINUTES,
            "portal_url": settings.PORTAL_URL,
        }
        _send(user, "password_reset", context)
        sent += 1
    return sent


def unused_accounts():
    """Active accounts, not superusers, whose last log-in (or, never logged in, whose creation) is longer ago
    than ACCOUNT_UNUSED_MONTHS."""
    before = timezone.now() - relativedelta(months=settings.ACCOUNT_UNUSED_MONTHS)
    return (
        User._default_manager.filter(is_active=True, is_superuser=False)
        .alias(used=Coalesce("last_login", "date_joined"))
        .filter(used__lt=before)
    )


@shared_task
def deactivate_unused_accounts() -> int:
    """Daily: switches off the accounts unused for ACCOUNT_UNUSED_MONTHS (BIO 9.2.6, ASVS 4.0 2.5.x), each with a
    notice to the person and a row in the audit trail. Running twice does nothing the second time: only an
    account still active is switched off, and only the run that switched it off sends the notice."""
    from accounts.sessions import end_all_sessions

    count = 0
    for user in unused_accounts().only("pk"):
        if not User._default_manager.filter(Q(pk=user.pk), Q(is_active=True)).update(is_active=False):
            continue  # another run was first
        user.refresh_from_db()
        end_all_sessions(user, reason="account unused")
        record(
            AuditEvent.Kind.ACCOUNT_DEACTIVATED,
            user=user,
            reason="unused",
            months=settings.ACCOUNT_UNUSED_MONTHS,
            last_login=user.last_login.isoformat() if user.last_login else None,
        )
        if user.email:
            send_deactivation_notice.delay_on_commit(user.pk)
        count += 1
    if count:
        logger.info("Deactivated %s unused accounts", count)
    return count


@shared_task
def send_deactivation_notice(user_id: int) -> bool:
    """The notice that the account was switched off, and how to get access back."""
    user = User._default_manager.filter(pk=user_id, is_active=False).first()
    if user is None or not user.email:
        return False  # reactivated since, or deleted
    context = {
        "user": user,
        "username": user.get_username(),
        "months": settings.ACCOUNT_UNUSED_MONTHS,
        "portal_url": settings.PORTAL_URL,
    }
    _send(user, "account_deactivated", context)
    return True


@shared_task
def clear_expired_sessions() -> dict[str, int]:
    """Daily: the session rows past their lifetime (what `manage.py clearsessions` does) and the session records
    of sessions that are gone or idle past the time-out, so the database keeps no log-in longer than it lives."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.db.models import Exists, OuterRef

    from accounts.models import SessionRecord
    from accounts.sessions import idle_seconds

    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lte=now).delete()
    idle = SessionRecord.objects.filter(last_seen__lt=now - timedelta(seconds=idle_seconds()))
    # An idle session can no longer be used (the middleware ends it at its next request): drop it now.
    idle_sessions, _ = Session.objects.filter(session_key__in=idle.values("session_key")).delete()
    live = Session.objects.filter(session_key=OuterRef("session_key"))
    records, _ = SessionRecord.objects.exclude(Exists(live)).delete()
    return {"sessions": sessions + idle_sessions, "records": records}
