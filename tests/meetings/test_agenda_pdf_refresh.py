"""The agenda PDF follows everything it shows: every change makes a new version, nothing else does."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import AgendaPdf, Meeting, Minutes, Purpose
from meetings.tasks import render_agenda_pdf, render_missing_pdfs
from tests.meetings.conftest import add_items, pdf_file

pytestmark = pytest.mark.django_db
STARTS = datetime.datetime(2027, 3, 2, 9, 30)


def pdf_text(pdf: AgendaPdf) -> str:
    with pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture(autouse=True)
def worker():
    """Queued tasks run at once, in the test, once the change is committed."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a change as a committed transaction, with the tasks it queues."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


@pytest.fixture
def published(region, secretary, committed) -> Meeting:
    meeting = Meeting.for_body(region.secretaries, timezone.make_aware(STARTS), location="Stadhuis Haarlem")
    meeting.save()
    first, _second = add_items(meeting, secretary, 2)
    first.documents.create(title="Notitie woonagenda").add_version(
        pdf_file("notitie.pdf"), by=secretary, content_type="application/pdf"
    )
    meeting.add_item(version=None, by=secretary, title="Personele zaak", purpose=Purpose.DISCUSSION, confidential=True)
    committed(lambda: meeting.publish(by=secretary))
    meeting.refresh_from_db()
    return meeting


def latest(meeting: Meeting) -> AgendaPdf:
    return meeting.pdfs.first()


def test_publishing_makes_the_first_version(published):
    assert published.pdfs.count() == 1
    text = pdf_text(latest(published))
    assert "Agendapunt 1" in text and "Notitie woonagenda" in text and "Personele zaak" not in text
    assert "2. Verslag van de vorige vergadering" in text


def item(meeting: Meeting, title: str):
    return meeting.items.get(title=title)


def add_item(meeting, secretary):
    meeting.add_item(
        version=meeting.agenda_version, by=secretary, reason="Spoed", title="Extra punt", purpose=Purpose.INFORMATION
    )


def move_item(meeting, secretary):
    meeting.move_item(
        item(meeting, "Agendapunt 2"), to_position=4, version=meeting.agenda_version, by=secretary, reason="Volgorde"
    )


def remove_item(meeting, secretary):
    meeting.remove_item(item(meeting, "Agendapunt 2"), version=meeting.agenda_version, by=secretary, reason="Vervalt")


def rename_item(meeting, secretary):
    meeting.update_item(
        item(meeting, "Agendapunt 2"),
        version=meeting.agenda_version,
        by=secretary,
        reason="Titel",
        title="Regionale woonvisie",
    )


def add_document(meeting, secretary):
    item(meeting, "Agendapunt 2").documents.create(title="Raadsinformatiebrief").add_version(
        pdf_file("rib.pdf"), by=secretary, content_type="application/pdf"
    )


def replace_document(meeting, secretary):
    document = item(meeting, "Agendapunt 1").documents.get()
    document.add_version(pdf_file("notitie-herzien.pdf"), by=secretary, content_type="application/pdf")


def link_previous_minutes(meeting, secretary):
    previous = Meeting.for_body(meeting.body, timezone.make_aware(STARTS - datetime.timedelta(weeks=2)))
    previous.save()
    Minutes.objects.create(meeting=previous).send(by=secretary)


def cancel(meeting, secretary):
    meeting.cancel(by=secretary, reason="Te weinig agendapunten")


# (the change, what the new version reads, what it no longer reads)
CHANGES = {
    "item added": (add_item, ["Extra punt", "Spoed"], []),
    "item moved": (move_item, ["4. Agendapunt 2", "5. Agendapunt 1"], ["4. Agendapunt 1"]),
    "item removed": (remove_item, ["Agendapunt 2 ingetrokken", "Vervalt"], []),
    "item renamed": (rename_item, ["Regionale woonvisie"], ["Agendapunt 2"]),
    "document added": (add_document, ["Raadsinformatiebrief (rib.pdf, v1)"], []),
    "document replaced": (replace_document, ["Notitie woonagenda (notitie-herzien.pdf, v2)"], ["notitie.pdf, v1"]),
    "previous minutes linked": (
        link_previous_minutes,
        ["2. Vaststelling verslag van 16 februari 2027"],
        ["Verslag van de vorige vergadering"],
    ),
    "cancelled": (cancel, ["Deze vergadering gaat niet door. Reden: Te weinig agendapunten"], []),
}


