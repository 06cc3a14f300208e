"""The audit trail: who signed in, who looked at what is confidential, who exported it.
Append-only; pruned after AUDIT_RETENTION_DAYS (settings)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One thing a person did (or tried) that the security officer may ask about."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("log-in failed")
        LOGIN_REFUSED = "login_refused", _("log-in refused")
        LOGOUT = "logout", _("logged out")
        SECOND_FACTOR_ENROLLED = "otp_enrolled", _("second factor set up")
        SECOND_FACTOR_FAILED = "otp_failed", _("second factor code wrong")
        SECOND_FACTOR_RESET = "otp_reset", _("second factor reset")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("password reset asked for")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        SESSION_ENDED = "session_ended", _("session ended")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("account deactivated")
        VIEWED_CONFIDENTIAL = "viewed_confidential", _("confidential item viewed")
        DOWNLOADED_DRAFT = "downloaded_draft", _("document of a draft agenda downloaded")
        EXPORTED = "exported", _("audit trail exported")
        PUBLISHED = "published", _("published under the Woo")
        PUBLICATION_WITHDRAWN = "publication_withdrawn", _("publication withdrawn")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=40, choices=Kind.choices)
    # The person who did it; the user name stays when the account is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    # What it was about: a type and an id, never a title (a confidential title must not leak into an export).
    object_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["kind", "at"], name="audit_kind_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["user", "at"], name="audit_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as django-axes reads it (behind AXES_PROXY_COUNT proxies)."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    obj: models.Model | None = None,
    **detail,
) -> AuditEvent:
    """Write one audit event. The user defaults to the request's, the address and browser come from the request."""
    event = _event(kind, request=request, user=user, username=username, obj=obj, detail=detail)
    event.save()
    return event


def record_each(kind: str, objects, *, request: HttpRequest, **detail) -> list[AuditEvent]:
    """One event per object in one INSERT, so a page that shows many confidential items asks the database
    once, however many it shows."""
    events = [_event(kind, request=request, obj=obj, detail=detail) for obj in objects]
    return AuditEvent.objects.bulk_create(events) if events else []


# Details that would carry what an object says rather than which object it is: refused, as an export
# goes to the security officer, who may not read a confidential title (docs/adr/0013-audit-trail.md).
FORBIDDEN_DETAIL = frozenset({"title", "text", "explanation", "password"})


def _event(kind: str, *, request=None, user=None, username: str = "", obj=None, detail: dict) -> AuditEvent:
    quoted = FORBIDDEN_DETAIL & set(detail)
    if quoted:
        raise ValueError(f"An audit event names its object, it does not quote it: {sorted(quoted)}")
    if (
        user is None
        and request is not None
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
    ):
        user = request.user
    if user is not None and not username:
        username = user.get_username()
    return AuditEvent(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        ip_address=client_address(request),
        user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:300],
        # ContentType's own cache answers after the first lookup: no query per event.
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
    )
