"""Query-count pins of the admin changelists of the biggest tables (people, meetings, agenda items, college
decisions), with and without a search: the same count with 3 rows as with 30, never more than 25, and the
rows on the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import CollegeDecision
from meetings.models import Meeting, Purpose
from tests.factories import ConsultationBodyFactory, PersonFactory, UserFactory
from tests.query_counts import pin

pytestmark = pytest.mark.django_db


def people(count):
    for _ in range(count):
        PersonFactory(with_login=True, surname="Jansen")


def meetings(count):
    body = ConsultationBodyFactory()
    for n in range(count):
        Meeting.for_body(body, timezone.now() + datetime.timedelta(days=n + 1), location="Stadhuis").save()


def agenda_items(count):
    body = ConsultationBodyFactory()
    meeting = Meeting.for_body(body, timezone.now() + datetime.timedelta(days=Meeting.objects.count() + 1))
    meeting.save()
    by = UserFactory()
    for n in range(count):
        meeting.add_item(version=None, by=by, title=f"Woonagenda {n}", purpose=Purpose.DISCUSSION)


CHANGELISTS = {
    "municipalities_person": (people, "Jansen"),
    "meetings_meeting": (meetings, "Stadhuis"),
    "meetings_agendaitem": (agenda_items, "Woonagenda"),
}


@pytest.mark.parametrize("search", ["", "q"])
@pytest.mark.parametrize("name", list(CHANGELISTS))
def test_changelist(name, search, coordinator, client_for):
    grow, term = CHANGELISTS[name]
    data = {"q": term} if search else None
    page = pin(client_for(coordinator), reverse(f"admin:{name}_changelist"), grow, data=data)
    assert page.count(term) >= 30


@pytest.mark.parametrize("search", ["", "q"])
def test_college_decision_changelist(search, coordinator, client_for):
    from tests.decisions.conftest import Covenant

    covenant = Covenant()

    def college_decisions(count):
        # Four municipalities: a proposal sent gives four college decisions.
        for _ in range(count // 4):
            proposal = covenant.adopt(covenant.proposal(title="Woonagenda"), coordinator)
            proposal.send(by=coordinator, on=datetime.date(2026, 11, 1))

    data = {"q": "Woonagenda"} if search else None
    url = reverse("admin:decisions_collegedecision_changelist")
    page = pin(client_for(coordinator), url, college_decisions, sizes=(4, 32), data=data)
    assert CollegeDecision.objects.count() == 32
    assert page.count("Woonagenda") >= 32
