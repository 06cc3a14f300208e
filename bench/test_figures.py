"""Heavier figures, not assertions: run with `DEBUG=1 .venv/bin/python -m pytest bench -q -s`.

Prints the time to render an agenda PDF of 50 items and a college decision PDF,
and the server time of the biggest pages at realistic sizes."""

import datetime
import statistics
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions.models import CollegeDecision
from decisions.tasks import render_decision_pdf
from meetings.models import AgendaPdf, Meeting, Purpose
from meetings.tasks import render_agenda_pdf
from municipalities.models import Office
from tests.decisions.conftest import Covenant
from tests.factories import MunicipalityFactory, OfficeFactory, ParticipationFactory, PersonFactory, PortfolioFactory

pytestmark = pytest.mark.django_db


def timed(function, runs: int = 5) -> str:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return f"median {statistics.median(samples):.0f} ms, max {max(samples):.0f} ms over {runs} runs"


def test_figures(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person = PersonFactory(with_login=True)
    OfficeFactory(person=person, role=Office.Role.REGIONAL_COORDINATOR, coordinator=True)
    coordinator = person.user
    covenant = Covenant()
    for _ in range(5):
        ParticipationFactory(
            cooperation=covenant.cooperation, municipality=MunicipalityFactory(), joined_on=datetime.date(2021, 1, 1)
        )
    client = Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")

    meeting = Meeting.for_body(covenant.body, timezone.now() + datetime.timedelta(days=10))
    meeting.save()
    housing = PortfolioFactory(name="Wonen")
    for n in range(50):
        meeting.add_item(
            version=None, by=coordinator, title=f"Agendapunt {n}", purpose=Purpose.DISCUSSION, portfolio=housing
        )
    meeting.publish(by=coordinator)

    def agenda_pdf():
        AgendaPdf.objects.all().delete()
        render_agenda_pdf(meeting.pk)

    print("\nagenda PDF, 50 items:", timed(agenda_pdf))
    print("agenda builder page, 50 items:", timed(lambda: client.get(reverse("meeting_agenda", args=[meeting.pk]))))

    for _ in range(50):
        proposal = covenant.proposal()
        covenant.adopt(proposal, coordinator)
        proposal.send(by=coordinator, on=datetime.date(2026, 11, 1))
    print("proposal matrix, 50 x 9:", timed(lambda: client.get(reverse("proposal_matrix"))))
    print("council matrix, 50 x 9:", timed(lambda: client.get(reverse("council_matrix"))))

    decision = CollegeDecision.objects.filter(municipality__name="Haarlem").first()
    decision.record(
        by=coordinator, lock_version=0, outcome="agreed", decided_on=datetime.date(2026, 11, 10), reference="1"
    )
    covenant.sign(decision)

    def decision_pdf():
        decision.pdfs.all().delete()
        render_decision_pdf(decision.pk)

    print("college decision PDF:", timed(decision_pdf))
