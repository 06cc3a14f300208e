"""Query-count pins of the work programmes and the monthly evaluations: the same count with 3 rows as with
30 (60 where the list is paginated at 50), never more than 25, and the rows on the page."""

import datetime

import pytest
from django.urls import reverse

from governance.models import ConsultationBody, MonthlyEvaluation, WorkProgramme, WorkProgrammeEntry
from tests.factories import ConsultationBodyFactory, CooperationFactory, RegionalTaskFactory
from tests.query_counts import paginated, pin

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2027


def cooperations():
    made = []

    def make() -> object:
        cooperation = CooperationFactory(name=f"Samenwerking {len(made):03d}")
        ConsultationBodyFactory(kind=ConsultationBody.Kind.COORDINATION, cooperation=cooperation)
        made.append(cooperation)
        return cooperation

    return make


def test_programme_list(coordinator, client_for):
    cooperation = cooperations()

    def grow(count):
        for _ in range(count):
            WorkProgramme.objects.create(cooperation=cooperation(), year=YEAR)

    page = pin(client_for(coordinator), reverse("programme_list"), grow, sizes=(3, 60))
    assert page.count(f"{YEAR}</a>") == 50 and paginated(page)
    assert "Samenwerking 000 2027" in page


def test_programme_detail(coordinator, client_for):
    programme = WorkProgramme.objects.create(cooperation=CooperationFactory(), year=YEAR)

    def grow(count):
        for _ in range(count):
            task = RegionalTaskFactory(cooperation=programme.cooperation)
            WorkProgrammeEntry.objects.create(programme=programme, task=task, what=f"Regel {task.name}", when="Q2")

    page = pin(client_for(coordinator), reverse("programme_detail", args=[programme.pk]), grow)
    assert page.count("Regel Hoofdopgave") >= 30


def test_evaluation_list(coordinator, client_for):
    cooperation = cooperations()

    def grow(count):
        for _ in range(count):
            MonthlyEvaluation.objects.create(cooperation=cooperation(), month=D(YEAR, 3, 1))

    page = pin(client_for(coordinator), reverse("evaluation_list_year", args=[YEAR]), grow, sizes=(3, 60))
    assert page.count('<section class="portal-section" id="evaluation-') == 50 and paginated(page)
