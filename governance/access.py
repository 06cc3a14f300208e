"""Who may do what in a consultation body, derived from memberships.

Each body has three django-guardian groups; a person's log-in is in a group
while they hold a current membership with one of its roles:

| group        | roles              | prepare meetings | see meetings | see confidential items |
|--------------|--------------------|------------------|--------------|------------------------|
| secretariat  | secretary, chair   | yes              | yes          | yes                    |
| members      | member             | no               | yes          | yes                    |
| advisory     | advisory member    | no               | yes          | no                     |

The regional coordinator may do everything (municipalities.backends). Groups
are brought in line when a membership is saved or deleted, and every night
for the bodies whose memberships started or ended by date since the last
night, or changed (governance.tasks)."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from governance.models import ConsultationBody, Membership
from municipalities.access import sync_groups
from municipalities.models import today

GROUP_ROLES = {
    "secretariat": {Membership.Role.SECRETARY, Membership.Role.CHAIR},
    "members": {Membership.Role.MEMBER},
    "advisory": {Membership.Role.ADVISORY_MEMBER},
}
GROUP_PERMISSIONS = {
    "secretariat": ["prepare_meetings", "view_meetings", "view_confidential_items"],
    "members": ["view_meetings", "view_confidential_items"],
    "advisory": ["view_meetings"],
}


def group_name(body: ConsultationBody, kind: str) -> str:
    return f"body:{body.pk}:{kind}"


def sync_bodies_access(bodies) -> int:
    """Make each body's groups hold exactly the log-ins of its current members. Returns the groups changed."""
    bodies = list(bodies)
    wanted: dict[tuple[int, str], set[int]] = defaultdict(set)
    current = (
        Membership.objects.current(today())
        .filter(body__in=bodies, person__user__isnull=False)
        .values_list("body", "role", "person__user")
    )
    for body_id, role, user_id in current:
        for kind, roles in GROUP_ROLES.items():
            if role in roles:
                wanted[body_id, kind].add(user_id)
    kinds = {
        kind: [f"governance.{codename}" for codename in codenames] for kind, codenames in GROUP_PERMISSIONS.items()
    }
    with transaction.atomic():
        return sync_groups("body", bodies, kinds, wanted)


def sync_body_access(body: ConsultationBody) -> None:
    sync_bodies_access([body])


def sync_body_access_by_id(body_id: int | None) -> None:
    body = ConsultationBody.objects.filter(pk=body_id).first() if body_id else None
    if body is not None:
        sync_body_access(body)


def sync_all_body_access() -> int:
    bodies = list(ConsultationBody.objects.all())
    for chunk in range(0, len(bodies), 100):
        sync_bodies_access(bodies[chunk : chunk + 100])
    return len(bodies)


def bodies_changed_between(since: datetime.datetime, until: datetime.datetime) -> set[int]:
    """The bodies where a membership changed, or started or ended on a day since `since`."""
    first, last = timezone.localdate(since), timezone.localdate(until)
    crossed = Q(starts_on__gt=first, starts_on__lte=last) | Q(ends_on__gte=first, ends_on__lt=last)
    ids = set(Membership.objects.filter(crossed).values_list("body", flat=True))
    # Every body a membership that changed was ever in: one moved to another body leaves rights behind.
    changed = Membership.history.filter(history_date__gte=since).values("id")
    ids |= set(Membership.history.filter(id__in=changed).order_by().values_list("body_id", flat=True).distinct())
    return ids


def sync_changed_body_access(since: datetime.datetime, until: datetime.datetime) -> int:
    ids = sorted(bodies_changed_between(since, until))
    for chunk in range(0, len(ids), 100):
        sync_bodies_access(ConsultationBody.objects.filter(pk__in=ids[chunk : chunk + 100]))
    return len(ids)
