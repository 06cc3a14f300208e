import datetime

from celery import shared_task
from django.utils import timezone

from governance.access import sync_all_body_access, sync_changed_body_access
from municipalities.access import sync_all_municipality_access, sync_changed_municipality_access

# A membership saved in a transaction that committed only after the last sync looked.
MARGIN = datetime.timedelta(minutes=5)


@shared_task
def sync_access(full: bool = False) -> int:
    """Nightly: memberships and offices that started or ended since the last night change who may do
    what; only those bodies and municipalities are synced (every one with `full`, or on the first run).
    Saves sync their own body or municipality at once; this catches what time alone changed."""
    from reminders.models import TaskRun

    now = timezone.now()
    last = TaskRun.objects.filter(name="access").values_list("finished_at", flat=True).first()
    if full or last is None:
        synced = sync_all_body_access() + sync_all_municipality_access()
    else:
        since = min(last, now) - MARGIN
        synced = sync_changed_body_access(since, now) + sync_changed_municipality_access(since, now)
    TaskRun.objects.update_or_create(name="access", defaults={"finished_at": now, "result": f"{synced} synced"})
    return synced
