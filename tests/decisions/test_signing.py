"""Signing (Gemeentewet art. 59a, 77, 78, 106) and the decision PDF per outcome, read back as text."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from core.workflow import TransitionNotAllowed
from decisions.models import CollegeDecision, DecisionPdf
from decisions.tasks import render_decision_pdf
from municipalities.models import Office
from tests.factories import OfficeFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Outcome = CollegeDecision.Outcome
DECIDED_ON = D(2026, 11, 10)


@pytest.fixture
def sent(covenant, coordinator):
    proposal = covenant.adopt(covenant.proposal(), coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal


def haarlem(proposal) -> CollegeDecision:
    return proposal.college_decisions.select_related("municipality", "version").get(municipality__name="Haarlem")


def record(covenant, decision, **fields):
    values = {"outcome": Outcome.AGREED, "decided_on": DECIDED_ON, "reference": "2026/123"} | fields
    decision.record(by=covenant.secretaries["Haarlem"], lock_version=decision.lock_version, **values)


def substitute(covenant, role, *, starts_on=None, ends_on=None, municipality="Haarlem", alderman=True):
    person = PersonFactory(with_login=True, given_name="Loes", surname="Vervanger")
    place = covenant.municipalities[municipality]
    if alderman:
        OfficeFactory(person=person, role=Office.Role.ALDERMAN, municipality=place, starts_on=D(2022, 5, 1))
    starts_on = starts_on or D(2026, 11, 1)
    OfficeFactory(person=person, role=role, municipality=place, starts_on=starts_on, ends_on=ends_on)
    return person.user


def pdf_text(decision) -> str:
    pdf = DecisionPdf.objects.get(pk=render_decision_pdf(decision.pk))
    with pdf.file.open("rb") as handle:
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)


def test_a_loco_burgemeester_signs_in_the_period_of_the_designation(covenant, sent):
    decision = haarlem(sent)
    record(covenant, decision)
    loco = substitute(covenant, Office.Role.LOCO_MAYOR, starts_on=D(2026, 11, 9), ends_on=D(2026, 11, 20))
    assert decision.sign(by=loco) == "mayor"
    decision.sign(by=covenant.secretaries["Haarlem"])
    assert decision.is_final and decision.mayor_signed_as == Office.Role.LOCO_MAYOR
    assert decision.mayor_name == "Loes Vervanger"
    text = pdf_text(decision)
    assert "de loco-burgemeester, Loes Vervanger" in text and "de burgemeester," not in text
    assert "de secretaris," in text and decision.secretary_name in text


@pytest.mark.parametrize(
    ("period", "municipality"),
    [
        ((D(2026, 11, 11), None), "Haarlem"),
        ((D(2026, 10, 1), D(2026, 11, 9)), "Haarlem"),
        ((D(2026, 11, 1), None), "Heemstede"),
    ],
    ids=["starts-after-the-decision", "ended-before-the-decision", "another-municipality"],
)
def test_a_substitute_outside_the_period_or_for_another_municipality_is_refused(covenant, sent, period, municipality):
    decision = haarlem(sent)
    record(covenant, decision)
    loco = substitute(
        covenant, Office.Role.LOCO_MAYOR, starts_on=period[0], ends_on=period[1], municipality=municipality
    )
    with pytest.raises(TransitionNotAllowed, match="in functie was"):
        decision.sign(by=loco)
    decision.refresh_from_db()
    assert decision.mayor_signed_by_id is None and decision.signing == CollegeDecision.Signing.TO_SIGN


def test_a_loco_burgemeester_is_an_alderman_of_that_municipality(covenant):
    person = PersonFactory()
    office = Office(
        person=person,
        role=Office.Role.LOCO_MAYOR,
        municipality=covenant.municipalities["Haarlem"],
        starts_on=D(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        office.full_clean()
    assert "art. 77 Gemeentewet" in caught.value.message_dict["role"][0]


def test_an_acting_mayor_and_a_loco_secretaris_sign_under_their_own_title(covenant, sent):
    decision = haarlem(sent)
    record(covenant, decision)
    acting = substitute(covenant, Office.Role.ACTING_MAYOR, alderman=False)
    loco_secretary = substitute(covenant, Office.Role.LOCO_SECRETARY, alderman=False)
    decision.sign(by=acting)
    decision.sign(by=loco_secretary)
    text = pdf_text(decision)
    assert "de waarnemend burgemeester," in text and "de loco-secretaris," in text


def test_the_loco_burgemeester_signs_through_the_page(covenant, sent, client_for):
    """The guardian grant follows the substitute office (synced when the office is saved)."""
    decision = haarlem(sent)
    record(covenant, decision)
    loco = substitute(covenant, Office.Role.LOCO_MAYOR, starts_on=D(2026, 11, 1))
    client = client_for(loco)
    page = client.get(reverse("my_signatures")).content.decode()
    assert "Regionale woonagenda" in page and "Besluit lezen (pdf)" in page
    preview = client.get(reverse("decision_preview_pdf", args=[decision.pk]))
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    preview_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.content)).pages)
    assert "CONCEPT" in preview_text
    assert client.post(reverse("decision_sign", args=[decision.pk, "sign"])).status_code == 302
    decision.refresh_from_db()
    assert decision.mayor_signed_by == loco
    # Another municipality's mayor may not even read the concept.
    other = client_for(covenant.mayors["Heemstede"])
    assert other.get(reverse("decision_preview_pdf", args=[decision.pk])).status_code == 403


POINTS = ("In te stemmen met de regionale woonagenda", "De raad te informeren")


def test_the_agreed_decision_reads_as_agreed(covenant, sent):
    decision = haarlem(sent)
    record(covenant, decision)
    covenant.sign(decision)
    text = pdf_text(decision)
    assert "Besluit: In te stemmen met de regionale woonagenda De raad te informeren" in text
    assert "De gemeenten werken samen aan voldoende betaalbare woningen." in text  # the key message
    assert "VOORGENOMEN" not in text and "Niet in te stemmen" not in text


def test_the_amended_decision_shows_the_decided_points_and_the_deviation(covenant, sent):
    decision = haarlem(sent)
    record(
        covenant,
        decision,
        outcome=Outcome.AGREED_AMENDED,
        deviating_points="In te stemmen met de regionale woonagenda, zonder de paragraaf over sociale huur\n"
        "De raad te informeren",
    )
    covenant.sign(decision)
    text = pdf_text(decision)
    assert "Besluit: In te stemmen met de regionale woonagenda, zonder de paragraaf over sociale huur" in text
    assert "Besloten met wijziging ten opzichte van het regionale voorstel" in text
    assert "vervallen: In te stemmen met de regionale woonagenda" in text
    assert "heeft ingestemd met gewijzigde besluitpunten" in text


def test_the_not_agreed_decision_never_reads_as_agreeing(covenant, sent):
    decision = haarlem(sent)
    record(
        covenant, decision, outcome=Outcome.NOT_AGREED, motivation="De woonagenda past niet bij onze omgevingsvisie."
    )
    covenant.sign(decision)
    text = pdf_text(decision)
    assert "Niet in te stemmen met het regionale voorstel „Regionale woonagenda” (versie 1), dat inhield:" in text
    assert "dat inhield: in te stemmen met de regionale woonagenda de raad te informeren" in text
    assert "Reden: De woonagenda past niet bij onze omgevingsvisie." in text
    assert "stemt niet in met het regionale voorstel" in text  # the Kernboodschap says what was decided
    assert "In te stemmen" not in text
    assert "De gemeenten werken samen aan voldoende betaalbare woningen." not in text


def test_the_deferred_decision_reads_aan_te_houden(covenant, sent):
    decision = haarlem(sent)
    record(covenant, decision, outcome=Outcome.DEFERRED, reference="", motivation="Eerst de raadsinformatiesessie.")
    covenant.sign(decision)
    text = pdf_text(decision)
    assert "Aan te houden: het besluit over het regionale voorstel" in text
    assert "houdt zijn besluit over het regionale voorstel „Regionale woonagenda” aan" in text
    assert "In te stemmen" not in text


def test_the_intended_decision_is_marked_voorgenomen_and_unsigned(covenant, sent):
    track = sent.council_tracks.get(municipality__name="Haarlem")
    track.keep(lock_version=track.lock_version, involvement="wishes")
    decision = haarlem(sent)
    decision.record_intended(
        by=covenant.secretaries["Haarlem"],
        lock_version=decision.lock_version,
        intended_on=DECIDED_ON,
        intended_reference="2026/V7",
    )
    pdf = DecisionPdf.objects.get(pk=render_decision_pdf(decision.pk))
    assert pdf.stage == DecisionPdf.Stage.INTENDED
    with pdf.file.open("rb") as handle:
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert text.startswith("VOORGENOMEN BESLUIT") and "2026/V7" in text
    assert "Voornemens te zijn: in te stemmen met de regionale woonagenda de raad te informeren en de raad" in text
    assert "wensen en bedenkingen" in text and "artikel 169, vierde lid, Gemeentewet" in text
    assert "de burgemeester," not in text and "niet ondertekend" in text
    assert "In te stemmen" not in text
