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
