"""Who may act for a municipality, derived from offices.

| group      | office held today                                  | record (and co-sign) | sign |
|------------|----------------------------------------------------|----------------------|------|
| secretary  | municipal secretary, loco-secretaris               | yes                  | no   |
| mayor      | mayor, waarnemend burgemeester, loco-burgemeester  | no                   | yes  |
| griffier   | griffier                                           | keeps the council tracks of the municipality |

Whether a substitute may sign a given decision depends on the substitute's
period on the decision date (decisions.models.CollegeDecision.sign).

Groups are brought in line when an office or a person's log-in changes, and
every night for the municipalities whose offices started or ended by date
since the last night, or changed (governance.tasks)."""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from guardian.shortcuts import assign_perm

from municipalities.models import Municipality, Office, today

User = get_user_model()

GROUPS = {
    "secretary": (Office.SECRETARY_ROLES, "record_college_decisions"),
    "mayor": (Office.MAYOR_ROLES, "sign_college_decisions"),
    "griffier": (frozenset({Office.Role.GRIFFIER}), "keep_council_tracks"),
}


def sync_groups(prefix: str, objects, kinds: dict[str, list[str]], wanted: dict[tuple[int, str], set[int]]) -> int:
    """Makes the groups `<prefix>:<pk>:<kind>` of `objects` hold exactly the wanted log-ins, in a few queries
    for all of them: a missing group is made with its object permissions, an existing one is left as it is.
    `kinds` gives each kind's permissions ("app.codename"). Returns how many groups changed."""
    objects = list(objects)
    if not objects:
        return 0
    names = {f"{prefix}:{obj.pk}:{kind}": (obj, kind) for obj in objects for kind in kinds}
    groups = {group.name: group for group in Group.objects.filter(name__in=names)}
    for name in names.keys() - groups.keys():
        obj, kind = names[name]
        group, created = Group.objects.get_or_create(name=name)
        if created:
            for perm in kinds[kind]:
                assign_perm(perm, group, obj)
        groups[name] = group
    through = User.groups.through
    members: dict[int, set[int]] = defaultdict(set)
    for group_id, user_id in through.objects.filter(group__in=groups.values()).values_list("group_id", "user_id"):
        members[group_id].add(user_id)
    changed = 0
    for name, group in groups.items():
        obj, kind = names[name]
        users = wanted.get((obj.pk, kind), set())
        if users != members[group.pk]:
            group.user_set.set(users)
            changed += 1
    return changed


def sync_municipalities_access(municipalities) -> int:
    """The groups of each municipality hold the log-ins of whoever holds the offices today."""
    municipalities = list(municipalities)
    wanted: dict[tuple[int, str], set[int]] = defaultdict(set)
    current = (
        Office.objects.current(today())
        .filter(municipality__in=municipalities, person__user__isnull=False)
        .values_list("municipality", "role", "person__user")
    )
    for municipality_id, role, user_id in current:
        for kind, (roles, _codename) in GROUPS.items():
            if role in roles:
                wanted[municipality_id, kind].add(user_id)
    kinds = {kind: [f"municipalities.{codename}"] for kind, (_roles, codename) in GROUPS.items()}
    with transaction.atomic():
        return sync_groups("municipality", municipalities, kinds, wanted)


def sync_municipality_access(municipality: Municipality) -> None:
    sync_municipalities_access([municipality])


def sync_municipality_access_by_id(municipality_id: int | None) -> None:
    municipality = Municipality.objects.filter(pk=municipality_id).first() if municipality_id else None
    if municipality is not None:
        sync_municipality_access(municipality)


def sync_all_municipality_access() -> int:
    municipalities = list(Municipality.objects.all())
    for chunk in range(0, len(municipalities), 100):
        sync_municipalities_access(municipalities[chunk : chunk + 100])
    return len(municipalities)


def municipalities_changed_between(since: datetime.datetime, until: datetime.datetime) -> set[int]:
    """The municipalities where an office changed, or started or ended on a day since `since`: where rights
    may differ from what the last sync left."""
    first, last = timezone.localdate(since), timezone.localdate(until)
    crossed = Q(starts_on__gt=first, starts_on__lte=last) | Q(ends_on__gte=first, ends_on__lt=last)
    ids = set(Office.objects.filter(crossed, municipality__isnull=False).values_list("municipality", flat=True))
    # Every municipality an office that changed was ever in: one moved from A to B leaves rights behind in A.
    changed = Office.history.filter(history_date__gte=since).values("id")
    earlier = Office.history.filter(id__in=changed, municipality__isnull=False)
    ids |= set(earlier.order_by().values_list("municipality_id", flat=True).distinct())
    return ids


def sync_changed_municipality_access(since: datetime.datetime, until: datetime.datetime) -> int:
    ids = sorted(municipalities_changed_between(since, until))
    for chunk in range(0, len(ids), 100):
        sync_municipalities_access(Municipality.objects.filter(pk__in=ids[chunk : chunk + 100]))
    return len(ids)
