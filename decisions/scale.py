"""The national-scale dataset, part four: regional proposals, each adopted in a meeting of its body and
sent to the dozen colleges of its cooperation, with the college decisions (recorded, signed) and the
council tracks kept by the griffiers, in the order of the decision chain (decisions/rules.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from decisions import rules
from decisions.demo import SECTIONS
from decisions.models import (
    CollegeDecision,
    CouncilTrack,
    DecisionPdf,
    ProposalDocument,
    ProposalVersion,
    RegionalProposal,
    content_checksum,
)
from meetings.models import Meeting
from municipalities.scale import DAY, Place, Scale

PROPOSALS = 20_000
Status, Outcome, Signing = RegionalProposal.Status, CollegeDecision.Outcome, CollegeDecision.Signing
Involvement = CouncilTrack.Involvement
TAKEN_PLACE = (Meeting.Status.HELD, Meeting.Status.MINUTES_ADOPTED)


@dataclass
class DecisionInfo:
    pk: int
    place: Place
    proposal: int
    sent_on: datetime.date
    outcome: str
    signing: str
    decided_on: datetime.date | None
    mayor_signed: bool
    track: int
    track_status: str
    involvement: str
    latest: datetime.date | None  # the latest college date the track's council date asks for


def plan_proposals(ctx: Scale) -> None:
    """How many proposals each cooperation's body adopts, by its number of municipalities; the demo
    region's cooperations count double, so its colleges and griffiers have a national portal's work.
    The meetings part puts an agenda item for each on the body's meetings."""
    coops = [c for c in ctx.extra["cooperations"] if c.adopting and c.places]
    weights = {c.adopting.pk: len(c.places) * (2 if c.demo else 1) for c in coops}
    total, target = sum(weights.values()) or 1, ctx.scaled(PROPOSALS)
    ctx.extra["proposals_per_body"] = {pk: round(target * weight / total) for pk, weight in weights.items()}


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load_proposals(ctx: Scale) -> None:
    rng = ctx.rng
    today = ctx.today
    coordinator = ctx.extra["coordinator_user"]
    file_name, file_size, file_sha = ctx.extra["shared_file"]
    decisions: list[DecisionInfo] = []
    for coop in ctx.extra["cooperations"]:
        if not (coop.adopting and coop.places):
            continue
        for item_id, meeting, title in ctx.extra["positions"].get(coop.adopting.pk, []):
            day = timezone.localdate(meeting.starts_at)
            age = (today - day).days
            if meeting.status not in TAKEN_PLACE:
                status = Status.DRAFT
            elif rng.random() < 0.04:
                status = Status.WITHDRAWN
            elif age < 14:
                status = Status.ADOPTED
            elif age < 180:
                status = Status.SENT
            elif age < 365:
                status = rng.choice([Status.DECIDED, Status.CLOSED])
            else:
                status = Status.CLOSED if rng.random() < 0.85 else Status.DECIDED
            sent = status in (Status.SENT, Status.DECIDED, Status.CLOSED)
            sent_on = min(day + rng.randrange(7, 14) * DAY, today) if sent else None
            involvement = rng.choices(
                [Involvement.INFORMED, Involvement.WISHES, Involvement.OPINION, Involvement.CONSENT],
                weights=[75, 12, 8, 5],
            )[0]
            opinion = involvement == Involvement.OPINION
            weeks = 12 if opinion else None
            points = f"In te stemmen met {title[0].lower() + title[1:]}\nDe gemeenteraad hierover te informeren"
            fields = {
                "title": title,
                "key_message": f"De colleges van {coop.name} besluiten over: {title.lower()}.",
                "decision_points": points,
                **SECTIONS,
            }
            proposal = ctx.table(RegionalProposal).add(
                **fields,
                body_id=coop.adopting.pk,
                cooperation_id=coop.pk,
                agenda_item_id=item_id,
                status=status,
                adopted_on=day if status not in (Status.DRAFT, Status.WITHDRAWN) else None,
                sent_on=sent_on,
                withdrawal_reason="Opgegaan in een bredere regionale aanpak." if status == Status.WITHDRAWN else "",
                council_window_from=(sent_on if opinion else sent_on + 7 * DAY) if sent else None,
                council_window_to=sent_on + 120 * DAY if sent else None,
                opinion_document=rules.OpinionDocument.BUDGET if opinion else "",
                opinion_sent_on=sent_on if opinion else None,
                opinion_weeks=weeks,
                opinion_reaction="Het algemeen bestuur neemt de zienswijzen over."
                if opinion and status == Status.CLOSED
                else "",
                opinion_reaction_on=sent_on + 13 * 7 * DAY if opinion and status == Status.CLOSED else None,
                board_adopted_on=sent_on + 14 * 7 * DAY if opinion and status == Status.CLOSED else None,
                lock_version=1 if sent else 0,
            )
            if rng.random() < 0.25:
                ctx.table(ProposalDocument).add(
                    proposal_id=proposal, title="Raadsinformatiebrief", file=file_name,
                    original_name="raadsinformatiebrief.pdf", content_type="application/pdf", size=file_size,
                    sha256=file_sha, uploaded_by_id=coordinator, uploaded_at=_at(day),
                )  # fmt: skip
            if not sent:
                continue
            content = {
                "title": title,
                "key_message": fields["key_message"],
                "decision_points": points.splitlines(),
                **SECTIONS,
                "documents": [],
            }
            version = ctx.table(ProposalVersion).add(
                proposal_id=proposal,
                number=1,
                content=content,
                sha256=content_checksum(content),
                frozen_at=_at(sent_on, 9),
                frozen_by_id=coordinator,
            )
            final = status in (Status.DECIDED, Status.CLOSED)
            # A proposal still out with the colleges has at least one college at work (the last one).
            rows = [
                _decision(ctx, place, proposal, version, sent_on, involvement, final, weeks, open_=still_open)
                for place, still_open in zip(
                    coop.places, [False] * (len(coop.places) - 1) + [status == Status.SENT], strict=True
                )
            ]
            decisions.extend(rows)
    ctx.extra["decisions"] = decisions
    ctx.flush()


