"""The monthly evaluation of the coordination structure."""

import datetime

import pytest
import time_machine

from governance.models import EvaluationAdjustment, MonthlyEvaluation
from meetings.actions import first_working_day, open_monthly_evaluations
from meetings.models import Meeting
from meetings.tasks import open_monthly_evaluations as open_task
from municipalities.models import Office
from reminders.models import Reminder
from tests.factories import CooperationFactory, OfficeFactory, PersonFactory
from tests.reminders.conftest import aware

D = datetime.date


def test_the_first_working_day_skips_weekends_and_dutch_public_holidays():
    assert first_working_day(D(2027, 1, 1)) == D(2027, 1, 4)  # New Year's Day is a Friday
    assert first_working_day(D(2026, 11, 1)) == D(2026, 11, 2)  # a Sunday
    assert first_working_day(D(2027, 3, 1)) == D(2027, 3, 1)
    assert first_working_day(D(2027, 5, 1)) == D(2027, 5, 3)  # a Saturday
    assert first_working_day(D(2028, 5, 1)) == D(2028, 5, 1)
    assert first_working_day(D(2028, 6, 1)) == D(2028, 6, 1)


@pytest.fixture
def administrative_meeting(region, secretary):
    with time_machine.travel(aware(2026, 12, 20, 9, 0), tick=False):
        meeting = Meeting.for_body(region.administrative, aware(2027, 1, 14, 10, 0))
        meeting.save()
    return meeting


@pytest.fixture
def coordinator_person(db):
    person = PersonFactory(given_name="Cora", surname="Coördinator")
    OfficeFactory(person=person, role=Office.Role.REGIONAL_COORDINATOR, coordinator=True, starts_on=D(2020, 1, 1))
    return person


def test_the_evaluation_is_opened_once_on_the_first_working_day_and_put_on_the_next_administrative_meeting(
    region, administrative_meeting, coordinator_person, run_due
):
    CooperationFactory(name="Zonder bestuurlijk overleg")  # no administrative meeting: nothing to evaluate
    with time_machine.travel(aware(2027, 1, 1, 7, 30), tick=False):
        assert open_task() == 0  # a public holiday
    with time_machine.travel(aware(2027, 1, 4, 7, 30), tick=False):
        assert open_task() == 1
        assert open_task() == 0  # a second beat or a retry does nothing
    with time_machine.travel(aware(2027, 1, 5, 7, 30), tick=False):
        assert open_task() == 0
    evaluation = MonthlyEvaluation.objects.get()
    assert evaluation.cooperation == region.cooperation and evaluation.month == D(2027, 1, 1)
    item = administrative_meeting.items.get(pk=evaluation.agenda_item_id)
    assert item.title == "Maandelijkse evaluatie overlegstructuur, januari 2027"
    assert administrative_meeting.items.filter(title__startswith="Maandelijkse evaluatie").count() == 1

    reminder = Reminder.objects.get(kind=Reminder.Kind.EVALUATION)
    assert reminder.recipient == coordinator_person
    mails = run_due(aware(2027, 1, 4, 7, 31))
    assert len(mails) == 1 and mails[0].to == [coordinator_person.email]
    assert "januari 2027" in mails[0].subject
    assert "Bestuurlijk afstemmingsoverleg" in mails[0].body


def test_the_database_refuses_a_second_evaluation_for_the_same_month(region):
    MonthlyEvaluation.objects.create(cooperation=region.cooperation, month=D(2027, 2, 1))
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyEvaluation.objects.create(cooperation=region.cooperation, month=D(2027, 2, 1))


def test_without_an_open_meeting_the_evaluation_waits_and_is_put_on_the_next_one_planned(region, secretary):
    with time_machine.travel(aware(2027, 2, 1, 7, 30), tick=False):
        created = open_monthly_evaluations()
    assert len(created) == 1 and created[0].agenda_item is None
    with time_machine.travel(aware(2027, 2, 2, 9, 0), tick=False):
        meeting = Meeting.for_body(region.administrative, aware(2027, 2, 18, 10, 0))
        meeting.save()
    with time_machine.travel(aware(2027, 2, 3, 7, 30), tick=False):
        assert open_monthly_evaluations() == []
    created[0].refresh_from_db()
    assert created[0].agenda_item.meeting == meeting


