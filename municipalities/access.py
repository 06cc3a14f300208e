"""Who may act for a municipality, derived from offices.

| group      | office held today    | record college decisions | approve college decisions |
|------------|----------------------|--------------------------|---------------------------|
| secretary  | municipal secretary  | yes                      | no                        |
| mayor      | mayor                | no                       | yes                       |
| griffier   | griffier             | keeps the council tracks of the municipality                    |

Groups are brought in line when an office or a person's log-in changes, and
every night for offices that start or end by date (governance.tasks)."""

from django.contrib.auth.models import Group
from django.db import transaction
from guardian.shortcuts import assign_perm

from municipalities.models import Municipality, Office, today

GROUPS = {
    "secretary": (Office.Role.MUNICIPAL_SECRETARY, "record_college_decisions"),
    "mayor": (Office.Role.MAYOR, "approve_college_decisions"),
    "griffier": (Office.Role.GRIFFIER, "keep_council_tracks"),
}


@transaction.atomic
def sync_municipality_access(municipality: Municipality) -> None:
    current = list(
        Office.objects.current(today())
        .filter(municipality=municipality, person__user__isnull=False)
        .values_list("role", "person__user")
    )
    for kind, (role, codename) in GROUPS.items():
        group, created = Group.objects.get_or_create(name=f"municipality:{municipality.pk}:{kind}")
        if created:
            assign_perm(f"municipalities.{codename}", group, municipality)
        wanted = {user_id for office_role, user_id in current if office_role == role}
        if wanted != set(group.user_set.values_list("pk", flat=True)):
            group.user_set.set(wanted)


def sync_municipality_access_by_id(municipality_id: int | None) -> None:
    municipality = Municipality.objects.filter(pk=municipality_id).first() if municipality_id else None
    if municipality is not None:
        sync_municipality_access(municipality)


def sync_all_municipality_access() -> int:
    municipalities = list(Municipality.objects.all())
    for municipality in municipalities:
        sync_municipality_access(municipality)
    return len(municipalities)
