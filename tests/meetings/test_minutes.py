import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from governance.models import ConsultationBody, Membership
from meetings.minutes_views import _ensure_minutes, _fill_attendance
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesPdf,
    StaleAgenda,
    TransitionNotAllowed,
)
from meetings.tasks import render_minutes_pdf
from municipalities.models import Office
from tests.factories import MembershipFactory, OfficeFactory, PersonFactory
from tests.meetings.conftest import add_items

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def held(region, secretary):
    """A meeting of the secretaries' meeting that has been held, with one item, a chair and a member."""
    starts = timezone.make_aware(datetime.datetime(2026, 10, 5, 9, 0))
    meeting = Meeting.for_body(region.secretaries, starts, location="Stadhuis Haarlem")
    meeting.save()
    add_items(meeting, secretary, 1)
    meeting.publish(by=secretary)
    meeting.mark_held(by=secretary)
    return meeting


@pytest.fixture
def next_meeting(region, secretary, held):
    meeting = Meeting.for_body(region.secretaries, held.starts_at + datetime.timedelta(days=14))
    meeting.save()
    return meeting


@pytest.fixture
def owner(region):
    person = PersonFactory(with_login=True, given_name="Olga", surname="Eigenaar")
    OfficeFactory(person=person, role=Office.Role.PROJECT_LEADER, municipality=region.haarlem, starts_on=D(2020, 1, 1))
    return person


def write_minutes(meeting, owner) -> Minutes:
    minutes = _ensure_minutes(meeting)
    item = minutes.items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    item.write(version=0, discussion="De leden bespreken het voorstel.", conclusions="Het overleg stemt in.")
    for what in ("Notitie rondsturen", "Raad informeren"):
        ActionPoint.objects.create(minutes_item=item, what=what, owner=owner, due_on=D(2026, 11, 1))
    return minutes


def test_sending_puts_the_adoption_on_the_next_meeting_and_adopting_stamps_and_locks(
    region, secretary, held, next_meeting, owner
):
    chair = PersonFactory(given_name="Carla", surname="Voorzitter")
    MembershipFactory(body=region.secretaries, person=chair, role=Membership.Role.CHAIR, starts_on=D(2021, 1, 1))
    minutes = write_minutes(held, owner)
    minutes.send(by=secretary)
    adoption = next_meeting.items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    assert adoption.title == "Vaststelling verslag van 5 oktober 2026" and adoption.minutes_to_adopt == minutes
    with pytest.raises(ValidationError):
        minutes.adopt(by=secretary, in_meeting=next_meeting)  # its agenda is not published yet
    next_meeting.publish(by=secretary)
    minutes.adopt(by=secretary, in_meeting=next_meeting)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.ADOPTED
    assert (
        minutes.adoption_line
        == "Aldus vastgesteld in de vergadering van het Overleg gemeentesecretarissen van 19 oktober 2026"
    )
    assert minutes.chair_name == "Carla Voorzitter" and minutes.secretary_name == secretary.person.full_name
    item = minutes.items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    with pytest.raises(TransitionNotAllowed):
        item.write(version=item.version, discussion="Achteraf gewijzigd", conclusions="")


def test_adoption_in_another_body_or_an_earlier_meeting_is_refused(region, secretary, held, owner):
    minutes = write_minutes(held, owner)
    minutes.send(by=secretary)
    other = Meeting.for_body(region.other, held.starts_at + datetime.timedelta(days=7))
    other.save()
    other.publish(by=secretary)
    earlier = Meeting.for_body(region.secretaries, held.starts_at - datetime.timedelta(days=7))
    earlier.save()
    earlier.publish(by=secretary)
    for meeting in (other, earlier):
        with pytest.raises(ValidationError):
            minutes.adopt(by=secretary, in_meeting=meeting)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT


