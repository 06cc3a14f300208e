"""The rules of Dutch law that decide the order of college and council steps, written as data.

Sources (see docs/adr/0005-the-decision-chain.md):

- Gemeentewet art. 169 lid 4: where the council may give its *wensen en bedenkingen*, the college
  "neemt geen besluit dan nadat de raad in de gelegenheid is gesteld zijn wensen en bedenkingen ter
  kennis van het college te brengen". The law sets no period for it.
- Wet gemeenschappelijke regelingen (Wgr), as changed by Stb. 2022, 18 (in force 1 July 2022):
  art. 1 lid 3, the councils may give a *zienswijze* on the draft of a new or changed arrangement
  within eight weeks; art. 1 lid 4, the college enters it only after the council's *toestemming*;
  art. 35, the councils have twelve weeks for their zienswijze on the draft budget.
- Gemeentewet art. 59a lid 1: what comes from the college is signed by the mayor and co-signed by
  the secretary; art. 77 (loco-burgemeester: an alderman designated by the college), art. 78
  (waarnemend burgemeester), art. 106 (the college arranges the replacement of the secretary).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Involvement:
    """The kinds of council involvement (values of CouncilTrack.Involvement)."""

    INFORMED = "informed"
    WISHES = "wishes"
    OPINION = "opinion"
    CONSENT = "consent"
    FRAMEWORK = "framework"


class CouncilOutcome:
    """What a council's step ends in, per kind of involvement (values of CouncilTrack.Outcome)."""

    NOTED = "noted"
    WISHES_EXPRESSED = "wishes_expressed"
    NO_WISHES = "no_wishes"
    OPINION_SUBMITTED = "opinion_submitted"
    NO_OPINION = "no_opinion"
    CONSENTED = "consented"
    CONSENT_REFUSED = "consent_refused"
    FRAMEWORK_SET = "framework_set"
    FRAMEWORK_REJECTED = "framework_rejected"
    POSTPONED = "postponed"


# The outcomes that fit each kind of involvement. "Postponed" (aangehouden) is a council's answer
# to any of them except being informed, and is not an end: the step stays open.
OUTCOMES_BY_INVOLVEMENT = {
    Involvement.INFORMED: [CouncilOutcome.NOTED],
    Involvement.WISHES: [CouncilOutcome.WISHES_EXPRESSED, CouncilOutcome.NO_WISHES, CouncilOutcome.POSTPONED],
    Involvement.OPINION: [CouncilOutcome.OPINION_SUBMITTED, CouncilOutcome.NO_OPINION, CouncilOutcome.POSTPONED],
    Involvement.CONSENT: [CouncilOutcome.CONSENTED, CouncilOutcome.CONSENT_REFUSED, CouncilOutcome.POSTPONED],
    Involvement.FRAMEWORK: [
        CouncilOutcome.FRAMEWORK_SET,
        CouncilOutcome.FRAMEWORK_REJECTED,
        CouncilOutcome.POSTPONED,
    ],
}

# Where the college decides in two steps: an intended decision to the council first, the definitive
# decision only after the council's step (Gemeentewet art. 169 lid 4; Wgr art. 1 lid 4).
TWO_STEP = frozenset({Involvement.WISHES, Involvement.CONSENT})
# Where the council's step must come before the college decides at all (kaderstelling).
COUNCIL_FIRST = frozenset({Involvement.FRAMEWORK})
# Where the council's step follows the college's decision (being informed, Gemeentewet art. 169 lid 2).
COUNCIL_AFTER = frozenset({Involvement.INFORMED})


def council_step_done(involvement: str, outcome: str) -> bool:
    """Whether the council has had its say, so the college may decide definitively."""
    return bool(outcome) and outcome != CouncilOutcome.POSTPONED and outcome in OUTCOMES_BY_INVOLVEMENT[involvement]


def missing_council_step(involvement: str, *, intended: bool, sent_to_council: bool, outcome: str) -> str | None:
    """Why the college may not yet take its definitive decision, or None when it may."""
    if involvement in TWO_STEP:
        if not intended:
            return str(
                _(
                    "First record the college's intended decision: the council gets it for its %(step)s "
                    "before the college decides."
                )
                % {"step": COUNCIL_STEP_NAMES[involvement]}
            )
        if not sent_to_council:
            return str(_("The intended decision has not yet gone to the council; the griffier records when it did."))
        if not council_step_done(involvement, outcome):
            if involvement == Involvement.WISHES:
                return str(
                    _(
                        "The council has not yet had the opportunity to give its wishes and objections. The college "
                        "takes its definitive decision only after that (Gemeentewet art. 169 lid 4)."
                    )
                )
            return str(
                _(
                    "The council has not yet decided on its consent. The college takes its definitive decision "
                    "only after the council consented or refused (Wgr art. 1 lid 4)."
                )
            )
    if involvement in COUNCIL_FIRST and not council_step_done(involvement, outcome):
        return str(_("The council has not yet set the frame; the college decides only after that."))
    return None


