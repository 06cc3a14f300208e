"""The decision chain through the pages: what each person sees, what a bad or stale input is told, and
that the pages keep a constant number of queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
from tests.factories import MunicipalityFactory, OfficeFactory, ParticipationFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def sent(covenant, coordinator):
    proposal = covenant.adopt(covenant.proposal(), coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal


@pytest.fixture
def griffier(covenant):
    person = PersonFactory(with_login=True, surname="Griffier Haarlem")
    from municipalities.models import Office

    OfficeFactory(
        person=person,
        role=Office.Role.GRIFFIER,
        municipality=covenant.municipalities["Haarlem"],
        starts_on=D(2020, 1, 1),
    )
    return person.user


def track(proposal, name="Haarlem") -> CouncilTrack:
    return proposal.council_tracks.select_related("proposal", "municipality", "decision").get(municipality__name=name)


def test_the_intended_decision_through_its_form_and_a_stale_second_save(covenant, sent, client_for):
    haarlem = track(sent)
    haarlem.keep(lock_version=haarlem.lock_version, involvement="wishes")
    decision = haarlem.decision
    client = client_for(covenant.secretaries["Haarlem"])
    url = reverse("decision_intended", args=[decision.pk])
    page = client.get(url).content.decode()
    assert "art. 169 lid 4 Gemeentewet" in page and "Datum voorgenomen besluit" in page
    data = {"lock_version": 0, "intended_on": "2026-11-05", "intended_reference": "V/1", "intended_points": ""}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data | {"intended_reference": "V/2"})
    assert response.status_code == 409 and "Iemand anders heeft dit besluit opgeslagen" in response.content.decode()
    decision.refresh_from_db()
    assert decision.intended_reference == "V/1"
    # The record form now explains why the definitive decision has to wait.
    page = client.get(reverse("decision_record", args=[decision.pk])).content.decode()
    assert "Nog niet mogelijk" in page and "Het voorgenomen besluit is nog niet naar de raad" in page


def test_an_intended_decision_where_the_council_is_only_informed_is_refused(covenant, sent, client_for):
    decision = track(sent).decision
    client = client_for(covenant.secretaries["Haarlem"])
    data = {"lock_version": 0, "intended_on": "2026-11-05", "intended_reference": "V/1"}
    response = client.post(reverse("decision_intended", args=[decision.pk]), data)
    assert response.status_code == 409
    assert "leg het besluit zelf vast" in response.content.decode()
    assert CollegeDecision.objects.get(pk=decision.pk).intended_on is None


def test_the_griffier_is_told_which_outcome_fits_and_nothing_is_saved(sent, griffier, client_for):
    haarlem = track(sent)
    client = client_for(griffier)
    data = {
        "lock_version": haarlem.lock_version,
        "involvement": "informed",
        "status": "not_planned",
        "outcome": "consented",
        "outcome_date": "2026-11-20",
    }
    response = client.post(reverse("council_track_edit", args=[haarlem.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "„toestemming verleend” is geen uitkomst van geïnformeerd" in page
    assert "voor kennisgeving aangenomen" in page
    assert track(sent).lock_version == haarlem.lock_version


def test_two_signatories_signing_with_the_same_form_the_second_is_refused(covenant, sent, client_for):
    decision = track(sent).decision
    decision.record(
        by=covenant.secretaries["Haarlem"],
        lock_version=0,
        outcome="agreed",
        decided_on=D(2026, 11, 10),
        reference="B/1",
    )
    seen = decision.lock_version
    mayor, secretary = client_for(covenant.mayors["Haarlem"]), client_for(covenant.secretaries["Haarlem"])
    url = reverse("decision_sign", args=[decision.pk, "sign"])
    assert mayor.post(url, {"lock_version": seen}).status_code == 302
    response = secretary.post(url, {"lock_version": seen})
    assert response.status_code == 409
    decision.refresh_from_db()
    assert decision.mayor_signed_by_id and not decision.secretary_signed_by_id
    assert secretary.post(url, {"lock_version": decision.lock_version}).status_code == 302


def test_the_coordinator_records_the_zienswijze_round_and_a_board_adoption_too_early_is_refused(
    covenant, coordinator, client_for
):
    proposal = covenant.adopt(covenant.proposal(), coordinator)
    client = client_for(coordinator)
    window = reverse("proposal_update", args=[proposal.pk])
    response = client.post(window, {"opinion_document": "budget", "opinion_weeks": 8, "opinion_sent_on": "2026-11-02"})
    assert response.status_code == 200 and "minstens 12 weken (Wgr art. 35)" in response.content.decode()
    response = client.post(window, {"opinion_document": "budget", "opinion_weeks": 12, "opinion_sent_on": "2026-11-02"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.opinion_period_end == D(2027, 1, 25)
    opinion = reverse("proposal_transition", args=[proposal.pk, "opinion"])
    response = client.post(opinion, {"board_adopted_on": "2026-11-30"})
    assert response.status_code == 409 and "25 januari 2027" in response.content.decode()
    response = client.post(
        opinion, {"opinion_reaction": "Verwerkt in de begroting.", "opinion_reaction_on": "2026-11-28"}
    )
    assert response.status_code == 302
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "Zienswijzeronde" in page and "Verwerkt in de begroting." in page
    assert "12 weken, van 2 november 2026 tot en met 25 januari 2027" in page


def test_a_proposal_carries_its_own_documents_checked_by_content(covenant, coordinator, client_for):
    proposal = covenant.proposal()
    client = client_for(coordinator)
    url = reverse("proposal_document_upload", args=[proposal.pk])
    fake = SimpleUploadedFile("raadsinformatiebrief.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Raadsinformatiebrief", "file": fake})
    assert response.status_code == 400 and "is geen PDF-bestand" in response.content.decode()
    assert not proposal.documents.exists()
    upload = SimpleUploadedFile("raadsinformatiebrief.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"title": "Raadsinformatiebrief", "file": upload}).status_code == 302
    document = proposal.documents.get()
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "Raadsinformatiebrief" in page and "1. Inleiding" in page and "Inleiding van het voorstel." in page
    download = client.get(reverse("proposal_document_download", args=[proposal.pk, document.pk]))
    assert b"".join(download.streaming_content) == PDF
    # Sending freezes the document with the text: its checksum is in the version, and no more uploads.
    covenant.adopt(proposal, coordinator)
    version = proposal.send(by=coordinator)
    assert {"title": "Raadsinformatiebrief", "sha256": document.sha256} in version.content["documents"]
    again = SimpleUploadedFile("bijlage.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"title": "Bijlage", "file": again}).status_code == 409


def test_an_outsider_sees_no_proposal_document_and_a_council_member_may_not_upload(
    covenant, coordinator, outsider, client_for
):
    proposal = covenant.proposal()
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    client_for(coordinator).post(reverse("proposal_document_upload", args=[proposal.pk]), {"title": "", "file": upload})
    document = proposal.documents.get()
    url = reverse("proposal_document_download", args=[proposal.pk, document.pk])
    assert client_for(outsider).get(url).status_code == 404
    mayor = client_for(covenant.mayors["Heemstede"])
    assert mayor.get(url).status_code == 404  # a draft is its body's
    covenant.adopt(proposal, coordinator)
    assert mayor.get(url).status_code == 200
    again = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    assert mayor.post(reverse("proposal_document_upload", args=[proposal.pk]), {"file": again}).status_code == 403


def test_the_proposal_page_keeps_its_queries_as_colleges_and_tracks_grow(
    covenant, coordinator, client_for, django_assert_max_num_queries
):
    def page_of(extra: int) -> tuple[RegionalProposal, int]:
        for _ in range(extra):
            ParticipationFactory(
                cooperation=covenant.cooperation, municipality=MunicipalityFactory(), joined_on=D(2021, 1, 1)
            )
        proposal = covenant.adopt(covenant.proposal(), coordinator)
        proposal.send(by=coordinator, on=D(2026, 11, 1))
        for tracked in proposal.council_tracks.select_related("proposal", "municipality", "decision"):
            tracked.keep(lock_version=tracked.lock_version, involvement="wishes")
            decision = tracked.decision
            decision.record_intended(
                by=coordinator, lock_version=decision.lock_version, intended_on=D(2026, 11, 5), intended_reference="V"
            )
        return proposal

    client = client_for(coordinator)
    small = page_of(0)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("proposal_detail", args=[small.pk])).status_code == 200
    large = page_of(12)
    assert large.college_decisions.count() == 16
    with django_assert_max_num_queries(len(queries)):
        page = client.get(reverse("proposal_detail", args=[large.pk])).content.decode()
    assert page.count("voorgenomen besluit") >= 16
