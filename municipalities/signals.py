"""Keeps the derived municipality groups (municipalities/access.py) in line with offices."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from municipalities.access import sync_municipality_access_by_id
from municipalities.models import Municipality, Office, Person


@receiver([post_save, post_delete], sender=Office, dispatch_uid="office_access")
def office_changed(sender, instance: Office, **kwargs) -> None:
    sync_municipality_access_by_id(instance.municipality_id)


@receiver(post_save, sender=Person, dispatch_uid="person_municipality_access")
def person_changed(sender, instance: Person, **kwargs) -> None:
    for municipality_id in instance.offices.values_list("municipality", flat=True).distinct():
        sync_municipality_access_by_id(municipality_id)


@receiver(post_delete, sender=Municipality, dispatch_uid="municipality_access_removed")
def municipality_deleted(sender, instance: Municipality, **kwargs) -> None:
    Group.objects.filter(name__startswith=f"municipality:{instance.pk}:").delete()
