import datetime

import pytest
from django.core.exceptions import ValidationError

from core.workflow import TransitionNotAllowed
from decisions.models import CollegeDecision, RegionalProposal, StaleDecision, regional_outcome
from governance.models import Cooperation
from tests.factories import MunicipalityFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Status = RegionalProposal.Status
Outcome = CollegeDecision.Outcome

ALL_STEPS = {
    "adopt": lambda p, by: p.adopt(by=by),
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
    proposal = covenant.proposal(status=status)
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
    proposal = covenant.proposal()
    proposal.adopt(by=coordinator)
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
        proposal.adopt(by=coordinator)
        versions.append(proposal.send(by=coordinator))
    assert versions[0].sha256 == versions[1].sha256
    assert versions[0].sha256 != versions[2].sha256


def test_the_text_is_frozen_after_adoption(covenant, coordinator):
    proposal = covenant.proposal()
    proposal.adopt(by=coordinator)
    proposal.key_message = "Iets anders"
    with pytest.raises(ValidationError):
        proposal.full_clean()
    version = proposal.send(by=coordinator)
    version.content["title"] = "Gewijzigd"
    with pytest.raises(ValidationError):
        version.save()


@pytest.fixture
def sent(covenant, coordinator):
    proposal = covenant.proposal()
    proposal.adopt(by=coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal


def record(decision, by, **fields):
    values = {"outcome": Outcome.AGREED, "decided_on": D(2026, 11, 10), "reference": "2026/123"} | fields
    decision.record(by=by, lock_version=decision.lock_version, **values)


def test_recording_captures_the_signatories_and_submits_to_the_mayor(covenant, sent):
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    record(decision, covenant.secretaries["Haarlem"])
    assert decision.review == CollegeDecision.Review.SUBMITTED
    assert decision.secretary_name.endswith("Haarlem") and decision.mayor_name.endswith("Haarlem")
    assert list(CollegeDecision.objects.awaiting_approval()) == [decision]


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


def test_only_the_own_mayor_in_office_approves(covenant, sent):
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    record(decision, covenant.secretaries["Haarlem"])
    with pytest.raises(TransitionNotAllowed):
        decision.approve(by=covenant.mayors["Heemstede"])
    mayor = covenant.mayors["Haarlem"]
    office = mayor.person.offices.get()
    office.ends_on = D(2026, 1, 1)
    office.save()
    with pytest.raises(TransitionNotAllowed):
        decision.approve(by=mayor)
    office.ends_on = None
    office.save()
    decision.approve(by=mayor)
    assert decision.review == CollegeDecision.Review.APPROVED and decision.approved_by == mayor
    assert (
        decision.history.first().history_change_reason == "goedgekeurd door de burgemeester"
        or decision.history.exists()
    )


def test_a_deferred_decision_can_be_decided_later(covenant, sent):
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    record(decision, covenant.secretaries["Haarlem"], outcome=Outcome.DEFERRED, reference="")
    decision.approve(by=covenant.mayors["Haarlem"])
    assert not decision.is_final
    record(decision, covenant.secretaries["Haarlem"], outcome=Outcome.AGREED, decided_on=D(2026, 11, 20))
    decision.approve(by=covenant.mayors["Haarlem"])
    assert decision.is_final


def test_the_proposal_is_decided_when_every_college_is_and_diverges_on_not_agreed(covenant, sent, coordinator):
    outcomes = {"Bloemendaal": Outcome.AGREED, "Haarlem": Outcome.AGREED, "Heemstede": Outcome.NOT_AGREED}
    for name, outcome in outcomes.items():
        decision = sent.college_decisions.get(municipality__name=name)
        record(decision, covenant.secretaries[name], outcome=outcome)
        decision.approve(by=covenant.mayors[name])
    sent.refresh_from_db()
    assert sent.status == Status.SENT
    result = sent.outcome()
    assert result["counts"][Outcome.PENDING] == 1 and result["diverges"] and result["result"] == "rejected"
    zandvoort = sent.college_decisions.get(municipality__name="Zandvoort")
    record(zandvoort, covenant.secretaries["Zandvoort"])
    zandvoort.approve(by=covenant.mayors["Zandvoort"])
    sent.refresh_from_db()
    assert sent.status == Status.DECIDED


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


@pytest.mark.parametrize(
    ("counts", "rule", "result", "diverges"),
    [
        ({"agreed": 4}, "unanimity", "adopted", False),
        ({"agreed": 3, "pending": 1}, "unanimity", "open", False),
        ({"agreed": 3, "agreed_amended": 1}, "unanimity", "adopted", True),
        ({"agreed": 3, "not_agreed": 1}, "unanimity", "rejected", True),
        ({"agreed": 3, "not_agreed": 1}, "majority", "adopted", True),
        ({"agreed": 2, "not_agreed": 2}, "majority", "rejected", True),
        ({"agreed": 2, "deferred": 1, "not_agreed": 1}, "majority", "open", True),
    ],
)
def test_the_outcome_rule(counts, rule, result, diverges):
    full = dict.fromkeys(CollegeDecision.Outcome.values, 0) | counts
    outcome = regional_outcome(full, rule)
    assert (outcome["result"], outcome["diverges"]) == (result, diverges)
    assert Cooperation.DecisionRule(rule)


def test_a_reconciliation_item_goes_on_the_next_meeting_once(covenant, sent, coordinator):
    from django.utils import timezone

    from meetings.models import Meeting

    meeting = Meeting.for_body(covenant.body, timezone.now() + datetime.timedelta(days=10))
    meeting.save()
    with pytest.raises(TransitionNotAllowed):
        sent.put_reconciliation_on_agenda(by=coordinator)  # nothing diverges yet
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    record(decision, covenant.secretaries["Haarlem"], outcome=Outcome.NOT_AGREED)
    item = sent.put_reconciliation_on_agenda(by=coordinator)
    assert item.meeting == meeting and "Regionale woonagenda" in item.title
    assert "Haarlem: niet ingestemd" in item.explanation or "Haarlem" in item.explanation
    with pytest.raises(TransitionNotAllowed):
        sent.put_reconciliation_on_agenda(by=coordinator)