COUNCIL_STEP_NAMES = {
    Involvement.INFORMED: _("information (raadsinformatiebrief)"),
    Involvement.WISHES: _("wishes and objections"),
    Involvement.OPINION: _("opinion (zienswijze)"),
    Involvement.CONSENT: _("consent"),
    Involvement.FRAMEWORK: _("framework"),
}


class OpinionDocument:
    """The kinds of draft a regional body sends to the councils for their zienswijze."""

    BUDGET = "budget"
    ARRANGEMENT = "arrangement"
    OTHER = "other"


# The legal period per kind of draft, in weeks, with its source; None: the regional body sets it.
OPINION_PERIODS = {
    OpinionDocument.BUDGET: (12, "Wgr art. 35"),
    OpinionDocument.ARRANGEMENT: (8, "Wgr art. 1 lid 3"),
    OpinionDocument.OTHER: (None, ""),
}
# Below this, a period the regional body sets itself needs a recorded reason.
USUAL_OPINION_WEEKS = 8


def opinion_period_problem(document: str, weeks: int | None, reason: str) -> str | None:
    """What is wrong with a zienswijze period, in words, or None."""
    if not document:
        return None
    if not weeks:
        return str(_("Give the length of the opinion period in weeks."))
    legal, source = OPINION_PERIODS[document]
    if legal is not None and weeks < legal:
        return str(
            _("For this kind of draft the councils have at least %(weeks)s weeks (%(source)s).")
            % {"weeks": legal, "source": source}
        )
    if legal is None and weeks < USUAL_OPINION_WEEKS and not reason.strip():
        return str(
            _("A period shorter than %(weeks)s weeks needs a reason; give it, or lengthen the period.")
            % {"weeks": USUAL_OPINION_WEEKS}
        )
    return None


# The regional outcome, in college words: colleges *stemmen in*, a council *neemt aan*.


def regional_outcome(decided: list[str], total: int, rule: str) -> dict:
    """The regional outcome from the outcomes of the colleges whose definitive decision is signed.

    Every college stays the decision maker (the covenant): nothing is known until all have decided,
    and diverging decision points are a divergence, not an adoption. A majority rule applies only
    where the cooperation's agreement names one, and it too reports nothing while a college is open."""
    agreed = decided.count("agreed")
    amended = decided.count("agreed_amended")
    not_agreed = decided.count("not_agreed")
    known = agreed + amended + not_agreed
    counts = {"agreed": agreed, "agreed_amended": amended, "not_agreed": not_agreed, "open": total - known}
    diverges = bool(amended or not_agreed)
    if known < total or total == 0:
        result = "open"
        label = _("not yet known (%(known)s of %(total)s decided)") % {"known": known, "total": total}
    elif rule == "majority":
        in_favour = agreed + amended
        result = "adopted" if in_favour > total // 2 else "rejected"
        label = (
            _("adopted by majority: %(count)s of %(total)s colleges agreed")
            if result == "adopted"
            else _("not adopted by majority: %(count)s of %(total)s colleges agreed")
        ) % {"count": in_favour, "total": total}
    elif not_agreed:
        result = "rejected"
        label = ngettext("not agreed by %(count)s college", "not agreed by %(count)s colleges", not_agreed) % {
            "count": not_agreed
        }
    elif amended:
        result = "agreed_diverging"
        label = ngettext(
            "agreed, with deviating decision points in %(count)s municipality",
            "agreed, with deviating decision points in %(count)s municipalities",
            amended,
        ) % {"count": amended}
    else:
        result = "agreed"
        label = _("all colleges agreed (identically)")
    return {"counts": counts, "total": total, "known": known, "result": result, "label": label, "diverges": diverges}


# How a signatory is named under the signature (Gemeentewet art. 59a, 77, 78, 106). "Namens deze"
# is for signing under a mandate (art. 59a lid 2), which a substitute does not need: a substitute
# signs in the office it replaces, under its own title.
SIGNATURE_CAPTIONS = {
    "mayor": "de burgemeester,",
    "acting_mayor": "de waarnemend burgemeester,",
    "loco_mayor": "de loco-burgemeester,",
    "municipal_secretary": "de secretaris,",
    "loco_secretary": "de loco-secretaris,",
}
