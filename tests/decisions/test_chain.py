"""The decision chain as the law runs it: per kind of council involvement, which college and council
steps are allowed in which order, and what a premature step is told."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.workflow import TransitionNotAllowed
from decisions import rules
from decisions.models import CollegeDecision, CouncilTrack

pytestmark = pytest.mark.django_db
D = datetime.date
Outcome = CollegeDecision.Outcome

INTENDED_ON, SENT_ON, SAID_ON, DECIDED_ON = D(2026, 11, 5), D(2026, 11, 6), D(2026, 11, 20), D(2026, 11, 25)
# The council's outcome that ends its step, per kind of involvement.
DONE = {
    "informed": "noted",
    "wishes": "wishes_expressed",
    "consent": "consented",
    "framework": "framework_set",
    "opinion": "opinion_submitted",
}


@pytest.fixture
def sent(covenant, coordinator):
    proposal = covenant.adopt(covenant.proposal(), coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal


class Haarlem:
    """The Haarlem track of a sent proposal, moved step by step as the secretary, griffier and signatories would."""

    def __init__(self, covenant, proposal, involvement: str):
        self.covenant, self.proposal = covenant, proposal
        if involvement == "opinion":
            proposal.opinion_document, proposal.opinion_sent_on, proposal.opinion_weeks = "other", D(2026, 11, 2), 8
            proposal.save()
        self.keep(involvement=involvement)

    @property
    def track(self) -> CouncilTrack:
        return CouncilTrack.objects.select_related("proposal", "municipality", "decision").get(
            proposal=self.proposal, municipality__name="Haarlem"
        )

    @property
    def decision(self) -> CollegeDecision:
        return self.track.decision

    def keep(self, **fields):
        track = self.track
        track.keep(lock_version=track.lock_version, **fields)

    # The steps.

    def intended(self):
        decision = self.decision
        decision.record_intended(
            by=self.covenant.secretaries["Haarlem"],
            lock_version=decision.lock_version,
            intended_on=INTENDED_ON,
            intended_reference="2026/V1",
        )

    def definitive(self, **fields):
        decision = self.decision
        values = {"outcome": Outcome.AGREED, "decided_on": DECIDED_ON, "reference": "2026/B1"} | fields
        decision.record(by=self.covenant.secretaries["Haarlem"], lock_version=decision.lock_version, **values)

    def signed(self):
        self.definitive()
        self.covenant.sign(self.decision)

    def send_to_council(self):
        self.keep(sent_to_council_on=SENT_ON if self.track.involvement != "informed" else D(2026, 11, 26))

    def council_outcome(self):
        involvement = self.track.involvement
        said_on = D(2026, 11, 28) if involvement == "informed" else SAID_ON
        self.keep(outcome=DONE[involvement], outcome_date=said_on, council_response="Graag aandacht voor de wijken.")


# The path each kind of involvement follows, in order (the stages a track can be at).
PATHS = {
    "wishes": ["intended", "send_to_council", "council_outcome", "definitive"],
    "consent": ["intended", "send_to_council", "council_outcome", "definitive"],
    "informed": ["signed", "send_to_council", "council_outcome"],
    "framework": ["council_outcome", "definitive"],
    "opinion": ["send_to_council", "council_outcome", "definitive"],
}
ACTIONS = ["intended", "definitive", "send_to_council", "council_outcome"]
# Allowed: (involvement, steps taken so far) -> the actions that may follow; all others are refused.
ALLOWED = {
    ("wishes", 0): {"intended"},
    ("wishes", 1): {"intended", "send_to_council"},
    ("wishes", 2): {"send_to_council", "council_outcome"},
    ("wishes", 3): {"send_to_council", "council_outcome", "definitive"},
    ("consent", 0): {"intended"},
    ("consent", 1): {"intended", "send_to_council"},
    ("consent", 2): {"send_to_council", "council_outcome"},
    ("consent", 3): {"send_to_council", "council_outcome", "definitive"},
    ("informed", 0): {"definitive"},
    ("informed", 1): {"send_to_council"},
    ("informed", 2): {"send_to_council", "council_outcome"},
    ("framework", 0): {"council_outcome", "send_to_council"},
    ("framework", 1): {"council_outcome", "definitive", "send_to_council"},
    ("opinion", 0): {"definitive", "send_to_council"},
    ("opinion", 1): {"definitive", "send_to_council", "council_outcome"},
    ("opinion", 2): {"definitive", "send_to_council", "council_outcome"},
}


@pytest.mark.parametrize(
    ("involvement", "taken", "action"),
    [(involvement, taken, action) for (involvement, taken) in ALLOWED for action in ACTIONS],
)
def test_the_order_of_college_and_council_steps(covenant, sent, involvement, taken, action):
    haarlem = Haarlem(covenant, sent, involvement)
    for step in PATHS[involvement][:taken]:
        getattr(haarlem, step)()
    before = (haarlem.track.lock_version, haarlem.decision.lock_version)
    if action in ALLOWED[involvement, taken]:
        getattr(haarlem, action)()
        assert (haarlem.track.lock_version, haarlem.decision.lock_version) != before
    else:
        with pytest.raises((TransitionNotAllowed, ValidationError)):
            getattr(haarlem, action)()
        assert (haarlem.track.lock_version, haarlem.decision.lock_version) == before  # nothing saved


@pytest.mark.parametrize(
    ("involvement", "message"),
    [
        ("wishes", "Leg eerst het voorgenomen besluit van het college vast"),
        ("consent", "Leg eerst het voorgenomen besluit van het college vast"),
        ("framework", "De raad heeft de kaders nog niet gesteld"),
    ],
)
def test_a_premature_definitive_decision_names_the_missing_council_step(covenant, sent, involvement, message):
    haarlem = Haarlem(covenant, sent, involvement)
    with pytest.raises(TransitionNotAllowed, match=message):
        haarlem.definitive()


def test_wishes_and_objections_wait_for_the_council_then_the_definitive_decision_may_differ(covenant, sent):
    haarlem = Haarlem(covenant, sent, "wishes")
    haarlem.intended()
    haarlem.send_to_council()
    with pytest.raises(TransitionNotAllowed, match=r"art. 169 lid 4 Gemeentewet"):
        haarlem.definitive()
    haarlem.keep(outcome="postponed", outcome_date=SAID_ON)  # a postponement is not the council's say
    with pytest.raises(TransitionNotAllowed):
        haarlem.definitive()
    haarlem.council_outcome()
    with pytest.raises(ValidationError) as caught:
        haarlem.definitive(decided_on=D(2026, 11, 19))  # before the council spoke
    assert "decided_on" in caught.value.message_dict
    haarlem.definitive(
        outcome=Outcome.AGREED_AMENDED,
        deviating_points="In te stemmen met de regionale woonagenda, met aandacht voor de wijken\n"
        "De raad te informeren",
    )
    decision = haarlem.decision
    # The intended decision followed the frozen text, so one diff against it shows what changed.
    assert ("+", "In te stemmen met de regionale woonagenda, met aandacht voor de wijken") in decision.diff()
    assert decision.intended_diff() == []
    assert haarlem.track.next_step() == ("ondertekening", "de burgemeester en de secretaris")


def test_a_definitive_decision_that_differs_from_a_deviating_intended_one_shows_that_difference(covenant, sent):
    haarlem = Haarlem(covenant, sent, "wishes")
    decision = haarlem.decision
    decision.record_intended(
        by=covenant.secretaries["Haarlem"],
        lock_version=decision.lock_version,
        intended_on=INTENDED_ON,
        intended_reference="2026/V1",
        intended_points="In te stemmen met de regionale woonagenda, zonder sociale huur\nDe raad te informeren",
    )
    haarlem.send_to_council()
    haarlem.council_outcome()
    haarlem.definitive()  # after the council's wishes: the points as sent after all
    diff = haarlem.decision.intended_diff()
    assert ("-", "In te stemmen met de regionale woonagenda, zonder sociale huur") in diff
    assert ("+", "In te stemmen met de regionale woonagenda") in diff


def test_a_council_that_refuses_consent_ends_in_not_agreed_with_its_decision_as_ground(covenant, sent):
    haarlem = Haarlem(covenant, sent, "consent")
    haarlem.intended()
    haarlem.send_to_council()
    haarlem.keep(outcome="consent_refused", outcome_date=SAID_ON, council_response="Motie 2026-14: geen toestemming.")
    with pytest.raises(ValidationError) as caught:
        haarlem.definitive(outcome=Outcome.AGREED)
    assert "toestemming geweigerd" in caught.value.message_dict["outcome"][0]
    haarlem.definitive(outcome=Outcome.NOT_AGREED)
    decision = haarlem.decision
    assert decision.motivation == (
        "De raad heeft op 20 november 2026 zijn toestemming geweigerd. Motie 2026-14: geen toestemming."
    )


def test_once_the_college_decided_the_council_step_it_rested_on_no_longer_changes(covenant, sent):
    haarlem = Haarlem(covenant, sent, "consent")
    for step in PATHS["consent"]:
        getattr(haarlem, step)()
    with pytest.raises(ValidationError) as caught:
        haarlem.keep(outcome="consent_refused")
    assert "outcome" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        haarlem.keep(involvement="informed")
    assert "involvement" in caught.value.message_dict


@pytest.mark.parametrize(
    ("involvement", "outcome"),
    [
        (involvement, outcome)
        for involvement in DONE
        for outcome in CouncilTrack.Outcome.values
        if outcome not in rules.OUTCOMES_BY_INVOLVEMENT[involvement]
    ],
)
def test_a_council_outcome_that_does_not_fit_its_involvement_is_refused(covenant, sent, involvement, outcome):
    haarlem = Haarlem(covenant, sent, involvement)
    track = haarlem.track
    with pytest.raises(ValidationError) as caught:
        haarlem.keep(outcome=outcome, outcome_date=SAID_ON, sent_to_council_on=SENT_ON)
    assert "is geen uitkomst van" in caught.value.message_dict["outcome"][0]
    assert haarlem.track.lock_version == track.lock_version


def test_a_zienswijze_after_the_period_is_refused_and_the_board_adopts_only_after_it(covenant, sent, coordinator):
    haarlem = Haarlem(covenant, sent, "opinion")
    haarlem.send_to_council()
    sent.refresh_from_db()
    assert sent.opinion_period_end == D(2026, 12, 28)
    with pytest.raises(TransitionNotAllowed, match="28 december 2026"):
        sent.record_board_adoption(by=coordinator, on=D(2026, 12, 28))
    sent.record_opinion_reaction(by=coordinator, text="De zienswijzen zijn verwerkt.", on=D(2026, 11, 30))
    sent.record_board_adoption(by=coordinator, on=D(2026, 12, 29))
    sent.refresh_from_db()
    assert (sent.opinion_reaction, sent.board_adopted_on) == ("De zienswijzen zijn verwerkt.", D(2026, 12, 29))
    # The period of this proposal ends in the future; a late zienswijze would fall after it.
    sent.opinion_sent_on = D(2026, 9, 1)
    sent.save()
    with pytest.raises(ValidationError) as caught:
        haarlem.council_outcome()
    assert "na het einde van de zienswijzetermijn (27 oktober 2026)" in caught.value.message_dict["outcome_date"][0]


@pytest.mark.parametrize(
    ("document", "weeks", "reason", "problem"),
    [
        ("budget", 12, "", None),
        ("budget", 8, "Spoed", "minstens 12 weken (Wgr art. 35)"),
        ("arrangement", 8, "", None),
        ("arrangement", 6, "Spoed", "minstens 8 weken (Wgr art. 1 lid 3)"),
        ("other", 6, "", "korter dan 8 weken vraagt een reden"),
        ("other", 6, "Het algemeen bestuur vergadert op 1 maart", None),
        ("other", None, "", "lengte van de zienswijzetermijn"),
        ("", None, "", None),
    ],
)
def test_the_opinion_period_follows_the_kind_of_draft(covenant, document, weeks, reason, problem):
    proposal = covenant.proposal(
        opinion_document=document, opinion_weeks=weeks, opinion_short_reason=reason, opinion_sent_on=D(2027, 1, 4)
    )
    if problem is None:
        proposal.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            proposal.full_clean()
        assert problem in caught.value.message_dict["opinion_weeks"][0]


A, M, N = "agreed", "agreed_amended", "not_agreed"


@pytest.mark.parametrize(
    ("decided", "total", "rule", "label", "diverges"),
    [
        ([A, A, A, A], 4, "unanimity", "alle colleges hebben ingestemd (eensluidend)", False),
        ([A, A, M, M], 4, "unanimity", "ingestemd, met afwijkende besluitpunten in 2 gemeenten", True),
        ([A, A, A, M], 4, "unanimity", "ingestemd, met afwijkende besluitpunten in 1 gemeente", True),
        ([A, N, M, A], 4, "unanimity", "niet ingestemd door 1 college", True),
        ([N, N, A, A], 4, "unanimity", "niet ingestemd door 2 colleges", True),
        ([A, A, A], 4, "unanimity", "nog niet bekend (3 van 4 besloten)", False),
        ([N], 4, "unanimity", "nog niet bekend (1 van 4 besloten)", True),
        ([], 4, "unanimity", "nog niet bekend (0 van 4 besloten)", False),
        ([A, A, A], 4, "majority", "nog niet bekend (3 van 4 besloten)", False),
        ([A, A, M, N], 4, "majority", "aangenomen bij meerderheid: 3 van 4 colleges hebben ingestemd", True),
        ([A, A, N, N], 4, "majority", "niet aangenomen bij meerderheid: 2 van 4 colleges hebben ingestemd", True),
    ],
)
def test_the_regional_outcome_in_college_words(decided, total, rule, label, diverges):
    outcome = rules.regional_outcome(decided, total, rule)
    assert (str(outcome["label"]), outcome["diverges"]) == (label, diverges)


def test_the_next_step_and_whose_it_is_along_a_wishes_track(covenant, sent):
    haarlem = Haarlem(covenant, sent, "wishes")
    expected = [
        ("voorgenomen besluit van het college", "gemeentesecretaris"),
        ("het voorgenomen besluit aan de raad sturen", "griffier"),
        ("wensen en bedenkingen van de raad", "griffier"),
        ("definitief besluit van het college", "gemeentesecretaris"),
    ]
    for step, (label, whose) in zip(PATHS["wishes"], expected, strict=True):
        assert haarlem.track.next_step() == (label, whose)
        getattr(haarlem, step)()
    covenant.sign(haarlem.decision)
    assert haarlem.track.next_step() == ("afgerond", "")


def test_an_informed_council_is_told_after_the_signed_decision(covenant, sent):
    haarlem = Haarlem(covenant, sent, "informed")
    haarlem.definitive()
    with pytest.raises(ValidationError, match="nadat het heeft besloten en ondertekend"):
        haarlem.send_to_council()
    covenant.sign(haarlem.decision)
    assert haarlem.track.next_step() == ("de raad informeren (raadsinformatiebrief)", "griffier")
    with pytest.raises(ValidationError, match="niet ervoor"):
        haarlem.keep(sent_to_council_on=D(2026, 11, 24))
    haarlem.send_to_council()
    haarlem.council_outcome()
    assert haarlem.track.get_outcome_display() == "voor kennisgeving aangenomen"


def test_a_leaver_gets_no_council_window_after_its_leaving_date(covenant, coordinator):
    zandvoort = covenant.municipalities["Zandvoort"]
    participation = zandvoort.participations.get()
    participation.notice_given_on = D(2026, 6, 1)  # leaves on 1 January 2027
    participation.save()
    late = covenant.adopt(
        covenant.proposal(council_window_from=D(2027, 1, 11), council_window_to=D(2027, 2, 28)), coordinator
    )
    late.send(by=coordinator, on=D(2026, 11, 1))
    track = late.council_tracks.get(municipality=zandvoort)
    assert track.status == CouncilTrack.Status.NOT_NEEDED and "1 januari 2027" in track.notes
    assert late.council_tracks.get(municipality__name="Haarlem").status == CouncilTrack.Status.NOT_PLANNED
    early = covenant.adopt(
        covenant.proposal(council_window_from=D(2026, 11, 16), council_window_to=D(2027, 2, 28)), coordinator
    )
    early.send(by=coordinator, on=D(2026, 11, 1))
    track = early.council_tracks.get(municipality=zandvoort)
    assert track.status == CouncilTrack.Status.NOT_PLANNED
    assert track.window_end == D(2026, 12, 31)  # its last day in the cooperation
    track.council_date, track.status = D(2027, 1, 14), CouncilTrack.Status.PLANNED
    assert track.outside_window
