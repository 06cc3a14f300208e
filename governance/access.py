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
for memberships that start or end by date (governance.tasks)."""

from django.contrib.auth.models import Group
from django.db import transaction
from guardian.shortcuts import assign_perm

from governance.models import ConsultationBody, Membership
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


@transaction.atomic
def sync_body_access(body: ConsultationBody) -> None:
    """Make the body's groups hold exactly the log-ins of its current members."""
    current = list(body.members_on(today()).filter(person__user__isnull=False).values_list("role", "person__user"))
    for kind, roles in GROUP_ROLES.items():
        group, created = Group.objects.get_or_create(name=group_name(body, kind))
        if created:
            for codename in GROUP_PERMISSIONS[kind]:
                assign_perm(f"governance.{codename}", group, body)
        wanted = {user_id for role, user_id in current if role in roles}
        if wanted != set(group.user_set.values_list("pk", flat=True)):
            group.user_set.set(wanted)


def sync_body_access_by_id(body_id: int | None) -> None:
    body = ConsultationBody.objects.filter(pk=body_id).first() if body_id else None
    if body is not None:
        sync_body_access(body)


def sync_all_body_access() -> int:
    bodies = list(ConsultationBody.objects.all())
    for body in bodies:
        sync_body_access(body)
    return len(bodies)
