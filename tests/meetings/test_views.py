import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from governance.models import ConsultationBody, Membership
from meetings.models import AgendaItem, Meeting, Purpose, Submission
from municipalities.models import Office
from tests.factories import OfficeFactory, PersonFactory, PortfolioFactory
from tests.meetings.conftest import add_items, pdf_file

pytestmark = pytest.mark.django_db


def test_planning_a_meeting_with_the_body_defaults(region, secretary, client_for):
    response = client_for(secretary).post(
        reverse("meeting_create", args=[region.secretaries.pk]),
        {"starts_at": "2027-03-02T09:00", "ends_at": "2027-03-02T11:00", "location": "Stadhuis"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2027-03-02 09:00"
    # Ten days before is Saturday 20 February: the working-day rule makes it the Friday before.
    assert meeting.agenda_deadline == meeting.starts_at - datetime.timedelta(days=11)
    assert meeting.items.count() == 5


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        (
            {"starts_at": "2027-03-02T09:00", "ends_at": "2027-03-02T08:00"},
            "De vergadering moet eindigen na het begin.",
        ),
        (
            {"starts_at": "2027-03-02T09:00", "agenda_deadline": "2027-03-03T09:00"},
            "De agenda moet sluiten voordat de vergadering begint.",
        ),
        ({"starts_at": "morgen"}, "Voer een geldige datum/tijd in."),
    ],
)
def test_bad_meeting_input_gets_a_clear_message_and_saves_nothing(region, secretary, client_for, data, field_message):
    response = client_for(secretary).post(reverse("meeting_create", args=[region.secretaries.pk]), data)
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_series_from_the_cadence_skips_existing_meetings(region, secretary, client_for):
    body = region.secretaries
    body.frequency, body.weekday, body.week_of_month = (
        ConsultationBody.Frequency.MONTHLY,
        ConsultationBody.Weekday.TUESDAY,
        ConsultationBody.WeekOfMonth.FIRST,
    )
    body.save()
    client = client_for(secretary)
    data = {"first_day": "2027-01-01", "last_day": "2027-06-30", "start_time": "09:00"}
    assert client.post(reverse("meeting_series_create", args=[body.pk]), data).status_code == 302
    days = [timezone.localtime(m.starts_at).date() for m in body.meetings.order_by("starts_at")]
    assert days == [datetime.date(2027, m, d) for m, d in [(1, 5), (2, 2), (3, 2), (4, 6), (5, 4), (6, 1)]]
    client.post(reverse("meeting_series_create", args=[body.pk]), data)
    assert body.meetings.count() == 6


def test_two_secretaries_reordering_at_once_lose_nothing(meeting, secretary, region, client_for):
    other = region.seat(region.secretaries, Membership.Role.CHAIR)
    first, _second, third = add_items(meeting, secretary, 3)
    seen = meeting.agenda_version
    move = reverse("item_move", args=[third.pk])
    assert client_for(secretary).post(move, {"version": seen, "direction": "up"}).status_code == 302
    response = client_for(other).post(reverse("item_move", args=[first.pk]), {"version": seen, "direction": "down"})
    assert response.status_code == 409
    assert "Iemand anders heeft deze agenda gewijzigd" in response.content.decode()
    order = list(meeting.items.filter(kind=AgendaItem.Kind.REGULAR).values_list("title", "position"))
    assert order == [("Agendapunt 1", 4), ("Agendapunt 3", 5), ("Agendapunt 2", 6)]


