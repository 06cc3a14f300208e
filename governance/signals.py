"""Keeps the derived access groups (governance/access.py) in line with memberships and bodies."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from governance.models import ConsultationBody, Membership
from municipalities.models import Person


@receiver(pre_save, sender=Membership, dispatch_uid="membership_previous_body")
def membership_before_save(sender, instance: Membership, **kwargs) -> None:
    # A membership moved to another body must leave nothing behind in the body it left.
    previous = Membership.objects.filter(pk=instance.pk).values_list("body_id", flat=True) if instance.pk else []
    instance._previous_body_id = next(iter(previous), None)


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="membership_access")
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    from governance.access import sync_body_access_by_id

    sync_body_access_by_id(instance.body_id)
    previous = getattr(instance, "_previous_body_id", None)
    if previous and previous != instance.body_id:
        sync_body_access_by_id(previous)


@receiver(post_delete, sender=ConsultationBody, dispatch_uid="body_access_removed")
def body_deleted(sender, instance: ConsultationBody, **kwargs) -> None:
    # Deleting the groups deletes their object permissions on the body with them.
    Group.objects.filter(name__startswith=f"body:{instance.pk}:").delete()


@receiver(post_save, sender=Person, dispatch_uid="person_access")
def person_changed(sender, instance: Person, **kwargs) -> None:
    # A log-in linked to (or taken from) a person changes who is in the groups.
    from governance.access import sync_body_access_by_id

    for body_id in instance.memberships.values_list("body", flat=True).distinct():
        sync_body_access_by_id(body_id)