@pytest.mark.parametrize("change", CHANGES.keys())
def test_each_change_makes_a_new_version_that_shows_it(published, secretary, client_for, committed, change):
    make, shown, gone = CHANGES[change]
    before = latest(published)
    committed(lambda: make(published, secretary))
    published.refresh_from_db()
    assert published.pdfs.count() == 2
    new = latest(published)
    assert new.agenda_version == published.agenda_version > before.agenda_version
    text = pdf_text(new)
    for words in shown:
        assert words in text, (words, text)
    for words in gone:
        assert words not in text, (words, text)
    # The download is the new version.
    response = client_for(secretary).get(reverse("agenda_pdf", args=[published.pk]))
    assert b"".join(response.streaming_content) == new.file.open("rb").read()


def test_a_new_time_and_place_make_a_new_version(published, secretary, client_for, committed):
    data = {
        "starts_at": "2027-03-02T14:00",
        "ends_at": "2027-03-02T16:00",
        "location": "Raadhuis Heemstede",
        "online_url": "",
        "agenda_deadline": "2027-02-19T09:30",
        "documents_deadline": "2027-02-22T09:30",
    }
    response = None

    def save():
        nonlocal response
        response = client_for(secretary).post(reverse("meeting_update", args=[published.pk]), data)

    committed(save)
    assert response.status_code == 302
    assert published.pdfs.count() == 2
    text = pdf_text(latest(published))
    assert "14:00 – 16:00" in text and "Raadhuis Heemstede" in text and "Stadhuis Haarlem" not in text


def test_saving_the_meeting_unchanged_makes_no_new_version(published, secretary, client_for, committed):
    local = timezone.localtime
    data = {
        "starts_at": f"{local(published.starts_at):%Y-%m-%dT%H:%M}",
        "ends_at": "",
        "location": published.location,
        "online_url": "",
        "agenda_deadline": f"{local(published.agenda_deadline) - datetime.timedelta(days=1):%Y-%m-%dT%H:%M}",
        "documents_deadline": f"{local(published.documents_deadline):%Y-%m-%dT%H:%M}",
    }
    version = published.agenda_version
    committed(lambda: client_for(secretary).post(reverse("meeting_update", args=[published.pk]), data))
    published.refresh_from_db()
    # A deadline is not on the agenda PDF: no new version of the agenda, no new PDF.
    assert published.agenda_version == version
    assert published.pdfs.count() == 1


def test_a_change_the_pdf_does_not_show_makes_no_new_pdf(published, secretary, committed):
    secret = item(published, "Personele zaak")
    first = latest(published)
    committed(
        lambda: published.update_item(
            secret, version=published.agenda_version, by=secretary, reason="Aangevuld", explanation="Nieuw"
        )
    )
    committed(
        lambda: secret.documents.create(title="Vertrouwelijke notitie").add_version(
            pdf_file("geheim.pdf"), by=secretary, content_type="application/pdf"
        )
    )
    published.refresh_from_db()
    assert list(published.pdfs.all()) == [first]
    # The PDF there stands for the current version, so the sweep has nothing to make again.
    first.refresh_from_db()
    assert first.agenda_version == published.agenda_version
    assert render_missing_pdfs() == 0
    assert render_agenda_pdf(published.pk) == first.pk


def test_rendering_a_version_twice_stores_it_once(published):
    assert render_agenda_pdf(published.pk) == render_agenda_pdf(published.pk) == latest(published).pk
    assert published.pdfs.count() == 1


def test_a_draft_agenda_gets_no_pdf_and_keeps_its_version(meeting, secretary, committed):
    (first,) = add_items(meeting, secretary, 1)
    meeting.refresh_from_db()
    version = meeting.agenda_version
    committed(
        lambda: first.documents.create(title="Concept").add_version(
            pdf_file(), by=secretary, content_type="application/pdf"
        )
    )
    meeting.refresh_from_db()
    assert meeting.agenda_version == version
    assert not AgendaPdf.objects.exists()


def test_a_meeting_cancelled_before_publication_gets_no_pdf(meeting, secretary, committed):
    committed(lambda: meeting.cancel(by=secretary, reason="Geen punten"))
    assert render_agenda_pdf(meeting.pk) is None
    assert render_missing_pdfs() == 0
    assert not AgendaPdf.objects.exists()
