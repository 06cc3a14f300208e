"""Who may act for a municipality, derived from offices.

| group      | office held today                                  | record (and co-sign) | sign |
|------------|----------------------------------------------------|----------------------|------|
| secretary  | municipal secretary, loco-secretaris               | yes                  | no   |
| mayor      | mayor, waarnemend burgemeester, loco-burgemeester  | no                   | yes  |
| griffier   | griffier                                           | keeps the council tracks of the municipality |

Whether a substitute may sign a given decision depends on the substitute's
period on the decision date (decisions.models.CollegeDecision.sign).

Groups are brought in line when an office or a person's log-in changes, and
every night for offices that start or end by date (governance.tasks)."""

from django.contrib.auth.models import Group
from django.db import transaction
from guardian.shortcuts import assign_perm

from municipalities.models import Municipality, Office, today

GROUPS = {
    "secretary": (Office.SECRETARY_ROLES, "record_college_decisions"),
    "mayor": (Office.MAYOR_ROLES, "sign_college_decisions"),
    "griffier": (frozenset({Office.Role.GRIFFIER}), "keep_council_tracks"),
}


@transaction.atomic
def sync_municipality_access(municipality: Municipality) -> None:
    current = list(
        Office.objects.current(today())
        .filter(municipality=municipality, person__user__isnull=False)
        .values_list("role", "person__user")
    )
    for kind, (roles, codename) in GROUPS.items():
        group, created = Group.objects.get_or_create(name=f"municipality:{municipality.pk}:{kind}")
        if created:
            assign_perm(f"municipalities.{codename}", group, municipality)
        wanted = {user_id for office_role, user_id in current if office_role in roles}
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
