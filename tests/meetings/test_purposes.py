import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import AgendaItem, AgendaPdf, Purpose, Submission
from meetings.tasks import render_agenda_pdf
from municipalities.models import Office
from tests.factories import OfficeFactory, PersonFactory

pytestmark = pytest.mark.django_db

NEW_PURPOSES = [
    (Purpose.DECISION, "ter besluitvorming"),
    (Purpose.ADVICE, "ter advisering"),
    (Purpose.ADOPTION, "ter vaststelling"),
]


def test_the_item_form_offers_every_purpose_in_order(meeting, secretary, client_for):
    page = client_for(secretary).get(reverse("meeting_agenda", args=[meeting.pk])).content.decode()
    labels = [
        "ter informatie",
        "ter bespreking",
        "ter advisering",
        "voor een regionaal standpunt",
        "ter besluitvorming",
        "ter vaststelling",
        "ter instemming door elk college",
    ]
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)


@pytest.mark.parametrize(("purpose", "label"), NEW_PURPOSES)
def test_an_item_with_a_new_purpose_shows_it_on_the_page_and_in_the_agenda_pdf(
    meeting, secretary, client_for, purpose, label
):
    client = client_for(secretary)
    data = {"version": meeting.agenda_version, "title": "Regionale woonvisie", "purpose": purpose}
    assert client.post(reverse("item_create", args=[meeting.pk]), data).status_code == 302
    item = meeting.items.get(title="Regionale woonvisie")
    assert item.purpose == purpose
    meeting.publish(by=secretary)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert label.capitalize() in page
    pdf = AgendaPdf.objects.get(pk=render_agenda_pdf(meeting.pk))
    with pdf.file.open("rb") as handle:
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert f"Regionale woonvisie {label.capitalize()}" in text


@pytest.mark.parametrize(("purpose", "label"), NEW_PURPOSES)
def test_a_submission_for_a_new_purpose_is_triaged_and_keeps_it_on_the_agenda(
    region, meeting, coordinator, client_for, purpose, label
):
    leader = PersonFactory(with_login=True)
    OfficeFactory(person=leader, role=Office.Role.PROJECT_LEADER, municipality=region.haarlem)
    data = {
        "kind": "proposal",
        "title": "Regionale woonvisie",
        "explanation": "Graag behandelen.",
        "municipality": region.haarlem.pk,
        "purpose": purpose,
    }
    assert client_for(leader.user).post(reverse("submission_create"), data).status_code == 302
    coordinator_client = client_for(coordinator)
    assert f">{label}<" in coordinator_client.get(reverse("triage_inbox")).content.decode()
    submission = Submission.objects.get()
    response = coordinator_client.post(
        reverse("submission_triage", args=[submission.pk, "route"]), {"body": region.secretaries.pk}
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(submission=submission)
    assert item.meeting == meeting and item.purpose == purpose
