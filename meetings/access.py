"""The permission-checked fetch per object type: not visible -> 404, visible but not allowed -> 403.

| who                          | see a body's meetings | confidential items | prepare (edit, publish) | triage |
|------------------------------|-----------------------|--------------------|-------------------------|--------|
| regional coordinator         | all bodies            | yes                | yes                     | yes    |
| secretary or chair of body   | yes                   | yes                | yes                     | no     |
| member of body               | yes                   | yes                | no                      | no     |
| advisory member of body      | yes                   | no                 | no                      | no     |
| alderman invited for an item | that published meeting| no                 | no                      | no     |
| anyone else                  | no (404)              | no                 | no                      | no     |

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
    return bool(person and meeting.is_published and person in meeting.invitations())


def can_see_meeting(user, meeting: Meeting) -> bool:
    return user.has_perm("governance.view_meetings", meeting.body) or is_invited(user, meeting)


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
    if prepare and not can_prepare(user, meeting.body):
        raise PermissionDenied
    return item


def get_version_for_user(user, pk: int) -> DocumentVersion:
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document__item__meeting__body", "document__submission"), pk=pk
    )
    document = version.document
    if document.item_id:
        item = get_item_for_user(user, document.item_id)
        # A draft agenda is its secretariat's, documents included.
        if not (item.meeting.is_published or can_prepare(user, item.meeting.body)):
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
