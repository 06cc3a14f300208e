import datetime
import io
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import AgendaPdf, Meeting, Purpose
from meetings.tasks import render_agenda_pdf
from tests.meetings.conftest import add_items, pdf_file


def pdf_text(pdf: AgendaPdf) -> str:
    with pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def published(region, secretary):
    starts = timezone.make_aware(datetime.datetime(2027, 3, 2, 9, 30))
    meeting = Meeting.for_body(region.secretaries, starts, location="Stadhuis Haarlem")
    meeting.save()
    first, _second = add_items(meeting, secretary, 2)
    first.documents.create(title="Notitie woonagenda").add_version(
        pdf_file("notitie.pdf"), by=secretary, content_type="application/pdf"
    )
    meeting.publish(by=secretary)
    return meeting


@pytest.mark.django_db
def test_the_agenda_pdf_holds_body_date_location_and_every_item(published):
    pdf = AgendaPdf.objects.get(pk=render_agenda_pdf(published.pk))
    text = pdf_text(pdf)
    assert "Overleg gemeentesecretarissen" in text
    assert "dinsdag 2 maart 2027" in text and "09:30" in text and "Stadhuis Haarlem" in text
    for item in published.items.all():
        assert f"{item.number}. {item.title}" in text or f"{item.number}.{item.title}" in text, item.title
    assert "Notitie woonagenda" in text
    import hashlib

    with pdf.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == pdf.sha256


@pytest.mark.django_db
def test_confidential_items_stay_out_of_the_agenda_pdf(region, secretary):
    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=20))
    meeting.save()
    meeting.add_item(version=None, by=secretary, title="Openbaar punt", purpose=Purpose.INFORMATION)
    meeting.add_item(version=None, by=secretary, title="Personele zaak", purpose=Purpose.DISCUSSION, confidential=True)
    meeting.publish(by=secretary)
    text = pdf_text(AgendaPdf.objects.get(pk=render_agenda_pdf(meeting.pk)))
    assert "Openbaar punt" in text and "Personele zaak" not in text


@pytest.mark.django_db
def test_rendering_twice_stores_one_pdf_and_an_addendum_makes_a_new_one(published, secretary, client_for):
    first = render_agenda_pdf(published.pk)
    assert render_agenda_pdf(published.pk) == first
    assert AgendaPdf.objects.count() == 1
    published.add_item(
        version=published.agenda_version, by=secretary, reason="Spoed", title="Extra punt", purpose=Purpose.INFORMATION
    )
    latest = AgendaPdf.objects.get(pk=render_agenda_pdf(published.pk))
    assert AgendaPdf.objects.count() == 2
    assert "Extra punt" in pdf_text(latest) and "Spoed" in pdf_text(latest)
    response = client_for(secretary).get(reverse("agenda_pdf", args=[published.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == latest.file.open("rb").read()


@pytest.mark.django_db
def test_a_draft_agenda_is_not_rendered(meeting):
    assert render_agenda_pdf(meeting.pk) is None
    assert not AgendaPdf.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_publishing_has_a_real_celery_worker_render_the_pdf(region, secretary):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=20))
    meeting.save()
    add_items(meeting, secretary, 1)
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        meeting.publish(by=secretary)  # queued on commit, through the configured broker
        deadline = time.monotonic() + 60
        while not AgendaPdf.objects.filter(meeting=meeting).exists() and time.monotonic() < deadline:
            time.sleep(0.5)
    assert AgendaPdf.objects.filter(meeting=meeting, agenda_version=meeting.agenda_version).exists()
