"""Keeps the derived access groups (governance/access.py) in line with memberships."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from governance.models import Membership


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="membership_access")
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    from governance.access import sync_body_access_by_id

    body_id = instance.body_id
    transaction.on_commit(lambda: sync_body_access_by_id(body_id))
