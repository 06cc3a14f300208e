"""The nightly pruning of the audit trail (AUDIT_RETENTION_DAYS)."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

# Rows deleted per statement: a year of events goes in short transactions that never hold a lock long.
BATCH = 5_000


def _delete_older(queryset, field: str, before: datetime.datetime) -> int:
    """Deletes the rows of `queryset` older than `before`, a batch at a time; returns how many went."""
    deleted = 0
    old = queryset.filter(**{f"{field}__lt": before}).order_by()
    while True:
        with transaction.atomic():
            ids = list(old.values_list("pk", flat=True)[:BATCH])
            if not ids:
                return deleted
            deleted += queryset.model.objects.filter(pk__in=ids).delete()[0]


@shared_task
def prune_audit_trail() -> dict[str, int]:
    """Deletes the audit events, and django-axes' attempts and logs, older than the retention period.
    Running it twice deletes nothing the second time. The history of the domain models
    (django-simple-history) is the domain's record of who changed what, and is not pruned here."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from audit.models import AuditEvent

    before = timezone.now() - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    return {
        "audit events": _delete_older(AuditEvent.objects.all(), "at", before),
        "axes attempts": _delete_older(AccessAttempt.objects.all(), "attempt_time", before),
        "axes access log": _delete_older(AccessLog.objects.all(), "attempt_time", before),
        "axes failure log": _delete_older(AccessFailureLog.objects.all(), "attempt_time", before),
    }