def test_autosave_never_overwrites_newer_text(held, owner):
    minutes = _ensure_minutes(held)
    item = minutes.items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    item.write(version=0, discussion="Uit het eerste tabblad", conclusions="")
    stale = minutes.items.get(pk=item.pk)
    stale.version = 0  # a second tab opened before the first saved
    with pytest.raises(StaleAgenda):
        stale.write(version=0, discussion="Uit het tweede tabblad", conclusions="")
    item.refresh_from_db()
    assert item.discussion == "Uit het eerste tabblad"


def test_autosave_view_answers_409_with_the_newer_text(held, secretary, owner, client_for):
    minutes = _ensure_minutes(held)
    item = minutes.items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    client = client_for(secretary)
    url = reverse("minutes_item_save", args=[item.pk])
    first = client.post(url, {"version": 0, "discussion": "Eerste", "conclusions": ""})
    assert first.status_code == 200 and first.json()["version"] == 1
    second = client.post(url, {"version": 0, "discussion": "Tweede", "conclusions": ""})
    assert second.status_code == 409
    assert second.json()["discussion"] == "Eerste" and "Uw tekst is niet opgeslagen" in second.json()["error"]


def test_autosave_of_a_text_past_its_bound_is_refused_with_a_message_and_saves_nothing(
    held, secretary, owner, client_for
):
    minutes = _ensure_minutes(held)
    item = minutes.items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    url = reverse("minutes_item_save", args=[item.pk])
    response = client_for(secretary).post(url, {"version": 0, "discussion": "x" * 50_001, "conclusions": ""})
    assert response.status_code == 400
    assert "50000" in response.json()["error"].replace(".", "")
    item.refresh_from_db()
    assert item.discussion == "" and item.version == 0