def test_moving_with_htmx_returns_the_renumbered_agenda(meeting, secretary, client_for):
    _first, second = add_items(meeting, secretary, 2)
    response = client_for(secretary).post(
        reverse("item_move", args=[second.pk]),
        {"version": meeting.agenda_version, "position": 4},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="agenda"')
    assert page.index("Agendapunt 2") < page.index("Agendapunt 1")


def test_a_published_agenda_change_without_reason_is_refused(meeting, secretary, client_for):
    item = add_items(meeting, secretary, 1)[0]
    meeting.publish(by=secretary)
    client = client_for(secretary)
    response = client.post(reverse("item_remove", args=[item.pk]), {"version": meeting.agenda_version})
    assert response.status_code == 400
    assert "geef de reden" in response.content.decode().lower()
    item.refresh_from_db()
    assert not item.withdrawn
    response = client.post(
        reverse("item_remove", args=[item.pk]), {"version": meeting.agenda_version, "reason": "Ingetrokken"}
    )
    assert response.status_code == 302
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Ingetrokken" in page and "vervallen" in page


def test_publishing_twice_says_it_already_happened_not_an_error(meeting, secretary, client_for):
    client = client_for(secretary)
    assert client.post(reverse("meeting_transition", args=[meeting.pk, "publish"])).status_code == 302
    meeting.refresh_from_db()
    response = client.post(reverse("meeting_transition", args=[meeting.pk, "publish"]), follow=True)
    assert response.status_code == 200
    with translation.override("nl"):
        said = gettext("This agenda was already published on %(date)s.") % {
            "date": date_format(timezone.localtime(meeting.published_at), "j F Y, H:i")
        }
    assert [str(m) for m in response.context["messages"]][-1] == said
    assert Meeting.objects.get(pk=meeting.pk).published_at == meeting.published_at


def test_a_cancelled_meeting_stays_visible_as_cancelled(meeting, secretary, client_for):
    client = client_for(secretary)
    client.post(reverse("meeting_transition", args=[meeting.pk, "cancel"]), {"reason": "Geen agendapunten"})
    page = client.get(reverse("body_detail", args=[meeting.body_id])).content.decode()
    assert "geannuleerd" in page
    assert "Geen agendapunten" in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()


# Submission and triage.


@pytest.fixture
def project_leader(region):
    person = PersonFactory(with_login=True)
    OfficeFactory(person=person, role=Office.Role.PROJECT_LEADER, municipality=region.haarlem)
    return person.user


def submit(client, region, **extra):
    data = {
        "kind": "proposal",
        "title": "Regionale woonagenda",
        "explanation": "Graag bespreken.",
        "municipality": region.haarlem.pk,
        "purpose": Purpose.CONSENT,
        **extra,
    }
    return client.post(reverse("submission_create"), data)


def test_a_project_leader_submits_and_follows_the_status(region, project_leader, client_for):
    client = client_for(project_leader)
    response = submit(client, region, documents=[pdf_file("bijlage.pdf")])
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.submitted_by == project_leader and submission.documents.count() == 1
    page = client.get(reverse("my_submissions")).content.decode()
    assert "Regionale woonagenda" in page and "wacht op triage" in page


def test_submitting_for_another_municipality_is_refused(region, project_leader, client_for):
    response = submit(client_for(project_leader), region, municipality=region.velsen.pk)
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_routing_puts_the_submission_with_documents_on_the_next_open_meeting(
    region, meeting, project_leader, coordinator, client_for
):
    submit(client_for(project_leader), region, documents=[pdf_file("bijlage.pdf")])
    submission = Submission.objects.get()
    response = client_for(coordinator).post(
        reverse("submission_triage", args=[submission.pk, "route"]), {"body": region.secretaries.pk}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ROUTED
    item = submission.agenda_item
    assert item.meeting == meeting and item.title == "Regionale woonagenda" and item.number == 4
    assert [d.title for d in item.documents.all()] == ["bijlage.pdf"]
    page = client_for(project_leader).get(reverse("submission_detail", args=[submission.pk])).content.decode()
    assert "geagendeerd" in page


def test_routing_to_a_cancelled_meeting_or_a_body_without_meetings_is_refused(
    region, meeting, project_leader, coordinator, client_for
):
    submit(client_for(project_leader), region)
    submission = Submission.objects.get()
    meeting.cancel(by=coordinator, reason="Vervalt")
    client = client_for(coordinator)
    url = reverse("submission_triage", args=[submission.pk, "route"])
    response = client.post(url, {"body": region.secretaries.pk, "meeting": meeting.pk})
    assert response.status_code == 400
    assert "kies een geplande vergadering" in response.content.decode()
    response = client.post(url, {"body": region.secretaries.pk})
    assert response.status_code == 400
    assert "heeft geen volgende vergadering gepland" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_answer_and_send_back(region, project_leader, coordinator, client_for):
    client = client_for(project_leader)
    submit(client, region, title="Vraag 1")
    submit(client, region, title="Vraag 2")
    first, second = Submission.objects.order_by("pk")
    triage = client_for(coordinator)
    triage.post(reverse("submission_triage", args=[first.pk, "answer"]), {"answer": "Zie besluit van maart."})
    triage.post(reverse("submission_triage", args=[second.pk, "send-back"]), {"reason": "Eerst ambtelijk afstemmen."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.answer) == (Submission.Status.ANSWERED, "Zie besluit van maart.")
    assert (second.status, second.return_reason) == (Submission.Status.RETURNED, "Eerst ambtelijk afstemmen.")
    assert client.post(reverse("submission_triage", args=[second.pk, "resubmit"])).status_code == 302
    second.refresh_from_db()
    assert second.status == Submission.Status.SUBMITTED
    # The submitter cannot triage.
    assert client.post(reverse("submission_triage", args=[second.pk, "answer"]), {"answer": "x"}).status_code == 403


# Query counts at 5 and at 50 rows.


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_agenda_page_queries_do_not_grow_with_items(meeting, secretary, client_for, django_assert_max_num_queries):
    housing = PortfolioFactory(name="Wonen")
    client = client_for(secretary)

    def grow(count):
        for item in add_items(meeting, secretary, count, portfolio=housing):
            item.documents.create(title="Stuk").add_version(pdf_file(), by=secretary, content_type="application/pdf")

    grow(5)
    few = count_queries(client, reverse("meeting_agenda", args=[meeting.pk]))
    detail = count_queries(client, reverse("meeting_detail", args=[meeting.pk]))
    grow(45)
    with django_assert_max_num_queries(few):
        client.get(reverse("meeting_agenda", args=[meeting.pk]))
    with django_assert_max_num_queries(detail):
        client.get(reverse("meeting_detail", args=[meeting.pk]))


def test_triage_inbox_queries_do_not_grow(
    region, project_leader, coordinator, client_for, django_assert_max_num_queries
):
    submitter = client_for(project_leader)
    for n in range(5):
        submit(submitter, region, title=f"Inzending {n}")
    client = client_for(coordinator)
    few = count_queries(client, reverse("triage_inbox"))
    for n in range(55):
        submit(submitter, region, title=f"Inzending {n + 5}")
    with django_assert_max_num_queries(few):
        page = client.get(reverse("triage_inbox")).content.decode()
    # Sixty wait; the oldest fifty are on the first page, the count names all of them.
    assert page.count(">Inzending ") == 50
    assert "60 inzendingen wachten" in page and "Pagina 1 van 2" in page
    assert ">Inzending 0<" in page and ">Inzending 50<" not in page
    last = client.get(reverse("triage_inbox"), {"pagina": "99", "per_page": "1000000"}).content.decode()
    assert last.count(">Inzending ") == 60 and "Pagina 1 van 1" not in last
    beyond = client.get(reverse("triage_inbox"), {"pagina": "99"}).content.decode()
    assert ">Inzending 59<" in beyond and ">Inzending 0<" not in beyond and "Pagina 2 van 2" in beyond


def test_my_work_queries_do_not_grow(region, secretary, client_for, django_assert_max_num_queries):
    def plan(count):
        for days in range(count):
            meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=10 + days))
            meeting.save()
            add_items(meeting, secretary, 1)

    client = client_for(secretary)
    plan(5)
    few = count_queries(client, reverse("my_work"))
    plan(45)
    with django_assert_max_num_queries(few):
        client.get(reverse("my_work"))
