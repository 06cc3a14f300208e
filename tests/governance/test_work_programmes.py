import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from core.workflow import TransitionNotAllowed
from governance.models import ConsultationBody, Membership, ProgressReport, WorkProgramme, WorkProgrammeEntry
from municipalities.models import Office
from tests.factories import (
    ConsultationBodyFactory,
    CooperationFactory,
    MembershipFactory,
    MunicipalityFactory,
    OfficeFactory,
    ParticipationFactory,
    PersonFactory,
    PortfolioFactory,
    RegionalTaskFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def programme(db):
    cooperation = CooperationFactory(name="Zuid-Kennemerland", abbreviation="ZK")
    municipality = MunicipalityFactory(name="Heemstede")
    ParticipationFactory(cooperation=cooperation, municipality=municipality, joined_on=D(2021, 1, 1))
    ConsultationBodyFactory(name="Coördinatieoverleg", kind=ConsultationBody.Kind.COORDINATION, cooperation=cooperation)
    lead = ConsultationBodyFactory(name="PHO Wonen", cooperation=cooperation)
    RegionalTaskFactory(cooperation=cooperation, name="De regionale woonagenda", lead_body=lead)
    return WorkProgramme.objects.create(cooperation=cooperation, year=2027)


def test_the_programme_goes_to_the_councils_before_it_is_adopted(programme):
    with pytest.raises(TransitionNotAllowed):
        programme.adopt()
    with pytest.raises(ValidationError):
        programme.ask_council_input(until=D(2020, 1, 1))
    programme.ask_council_input(until=D(2099, 1, 1))
    with pytest.raises(TransitionNotAllowed):
        programme.adopt(on=D(2098, 12, 31))  # the councils are still giving input
    programme.adopt(on=D(2099, 1, 2))
    assert programme.status == WorkProgramme.Status.ADOPTED and programme.adopted_by.name == "Coördinatieoverleg"


def test_an_entry_belongs_to_a_task_of_the_same_cooperation(programme):
    other = RegionalTaskFactory()
    with pytest.raises(ValidationError):
        WorkProgrammeEntry(programme=programme, task=other, what="Iets", when="2027").full_clean()


def test_who_edits_and_who_reads(programme, coordinator, outsider, client_for):
    secretary = PersonFactory(with_login=True)
    coordination = programme.cooperation.bodies.get(kind=ConsultationBody.Kind.COORDINATION)
    MembershipFactory(body=coordination, person=secretary, role=Membership.Role.SECRETARY)
    member = PersonFactory(with_login=True)
    OfficeFactory(
        person=member,
        role=Office.Role.COUNCIL_MEMBER,
        municipality=programme.cooperation.participations.get().municipality,
    )
    task = programme.cooperation.regional_tasks.get()
    entry = {"task": task.pk, "what": "Woningbouwafspraken met de provincie", "when": "tweede kwartaal 2027"}
    url = reverse("programme_entry_add", args=[programme.pk])
    assert client_for(secretary.user).post(url, entry).status_code == 302
    assert client_for(coordinator).post(url, entry).status_code == 302
    assert client_for(member.user).post(url, entry).status_code == 403
    assert client_for(outsider).post(url, entry).status_code == 404
    page = client_for(member.user).get(reverse("programme_detail", args=[programme.pk])).content.decode()
    assert "Woningbouwafspraken met de provincie" in page
    assert client_for(outsider).get(reverse("programme_detail", args=[programme.pk])).status_code == 404


def test_the_progress_report_pdf_for_the_councils(programme, coordinator, client_for):
    task = programme.cooperation.regional_tasks.get()
    client = client_for(coordinator)
    response = client.post(
        reverse("progress_edit", args=[programme.pk, task.pk]),
        {
            "status": "delayed",
            "progress": "Twee van de vier gemeenten hebben ingestemd.",
            "next_step": "Afstemming in maart.",
        },
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().status == ProgressReport.Status.DELAYED
    response = client.get(reverse("programme_pdf", args=[programme.pk, "voortgangsrapportage"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Voortgangsrapportage 2027" in text and "De regionale woonagenda" in text
    assert "vertraagd" in text and "Afstemming in maart." in text
    work = client.get(reverse("programme_pdf", args=[programme.pk, "werkprogramma"]))
    assert work.status_code == 200
    assert client.get(reverse("programme_pdf", args=[programme.pk, "anders"])).status_code == 404


class TwoMainTasks:
    """A draft programme with a main task led by each of two portfolio-holder meetings, each with one entry,
    and a log-in for every role around it."""

    def __init__(self, coordinator, outsider):
        self.cooperation = CooperationFactory(name="Zuid-Kennemerland")
        heemstede = MunicipalityFactory(name="Heemstede")
        ParticipationFactory(cooperation=self.cooperation, municipality=heemstede, joined_on=D(2021, 1, 1))
        coordination = ConsultationBodyFactory(kind=ConsultationBody.Kind.COORDINATION, cooperation=self.cooperation)
        self.programme = WorkProgramme.objects.create(cooperation=self.cooperation, year=2027)
        self.tasks, self.entries, phos = {}, {}, {}
        for key, area in (("A", "Wonen"), ("B", "Klimaat")):
            phos[key] = ConsultationBodyFactory(
                name=f"PHO {area}",
                kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS,
                cooperation=self.cooperation,
                policy_area=PortfolioFactory(name=area),
            )
            self.tasks[key] = RegionalTaskFactory(
                cooperation=self.cooperation, name=f"Opgave {area}", lead_body=phos[key]
            )
            self.entries[key] = WorkProgrammeEntry.objects.create(
                programme=self.programme, task=self.tasks[key], what=f"Plan {area}", when="2027"
            )

        def seat(body, role, **dates):
            person = PersonFactory(with_login=True)
            MembershipFactory(body=body, person=person, role=role, **dates)
            return person.user

        def office(role):
            person = PersonFactory(with_login=True)
            OfficeFactory(person=person, role=role, municipality=heemstede)
            return person.user

        chair_a = seat(phos["A"], Membership.Role.CHAIR)
        OfficeFactory(person=chair_a.person, role=Office.Role.ALDERMAN, municipality=heemstede)
        self.users = {
            "coordinator": coordinator,
            "coordination secretary": seat(coordination, Membership.Role.SECRETARY),
            "secretary of PHO A": seat(phos["A"], Membership.Role.SECRETARY),
            "secretary of PHO B": seat(phos["B"], Membership.Role.SECRETARY),
            "chair of PHO A": chair_a,
            "former secretary of PHO A": seat(phos["A"], Membership.Role.SECRETARY, ends_on=D(2022, 12, 31)),
            "council member": office(Office.Role.COUNCIL_MEMBER),
            "outsider": outsider,
        }


# Who adds and edits the entry of main task A and of main task B: 302 saved, 403 refused, 404 not visible.
ENTRY_MATRIX = [
    ("coordinator", 302, 302),
    ("coordination secretary", 302, 302),
    ("secretary of PHO A", 302, 403),
    ("secretary of PHO B", 403, 302),
    ("chair of PHO A", 403, 403),
    ("former secretary of PHO A", 404, 404),
    ("council member", 403, 403),
    ("outsider", 404, 404),
]


@pytest.mark.parametrize(("role", "task_a", "task_b"), ENTRY_MATRIX)
def test_who_adds_and_edits_the_entries_of_which_main_task(coordinator, outsider, client_for, role, task_a, task_b):
    region = TwoMainTasks(coordinator, outsider)
    client = client_for(region.users[role])
    for key, expected in (("A", task_a), ("B", task_b)):
        task, entry = region.tasks[key], region.entries[key]
        added = {"task": task.pk, "what": f"Nieuw plan {key}", "when": "derde kwartaal 2027"}
        response = client.post(reverse("programme_entry_add", args=[region.programme.pk]), added)
        assert response.status_code == expected, (role, key, "add")
        assert WorkProgrammeEntry.objects.filter(what=f"Nieuw plan {key}").exists() == (expected == 302)
        edit = reverse("programme_entry_edit", args=[entry.pk])
        assert client.get(edit).status_code == (200 if expected == 302 else expected), (role, key, "edit page")
        changed = {"task": task.pk, "what": f"Bijgesteld plan {key}", "when": "2028"}
        assert client.post(edit, changed).status_code == expected, (role, key, "edit")
        entry.refresh_from_db()
        assert (entry.what == f"Bijgesteld plan {key}") == (expected == 302)


def test_the_secretary_of_a_portfolio_holder_meeting_sees_only_their_tasks_to_write(coordinator, outsider, client_for):
    region = TwoMainTasks(coordinator, outsider)
    client = client_for(region.users["secretary of PHO A"])
    listed = client.get(reverse("programme_list")).content.decode()
    assert reverse("programme_detail", args=[region.programme.pk]) in listed
    page = client.get(reverse("programme_detail", args=[region.programme.pk])).content.decode()
    assert reverse("programme_entry_edit", args=[region.entries["A"].pk]) in page
    assert reverse("programme_entry_edit", args=[region.entries["B"].pk]) not in page
    assert "Onderdeel toevoegen" in page
    assert f'value="{region.tasks["A"].pk}"' in page and f'value="{region.tasks["B"].pk}"' not in page
    assert "Aan de raden voorleggen voor inbreng" not in page  # the steps stay with the coordination meeting
    # Nor can the entry move to a task the secretary does not write.
    moved = {"task": region.tasks["B"].pk, "what": "Plan Wonen", "when": "2027"}
    assert client.post(reverse("programme_entry_edit", args=[region.entries["A"].pk]), moved).status_code == 403
    assert region.entries["A"].task.pk == region.tasks["A"].pk
    region.entries["A"].refresh_from_db()
    assert region.entries["A"].task == region.tasks["A"]


def test_an_adopted_programme_keeps_its_entries(coordinator, outsider, client_for):
    region = TwoMainTasks(coordinator, outsider)
    region.programme.status = WorkProgramme.Status.ADOPTED
    region.programme.save()
    client = client_for(region.users["secretary of PHO A"])
    added = {"task": region.tasks["A"].pk, "what": "Te laat", "when": "2027"}
    assert client.post(reverse("programme_entry_add", args=[region.programme.pk]), added).status_code == 409
    edit = reverse("programme_entry_edit", args=[region.entries["A"].pk])
    assert client.post(edit, added).status_code == 409
    assert not WorkProgrammeEntry.objects.filter(what="Te laat").exists()
    page = client.get(reverse("programme_detail", args=[region.programme.pk])).content.decode()
    assert edit not in page
