from celery import shared_task

from governance.access import sync_all_body_access


@shared_task
def sync_access() -> int:
    """Nightly: memberships that started or ended today change who sees what."""
    return sync_all_body_access()
