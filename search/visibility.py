"""Who finds what: the visibility rules of the apps (docs/adr/0006-who-sees-what.md) as one condition on the
index, so counts, pages and fragments never include what the searcher may not see.

| kind                          | a signed-in person finds it when                                          |
|-------------------------------|---------------------------------------------------------------------------|
| meeting, item, document       | they see the body's meetings (its members, secretariat, the coordinator),  |
|                               | the agenda went out (or they prepare it), and not confidential unless they |
|                               | may see the body's confidential items; of a document the latest version    |
| minutes item, action point    | as above, and the minutes left the draft (or they prepare them)           |
| regional proposal             | they read the proposal (decisions/access.py readable_proposals)           |
| college decision              | they read the proposal, and the decision is signed or is of their own     |
|                               | municipality (decisions/access.py unsigned_decisions_visible)             |
| council track                 | they read the proposal                                                    |

Search finds less than a person may open in two cases, never more: griffiers and council members reading
the regional bodies of their cooperations, and aldermen invited for one item, open those meetings from
their own pages, not through the search (their rules depend on the meeting date and invitations).

The public side finds only what publication/public.py calls public."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from decisions.access import acting_for, readable_proposals
from meetings.access import bodies_prepared_by, bodies_visible_to, is_coordinator
from search.models import SearchEntry

Kind = SearchEntry.Kind
MEETING_KINDS = [Kind.MEETING, Kind.ITEM, Kind.DOCUMENT, Kind.MINUTES, Kind.ACTION_POINT]


def visible_to(user) -> Q:
    """The entries the user may find, as one condition."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    from guardian.shortcuts import get_objects_for_user

    from governance.models import ConsultationBody

    bodies = list(bodies_visible_to(user).values_list("pk", flat=True))
    prepared = list(bodies_prepared_by(user).values_list("pk", flat=True))
    if is_coordinator(user):
        confidential_ok = bodies
    else:
        confidential_ok = list(
            get_objects_for_user(
                user, "governance.view_confidential_items", klass=ConsultationBody, accept_global_perms=False
            ).values_list("pk", flat=True)
        )
    meeting_things = (
        Q(kind__in=MEETING_KINDS, body_id__in=bodies)
        & (Q(released=True) | Q(body_id__in=prepared))
        & (Q(confidential=False) | Q(body_id__in=confidential_ok))
        & ~Q(kind=Kind.DOCUMENT, latest=False)
    )
    proposals = list(readable_proposals(user).values_list("pk", flat=True))
    if is_coordinator(user):
        decisions = Q(kind=Kind.DECISION)
    else:
        recordable, signable = acting_for(user)
        decisions = Q(kind=Kind.DECISION, proposal_id__in=proposals) & (
            Q(released=True) | Q(municipality_id__in=recordable | signable)
        )
    return (
        meeting_things
        | Q(kind=Kind.PROPOSAL, proposal_id__in=proposals)
        | decisions
        | Q(kind=Kind.COUNCIL_TRACK, proposal_id__in=proposals)
    )


def public() -> Q:
    """The entries of what is published (publication/public.py)."""
    from meetings.models import MinutesItem
    from publication import public as published

    return (
        Q(kind=Kind.MEETING, object_id__in=published.public_meetings().values("pk"))
        | Q(kind=Kind.ITEM, object_id__in=published.public_items().values("pk"))
        | Q(kind=Kind.DOCUMENT, object_id__in=published.public_versions().values("pk"))
        | Q(
            kind=Kind.MINUTES,
            object_id__in=MinutesItem.objects.filter(
                minutes__in=published.public_minutes(), agenda_item__confidential=False
            ).values("pk"),
        )
        | Q(kind=Kind.DECISION, object_id__in=published.public_decisions().values("pk"))
        | Q(kind=Kind.PROPOSAL, object_id__in=published.public_proposals().values("pk"))
    )


def entries_for(user=None, *, public_side: bool = False) -> QuerySet[SearchEntry]:
    return SearchEntry.objects.filter(public() if public_side else visible_to(user))