@pytest.mark.parametrize("problem", ["due_before_meeting", "owner_without_office"])
def test_bad_action_points_are_refused(held, secretary, owner, client_for, problem):
    minutes = _ensure_minutes(held)
    item = minutes.items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    nobody = PersonFactory()
    data = {
        f"item{item.pk}-what": "Iets doen",
        f"item{item.pk}-owner": (nobody if problem == "owner_without_office" else owner).pk,
        f"item{item.pk}-due_on": "2026-09-01" if problem == "due_before_meeting" else "2026-11-01",
    }
    response = client_for(secretary).post(reverse("action_point_add", args=[item.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    expected = "vóór de vergadering" if problem == "due_before_meeting" else "bekleedt geen ambt"
    assert expected in page, page[page.find("<main") : page.find("</main>")]
    assert not ActionPoint.objects.exists()


def test_attendance_is_filled_from_the_invitation_list(region, held, secretary):
    member = region.seat(region.secretaries, Membership.Role.MEMBER, region.haarlem)
    _fill_attendance(held)
    rows = {a.person.user_id: a for a in held.attendance.select_related("person")}
    assert rows[member.pk].capacity == Attendance.Capacity.MEMBER and rows[member.pk].on_behalf_of == region.haarlem
    assert rows[secretary.pk].capacity == Attendance.Capacity.SECRETARY and rows[secretary.pk].took_minutes
    _fill_attendance(held)  # a second time adds nobody
    assert held.attendance.count() == len(rows)


def test_the_minutes_pdf_is_a_concept_until_adopted_then_carries_the_adoption(
    region, secretary, held, next_meeting, owner
):
    minutes = write_minutes(held, owner)
    minutes.send(by=secretary)
    concept = MinutesPdf.objects.get(pk=render_minutes_pdf(minutes.pk))
    next_meeting.publish(by=secretary)
    minutes.adopt(by=secretary, in_meeting=next_meeting)
    adopted = MinutesPdf.objects.get(pk=render_minutes_pdf(minutes.pk))
    assert render_minutes_pdf(minutes.pk) == adopted.pk  # once per status

    def text(pdf):
        with pdf.file.open("rb") as handle:
            return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)

    assert "CONCEPT" in text(concept) and "Aldus vastgesteld" not in text(concept)
    final = text(adopted)
    assert "CONCEPT" not in final
    assert "Aldus vastgesteld in de vergadering van het Overleg gemeentesecretarissen van 19 oktober 2026" in final
    assert secretary.person.full_name in final and "de secretaris," in final and "de voorzitter," in final
    assert "Notitie rondsturen" in final and "Raad informeren" in final and "Olga Eigenaar" in final


def test_an_erratum_after_adoption(region, secretary, held, next_meeting, owner, client_for):
    minutes = write_minutes(held, owner)
    minutes.send(by=secretary)
    client = client_for(secretary)
    url = reverse("minutes_transition", args=[minutes.pk, "erratum"])
    assert client.post(url, {"correction": "x", "reason": "y"}).status_code == 409  # not adopted yet
    next_meeting.publish(by=secretary)
    minutes.adopt(by=secretary, in_meeting=next_meeting)
    assert client.post(url, {"correction": "Naam van de gast gecorrigeerd", "reason": "Typfout"}).status_code == 302
    assert "Naam van de gast gecorrigeerd" in client.get(reverse("minutes_detail", args=[minutes.pk])).content.decode()


@pytest.mark.parametrize(
    ("role", "edit", "read_sent", "comment"),
    [
        ("secretary", 200, 200, 302),
        ("member", 403, 200, 302),
        ("advisory", 403, 200, 302),
        ("outsider", 404, 404, 404),
    ],
)
def test_minutes_permission_matrix(
    region, secretary, held, owner, outsider, client_for, role, edit, read_sent, comment
):
    users = {
        "secretary": secretary,
        "member": region.seat(region.secretaries, Membership.Role.MEMBER),
        "advisory": region.seat(region.secretaries, Membership.Role.ADVISORY_MEMBER),
        "outsider": outsider,
    }
    minutes = write_minutes(held, owner)
    client = client_for(users[role])
    draft_read = client.get(reverse("minutes_detail", args=[minutes.pk])).status_code
    assert draft_read == (200 if role == "secretary" else 404)  # a draft is the secretary's
    assert client.get(reverse("minutes_edit", args=[held.pk])).status_code == edit
    minutes.send(by=secretary)
    assert client.get(reverse("minutes_detail", args=[minutes.pk])).status_code == read_sent
    response = client.post(reverse("minutes_transition", args=[minutes.pk, "comment"]), {"text": "Graag aanvullen"})
    assert response.status_code == comment


def test_adopted_minutes_are_readable_for_office_holders_in_the_cooperation(
    region, secretary, held, next_meeting, owner, client_for
):
    minutes = write_minutes(held, owner)
    minutes.send(by=secretary)
    next_meeting.publish(by=secretary)
    minutes.adopt(by=secretary, in_meeting=next_meeting)
    # The owner is a project leader in Haarlem, which participates, but sits in no body.
    assert client_for(owner.user).get(reverse("minutes_detail", args=[minutes.pk])).status_code == 200


def test_the_owner_marks_an_action_point_done_and_the_lists_keep_their_query_count(
    region, secretary, held, owner, client_for, django_assert_max_num_queries
):
    minutes = _ensure_minutes(held)
    item = minutes.items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)

    def make(count):
        for n in range(count):
            ActionPoint.objects.create(
                minutes_item=item, what=f"Actie {n}", owner=owner, due_on=D(2026, 10, 10 + n % 20)
            )

    mine, body = client_for(owner.user), client_for(secretary)
    make(5)
    with CaptureQueriesContext(connection) as small_mine:
        mine.get(reverse("my_action_points"))
    with CaptureQueriesContext(connection) as small_body:
        body.get(reverse("body_action_list", args=[region.secretaries.pk]))
    make(45)
    with django_assert_max_num_queries(len(small_mine)):
        page = mine.get(reverse("my_action_points")).content.decode()
    assert page.count('cell">Actie ') == 50
    with django_assert_max_num_queries(len(small_body)):
        body.get(reverse("body_action_list", args=[region.secretaries.pk]))
    first = ActionPoint.objects.first()
    assert mine.post(reverse("action_point_close", args=[first.pk, "done"])).status_code == 302
    first.refresh_from_db()
    assert first.status == ActionPoint.Status.DONE and first.closed_by == owner.user and first.closed_at


def test_attendance_of_adopted_minutes_no_longer_changes(region, secretary, held, next_meeting, owner, client_for):
    minutes = write_minutes(held, owner)
    _fill_attendance(held)
    minutes.send(by=secretary)
    next_meeting.publish(by=secretary)
    minutes.adopt(by=secretary, in_meeting=next_meeting)
    row = held.attendance.first()
    response = client_for(secretary).post(reverse("attendance_edit", args=[held.pk]), {f"presence-{row.pk}": "absent"})
    assert response.status_code == 409
    row.refresh_from_db()
    assert row.presence == Attendance.Presence.PRESENT


def test_attendance_is_not_kept_for_a_planned_meeting(next_meeting, secretary, client_for):
    assert client_for(secretary).get(reverse("attendance_edit", args=[next_meeting.pk])).status_code == 409
    assert not next_meeting.attendance.exists()


@pytest.mark.parametrize("value", ["abc", "", "999999"])
def test_adopting_with_a_bad_meeting_value_is_a_clear_refusal(secretary, held, owner, client_for, value):
    minutes = write_minutes(held, owner)
    minutes.send(by=secretary)
    response = client_for(secretary).post(reverse("minutes_transition", args=[minutes.pk, "adopt"]), {"meeting": value})
    assert response.status_code == 409
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT


def test_closing_an_action_point_never_redirects_to_another_site(held, owner, client_for):
    minutes = write_minutes(held, owner)
    point = ActionPoint.objects.filter(minutes_item__minutes=minutes).first()
    response = client_for(owner.user).post(
        reverse("action_point_close", args=[point.pk, "done"]), {"next": "https://elders.example/x"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("my_action_points")


@pytest.mark.parametrize(
    ("body_name", "line"),
    [
        (
            "Regionale agendacommissie",
            "Aldus vastgesteld in de vergadering van de Regionale agendacommissie van 3 december 2026",
        ),
        (
            "Bestuurlijk afstemmingsoverleg",
            "Aldus vastgesteld in de vergadering van het Bestuurlijk afstemmingsoverleg van 3 december 2026",
        ),
    ],
)
def test_the_adoption_line_names_the_body_with_its_article_on_the_page_and_in_the_pdf(
    region, owner, client_for, body_name, line
):
    from tests.factories import ConsultationBodyFactory

    body = ConsultationBody.objects.filter(name=body_name).first() or ConsultationBodyFactory(
        name=body_name, kind=ConsultationBody.Kind.REGIONAL_AGENDA_COMMITTEE, cooperation=region.cooperation
    )
    secretary = region.seat(body, Membership.Role.SECRETARY)
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 12, 3, 20, 0)), tick=False):
        held = Meeting.for_body(body, timezone.make_aware(datetime.datetime(2026, 11, 19, 19, 30)))
        held.save()
        add_items(held, secretary, 1)
        held.publish(by=secretary)
        held.mark_held(by=secretary)
        adopting = Meeting.for_body(body, timezone.make_aware(datetime.datetime(2026, 12, 3, 19, 30)))
        adopting.save()
        minutes = write_minutes(held, owner)
        minutes.send(by=secretary)
        adopting.publish(by=secretary)
        minutes.adopt(by=secretary, in_meeting=adopting)
        page = client_for(secretary).get(reverse("minutes_detail", args=[minutes.pk])).content.decode()
        pdf = MinutesPdf.objects.get(pk=render_minutes_pdf(minutes.pk))
    assert f"{line}." in page
    with pdf.file.open("rb") as handle:
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert f"{line}." in text
