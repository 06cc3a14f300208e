"""Who sees a college decision before it is signed, and who reads a draft proposal (docs/adr/0006)."""

import datetime

import pytest
from django.urls import reverse

from decisions.models import CollegeDecision
from decisions.tasks import render_decision_pdf
from governance.models import Membership
from meetings.models import Meeting
from municipalities.models import Office
from tests.factories import MembershipFactory, OfficeFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
REFERENCE, MOTIVATION = "HS-2026-112", "Past niet bij de omgevingsvisie van Heemstede."


@pytest.fixture
def sent(covenant, coordinator):
    proposal = covenant.adopt(covenant.proposal(), coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal


def person_with(covenant, role, municipality="Heemstede", **fields):
    person = PersonFactory(with_login=True)
    OfficeFactory(
        person=person, role=role, municipality=covenant.municipalities[municipality], starts_on=D(2020, 1, 1), **fields
    )
    return person.user


@pytest.fixture
def people(covenant, coordinator):
    alderman = PersonFactory(with_login=True)
    heemstede = covenant.municipalities["Heemstede"]
    OfficeFactory(person=alderman, role=Office.Role.ALDERMAN, municipality=heemstede, starts_on=D(2020, 1, 1))
    OfficeFactory(person=alderman, role=Office.Role.LOCO_MAYOR, municipality=heemstede, starts_on=D(2026, 11, 1))
    return {
        "own secretary": covenant.secretaries["Heemstede"],
        "own mayor": covenant.mayors["Heemstede"],
        "own loco-burgemeester": alderman.user,
        "coordinator": coordinator,
        "own griffier": person_with(covenant, Office.Role.GRIFFIER),
        "own council member": person_with(covenant, Office.Role.COUNCIL_MEMBER),
        "other secretary": covenant.secretaries["Zandvoort"],
        "other mayor": covenant.mayors["Zandvoort"],
        "other council member": person_with(covenant, Office.Role.COUNCIL_MEMBER, "Haarlem"),
    }


# Who sees the content of Heemstede's decision before it is signed; after signing everyone reading the proposal does.
SEES_UNSIGNED = {"own secretary", "own mayor", "own loco-burgemeester", "coordinator"}


def heemstede(proposal) -> CollegeDecision:
    return proposal.college_decisions.get(municipality__name="Heemstede")


def record_not_agreed(covenant, proposal):
    decision = heemstede(proposal)
    decision.record(
        by=covenant.secretaries["Heemstede"],
        lock_version=decision.lock_version,
        outcome="not_agreed",
        decided_on=D(2026, 11, 10),
        reference=REFERENCE,
        motivation=MOTIVATION,
    )
    return decision


@pytest.mark.parametrize("state", ["recorded", "signed"])
@pytest.mark.parametrize(
    "role",
    [
        "own secretary",
        "own mayor",
        "own loco-burgemeester",
        "coordinator",
        "own griffier",
        "own council member",
        "other secretary",
        "other mayor",
        "other council member",
    ],
)
def test_a_college_decision_is_its_municipalitys_own_until_signed(covenant, sent, people, client_for, role, state):
    decision = record_not_agreed(covenant, sent)
    if state == "signed":
        covenant.sign(decision)
    sees = state == "signed" or role in SEES_UNSIGNED
    marker = 'niet_agreed">niet ingestemd</span>' if state == "signed" else "niet ingestemd (te ondertekenen)"
    marker = marker.replace("niet_agreed", "portal-status--not_agreed")
    client = client_for(people[role])
    detail = client.get(reverse("proposal_detail", args=[sent.pk])).content.decode()
    matrix = client.get(reverse("proposal_matrix")).content.decode()
    for page in (detail, matrix):
        assert "Regionale woonagenda" in page
        assert (marker in page) == sees
        assert sees or "in behandeling" in page
    assert (REFERENCE in detail) == sees and (MOTIVATION in detail) == sees
    outcome = sent.outcome()
    assert outcome["known"] == (1 if state == "signed" else 0)  # the regional outcome counts signed decisions only


def test_an_intended_decision_and_its_pdf_stay_with_the_municipality(covenant, sent, people, client_for):
    track = sent.council_tracks.select_related("proposal", "municipality", "decision").get(
        municipality__name="Heemstede"
    )
    track.keep(lock_version=track.lock_version, involvement="consent")
    decision = heemstede(sent)
    decision.record_intended(
        by=covenant.secretaries["Heemstede"],
        lock_version=decision.lock_version,
        intended_on=D(2026, 11, 5),
        intended_reference="HS-V-77",
    )
    render_decision_pdf(decision.pk)
    url = reverse("decision_intended_pdf", args=[decision.pk])
    for role, user in people.items():
        client = client_for(user)
        page = client.get(reverse("proposal_detail", args=[sent.pk])).content.decode()
        sees = role in SEES_UNSIGNED
        assert ("HS-V-77" in page) == sees, role
        assert client.get(url).status_code == (200 if sees else 404), role


def test_the_reconciliation_item_shows_only_signed_decisions(covenant, sent, coordinator):
    signed = record_not_agreed(covenant, sent)
    covenant.sign(signed)
    zandvoort = sent.college_decisions.get(municipality__name="Zandvoort")
    zandvoort.record(
        by=covenant.secretaries["Zandvoort"],
        lock_version=zandvoort.lock_version,
        outcome="agreed_amended",
        decided_on=D(2026, 11, 11),
        reference="ZV-9",
        deviating_points="Iets anders",
    )
    summary = sent.outcome_summary()
    assert f"Heemstede: niet ingestemd (motivering: {MOTIVATION})" in summary
    assert "Zandvoort: in behandeling" in summary and "wijziging" not in summary


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("body secretary", 200),
        ("body member", 200),
        ("body advisory member", 404),
        ("coordinator", 200),
        ("alderman", 404),
        ("council member", 404),
        ("project leader", 404),
        ("mayor outside the body", 404),
    ],
)
def test_a_draft_proposal_is_read_by_its_body_and_the_coordinator_only(covenant, coordinator, client_for, who, status):
    proposal = covenant.proposal(title="Concept regionale hittekaart")
    haarlem = covenant.municipalities["Haarlem"]

    def member(role):
        person = PersonFactory(with_login=True)
        OfficeFactory(person=person, role=Office.Role.MAYOR, municipality=covenant.municipalities["Bloemendaal"])
        MembershipFactory(body=covenant.body, person=person, role=role, starts_on=D(2021, 1, 1))
        return person.user

    users = {
        "body secretary": lambda: member(Membership.Role.SECRETARY),
        "body member": lambda: member(Membership.Role.MEMBER),
        "body advisory member": lambda: member(Membership.Role.ADVISORY_MEMBER),
        "coordinator": lambda: coordinator,
        "alderman": lambda: person_with(covenant, Office.Role.ALDERMAN, "Haarlem"),
        "council member": lambda: person_with(covenant, Office.Role.COUNCIL_MEMBER, "Haarlem"),
        "project leader": lambda: person_with(covenant, Office.Role.PROJECT_LEADER, "Haarlem"),
        "mayor outside the body": lambda: covenant.mayors[haarlem.name],
    }
    client = client_for(users[who]())
    assert client.get(reverse("proposal_detail", args=[proposal.pk])).status_code == status
    matrix = client.get(reverse("proposal_matrix"), {"status": "draft"}).content.decode()
    assert ("Concept regionale hittekaart" in matrix) == (status == 200)
    # Once adopted, everyone with an office in the cooperation reads it.
    covenant.adopt(proposal, coordinator)
    assert client.get(reverse("proposal_detail", args=[proposal.pk])).status_code == 200
    assert Meeting.objects.filter(body=covenant.body).exists()
