"""Who may do what with a body's meetings: every role x action, on their own body and on another."""

import pytest
from django.urls import reverse

from governance.models import Membership
from meetings.models import Meeting, Purpose
from tests.meetings.conftest import add_items

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "secretary", "chair", "member", "advisory", "other_secretary", "outsider"]


@pytest.fixture
def users(region, coordinator, outsider):
    return {
        "coordinator": coordinator,
        "secretary": region.seat(region.secretaries, Membership.Role.SECRETARY),
        "chair": region.seat(region.secretaries, Membership.Role.CHAIR, region.haarlem),
        "member": region.seat(region.secretaries, Membership.Role.MEMBER, region.heemstede),
        "advisory": region.seat(region.secretaries, Membership.Role.ADVISORY_MEMBER),
        "other_secretary": region.seat(region.other, Membership.Role.SECRETARY),
        "outsider": outsider,
    }


@pytest.fixture
def published(meeting, users):
    secretary = users["secretary"]
    add_items(meeting, secretary, 1)
    meeting.add_item(version=None, by=secretary, title="Geheim dossier", purpose=Purpose.DISCUSSION, confidential=True)
    meeting.publish(by=secretary)
    return meeting


# role -> expected status per action. 200/302: allowed; 403: visible, not allowed; 404: not visible.
# The meeting is a draft: its items are its secretariat's, so to a member an item does not exist (404).
MATRIX = {
    #                   body  meeting builder add  publish confidential-item
    "coordinator":     (200, 200, 200, 302, 302, 200),
    "secretary":       (200, 200, 200, 302, 302, 200),
    "chair":           (200, 200, 200, 302, 302, 200),
    "member":          (200, 200, 403, 403, 403, 404),
    "advisory":        (200, 200, 403, 403, 403, 404),
    "other_secretary": (404, 404, 404, 404, 404, 404),
    "outsider":        (404, 404, 404, 404, 404, 404),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, region, meeting, users, client_for):
    secretary = users["secretary"]
    add_items(meeting, secretary, 1)
    secret = meeting.add_item(version=None, by=secretary, title="Geheim", purpose=Purpose.DISCUSSION, confidential=True)
    client = client_for(users[role])
    add = {"version": meeting.agenda_version, "title": "Nieuw punt", "purpose": Purpose.INFORMATION}
    statuses = (
        client.get(reverse("body_detail", args=[region.secretaries.pk])).status_code,
        client.get(reverse("meeting_detail", args=[meeting.pk])).status_code,
        client.get(reverse("meeting_agenda", args=[meeting.pk])).status_code,
        client.post(reverse("item_create", args=[meeting.pk]), add).status_code,
        client.post(reverse("meeting_transition", args=[meeting.pk, "publish"])).status_code,
        client.get(reverse("item_update", args=[secret.pk])).status_code,
    )
    assert statuses == MATRIX[role]
    meeting.refresh_from_db()
    allowed = MATRIX[role][3] == 302
    assert meeting.items.filter(title="Nieuw punt").exists() == allowed
    assert (meeting.status == Meeting.Status.PUBLISHED) == allowed


@pytest.mark.parametrize(
    ("role", "sees_secret"),
    [("coordinator", True), ("secretary", True), ("member", True), ("advisory", False)],
)
def test_confidential_items_are_shown_to_members_only(role, sees_secret, published, users, client_for):
    page = client_for(users[role]).get(reverse("meeting_detail", args=[published.pk])).content.decode()
    assert "Agendapunt 1" in page
    assert ("Geheim dossier" in page) == sees_secret


def test_a_draft_agenda_is_not_shown_to_members(meeting, users, client_for):
    add_items(meeting, users["secretary"], 1)
    page = client_for(users["member"]).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Agendapunt 1" not in page
    assert "De agenda wordt voorbereid en is nog niet gepubliceerd." in page


def test_an_invited_alderman_sees_the_published_meeting_but_not_its_confidential_items(region, users, client_for):
    import datetime

    from django.utils import timezone

    from municipalities.models import Office
    from tests.factories import OfficeFactory, PersonFactory, PortfolioFactory

    housing = PortfolioFactory(name="Wonen")
    alderman = PersonFactory(with_login=True)
    OfficeFactory(person=alderman, role=Office.Role.ALDERMAN, municipality=region.haarlem, portfolios=[housing])
    secretary = users["secretary"]
    meeting = Meeting.for_body(region.administrative, timezone.now() + datetime.timedelta(days=7))
    meeting.save()
    meeting.add_item(version=None, by=secretary, title="Woonagenda", purpose=Purpose.CONSENT, portfolio=housing)
    meeting.add_item(version=None, by=secretary, title="Geheim", purpose=Purpose.DISCUSSION, confidential=True)
    client = client_for(alderman.user)
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404  # not yet published
    meeting.publish(by=secretary)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Woonagenda" in page and "Geheim" not in page
    invitations = client.get(reverse("my_invitations")).content.decode()
    assert "Woonagenda" in invitations
    assert client.get(reverse("meeting_agenda", args=[meeting.pk])).status_code == 403


def test_rights_follow_the_membership_period(region, meeting, client_for):
    import datetime

    from tests.factories import MembershipFactory, PersonFactory

    person = PersonFactory(with_login=True)
    membership = MembershipFactory(
        body=region.secretaries, person=person, role=Membership.Role.SECRETARY, starts_on=datetime.date(2021, 1, 1)
    )
    client = client_for(person.user)
    assert client.get(reverse("meeting_agenda", args=[meeting.pk])).status_code == 200
    membership.ends_on = datetime.date(2022, 12, 31)
    membership.save()
    assert client.get(reverse("meeting_agenda", args=[meeting.pk])).status_code == 404


def test_triage_is_for_the_coordinator_only(users, client_for):
    assert client_for(users["coordinator"]).get(reverse("triage_inbox")).status_code == 200
    assert client_for(users["secretary"]).get(reverse("triage_inbox")).status_code == 404
