"""Confidential means confidential everywhere, and those who need to see a meeting can (docs/adr/0006)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from governance.models import ConsultationBody, Membership
from meetings.models import AgendaPdf, Meeting, Purpose, Submission
from meetings.tasks import render_agenda_pdf
from municipalities.models import Office
from tests.factories import (
    ConsultationBodyFactory,
    CooperationFactory,
    MunicipalityFactory,
    OfficeFactory,
    ParticipationFactory,
    PersonFactory,
)
from tests.meetings.conftest import add_items

pytestmark = pytest.mark.django_db
D = datetime.date
SECRET = "Vertrouwelijk: personele bezetting regionaal bureau"


@pytest.fixture
def people(region, coordinator):
    return {
        "secretary": region.seat(region.secretaries, Membership.Role.SECRETARY),
        "member": region.seat(region.secretaries, Membership.Role.MEMBER, region.heemstede),
        "advisory": region.seat(region.secretaries, Membership.Role.ADVISORY_MEMBER),
    }


@pytest.fixture
def published(region, meeting, people):
    """Items 3 and 4 regular, 5 confidential, 6 regular; a change to the confidential item after publishing."""
    secretary = people["secretary"]
    add_items(meeting, secretary, 2)
    meeting.add_item(version=None, by=secretary, title=SECRET, purpose=Purpose.DISCUSSION, confidential=True)
    meeting.add_item(version=None, by=secretary, title="Regionale woonagenda", purpose=Purpose.DISCUSSION)
    meeting.publish(by=secretary)
    secret = meeting.items.get(title=SECRET)
    meeting.refresh_from_db()
    meeting.update_item(
        secret, version=meeting.agenda_version, by=secretary, reason="Stukken aangevuld", explanation="Nieuw"
    )
    return meeting


def numbers_on_page(page: str) -> list[str]:
    import re

    return re.findall(r'portal-agenda__number">(\d+)\.', page)


def test_an_advisory_member_sees_no_trace_of_a_confidential_item(published, people, client_for):
    secret = published.items.get(title=SECRET)
    advisory = client_for(people["advisory"]).get(reverse("meeting_detail", args=[published.pk])).content.decode()
    member = client_for(people["member"]).get(reverse("meeting_detail", args=[published.pk])).content.decode()
    assert SECRET in member and "Stukken aangevuld" in member  # members see it as before, with its addendum
    assert SECRET not in advisory and "Stukken aangevuld" not in advisory
    # Numbered without a gap: nothing tells that an item was left out.
    total = published.items.count()
    assert numbers_on_page(member) == [str(n) for n in range(1, total + 1)]
    assert numbers_on_page(advisory) == [str(n) for n in range(1, total)]
    assert secret.number == secret.position


def test_the_agenda_pdf_leaves_the_confidential_item_out_without_a_gap(published):
    render_agenda_pdf(published.pk)
    pdf = AgendaPdf.objects.get(meeting=published)
    with pdf.file.open("rb") as handle:
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert SECRET not in text and "Stukken aangevuld" not in text
    woonagenda = published.items.get(title="Regionale woonagenda")
    assert f"{woonagenda.position - 1}. Regionale woonagenda" in text


@pytest.mark.parametrize(
    ("role", "status"), [("secretary", 200), ("member", 403), ("advisory", 403), ("outsider", 404)]
)
def test_the_invitation_list_is_the_secretariats(published, people, outsider, client_for, role, status):
    user = outsider if role == "outsider" else people[role]
    response = client_for(user).get(reverse("invitation_list", args=[published.pk]))
    assert response.status_code == status
    if status != 200:
        assert SECRET not in response.content.decode()


@pytest.fixture
def griffiers(region):
    def griffier(municipality, role=Office.Role.GRIFFIER):
        person = PersonFactory(with_login=True)
        OfficeFactory(person=person, role=role, municipality=municipality, starts_on=D(2020, 1, 1))
        return person.user

    return {
        "griffier Haarlem": griffier(region.haarlem),
        "council member Heemstede": griffier(region.heemstede, Office.Role.COUNCIL_MEMBER),
        "griffier Velsen": griffier(region.velsen),  # Velsen is outside the cooperation
    }


def test_griffiers_and_council_members_read_published_meetings_of_their_cooperation(
    region, published, people, griffiers, client_for
):
    draft = Meeting.for_body(region.administrative, timezone.now() + datetime.timedelta(days=40))
    draft.save()
    add_items(draft, people["secretary"], 1)
    for who, sees in (("griffier Haarlem", True), ("council member Heemstede", True), ("griffier Velsen", False)):
        client = client_for(griffiers[who])
        response = client.get(reverse("meeting_detail", args=[published.pk]))
        assert response.status_code == (200 if sees else 404), who
        if sees:
            page = response.content.decode()
            assert "Regionale woonagenda" in page and SECRET not in page
        assert client.get(reverse("meeting_detail", args=[draft.pk])).status_code == 404  # never a draft
        secret = published.items.get(title=SECRET)
        assert client.get(reverse("item_update", args=[secret.pk])).status_code == 404


def test_a_joint_council_meeting_belongs_to_the_cooperations_it_joins(region, client_for):
    ijmond = CooperationFactory(name="IJmond")
    ParticipationFactory(cooperation=ijmond, municipality=region.velsen, joined_on=D(2018, 1, 1))
    haarlemmermeer = MunicipalityFactory(name="Haarlemmermeer")
    joint = ConsultationBodyFactory(
        name="Regionale raadsbijeenkomst", kind=ConsultationBody.Kind.JOINT_COUNCIL, cooperation=region.cooperation
    )
    joint.also_joins.set([ijmond])
    meeting = Meeting.for_body(joint, timezone.now() + datetime.timedelta(days=30), status=Meeting.Status.PUBLISHED)
    meeting.save()
    invited = {name: PersonFactory(with_login=True) for name in ("Haarlem", "Velsen", "Haarlemmermeer")}
    places = {"Haarlem": region.haarlem, "Velsen": region.velsen, "Haarlemmermeer": haarlemmermeer}
    for name, person in invited.items():
        OfficeFactory(person=person, role=Office.Role.COUNCIL_MEMBER, municipality=places[name])
    assert {o.municipality.name for o in meeting.invited_councils()} == {"Haarlem", "Velsen"}
    assert client_for(invited["Velsen"].user).get(reverse("meeting_detail", args=[meeting.pk])).status_code == 200
    outside = client_for(invited["Haarlemmermeer"].user)
    assert outside.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404


def test_a_submitter_reads_the_published_agenda_their_item_is_on(region, published, people, client_for):
    project_leader = PersonFactory(with_login=True)
    OfficeFactory(person=project_leader, role=Office.Role.PROJECT_LEADER, municipality=region.haarlem)
    item = published.items.get(title="Regionale woonagenda")
    Submission.objects.create(
        title="Regionale woonagenda",
        explanation="Graag bespreken.",
        submitted_by=project_leader.user,
        municipality=region.haarlem,
        purpose=Purpose.DISCUSSION,
        status=Submission.Status.ROUTED,
        agenda_item=item,
    )
    page = client_for(project_leader.user).get(reverse("meeting_detail", args=[published.pk]))
    assert page.status_code == 200 and SECRET not in page.content.decode()


def test_a_forwarding_secretary_reads_the_meeting_the_item_went_to(region, meeting, people, client_for):
    secretary = people["secretary"]
    held_item = add_items(meeting, secretary, 1)[0]
    target = Meeting.for_body(region.administrative, timezone.now() + datetime.timedelta(days=35))
    target.save()
    other = target.add_item(version=None, by=None, title="Ander punt van het bestuur", purpose=Purpose.DISCUSSION)
    forwarded = held_item.forward(to=target, by=secretary)
    page = client_for(secretary).get(reverse("meeting_detail", args=[target.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    # The target agenda is a draft: the forwarder sees the forwarded item, not the others.
    assert forwarded.title in content and other.title not in content


def test_a_link_to_another_meeting_shows_only_where_it_opens(region, meeting, people, client_for):
    secretary, member = people["secretary"], people["member"]
    item = add_items(meeting, secretary, 1)[0]
    meeting.publish(by=secretary)
    target = Meeting.for_body(region.administrative, timezone.now() + datetime.timedelta(days=35))
    target.save()
    item.forward(to=target, by=secretary)
    link = f'href="{reverse("meeting_detail", args=[target.pk])}"'
    assert link in client_for(secretary).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    member_page = client_for(member).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Doorgestuurd naar" in member_page and link not in member_page  # the member cannot open it
    assert client_for(member).get(reverse("meeting_detail", args=[target.pk])).status_code == 404
