"""The permission-checked fetch per object type: not visible -> 404, visible but not allowed -> 403.

| who                          | see a body's meetings | confidential items | prepare (edit, publish) | triage |
|------------------------------|-----------------------|--------------------|-------------------------|--------|
| regional coordinator         | all bodies            | yes                | yes                     | yes    |
| secretary or chair of body   | yes                   | yes                | yes                     | no     |
| member of body               | yes                   | yes                | no                      | no     |
| advisory member of body      | yes                   | no                 | no                      | no     |
| alderman invited for an item | that published meeting| no                 | no                      | no     |
| griffier or council member   | published, of (1)     | no                 | no                      | no     |
| submitter of an item         | published, with it    | no                 | no                      | no     |
| forwarding secretary         | yes (2)               | no                 | no                      | no     |
| anyone else                  | no (404)              | no                 | no                      | no     |

(1) every body of a cooperation their municipality participates in on the meeting date, and a joint
council meeting they are invited to. (2) the meeting the item went to; while its agenda is a draft, only
the forwarded item. The whole rule, object by object: docs/adr/0006-who-sees-what.md.

Body rights come from django-guardian object permissions on the body,
granted to groups derived from memberships (governance/access.py)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from governance.models import ConsultationBody
from meetings.models import AgendaItem, DocumentVersion, Meeting, Submission
from municipalities.backends import is_regional_coordinator
from municipalities.models import Office


def is_coordinator(user) -> bool:
    return user.is_superuser or is_regional_coordinator(user)


def bodies_visible_to(user) -> QuerySet[ConsultationBody]:
    if is_coordinator(user):
        return ConsultationBody.objects.all()
    return get_objects_for_user(user, "governance.view_meetings", klass=ConsultationBody, accept_global_perms=False)


def bodies_prepared_by(user) -> QuerySet[ConsultationBody]:
    if is_coordinator(user):
        return ConsultationBody.objects.all()
    return get_objects_for_user(user, "governance.prepare_meetings", klass=ConsultationBody, accept_global_perms=False)


def can_prepare(user, body: ConsultationBody) -> bool:
    return user.has_perm("governance.prepare_meetings", body)


def can_see_confidential(user, body: ConsultationBody) -> bool:
    return user.has_perm("governance.view_confidential_items", body)


def is_invited(user, meeting: Meeting) -> bool:
    person = getattr(user, "person", None)
    if not (person and meeting.is_published):
        return False
    return person in meeting.invitations() or any(o.person_id == person.pk for o in meeting.invited_councils())


COUNCIL_ROLES = (Office.Role.GRIFFIER, Office.Role.COUNCIL_MEMBER)


def reads_for_the_council(user, meeting: Meeting) -> bool:
    """Griffiers and council members read the published meetings of the regional bodies of every cooperation
    their municipality participates in on the meeting date (never a draft; never a confidential item)."""
    if not (meeting.is_published and user.is_authenticated):
        return False
    on = timezone.localdate(meeting.starts_at)
    today = timezone.localdate()
    councils = Office.objects.current(today).filter(person__user=user, role__in=COUNCIL_ROLES)
    return meeting.body.covered_municipalities(on).filter(pk__in=councils.values("municipality")).exists()


def submitted_to(user, meeting: Meeting) -> bool:
    """Whoever submitted an item reads the published agenda it is on."""
    return (
        meeting.is_published
        and user.is_authenticated
        and Submission.objects.filter(submitted_by=user, agenda_item__meeting=meeting).exists()
    )


def forwarded_items(user, meeting: Meeting):
    """The items of this meeting that were forwarded from a body the user prepares."""
    if not user.is_authenticated:
        return AgendaItem.objects.none()
    return meeting.items.filter(forwarded_from__meeting__body__in=bodies_prepared_by(user))


def can_see_meeting(user, meeting: Meeting) -> bool:
    # Cheapest first: the invitations are worked out from offices and portfolios.
    return (
        user.has_perm("governance.view_meetings", meeting.body)
        or reads_for_the_council(user, meeting)
        or submitted_to(user, meeting)
        or forwarded_items(user, meeting).exists()
        or is_invited(user, meeting)
    )


def get_body_for_user(user, pk: int, *, prepare: bool = False) -> ConsultationBody:
    body = get_object_or_404(ConsultationBody.objects.select_related("cooperation", "prepares"), pk=pk)
    if not user.has_perm("governance.view_meetings", body):
        raise Http404
    if prepare and not can_prepare(user, body):
        raise PermissionDenied
    return body


def get_meeting_for_user(user, pk: int, *, prepare: bool = False) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("body__cooperation", "body__prepares"), pk=pk)
    if not can_see_meeting(user, meeting):
        raise Http404
    if prepare and not can_prepare(user, meeting.body):
        raise PermissionDenied
    return meeting


def get_item_for_user(user, pk: int, *, prepare: bool = False) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body__prepares", "portfolio"), pk=pk)
    meeting = item.meeting
    if not can_see_meeting(user, meeting):
        raise Http404
    if item.confidential and not can_see_confidential(user, meeting.body):
        raise Http404
    preparer = can_prepare(user, meeting.body)
    # A draft agenda's items are its secretariat's (and a forwarded item its forwarder's): to anyone else
    # they do not exist, so even a page that would refuse them answers 404, not 403.
    if not (meeting.is_published or preparer or forwarded_items(user, meeting).filter(pk=item.pk).exists()):
        raise Http404
    if prepare and not preparer:
        raise PermissionDenied
    return item


def get_version_for_user(user, pk: int) -> DocumentVersion:
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document__item__meeting__body", "document__submission"), pk=pk
    )
    document = version.document
    if document.item_id:
        item = get_item_for_user(user, document.item_id)
        # A draft agenda is its secretariat's, documents included (and a forwarded item's, its forwarder's).
        if not (
            item.meeting.is_published
            or can_prepare(user, item.meeting.body)
            or forwarded_items(user, item.meeting).filter(pk=item.pk).exists()
        ):
            raise Http404
    elif not (document.submission.submitted_by_id == user.pk or is_coordinator(user)):
        raise Http404
    return version


def get_submission_for_user(user, pk: int, *, triage: bool = False) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("municipality", "portfolio", "agenda_item__meeting__body"), pk=pk
    )
    coordinator = is_coordinator(user)
    if not (coordinator or submission.submitted_by_id == user.pk):
        raise Http404
    if triage and not coordinator:
        raise PermissionDenied
    return submission


SUBMITTING_ROLES = {Office.Role.PROJECT_LEADER, Office.Role.MUNICIPAL_SECRETARY, Office.Role.COORDINATING_SECRETARY}


def submitting_municipalities(user):
    """The municipalities a person may submit for: those of their offices as project leader or
    secretary, or those they represent in a body; the coordinator may submit for any."""
    from governance.models import Membership
    from municipalities.models import Municipality

    if is_coordinator(user):
        return Municipality.objects.all()
    person = getattr(user, "person", None)
    if person is None:
        return Municipality.objects.none()
    today = timezone.localdate()
    by_office = Office.objects.current(today).filter(person=person, role__in=SUBMITTING_ROLES)
    by_membership = Membership.objects.current(today).filter(person=person)
    return Municipality.objects.filter(
        pk__in=[
            *by_office.values_list("municipality", flat=True),
            *by_membership.values_list("on_behalf_of", flat=True),
        ]
    )


def invited_items(user) -> QuerySet[AgendaItem]:
    """For an alderman: the items of published meetings to come in their portfolios; for the chair of a
    portfolio-holder meeting also the items of the coordination meetings in its policy area."""
    from django.db.models import Exists, OuterRef, Q

    from governance.models import Membership, Participation

    person = getattr(user, "person", None)
    if person is None:
        return AgendaItem.objects.none()
    today = timezone.localdate()
    offices = Office.objects.current(today).filter(person=person, role=Office.Role.ALDERMAN)
    cooperations = Participation.objects.active_on(today).filter(municipality__in=offices.values("municipality"))
    as_portfolio_holder = Q(
        meeting__body__kind__in=ConsultationBody.INVITING_KINDS - {ConsultationBody.Kind.COORDINATION},
        meeting__body__cooperation__in=cooperations.values("cooperation"),
        portfolio__in=offices.values("portfolios"),
    )
    chairs = Membership.objects.current(today).filter(
        person=person,
        role=Membership.Role.CHAIR,
        body__kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS,
        body__cooperation=OuterRef("meeting__body__cooperation"),
        body__policy_area=OuterRef("portfolio"),
    )
    as_lead = Q(meeting__body__kind=ConsultationBody.Kind.COORDINATION) & Exists(chairs)
    return AgendaItem.objects.filter(
        as_portfolio_holder | as_lead,
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__starts_at__gte=timezone.now(),
        withdrawn=False,
        confidential=False,
    ).order_by("meeting__starts_at", "position")