@pytest.fixture
def evaluations(region):
    january = MonthlyEvaluation.objects.create(
        cooperation=region.cooperation, month=D(2027, 1, 1), findings="Loopt goed."
    )
    EvaluationAdjustment.objects.create(
        evaluation=january, body=region.secretaries, change="Vergadert voortaan tweewekelijks."
    )
    february = MonthlyEvaluation.objects.create(cooperation=region.cooperation, month=D(2027, 2, 1))
    return january, february


def test_the_evaluations_of_a_year_read_as_one_list(evaluations, coordinator, client_for):
    page = client_for(coordinator).get("/evaluaties/2027/").content.decode()
    assert page.index("Januari 2027") < page.index("Februari 2027")
    assert "Loopt goed." in page and "Overleg gemeentesecretarissen:</strong> Vergadert voortaan tweewekelijks." in page
    assert "Nog geen bevindingen vastgelegd." in page


def test_the_coordinator_records_findings_and_adjustments(region, evaluations, coordinator, client_for):
    february = evaluations[1]
    client = client_for(coordinator)
    form = client.get(f"/evaluaties/bewerken/{february.pk}/")
    assert form.status_code == 200
    response = client.post(
        f"/evaluaties/bewerken/{february.pk}/",
        {
            "lock_version": "0",
            "findings": "Het secretarissenoverleg is te vol.",
            "adjustments-TOTAL_FORMS": "2",
            "adjustments-INITIAL_FORMS": "0",
            "adjustments-MIN_NUM_FORMS": "0",
            "adjustments-MAX_NUM_FORMS": "1000",
            "adjustments-0-body": str(region.secretaries.pk),
            "adjustments-0-change": "Een extra vergadering in maart.",
            "adjustments-1-body": "",
            "adjustments-1-change": "",
        },
    )
    assert response.status_code == 302
    february.refresh_from_db()
    assert february.findings == "Het secretarissenoverleg is te vol." and february.lock_version == 1
    assert [a.change for a in february.adjustments.all()] == ["Een extra vergadering in maart."]


def test_a_second_editor_gets_a_conflict_and_keeps_her_text(evaluations, coordinator, client_for):
    february = evaluations[1]
    data = {
        "lock_version": "0",
        "findings": "Eerste versie.",
        "adjustments-TOTAL_FORMS": "0",
        "adjustments-INITIAL_FORMS": "0",
        "adjustments-MIN_NUM_FORMS": "0",
        "adjustments-MAX_NUM_FORMS": "1000",
    }
    client = client_for(coordinator)
    assert client.post(f"/evaluaties/bewerken/{february.pk}/", data).status_code == 302
    late = client.post(f"/evaluaties/bewerken/{february.pk}/", data | {"findings": "Tweede versie."})
    assert late.status_code == 409
    page = late.content.decode()
    assert "Tweede versie." in page and "Eerste versie." in page and "Iemand anders" in page
    february.refresh_from_db()
    assert february.findings == "Eerste versie."


def test_others_cannot_edit_evaluations(region, evaluations, client_for, outsider):
    member = region.seat(region.administrative)
    from tests.factories import OfficeFactory as Offices

    Offices(person=member.person, role=Office.Role.ALDERMAN, municipality=region.haarlem, starts_on=D(2020, 1, 1))
    assert client_for(member).get(f"/evaluaties/bewerken/{evaluations[0].pk}/").status_code == 403
    assert client_for(outsider).get(f"/evaluaties/bewerken/{evaluations[0].pk}/").status_code == 404
    assert "Loopt goed." not in client_for(outsider).get("/evaluaties/2027/").content.decode()
    assert "Loopt goed." in client_for(member).get("/evaluaties/2027/").content.decode()


def test_last_months_evaluation_still_reaches_the_next_meeting(region, secretary):
    with time_machine.travel(aware(2027, 1, 4, 7, 30), tick=False):
        [january] = open_monthly_evaluations()
    assert january.agenda_item is None  # no open administrative meeting in January
    with time_machine.travel(aware(2027, 1, 29, 9, 0), tick=False):
        meeting = Meeting.for_body(region.administrative, aware(2027, 2, 25, 10, 0))
        meeting.save()
    with time_machine.travel(aware(2027, 2, 1, 7, 30), tick=False):
        [february] = open_monthly_evaluations()
    january.refresh_from_db()
    february.refresh_from_db()
    assert january.agenda_item.meeting == meeting == february.agenda_item.meeting
    titles = list(meeting.items.filter(title__startswith="Maandelijkse").values_list("title", flat=True))
    assert titles == [
        "Maandelijkse evaluatie overlegstructuur, januari 2027",
        "Maandelijkse evaluatie overlegstructuur, februari 2027",
    ]
