"""Keeps the derived municipality groups (municipalities/access.py) in line with offices."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from municipalities.access import sync_municipality_access_by_id
from municipalities.models import Municipality, Office, Person


@receiver(pre_save, sender=Office, dispatch_uid="office_previous_municipality")
def office_before_save(sender, instance: Office, **kwargs) -> None:
    # An office moved to another municipality must leave nothing behind in the one it left.
    previous = Office.objects.filter(pk=instance.pk).values_list("municipality_id", flat=True) if instance.pk else []
    instance._previous_municipality_id = next(iter(previous), None)


@receiver([post_save, post_delete], sender=Office, dispatch_uid="office_access")
def office_changed(sender, instance: Office, **kwargs) -> None:
    sync_municipality_access_by_id(instance.municipality_id)
    previous = getattr(instance, "_previous_municipality_id", None)
    if previous and previous != instance.municipality_id:
        sync_municipality_access_by_id(previous)


@receiver(post_save, sender=Person, dispatch_uid="person_municipality_access")
def person_changed(sender, instance: Person, **kwargs) -> None:
    for municipality_id in instance.offices.values_list("municipality", flat=True).distinct():
        sync_municipality_access_by_id(municipality_id)


@receiver(post_delete, sender=Municipality, dispatch_uid="municipality_access_removed")
def municipality_deleted(sender, instance: Municipality, **kwargs) -> None:
    Group.objects.filter(name__startswith=f"municipality:{instance.pk}:").delete()
