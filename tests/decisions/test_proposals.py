import datetime

import pytest
from django.core.exceptions import ValidationError

from core.workflow import TransitionNotAllowed
from decisions.models import CollegeDecision, RegionalProposal, StaleDecision
from tests.factories import MunicipalityFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Status = RegionalProposal.Status
Outcome = CollegeDecision.Outcome

ALL_STEPS = {
    "adopt": lambda p, by: p.adopt(by=by),  # the proposal's agenda item is of a held meeting (see below)
    "send": lambda p, by: p.send(by=by, on=D(2026, 11, 1)),
    "withdraw": lambda p, by: p.withdraw(by=by, reason="Achterhaald"),
    "close": lambda p, by: p.close(by=by),
}
ALLOWED = {
    Status.DRAFT: {"adopt", "withdraw"},
    Status.ADOPTED: {"send", "withdraw"},
    Status.SENT: {"withdraw"},
    Status.DECIDED: {"close"},
    Status.CLOSED: set(),
    Status.WITHDRAWN: set(),
}


@pytest.mark.parametrize("status", list(ALLOWED))
@pytest.mark.parametrize("step", list(ALL_STEPS))
def test_state_table(covenant, coordinator, status, step):
    proposal = covenant.proposal(status=status, agenda_item=covenant.held_item())
    if step in ALLOWED[status]:
        ALL_STEPS[step](proposal, coordinator)
        proposal.refresh_from_db()
        assert proposal.status != status
    else:
        with pytest.raises(TransitionNotAllowed):
            ALL_STEPS[step](proposal, coordinator)
        proposal.refresh_from_db()
        assert proposal.status == status


def test_sending_fans_out_by_participation_on_the_sending_date(covenant, coordinator):
    cooperation = covenant.cooperation
    covenant.municipalities["Zandvoort"].participations.update(notice_given_on=D(2025, 3, 1))  # left 1-1-2026
    leaving = MunicipalityFactory(name="Uitgeest")
    ParticipationFactory(
        cooperation=cooperation, municipality=leaving, joined_on=D(2021, 1, 1), notice_given_on=D(2026, 6, 1)
    )
    joining = MunicipalityFactory(name="Velsen")
    ParticipationFactory(cooperation=cooperation, municipality=joining, joined_on=D(2027, 1, 1))
    for participation in cooperation.participations.all():
        participation.save()  # recompute the leave dates from the notices
    proposal = covenant.adopt(covenant.proposal(), coordinator)
    version = proposal.send(by=coordinator, on=D(2026, 11, 1))
    tracks = sorted(proposal.college_decisions.values_list("municipality__name", flat=True))
    # Zandvoort left before the sending date; Uitgeest gave notice but is still in; Velsen joins later.
    assert tracks == ["Bloemendaal", "Haarlem", "Heemstede", "Uitgeest"]
    assert {d.version_id for d in proposal.college_decisions.all()} == {version.pk}
    assert len(version.sha256) == 64


def test_the_checksum_is_the_same_for_the_same_text_and_changes_with_it(covenant, coordinator):
    first, second, third = (
        covenant.proposal(),
        covenant.proposal(),
        covenant.proposal(decision_points="In te stemmen met de regionale woonagenda"),
    )
    versions = []
    for proposal in (first, second, third):
        covenant.adopt(proposal, coordinator)
        versions.append(proposal.send(by=coordinator))
    assert versions[0].sha256 == versions[1].sha256
    assert versions[0].sha256 != versions[2].sha256


def test_the_text_is_frozen_after_adoption(covenant, coordinator):
    proposal = covenant.adopt(covenant.proposal(), coordinator)
    proposal.key_message = "Iets anders"
    with pytest.raises(ValidationError):
        proposal.full_clean()
    version = proposal.send(by=coordinator)
    version.content["title"] = "Gewijzigd"
    with pytest.raises(ValidationError):
        version.save()


def test_the_position_is_adopted_in_a_held_meeting_of_the_body_on_its_date(covenant, coordinator):
    from meetings.models import Meeting

    proposal = covenant.proposal()
    with pytest.raises(TransitionNotAllowed, match="agendapunt"):
        proposal.adopt(by=coordinator)
    item = covenant.held_item(D(2026, 9, 15))
    item.meeting.status = Meeting.Status.PUBLISHED
    item.meeting.save()
    proposal.agenda_item = item
    proposal.save()
    with pytest.raises(TransitionNotAllowed, match="nog niet gehouden"):
        proposal.adopt(by=coordinator)
    item.meeting.status = Meeting.Status.HELD
    item.meeting.save()
    proposal.adopt(by=coordinator)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.adopted_on) == (Status.ADOPTED, D(2026, 9, 15))


