from celery import shared_task

from governance.access import sync_all_body_access
from municipalities.access import sync_all_municipality_access


@shared_task
def sync_access() -> int:
    """Nightly: memberships and offices that started or ended today change who may do what."""
    return sync_all_body_access() + sync_all_municipality_access()