def _decision(ctx, place, proposal, version, sent_on, involvement, final, weeks, open_=False) -> DecisionInfo:
    """One college decision and its council track, as far along the chain as the dates allow."""
    rng, today = ctx.rng, ctx.today
    two_step = involvement in rules.TWO_STEP
    d: dict = {"outcome": Outcome.PENDING, "signing": Signing.OPEN, "lock_version": 0}
    t: dict = {"involvement": involvement, "status": CouncilTrack.Status.NOT_PLANNED, "lock_version": 0}
    # How far this college has come: 0 nothing, 1 recorded, 2 to sign, 3 signed.
    stage = 3 if final else (0 if open_ else rng.choices([0, 1, 2, 3], weights=[30, 10, 20, 40])[0])
    step = sent_on + rng.randrange(5, 20) * DAY
    council_done = None
    if two_step:
        if stage > 0 or rng.random() < 0.5:
            if step <= today:
                d.update(intended_on=step, intended_reference=f"{place.cbs_code}/V/{proposal}", lock_version=1)
                d["intended_by_id"] = place.secretary.user_id if place.secretary else None
                sent_to = step + rng.randrange(3, 10) * DAY
                said = sent_to + rng.randrange(14, 40) * DAY
                if sent_to <= today:
                    t.update(sent_to_council_on=sent_to, sent_version_id=version, lock_version=1)
                    t.update(status=CouncilTrack.Status.PLANNED, council_date=said, committee_date=said - 7 * DAY)
                if said <= today:
                    outcome = rng.choices(
                        rules.OUTCOMES_BY_INVOLVEMENT[involvement][:2], weights=[30, 70] if final else [50, 50]
                    )[0]
                    response = (
                        "De raad vraagt aandacht voor de kosten."
                        if outcome in (rules.CouncilOutcome.WISHES_EXPRESSED,)
                        else ""
                    )
                    t.update(outcome=outcome, outcome_date=said, council_response=response, lock_version=2)
                    t["status"] = CouncilTrack.Status.DECIDED
                    council_done = said
                    step = said + rng.randrange(5, 14) * DAY
                else:
                    stage = 0
            else:
                stage = 0
        else:
            stage = 0
    if final and two_step and council_done is None:
        stage = 3  # an old proposal: the chain ran its course (dates lie far enough back)
    if stage > 0 and step > today:
        stage = 0
    mayor_signed = False
    if stage > 0:
        refused = t.get("outcome") == rules.CouncilOutcome.CONSENT_REFUSED
        outcome = Outcome.NOT_AGREED if refused else rng.choices(
            [Outcome.AGREED, Outcome.AGREED_AMENDED, Outcome.NOT_AGREED], weights=[85, 8, 7]
        )[0]  # fmt: skip
        if stage == 1 and rng.random() < 0.4:
            outcome = Outcome.DEFERRED
        d.update(
            outcome=outcome,
            decided_on=step,
            reference=f"{place.cbs_code}/{step.year}/{proposal}" if outcome != Outcome.DEFERRED else "",
            deviating_points="In te stemmen, met een eigen uitvoeringsplanning\nDe gemeenteraad hierover te informeren"
            if outcome == Outcome.AGREED_AMENDED
            else "",
            motivation="Het past niet in de eigen begroting."
            if outcome in (Outcome.NOT_AGREED, Outcome.DEFERRED)
            else "",
            recorded_by_id=place.secretary.user_id if place.secretary else None,
            lock_version=d["lock_version"] + 1,
        )
        if stage == 1 and outcome != Outcome.DEFERRED and rng.random() < 0.5:
            d.update(
                signing=Signing.RETURNED,
                signing_comment="Graag de motivering aanvullen.",
                lock_version=d["lock_version"] + 1,
            )
        if stage >= 2:
            d["signing"] = Signing.TO_SIGN
            mayor_signed = stage == 3 or rng.random() < 0.3
            if mayor_signed:
                d.update(
                    mayor_signed_by_id=place.mayor.user_id, mayor_signed_at=_at(step, 15),
                    mayor_signed_as="mayor", mayor_name=place.mayor.name, lock_version=d["lock_version"] + 1,
                )  # fmt: skip
        if stage == 3:
            d.update(
                signing=Signing.SIGNED, secretary_signed_by_id=place.secretary.user_id,
                secretary_signed_at=_at(step, 16),
                secretary_signed_as="municipal_secretary", secretary_name=place.secretary.name,
                lock_version=d["lock_version"] + 1,
            )  # fmt: skip
    decision = ctx.table(CollegeDecision).add(proposal_id=proposal, municipality_id=place.pk, version_id=version, **d)
    if d.get("intended_on"):
        ctx.table(DecisionPdf).add(
            decision_id=decision, lock_version=1, stage=DecisionPdf.Stage.INTENDED,
            file=ctx.extra["shared_file"][0], sha256=ctx.extra["shared_file"][2], created_at=_at(d["intended_on"], 12),
        )  # fmt: skip
    if d["signing"] == Signing.SIGNED:
        ctx.table(DecisionPdf).add(
            decision_id=decision, lock_version=d["lock_version"], stage=DecisionPdf.Stage.DEFINITIVE,
            file=ctx.extra["shared_file"][0], sha256=ctx.extra["shared_file"][2], created_at=_at(step, 17),
        )  # fmt: skip
    signed = d["signing"] == Signing.SIGNED and d["outcome"] in CollegeDecision.DECIDED_OUTCOMES
    if involvement == Involvement.INFORMED:
        if signed and rng.random() < 0.03 and final:
            t.update(status=CouncilTrack.Status.NOT_NEEDED, notes="De raad is al eerder geïnformeerd.")
        elif signed:
            sent_to = step + rng.randrange(3, 10) * DAY
            said = sent_to + rng.randrange(7, 30) * DAY
            if final or said <= today:
                t.update(
                    sent_to_council_on=min(sent_to, today), sent_version_id=version, outcome=rules.CouncilOutcome.NOTED
                )
                t.update(outcome_date=min(said, today), status=CouncilTrack.Status.DECIDED, lock_version=2)
                t.update(council_date=min(said, today), committee_date=min(said, today) - 7 * DAY)
            elif sent_to <= today:
                t.update(sent_to_council_on=sent_to, sent_version_id=version, council_date=said, lock_version=1)
                t.update(committee_date=said - 7 * DAY, status=CouncilTrack.Status.PLANNED)
        elif rng.random() < 0.5:
            planned = sent_on + rng.randrange(40, 110) * DAY
            t.update(
                status=CouncilTrack.Status.PLANNED,
                council_date=planned,
                committee_date=planned - 7 * DAY,
                lock_version=1,
            )
    elif involvement == Involvement.OPINION:
        end = sent_on + weeks * 7 * DAY
        sent_to = sent_on + rng.randrange(1, 7) * DAY
        said = end - rng.randrange(1, 20) * DAY
        if sent_to <= today:
            t.update(sent_to_council_on=sent_to, sent_version_id=version, lock_version=1)
            t.update(status=CouncilTrack.Status.PLANNED, council_date=said, committee_date=said - 7 * DAY)
        if final or said <= today:
            outcome = rng.choice([rules.CouncilOutcome.OPINION_SUBMITTED, rules.CouncilOutcome.NO_OPINION])
            response = (
                "De raad vraagt om een sluitende meerjarenraming."
                if outcome == rules.CouncilOutcome.OPINION_SUBMITTED
                else ""
            )
            t.update(outcome=outcome, outcome_date=said, council_response=response, status=CouncilTrack.Status.DECIDED)
            t.update(sent_to_council_on=sent_to, sent_version_id=version, lock_version=2)
    if t.get("council_date") and t["status"] == CouncilTrack.Status.DECIDED and t["council_date"] > today:
        t["council_date"] = t["outcome_date"]
    slug = place.name.lower().replace(" ", "-")
    track = ctx.table(CouncilTrack).add(
        proposal_id=proposal,
        municipality_id=place.pk,
        decision_id=decision,
        council_item_url=f"https://{slug}.raadsinformatie.example/agenda/{proposal}" if t.get("council_date") else "",
        **t,
    )
    latest = t.get("council_date")
    return DecisionInfo(
        decision,
        place,
        proposal,
        sent_on,
        d["outcome"],
        d["signing"],
        d.get("decided_on"),
        mayor_signed,
        track,
        t["status"],
        involvement,
        latest,
    )