def test_a_meeting_of_another_body_does_not_adopt(covenant, coordinator):
    from tests.factories import ConsultationBodyFactory

    item = covenant.held_item()
    item.meeting.body = ConsultationBodyFactory(cooperation=covenant.cooperation)
    item.meeting.save()
    proposal = covenant.proposal(agenda_item=item)
    with pytest.raises(TransitionNotAllowed, match="hoort bij een vergadering van"):
        proposal.adopt(by=coordinator)
    assert RegionalProposal.objects.get(pk=proposal.pk).status == Status.DRAFT


@pytest.fixture
def sent(covenant, coordinator):
    proposal = covenant.adopt(covenant.proposal(), coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal


def record(decision, by, **fields):
    values = {"outcome": Outcome.AGREED, "decided_on": D(2026, 11, 10), "reference": "2026/123"} | fields
    decision.record(by=by, lock_version=decision.lock_version, **values)


def test_recording_puts_it_up_for_signing_and_the_signatures_name_the_signatories(covenant, sent):
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    record(decision, covenant.secretaries["Haarlem"])
    assert decision.signing == CollegeDecision.Signing.TO_SIGN
    assert list(CollegeDecision.objects.to_sign()) == [decision]
    assert decision.parts_to_sign_by(covenant.mayors["Haarlem"]) == ["mayor"]
    assert decision.parts_to_sign_by(covenant.secretaries["Haarlem"]) == ["secretary"]
    assert decision.sign(by=covenant.mayors["Haarlem"]) == "mayor"
    assert not decision.is_final and decision.mayor_name.endswith("Haarlem")
    assert decision.sign(by=covenant.secretaries["Haarlem"]) == "secretary"
    assert decision.is_final and decision.secretary_name.endswith("Haarlem")
    assert (decision.mayor_signed_as, decision.secretary_signed_as) == ("mayor", "municipal_secretary")
    reasons = [h.history_change_reason for h in decision.history.order_by("history_date")]
    assert reasons[-3:] == ["recorded", "signed", "co-signed"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"decided_on": D(2026, 10, 31)}, "decided_on"),
        ({"outcome": Outcome.AGREED_AMENDED}, "deviating_points"),
        ({"reference": ""}, "reference"),
        ({"outcome": Outcome.PENDING}, "outcome"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_saved(covenant, sent, fields, field):
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    with pytest.raises(ValidationError) as caught:
        record(decision, covenant.secretaries["Haarlem"], **fields)
    assert field in caught.value.message_dict
    decision.refresh_from_db()
    assert (decision.outcome, decision.lock_version) == (Outcome.PENDING, 0)


def test_two_people_recording_at_once_the_second_is_refused(covenant, sent):
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    seen = decision.lock_version
    decision.record(
        by=covenant.secretaries["Haarlem"],
        lock_version=seen,
        outcome=Outcome.AGREED,
        decided_on=D(2026, 11, 10),
        reference="A",
    )
    with pytest.raises(StaleDecision):
        decision.record(
            by=covenant.secretaries["Haarlem"],
            lock_version=seen,
            outcome=Outcome.NOT_AGREED,
            decided_on=D(2026, 11, 10),
            reference="B",
        )
    decision.refresh_from_db()
    assert (decision.outcome, decision.reference) == (Outcome.AGREED, "A")


def test_no_decision_on_a_withdrawn_proposal(covenant, sent, coordinator):
    sent.withdraw(by=coordinator, reason="Ingetrokken")
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    with pytest.raises(TransitionNotAllowed):
        record(decision, covenant.secretaries["Haarlem"])


def test_only_the_own_mayor_in_office_on_the_decision_date_signs(covenant, sent):
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    record(decision, covenant.secretaries["Haarlem"])
    with pytest.raises(TransitionNotAllowed, match="Alleen de burgemeester van Haarlem"):
        decision.sign(by=covenant.mayors["Heemstede"])
    mayor = covenant.mayors["Haarlem"]
    office = mayor.person.offices.get()
    office.ends_on = D(2026, 11, 9)  # the day before the decision date
    office.save()
    with pytest.raises(TransitionNotAllowed):
        decision.sign(by=mayor)
    office.ends_on = None
    office.save()
    decision.sign(by=mayor)
    assert decision.mayor_signed_by == mayor
    with pytest.raises(TransitionNotAllowed, match="al ondertekend"):
        decision.sign(by=mayor)


def test_a_deferred_decision_can_be_decided_later(covenant, sent):
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    record(decision, covenant.secretaries["Haarlem"], outcome=Outcome.DEFERRED, reference="")
    covenant.sign(decision)
    assert not decision.is_final
    record(decision, covenant.secretaries["Haarlem"], outcome=Outcome.AGREED, decided_on=D(2026, 11, 20))
    assert not decision.mayor_signed_by_id  # deciding anew asks for new signatures
    covenant.sign(decision)
    assert decision.is_final


def test_the_proposal_is_decided_when_every_college_is_and_diverges_on_not_agreed(covenant, sent, coordinator):
    outcomes = {"Bloemendaal": Outcome.AGREED, "Haarlem": Outcome.AGREED, "Heemstede": Outcome.NOT_AGREED}
    for name, outcome in outcomes.items():
        decision = sent.college_decisions.get(municipality__name=name)
        record(decision, covenant.secretaries[name], outcome=outcome, motivation="Past niet in ons beleid.")
        covenant.sign(decision)
    sent.refresh_from_db()
    assert sent.status == Status.SENT
    result = sent.outcome()
    # Nothing is known while one college has not decided, however the others decided.
    assert result["counts"]["open"] == 1 and result["diverges"] and result["result"] == "open"
    assert str(result["label"]) == "nog niet bekend (3 van 4 besloten)"
    zandvoort = sent.college_decisions.get(municipality__name="Zandvoort")
    record(zandvoort, covenant.secretaries["Zandvoort"])
    assert sent.outcome()["result"] == "open"  # recorded but not signed: still the municipality's own
    covenant.sign(zandvoort)
    sent.refresh_from_db()
    assert sent.status == Status.DECIDED
    assert str(sent.outcome()["label"]) == "niet ingestemd door 1 college"


def test_an_amendment_shows_as_a_diff_against_the_frozen_version(covenant, sent):
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    record(
        decision,
        covenant.secretaries["Haarlem"],
        outcome=Outcome.AGREED_AMENDED,
        deviating_points="In te stemmen met de regionale woonagenda\nDe raad te laten besluiten",
    )
    assert ("-", "De raad te informeren") in decision.diff()
    assert ("+", "De raad te laten besluiten") in decision.diff()


def test_a_reconciliation_item_goes_on_the_next_meeting_once(covenant, sent, coordinator):
    from django.utils import timezone

    from meetings.models import Meeting

    meeting = Meeting.for_body(covenant.body, timezone.now() + datetime.timedelta(days=10))
    meeting.save()
    with pytest.raises(TransitionNotAllowed):
        sent.put_reconciliation_on_agenda(by=coordinator)  # nothing diverges yet
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    record(decision, covenant.secretaries["Haarlem"], outcome=Outcome.NOT_AGREED, motivation="Te duur voor Haarlem.")
    with pytest.raises(TransitionNotAllowed):
        sent.put_reconciliation_on_agenda(by=coordinator)  # not signed: not yet a decision of Haarlem
    covenant.sign(decision)
    later = Meeting.for_body(covenant.body, timezone.now() + datetime.timedelta(days=40))
    later.save()
    item = sent.put_reconciliation_on_agenda(by=coordinator)
    assert item.meeting == meeting and "Regionale woonagenda" in item.title
    assert "Haarlem: niet ingestemd (motivering: Te duur voor Haarlem.)" in item.explanation
    with pytest.raises(TransitionNotAllowed):
        sent.put_reconciliation_on_agenda(by=coordinator)
    # Another meeting the secretary chooses; the signed college decisions go with it.
    from decisions.tasks import render_decision_pdf

    render_decision_pdf(decision.pk)
    other = sent.put_reconciliation_on_agenda(by=coordinator, meeting=later)
    assert other.meeting == later
    documents = list(other.documents.all())
    assert [d.title for d in documents] == ["Collegebesluit Haarlem"]
    assert documents[0].current.content_type == "application/pdf"
    assert documents[0].current.file.read().startswith(b"%PDF")
