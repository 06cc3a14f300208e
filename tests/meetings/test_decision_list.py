import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.pdf import render_pdf
from meetings.minutes_views import _ensure_minutes
from meetings.models import ActionPoint, Meeting, Purpose
from municipalities.models import Office
from tests.factories import OfficeFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def held(region, secretary):
    """A held meeting of the secretaries' meeting: items 4 to 6 are a decision, a confidential one and a
    notice without conclusions; its minutes are written (still a draft)."""
    starts = timezone.make_aware(datetime.datetime(2026, 10, 5, 9, 0))
    meeting = Meeting.for_body(region.secretaries, starts)
    meeting.save()
    add = meeting.add_item
    housing = add(version=None, by=secretary, title="Regionale woonagenda", purpose=Purpose.DECISION)
    staff = add(version=None, by=secretary, title="Personele zaak", purpose=Purpose.DECISION, confidential=True)
    notice = add(version=None, by=secretary, title="Mededelingen provincie", purpose=Purpose.INFORMATION)
    meeting.publish(by=secretary)
    meeting.mark_held(by=secretary)
    minutes = _ensure_minutes(meeting)
    owner = PersonFactory(given_name="Olga", surname="Eigenaar")
    OfficeFactory(person=owner, role=Office.Role.PROJECT_LEADER, municipality=region.haarlem)
    texts = {
        housing: "Het overleg stemt in met de woonagenda en legt die voor aan de colleges.",
        staff: "Het overleg benoemt de nieuwe coördinator.",
        notice: "",
    }
    for agenda_item, conclusions in texts.items():
        item = minutes.items.get(agenda_item=agenda_item)
        item.write(version=0, discussion="Besproken.", conclusions=conclusions)
    ActionPoint.objects.create(
        minutes_item=minutes.items.get(agenda_item=housing),
        what="Collegevoorstel opstellen",
        owner=owner,
        due_on=D(2026, 11, 1),
    )
    ActionPoint.objects.create(
        minutes_item=minutes.items.get(agenda_item=staff), what="Contract opstellen", owner=owner, due_on=D(2026, 11, 1)
    )
    return meeting


def decision_list_text(meeting) -> str:
    content = render_pdf("pdf/decision_list.html", {"meeting": meeting, "proposals": []})
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)


def test_the_entries_are_the_conclusions_per_agenda_item_without_confidential_ones(held, secretary):
    assert held.decision_list_entries() == []  # draft minutes are the secretary's
    held.minutes.send(by=secretary)
    entries = held.decision_list_entries()
    assert [(e.agenda_item.number, e.agenda_item.title) for e in entries] == [(4, "Regionale woonagenda")]
    assert [a.what for a in entries[0].action_points.all()] == ["Collegevoorstel opstellen"]


def test_the_decision_list_pdf_holds_the_conclusions_numbered_by_agenda_item(held, region, secretary):
    text = decision_list_text(held)
    assert "De besluiten en conclusies per agendapunt volgen wanneer het verslag is verzonden." in text
    assert "stemt in met de woonagenda" not in text

    held.minutes.send(by=secretary)
    text = decision_list_text(held)
    assert "Concept: het verslag van deze vergadering is nog niet vastgesteld." in text
    assert "4. Regionale woonagenda" in text
    assert "Het overleg stemt in met de woonagenda en legt die voor aan de colleges." in text
    assert "Collegevoorstel opstellen Olga Eigenaar 1 november 2026" in text
    for secret in ("Personele zaak", "benoemt de nieuwe coördinator", "Contract opstellen"):
        assert secret not in text
    assert "Mededelingen provincie" not in text  # nothing was decided there
    assert "In deze vergadering zijn geen regionale voorstellen vastgesteld." in text

    following = Meeting.for_body(region.secretaries, held.starts_at + datetime.timedelta(days=14))
    following.save()
    following.publish(by=secretary)
    held.minutes.adopt(by=secretary, in_meeting=following)
    assert "Concept" not in decision_list_text(held)


def test_an_advisory_member_downloads_the_decision_list_without_confidential_items(held, region, secretary, client_for):
    held.minutes.send(by=secretary)
    advisory = region.seat(region.secretaries, role="advisory_member")
    response = client_for(advisory).get(reverse("decision_list_pdf", args=[held.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "4. Regionale woonagenda" in text and "Collegevoorstel opstellen" in text
    assert "Personele zaak" not in text and "Contract opstellen" not in text
