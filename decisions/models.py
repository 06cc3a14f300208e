from __future__ import annotations

import datetime
import difflib
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from core.workflow import StatusWorkflow, TransitionNotAllowed
from governance.models import ConsultationBody, Cooperation
from meetings.models import AgendaItem, Meeting, Purpose
from municipalities.models import Municipality, Office

# Sent inside the sending transaction, after the college decisions and council
# tracks exist (bulk creation sends no post_save).
proposal_sent = Signal()


class StaleDecision(Exception):
    """Someone else saved this college decision since the form was opened; views answer 409."""


def content_checksum(content: dict) -> str:
    """The SHA-256 of a proposal text, over a canonical JSON form (sorted keys, no spaces)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def points_diff(frozen: list[str], decided: list[str]) -> list[tuple[str, str]]:
    """Decision points against the frozen version, as (sign, line) with '-', '+' or ' '."""
    return [(line[0], line[2:]) for line in difflib.ndiff(frozen, decided) if line[:1] in "-+ "]


class ProposalQuerySet(models.QuerySet):
    def open(self) -> ProposalQuerySet:
        return self.exclude(status__in=[RegionalProposal.Status.CLOSED, RegionalProposal.Status.WITHDRAWN])

    def with_counts(self) -> ProposalQuerySet:
        """Each proposal with the number of colleges per outcome, in one query."""
        outcome = CollegeDecision.Outcome
        return self.annotate(
            **{
                f"count_{value}": Count("college_decisions", filter=Q(college_decisions__outcome=value))
                for value in outcome.values
            },
            count_total=Count("college_decisions"),
        )


class RegionalProposal(StatusWorkflow, models.Model):
    """A regional proposal (regionaal voorstel) that the administrative meeting adopts and every college decides on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("regional position adopted")
        SENT = "sent", _("sent to the colleges")
        DECIDED = "decided", _("decided by every college")
        CLOSED = "closed", _("closed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    TRANSITIONS = {
        Status.DRAFT: {Status.ADOPTED, Status.WITHDRAWN},
        Status.ADOPTED: {Status.SENT, Status.WITHDRAWN},
        Status.SENT: {Status.DECIDED, Status.WITHDRAWN},
        Status.DECIDED: {Status.CLOSED},
        Status.CLOSED: set(),
        Status.WITHDRAWN: set(),
    }
    # The sections of a college decision, in the order of seed 000 (2 is the decision points).
    SECTIONS = ["introduction", "intended_result", "arguments", "risks", "implementation"]

    title = models.CharField(_("title"), max_length=250)
    key_message = models.TextField(_("key message"), help_text=_("The kernboodschap at the top of every decision."))
    decision_points = models.TextField(_("decision points"), help_text=_("One decision point per line, in order."))
    introduction = models.TextField(_("1. introduction"), blank=True)
    intended_result = models.TextField(_("3. intended result"), blank=True)
    arguments = models.TextField(_("4. arguments"), blank=True)
    risks = models.TextField(_("5. risks and caveats"), blank=True)
    implementation = models.TextField(_("6. implementation"), blank=True)
    body = models.ForeignKey(
        ConsultationBody, verbose_name=_("adopted by"), on_delete=models.PROTECT, related_name="proposals"
    )
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.PROTECT, related_name="proposals"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True, editable=False)
    sent_on = models.DateField(_("sent on"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)
    council_window_from = models.DateField(
        _("to the councils from"),
        null=True,
        blank=True,
        help_text=_("Councils receive the proposal identically and simultaneously, within this window."),
    )
    council_window_to = models.DateField(_("to the councils until"), null=True, blank=True)
    opinion_weeks = models.PositiveSmallIntegerField(
        _("opinion period (weeks)"), default=8, help_text=_("For a zienswijze: how long the councils have.")
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["lock_version"])

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("regional proposal")
        verbose_name_plural = _("regional proposals")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.council_window_from and self.council_window_to and self.council_window_to < self.council_window_from:
            raise ValidationError({"council_window_to": _("The window ends before it starts.")})
        if self.body_id and self.cooperation_id and self.body.cooperation_id != self.cooperation_id:
            raise ValidationError({"cooperation": _("The body that adopts it belongs to another cooperation.")})
        if self.pk and self.status != self.Status.DRAFT:
            frozen = RegionalProposal.objects.get(pk=self.pk)
            if any(
                getattr(frozen, f) != getattr(self, f)
                for f in ["title", "key_message", "decision_points", *self.SECTIONS]
            ):
                raise ValidationError(
                    _("The text is frozen once the regional position is adopted; it can no longer change.")
                )

    @property
    def points(self) -> list[str]:
        return [line.strip() for line in self.decision_points.splitlines() if line.strip()]

    def content(self) -> dict:
        """The text as it goes to every college: what the checksum covers."""
        documents = []
        if self.agenda_item_id:
            for document in self.agenda_item.documents.prefetch_related("versions"):
                if document.current:
                    documents.append({"title": document.title, "sha256": document.current.sha256})
        return {
            "title": self.title,
            "key_message": self.key_message,
            "decision_points": self.points,
            **{name: getattr(self, name) for name in self.SECTIONS},
            "documents": documents,
        }

    # Transitions.

    def adopt(self, *, by, on: datetime.date | None = None) -> None:
        self._transition(self.Status.ADOPTED, adopted_on=on or timezone.localdate())

    @transaction.atomic
    def send(self, *, by, on: datetime.date | None = None) -> ProposalVersion:
        """Freezes the text as a checksummed version and opens a college decision for
        every municipality that participates in the cooperation on the sending date."""
        on = on or timezone.localdate()
        self._transition(self.Status.SENT, sent_on=on)
        content = self.content()
        version = ProposalVersion.objects.create(
            proposal=self,
            number=self.versions.count() + 1,
            content=content,
            sha256=content_checksum(content),
            frozen_by=by,
        )
        participants = list(self.cooperation.participants_on(on))
        # With history rows, so every track's history starts at the sending.
        bulk_create_with_history(
            [CollegeDecision(proposal=self, municipality=m, version=version) for m in participants],
            CollegeDecision,
            default_user=by,
        )
        bulk_create_with_history(
            [CouncilTrack(proposal=self, municipality=m) for m in participants], CouncilTrack, default_user=by
        )
        proposal_sent.send(sender=RegionalProposal, proposal=self)
        return version

    def withdraw(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise ValidationError({"withdrawal_reason": _("Give the reason for withdrawing.")})
        self._transition(self.Status.WITHDRAWN, withdrawal_reason=reason.strip())

    def close(self, *, by) -> None:
        self._transition(self.Status.CLOSED)

    def update_decided(self) -> None:
        """Decided once every college has an approved, final decision (which cannot change after)."""
        decisions = list(self.college_decisions.all())
        if self.status == self.Status.SENT and decisions and all(d.is_final for d in decisions):
            self._transition(self.Status.DECIDED)

    # The regional outcome, computed from the college decisions.

    def outcome(self) -> dict:
        counts = dict.fromkeys(CollegeDecision.Outcome.values, 0)
        for decision in self.college_decisions.all():
            counts[decision.outcome] += 1
        return regional_outcome(counts, self.cooperation.decision_rule)

    def reconciliation_meeting(self) -> Meeting | None:
        return self.body.meetings.open_for_items().first()

    def put_reconciliation_on_agenda(self, *, by) -> AgendaItem:
        """Puts an item on the body's next open meeting to reconcile diverging college decisions."""
        if not self.outcome()["diverges"]:
            raise TransitionNotAllowed(_("The colleges do not diverge; there is nothing to reconcile."))
        meeting = self.reconciliation_meeting()
        if meeting is None:
            raise TransitionNotAllowed(_("%(body)s has no planned meeting to come.") % {"body": self.body})
        title = _("Reconciliation of diverging college decisions: %(title)s") % {"title": self.title}
        if meeting.items.filter(title=title).exists():
            raise TransitionNotAllowed(_("The reconciliation is already on the agenda of that meeting."))
        return meeting.add_item(
            version=None, by=by, title=title, purpose=Purpose.DISCUSSION, explanation=self.outcome_summary()
        )

    def outcome_summary(self) -> str:
        parts = []
        for decision in self.college_decisions.select_related("municipality"):
            parts.append(f"{decision.municipality}: {decision.get_outcome_display()}")
        return "; ".join(parts)


def regional_outcome(counts: dict[str, int], rule: str) -> dict:
    """The outcome of a proposal from the counts per college outcome, under the cooperation's rule."""
    outcome = CollegeDecision.Outcome
    total = sum(counts.values())
    agreed = counts[outcome.AGREED] + counts[outcome.AGREED_AMENDED]
    open_ = counts[outcome.PENDING] + counts[outcome.DEFERRED]
    diverges = counts[outcome.NOT_AGREED] > 0 or counts[outcome.AGREED_AMENDED] > 0
    if rule == Cooperation.DecisionRule.MAJORITY:
        needed = total // 2 + 1
        if agreed >= needed:
            result = "adopted"
        elif agreed + open_ < needed:
            result = "rejected"
        else:
            result = "open"
    elif counts[outcome.NOT_AGREED]:
        result = "rejected"
    elif open_:
        result = "open"
    else:
        result = "adopted"
    labels = {
        "adopted": _("adopted by the colleges"),
        "rejected": _("not adopted by the colleges"),
        "open": _("not yet known"),
    }
    return {"counts": counts, "total": total, "result": result, "label": labels[result], "diverges": diverges}


class ProposalVersion(models.Model):
    """The frozen text of a proposal as sent to the colleges, with its SHA-256 checksum."""

    proposal = models.ForeignKey(RegionalProposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    frozen_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_unique")]

    def __str__(self) -> str:
        return f"{self.proposal} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            raise ValidationError(_("A version sent to the colleges is frozen and cannot be changed."))
        super().save(*args, **kwargs)


class CollegeDecisionQuerySet(models.QuerySet):
    def awaiting_approval(self) -> CollegeDecisionQuerySet:
        return self.filter(review=CollegeDecision.Review.SUBMITTED)

    def to_record(self) -> CollegeDecisionQuerySet:
        open_outcomes = [CollegeDecision.Outcome.PENDING, CollegeDecision.Outcome.DEFERRED]
        return self.filter(
            Q(outcome__in=open_outcomes) | Q(review=CollegeDecision.Review.RETURNED),
            proposal__status=RegionalProposal.Status.SENT,
        ).exclude(review=CollegeDecision.Review.SUBMITTED)


class CollegeDecision(models.Model):
    """One college's decision (collegebesluit) on a regional proposal: the municipal track."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        AGREED = "agreed", _("agreed")
        AGREED_AMENDED = "agreed_amended", _("agreed with amendment")
        NOT_AGREED = "not_agreed", _("not agreed")
        DEFERRED = "deferred", _("deferred")

    class Review(models.TextChoices):
        OPEN = "open", _("being recorded")
        SUBMITTED = "submitted", _("waiting for the mayor's approval")
        APPROVED = "approved", _("approved by the mayor")
        RETURNED = "returned", _("sent back by the mayor")

    DECIDED_OUTCOMES = frozenset({Outcome.AGREED, Outcome.AGREED_AMENDED, Outcome.NOT_AGREED})
    # Which outcomes a recorded decision may move to (deferred can be decided later).
    OUTCOME_TRANSITIONS = {
        Outcome.PENDING: {Outcome.AGREED, Outcome.AGREED_AMENDED, Outcome.NOT_AGREED, Outcome.DEFERRED},
        Outcome.DEFERRED: {Outcome.AGREED, Outcome.AGREED_AMENDED, Outcome.NOT_AGREED, Outcome.DEFERRED},
        Outcome.AGREED: set(),
        Outcome.AGREED_AMENDED: set(),
        Outcome.NOT_AGREED: set(),
    }

    proposal = models.ForeignKey(RegionalProposal, on_delete=models.CASCADE, related_name="college_decisions")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="college_decisions"
    )
    version = models.ForeignKey(ProposalVersion, on_delete=models.PROTECT, related_name="college_decisions")
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    reference = models.CharField(_("reference number"), max_length=60, blank=True)
    deviating_points = models.TextField(
        _("decision points as decided"),
        blank=True,
        help_text=_("Only where the college deviates: the decision points as the college decided them, one per line."),
    )
    secretary_name = models.CharField(_("the secretary"), max_length=200, blank=True, editable=False)
    mayor_name = models.CharField(_("the mayor"), max_length=200, blank=True, editable=False)
    review = models.CharField(_("review"), max_length=20, choices=Review.choices, default=Review.OPEN)
    review_comment = models.TextField(_("comment of the mayor"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    objects = CollegeDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "municipality__name"]
        verbose_name = _("college decision")
        verbose_name_plural = _("college decisions")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "municipality"], name="one_college_decision_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.proposal}"

    @property
    def is_final(self) -> bool:
        return self.review == self.Review.APPROVED and self.outcome not in (self.Outcome.PENDING, self.Outcome.DEFERRED)

    @property
    def decided_points(self) -> list[str]:
        deviating = [line.strip() for line in self.deviating_points.splitlines() if line.strip()]
        return deviating or self.version.content["decision_points"]

    def diff(self) -> list[tuple[str, str]]:
        """The decided points against the frozen version (empty when the college did not deviate)."""
        if not self.deviating_points.strip():
            return []
        return points_diff(self.version.content["decision_points"], self.decided_points)

    def signatories_on(self, on: datetime.date) -> tuple[str, str]:
        """The names of the municipality's secretary and mayor in office that day."""
        offices = Office.objects.current(on).filter(municipality=self.municipality).select_related("person")
        secretary = next((o.person.full_name for o in offices if o.role == Office.Role.MUNICIPAL_SECRETARY), "")
        mayor = next((o.person.full_name for o in offices if o.role == Office.Role.MAYOR), "")
        return secretary, mayor

    @transaction.atomic
    def record(
        self,
        *,
        by,
        lock_version: int,
        outcome: str,
        decided_on: datetime.date,
        reference: str,
        deviating_points: str = "",
        submit: bool = True,
    ) -> None:
        """The municipal secretary records the college's decision (and by default submits it to the mayor)."""
        locked = CollegeDecision.objects.select_for_update().select_related("proposal").get(pk=self.pk)
        if locked.lock_version != lock_version:
            raise StaleDecision(
                _(
                    "Someone else saved this decision while you were working on it. Nothing of yours was saved; "
                    "the form now shows the latest version."
                )
            )
        proposal = locked.proposal
        if proposal.status not in (RegionalProposal.Status.SENT, RegionalProposal.Status.DECIDED):
            raise TransitionNotAllowed(
                _("The proposal is %(status)s; no college decision can be recorded.")
                % {"status": proposal.get_status_display()}
            )
        if locked.review == self.Review.SUBMITTED:
            raise TransitionNotAllowed(_("This decision is waiting for the mayor's approval; it cannot change now."))
        if locked.is_final:
            raise TransitionNotAllowed(_("This decision is approved and final."))
        if outcome not in self.OUTCOME_TRANSITIONS[locked.outcome] and outcome != locked.outcome:
            raise TransitionNotAllowed(
                _("This decision cannot change to %(outcome)s.") % {"outcome": self.Outcome(outcome).label}
            )
        errors = {}
        if outcome == self.Outcome.PENDING:
            errors["outcome"] = _("Choose what the college decided.")
        if proposal.sent_on and decided_on < proposal.sent_on:
            errors["decided_on"] = _("The college cannot decide before the proposal was sent (%(date)s).") % {
                "date": proposal.sent_on.strftime("%d-%m-%Y")
            }
        if decided_on > timezone.localdate():
            errors["decided_on"] = _("The decision date cannot lie in the future.")
        if outcome == self.Outcome.AGREED_AMENDED and not deviating_points.strip():
            errors["deviating_points"] = _("Give the decision points as the college amended them.")
        if outcome != self.Outcome.DEFERRED and not reference.strip():
            errors["reference"] = _("Give the college's own reference number.")
        if errors:
            raise ValidationError(errors)
        secretary, mayor = self.signatories_on(decided_on)
        for name, value in {
            "outcome": outcome,
            "decided_on": decided_on,
            "reference": reference.strip(),
            "deviating_points": deviating_points.strip() if outcome == self.Outcome.AGREED_AMENDED else "",
            "secretary_name": secretary,
            "mayor_name": mayor,
            "recorded_by": by,
            "review": self.Review.SUBMITTED if submit else self.Review.OPEN,
            "review_comment": "",
            "lock_version": locked.lock_version + 1,
        }.items():
            setattr(locked, name, value)
        locked._change_reason = "recorded"
        locked.save()
        self.refresh_from_db()

    def _review(self, *, by, to: str, comment: str = "") -> None:
        if self.review != self.Review.SUBMITTED:
            raise TransitionNotAllowed(_("Only a decision that waits for approval can be approved or sent back."))
        on = timezone.localdate()
        if (
            not Office.objects.current(on)
            .filter(person__user=by, role=Office.Role.MAYOR, municipality=self.municipality_id)
            .exists()
        ):
            raise TransitionNotAllowed(
                _("Only the mayor of %(municipality)s in office today can approve this decision.")
                % {"municipality": self.municipality}
            )
        self.review, self.review_comment = to, comment
        if to == self.Review.APPROVED:
            self.approved_by, self.approved_at = by, timezone.now()
        self.lock_version += 1
        self._change_reason = str(self.Review(to).label)
        self.save()

    @transaction.atomic
    def approve(self, *, by) -> None:
        from decisions.tasks import render_decision_pdf

        self._review(by=by, to=self.Review.APPROVED)
        self.proposal.update_decided()
        if self.outcome != self.Outcome.DEFERRED:
            render_decision_pdf.delay_on_commit(self.pk)

    @transaction.atomic
    def send_back(self, *, by, comment: str) -> None:
        if not comment.strip():
            raise ValidationError({"comment": _("Say what should change.")})
        self._review(by=by, to=self.Review.RETURNED, comment=comment.strip())


class DecisionPdf(models.Model):
    """The rendered college decision in the collegebesluit layout, per decision state, with its checksum."""

    decision = models.ForeignKey(CollegeDecision, on_delete=models.CASCADE, related_name="pdfs")
    lock_version = models.PositiveIntegerField()
    file = models.FileField(upload_to="decisions/%Y/", max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision", "-lock_version"]
        constraints = [models.UniqueConstraint(fields=["decision", "lock_version"], name="decision_pdf_once_per_state")]

    def __str__(self) -> str:
        return f"{self.decision} (v{self.lock_version})"


# How long a college needs between the regional position and its own decision.
COLLEGE_PREPARATION = datetime.timedelta(weeks=2)


class CouncilTrack(models.Model):
    """How and when one council is involved in a regional proposal, kept by its griffier."""

    class Involvement(models.TextChoices):
        INFORMED = "informed", _("informed")
        WISHES = "wishes", _("wishes and objections")
        OPINION = "opinion", _("opinion (zienswijze)")
        CONSENT = "consent", _("consent")
        FRAMEWORK = "framework", _("framework setting")

    class Status(models.TextChoices):
        NOT_PLANNED = "not_planned", _("not planned")
        PLANNED = "planned", _("planned")
        IN_COMMITTEE = "in_committee", _("in committee")
        DECIDED = "decided", _("decided by the council")
        NOT_NEEDED = "not_needed", _("not needed")

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        ADOPTED_AMENDED = "adopted_amended", _("adopted as amended")
        REJECTED = "rejected", _("rejected")
        POSTPONED = "postponed", _("postponed")

    proposal = models.ForeignKey(RegionalProposal, on_delete=models.CASCADE, related_name="council_tracks")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="council_tracks"
    )
    involvement = models.CharField(
        _("involvement"), max_length=20, choices=Involvement.choices, default=Involvement.INFORMED
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_PLANNED)
    committee_date = models.DateField(_("committee date"), null=True, blank=True)
    council_date = models.DateField(_("council date"), null=True, blank=True)
    sent_to_council_on = models.DateField(_("sent to the council on"), null=True, blank=True)
    sent_version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("version sent to the council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_tracks",
    )
    outside_window_reason = models.TextField(_("why outside the window"), blank=True)
    council_points = models.TextField(
        _("decision points as put to the council"),
        blank=True,
        help_text=_("Only where the council received other decision points than the frozen version, one per line."),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)
    notes = models.TextField(_("motions and amendments"), blank=True)
    council_item_url = models.URLField(_("item in the council information system"), blank=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["lock_version"])

    class Meta:
        ordering = ["proposal", "municipality__name"]
        verbose_name = _("council track")
        verbose_name_plural = _("council tracks")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "municipality"], name="one_council_track_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.proposal}"

    # Deadlines worked backwards from the council date.

    @property
    def latest_college_decision(self) -> datetime.date | None:
        if not self.council_date:
            return None
        return self.council_date - datetime.timedelta(weeks=self.municipality.council_lead_weeks)

    @property
    def latest_administrative_meeting(self) -> datetime.date | None:
        college = self.latest_college_decision
        if college is None:
            return None
        if self.involvement == self.Involvement.OPINION:
            # The councils need the whole opinion period after the regional body sends it.
            return college - datetime.timedelta(weeks=self.proposal.opinion_weeks)
        return college - COLLEGE_PREPARATION

    @property
    def outside_window(self) -> bool:
        proposal, sent = self.proposal, self.sent_to_council_on
        if not sent:
            return False
        return bool(
            (proposal.council_window_from and sent < proposal.council_window_from)
            or (proposal.council_window_to and sent > proposal.council_window_to)
        )

    @property
    def received_points(self) -> list[str]:
        own = [line.strip() for line in self.council_points.splitlines() if line.strip()]
        return own or (self.sent_version.content["decision_points"] if self.sent_version_id else [])

    @property
    def received_sha256(self) -> str:
        """The checksum of what this council received: the frozen version's, unless its points differ."""
        if not self.sent_version_id:
            return ""
        if not self.council_points.strip():
            return self.sent_version.sha256
        return content_checksum({**self.sent_version.content, "decision_points": self.received_points})

    @property
    def other_version(self) -> bool:
        """Whether this council received another text than the one frozen for every college."""
        return bool(self.sent_version_id and self.received_sha256 != self.sent_version.sha256)

    def diff(self) -> list[tuple[str, str]]:
        if not self.other_version:
            return []
        return points_diff(self.sent_version.content["decision_points"], self.received_points)

    def is_late(self, today: datetime.date | None = None) -> bool:
        """The college's latest decision date has passed and it has not decided (uses prefetched decisions)."""
        today = today or timezone.localdate()
        college = self.latest_college_decision
        decided = CollegeDecision.DECIDED_OUTCOMES
        return bool(
            college
            and college < today
            and self.status not in (self.Status.DECIDED, self.Status.NOT_NEEDED)
            and not any(
                d.municipality_id == self.municipality_id and d.outcome in decided
                for d in self.proposal.college_decisions.all()
            )
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        proposal = self.proposal
        if self.committee_date and self.council_date and self.committee_date > self.council_date:
            errors["committee_date"] = _("The committee meets before the council decides.")
        if self.council_date and proposal.sent_on and self.council_date < proposal.sent_on:
            errors["council_date"] = _(
                "The council cannot decide before the proposal went to the colleges (%(date)s)."
            ) % {"date": proposal.sent_on.strftime("%d-%m-%Y")}
        if self.sent_to_council_on and proposal.sent_on and self.sent_to_council_on < proposal.sent_on:
            errors["sent_to_council_on"] = _("The council cannot receive it before it went to the colleges.")
        if self.outside_window and not self.outside_window_reason.strip():
            errors["outside_window_reason"] = _(
                "The date the council received it lies outside the window %(start)s – %(end)s. "
                "Give the reason, or correct the date."
            ) % {
                "start": proposal.council_window_from.strftime("%d-%m-%Y") if proposal.council_window_from else "…",
                "end": proposal.council_window_to.strftime("%d-%m-%Y") if proposal.council_window_to else "…",
            }
        if self.outcome and not self.outcome_date:
            errors["outcome_date"] = _("Give the date of the council's outcome.")
        if self.outcome_date and not self.outcome:
            errors["outcome"] = _("Choose the council's outcome for this date.")
        if self.status == self.Status.DECIDED and not self.outcome:
            errors["outcome"] = _("A council that decided has an outcome.")
        if self.status in (self.Status.PLANNED, self.Status.IN_COMMITTEE) and not self.council_date:
            errors["council_date"] = _("A planned track has a council date.")
        if (
            not proposal.cooperation.participants_on(proposal.sent_on or timezone.localdate())
            .filter(pk=self.municipality_id)
            .exists()
        ):
            errors["municipality"] = _("%(municipality)s does not participate in %(cooperation)s.") % {
                "municipality": self.municipality,
                "cooperation": proposal.cooperation,
            }
        if errors:
            raise ValidationError(errors)

    @transaction.atomic
    def keep(self, *, lock_version: int, **fields) -> None:
        """The griffier's save: refused when someone else saved in between."""
        locked = CouncilTrack.objects.select_for_update().get(pk=self.pk)
        if locked.lock_version != lock_version:
            raise StaleDecision(
                _("Someone else saved this council track while you were working on it. Nothing of yours was saved.")
            )
        if self.proposal.status == RegionalProposal.Status.WITHDRAWN:
            raise TransitionNotAllowed(_("The proposal is withdrawn."))
        for name, value in fields.items():
            setattr(self, name, value)
        if self.sent_to_council_on and not self.sent_version_id:
            self.sent_version = self.proposal.versions.order_by("-number").first()
        self.full_clean()
        self.lock_version = locked.lock_version + 1
        self.save()
