"""Log-ins, log-outs and failed log-ins, from Django's own signals: every way in (the password form, the
organisation log-in, the admin site's redirect to the form) sends them, so none is missed.
BIO 12.4.1 / BIO2 8.15 (event logging): who, what, when, from where; never a password."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEvent, record

# Keys of the credentials that say a second-factor step failed, not the password (the second-factor step
# sends user_login_failed too, so that django-axes counts wrong codes towards the lock-out).
SECOND_FACTOR_KEYS = ("otp_token", "token", "otp_device", "second_factor")


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender, request, user, **kwargs) -> None:
    record(AuditEvent.Kind.LOGIN, request=request, user=user, backend=getattr(user, "backend", "") or "")


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender, request, user, **kwargs) -> None:
    # A log-out of a session whose user was gone already still says who it was, when the session knew.
    if user is None:
        return
    record(AuditEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """The user name tried, never the password (Django has already masked it; it is not read here at all)."""
    credentials = credentials or {}
    username = str(credentials.get("username") or credentials.get("email") or "")
    # Django's authenticate() sends as "django.contrib.auth"; the second-factor step as its own module.
    second_factor = "second_factor" in str(sender) or any(key in credentials for key in SECOND_FACTOR_KEYS)
    detail = {"stage": "second_factor" if second_factor else "password"}
    if request is not None and getattr(request, "axes_locked_out", False):
        # django-axes refused before the password was checked: the account or address is locked out.
        detail["locked_out"] = True
    # Not the account: a user name typed at the form may belong to nobody, or to somebody else.
    record(AuditEvent.Kind.LOGIN_FAILED, request=request, username=username, **detail)
