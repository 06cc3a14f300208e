"""Forms as a person meets them: dependent selects, the action point owner, defaults, error summary, files."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Membership
from meetings.minutes_views import _ensure_minutes
from meetings.models import ActionPoint, AgendaItem, Attendance, Meeting, Purpose, Submission
from municipalities.models import Office
from tests.factories import OfficeFactory, PersonFactory
from tests.meetings.conftest import add_items, pdf_file

pytestmark = pytest.mark.django_db
D = datetime.date


def options(page: str, select_name: str) -> list[str]:
    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option [^>]*>([^<]*)</option>", select)]


def main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


@pytest.fixture
def project_leader(region):
    person = PersonFactory(with_login=True)
    OfficeFactory(person=person, role=Office.Role.PROJECT_LEADER, municipality=region.haarlem)
    return person.user


@pytest.fixture
def submission(region, project_leader):
    return Submission.objects.create(
        title="Regionale woonagenda",
        explanation="Graag bespreken.",
        municipality=region.haarlem,
        purpose=Purpose.DISCUSSION,
        submitted_by=project_leader,
    )


def plan(body, days: int) -> Meeting:
    meeting = Meeting.for_body(body, timezone.now() + datetime.timedelta(days=days))
    meeting.save()
    return meeting


# The triage route form: the meeting select follows the body.


def test_the_meeting_select_offers_only_the_open_meetings_of_the_chosen_body(
    region, submission, coordinator, secretary, client_for
):
    first, second = plan(region.secretaries, 20), plan(region.secretaries, 40)
    plan(region.administrative, 30)
    published = plan(region.secretaries, 50)
    published.publish(by=secretary)
    client = client_for(coordinator)
    url = reverse("submission_triage", args=[submission.pk, "route"])

    page = client.get(reverse("submission_detail", args=[submission.pk])).content.decode()
    assert options(page, "meeting") == ["---------"]  # no body chosen yet
    assert "Kies eerst het overleg" in page
    # The body select asks for the meetings when it changes; without script a button does.
    body_select = re.search(r'<select name="body"[^>]*>', page).group(0)
    assert f'hx-post="{url}"' in body_select and 'hx-trigger="change"' in body_select
    assert 'hx-select="#route-meeting-field"' in body_select
    assert '<div id="route-meeting-field"' in page
    assert re.search(r"<noscript>.*Toon de vergaderingen van dit overleg.*</noscript>", page, re.S)

    response = client.post(url, {"body": region.secretaries.pk, "refresh": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    expected = [f"{timezone.localtime(m.starts_at):%d-%m-%Y %H:%M}" for m in (first, second)]
    assert options(page, "meeting") == ["---------", *expected]
    assert "Er is een probleem" not in page  # a refresh is not a submit
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_a_meeting_of_another_body_is_refused(region, submission, coordinator, client_for):
    plan(region.secretaries, 20)
    other = plan(region.administrative, 30)
    url = reverse("submission_triage", args=[submission.pk, "route"])
    response = client_for(coordinator).post(url, {"body": region.secretaries.pk, "meeting": other.pk})
    assert response.status_code == 400
    assert "Deze vergadering hoort bij een ander overleg." in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert not other.items.filter(kind=AgendaItem.Kind.REGULAR).exists()


def test_routing_to_a_chosen_meeting_of_the_body(region, submission, coordinator, client_for):
    plan(region.secretaries, 20)
    later = plan(region.secretaries, 40)
    url = reverse("submission_triage", args=[submission.pk, "route"])
    response = client_for(coordinator).post(url, {"body": region.secretaries.pk, "meeting": later.pk})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.agenda_item.meeting == later


# The action point owner: members and attendees first, a search for anyone else.


@pytest.fixture
def held(region, secretary):
    meeting = Meeting.for_body(region.secretaries, timezone.make_aware(datetime.datetime(2026, 10, 5, 9, 0)))
    meeting.save()
    add_items(meeting, secretary, 1)
    meeting.publish(by=secretary)
    meeting.mark_held(by=secretary)
    return meeting


@pytest.fixture
def people(region, held):
    member = PersonFactory(given_name="Mira", surname="Lid")
    Membership.objects.create(
        body=region.secretaries, person=member, role=Membership.Role.MEMBER, starts_on=D(2021, 1, 1)
    )
    OfficeFactory(person=member, municipality=region.haarlem)
    guest = PersonFactory(given_name="Gijs", surname="Gast")
    OfficeFactory(person=guest, role=Office.Role.ALDERMAN, municipality=region.heemstede)
    Attendance.objects.create(meeting=held, person=guest, capacity=Attendance.Capacity.ALDERMAN)
    outsider = PersonFactory(given_name="Otto", surname="Elders")
    OfficeFactory(person=outsider, role=Office.Role.PROJECT_LEADER, municipality=region.velsen)
    return member, guest, outsider


def test_the_owner_select_offers_members_and_attendees_and_a_search_for_everyone(held, people, secretary, client_for):
    member, guest, outsider = people
    page = client_for(secretary).get(reverse("minutes_edit", args=[held.pk])).content.decode()
    item = _ensure_minutes(held).items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    select = re.search(rf'<select name="item{item.pk}-owner"[^>]*>(.*?)</select>', page, re.S).group(1)
    group = re.search(r'<optgroup label="Leden en aanwezigen">(.*?)</optgroup>', select, re.S).group(1)
    assert member.full_name in group and guest.full_name in group
    assert outsider.full_name not in select
    # The search: a labelled text box with the browser's own suggestion list, which holds the others too.
    search_id = f"id_item{item.pk}-owner_search"
    assert re.search(rf'<label class="utrecht-form-label" for="{search_id}">Of iemand anders', page)
    box = re.search(rf'<input [^>]*id="{search_id}"[^>]*>', page).group(0)
    # One list of names for the whole page, whatever the number of items, shared by every item's box.
    assert 'list="action-point-owners"' in box and page.count("<datalist") == 1
    datalist = re.search(r'<datalist id="action-point-owners">(.*?)</datalist>', page, re.S).group(1)
    assert f'<option value="{outsider.full_name}">' in datalist


def test_an_owner_found_by_search_is_saved_and_an_unknown_name_refused(held, people, secretary, client_for):
    _member, _guest, outsider = people
    item = _ensure_minutes(held).items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    client = client_for(secretary)
    url = reverse("action_point_add", args=[item.pk])
    data = {f"item{item.pk}-what": "Notitie rondsturen", f"item{item.pk}-due_on": "2026-11-01"}
    response = client.post(url, {**data, f"item{item.pk}-owner_search": "Niemand Bekend"})
    assert response.status_code == 400
    assert "Niemand met deze naam kan worden gekozen" in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Kies wie het doet" in response.content.decode()
    assert not ActionPoint.objects.exists()

    response = client.post(url, {**data, f"item{item.pk}-owner_search": outsider.full_name.upper()})
    assert response.status_code == 302
    assert ActionPoint.objects.get().owner == outsider


def test_an_owner_from_the_select_is_saved(held, people, secretary, client_for):
    member, _guest, _outsider = people
    item = _ensure_minutes(held).items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    data = {
        f"item{item.pk}-what": "Raad informeren",
        f"item{item.pk}-owner": member.pk,
        f"item{item.pk}-due_on": "2026-11-01",
    }
    response = client_for(secretary).post(reverse("action_point_add", args=[item.pk]), data)
    assert response.status_code == 302
    assert ActionPoint.objects.get().owner == member


# Defaults, the error summary and files.


def test_the_submission_purpose_has_no_empty_choice_and_starts_on_discussion(project_leader, client_for):
    page = client_for(project_leader).get(reverse("submission_create")).content.decode()
    radios = re.findall(r'<input type="radio" name="purpose"[^>]*>', page)
    assert len(radios) == len(Purpose.choices)
    assert not any('value=""' in radio for radio in radios)
    assert "---------" not in re.search(
        r'<fieldset[^>]*>(?:(?!</fieldset>).)*name="purpose".*?</fieldset>', page, re.S
    ).group(0)
    checked = [r for r in radios if " checked" in r]
    assert len(checked) == 1 and 'value="discussion"' in checked[0]


def test_the_error_summary_links_to_every_invalid_field(region, project_leader, client_for):
    response = client_for(project_leader).post(
        reverse("submission_create"), {"kind": "proposal", "municipality": region.haarlem.pk, "purpose": "advice"}
    )
    assert response.status_code == 400
    page = main(response.content.decode())
    summary = re.search(r'<div class="utrecht-alert utrecht-alert--error portal-error-summary"(.*?)</ul>', page, re.S)
    assert summary, "no error summary"
    summary = summary.group(0)
    assert 'role="alert"' in summary and "data-error-summary" in summary
    assert "Er is een probleem" in summary
    links = dict(re.findall(r'<a class="utrecht-link" href="#([^"]+)">([^<]+)</a>', summary))
    assert set(links) == {"id_title", "id_explanation"}
    assert links["id_title"].startswith("Titel:")
    # Each link points at a field that is on the page, and the summary comes before the fields.
    for field_id in links:
        assert f'id="{field_id}"' in page
    assert page.index("Er is een probleem") < page.index('id="id_title"')


def test_a_form_without_errors_has_no_summary(project_leader, client_for):
    page = client_for(project_leader).get(reverse("submission_create")).content.decode()
    assert "Er is een probleem" not in page
    assert "Kies het bestand opnieuw" not in page


def test_a_file_field_that_comes_back_with_an_error_says_to_choose_the_file_again(meeting, secretary, client_for):
    item = add_items(meeting, secretary, 1)[0]
    client = client_for(secretary)
    url = reverse("document_upload", args=[item.pk])
    response = client.post(url, {"title": "x" * 300, "file": pdf_file()})
    assert response.status_code == 400
    page = main(response.content.decode())
    message = "Kies het bestand opnieuw: een browser bewaart een gekozen bestand niet na een fout."
    assert message in page
    # Next to the file field: between its label and its input.
    assert page.index('for="id_file"') < page.index(message) < page.index('id="id_file"')
    assert message not in client.get(url).content.decode()


def test_the_submission_form_also_says_it_for_its_documents(region, project_leader, client_for):
    response = client_for(project_leader).post(
        reverse("submission_create"), {"kind": "proposal", "documents": pdf_file(), "purpose": "advice"}
    )
    assert response.status_code == 400
    assert "Kies het bestand opnieuw" in response.content.decode()
