from __future__ import annotations

import datetime
import difflib
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Count, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from core import limits
from core.files import sha256_of, shortened_name
from core.models import Timestamped
from core.periods import working_day_on_or_before
from core.workflow import StatusWorkflow, TransitionNotAllowed
from decisions import rules
from governance.models import ConsultationBody, Cooperation, Participation
from meetings.models import AgendaItem, Document, Meeting, Purpose
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
        """Each proposal with the number of colleges per signed outcome, in one query: a decision
        counts only once it is definitive and signed."""
        signed = Q(college_decisions__signing=CollegeDecision.Signing.SIGNED)
        decided = signed & Q(college_decisions__outcome__in=CollegeDecision.DECIDED_OUTCOMES)
        return self.annotate(
            **{
                f"count_{value}": Count("college_decisions", filter=signed & Q(college_decisions__outcome=value))
                for value in CollegeDecision.DECIDED_OUTCOMES
            },
            count_open=Count("college_decisions", filter=~decided),
            count_total=Count("college_decisions"),
        )


class RegionalProposal(StatusWorkflow, Timestamped):
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
    key_message = models.TextField(
        _("key message"), max_length=limits.DESCRIPTION, help_text=_("The kernboodschap at the top of every decision.")
    )
    decision_points = models.TextField(
        _("decision points"), max_length=limits.TEXT, help_text=_("One decision point per line, in order.")
    )
    introduction = models.TextField(_("1. introduction"), blank=True, max_length=limits.LONG_TEXT)
    intended_result = models.TextField(_("3. intended result"), blank=True, max_length=limits.LONG_TEXT)
    arguments = models.TextField(_("4. arguments"), blank=True, max_length=limits.LONG_TEXT)
    risks = models.TextField(_("5. risks and caveats"), blank=True, max_length=limits.LONG_TEXT)
    implementation = models.TextField(_("6. implementation"), blank=True, max_length=limits.LONG_TEXT)
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
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True, max_length=limits.NOTE)
    council_window_from = models.DateField(
        _("to the councils from"),
        null=True,
        blank=True,
        help_text=_("Councils receive the proposal identically and simultaneously, within this window."),
    )
    council_window_to = models.DateField(_("to the councils until"), null=True, blank=True)

    class OpinionDocument(models.TextChoices):
        BUDGET = rules.OpinionDocument.BUDGET, _("draft budget (ontwerpbegroting): 12 weeks, Wgr art. 35")
        ARRANGEMENT = (
            rules.OpinionDocument.ARRANGEMENT,
            _("draft of a new or changed joint arrangement: 8 weeks, Wgr art. 1 lid 3"),
        )
        OTHER = rules.OpinionDocument.OTHER, _("another draft: the period the regional body sets")

    # The zienswijze round: the regional body sends a draft, the councils give their zienswijze within
    # the period, the regional body reacts once, and its general board adopts only after the period.
    opinion_document = models.CharField(
        _("draft for a zienswijze"),
        max_length=20,
        choices=OpinionDocument.choices,
        blank=True,
        help_text=_("Only when the councils give a zienswijze on a draft of the regional body."),
    )
    opinion_sent_on = models.DateField(
        _("draft sent to the councils on"), null=True, blank=True, help_text=_("The opinion period starts here.")
    )
    opinion_weeks = models.PositiveSmallIntegerField(
        _("opinion period (weeks)"),
        null=True,
        blank=True,
        help_text=_(
            "At least 12 weeks for a draft budget (Wgr art. 35) and 8 weeks for the draft of a new or changed "
            "arrangement (Wgr art. 1 lid 3); otherwise what the regional body sets, with a reason below 8 weeks."
        ),
    )
    opinion_short_reason = models.TextField(
        _("why the period is shorter than 8 weeks"), blank=True, max_length=limits.NOTE
    )
    opinion_reaction = models.TextField(
        _("reaction of the regional body to the zienswijzen"),
        max_length=limits.LONG_TEXT,
        blank=True,
        help_text=_("Recorded once, shown on the track of every council."),
    )
    opinion_reaction_on = models.DateField(_("reaction given on"), null=True, blank=True)
    board_adopted_on = models.DateField(
        _("adopted by the general board on"),
        null=True,
        blank=True,
        help_text=_("Only after the opinion period has ended."),
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["lock_version"])

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("regional proposal")
        verbose_name_plural = _("regional proposals")
        # The sent and decided proposals (the matrices, the griffier's dashboard, the start page): a few
        # thousand of the twenty thousand at national scale.
        indexes = [models.Index(fields=["status"], name="proposal_status")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.council_window_from and self.council_window_to and self.council_window_to < self.council_window_from:
            raise ValidationError({"council_window_to": _("The window ends before it starts.")})
        problem = rules.opinion_period_problem(self.opinion_document, self.opinion_weeks, self.opinion_short_reason)
        if problem:
            raise ValidationError({"opinion_weeks": problem})
        if self.opinion_document and not self.opinion_sent_on and self.status not in (self.Status.DRAFT,):
            raise ValidationError({"opinion_sent_on": _("Give the date the draft went to the councils.")})
        if self.board_adopted_on and self.opinion_period_end and self.board_adopted_on <= self.opinion_period_end:
            raise ValidationError(
                {
                    "board_adopted_on": _(
                        "The general board adopts only after the opinion period has ended (%(date)s)."
                    )
                    % {"date": date_format(self.opinion_period_end)}
                }
            )
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

    def cycle_document_or_none(self):
        """The joint arrangement's budget cycle document whose zienswijze round this is, if any."""
        if not hasattr(self, "_cycle_document"):
            try:
                self._cycle_document = self.cycle_document
            except ObjectDoesNotExist:
                self._cycle_document = None
        return self._cycle_document

    @property
    def opinion_period_end(self) -> datetime.date | None:
        """The last day of the zienswijze period: the councils' zienswijzen fall on or before it."""
        if not (self.opinion_document and self.opinion_sent_on and self.opinion_weeks):
            return None
        return self.opinion_sent_on + datetime.timedelta(weeks=self.opinion_weeks)

    @property
    def opinion_source(self) -> str:
        return rules.OPINION_PERIODS[self.opinion_document][1] if self.opinion_document else ""

    def sections(self) -> list[tuple[str, str]]:
        """The sections of the collegebesluit in order, with their headings ("1. Inleiding")."""
        sections = []
        for name in self.SECTIONS:
            number, _space, heading = str(self._meta.get_field(name).verbose_name).partition(" ")
            sections.append((f"{number} {capfirst(heading)}", getattr(self, name)))
        return sections

    def content(self) -> dict:
        """The text as it goes to every college: what the checksum covers."""
        documents = [{"title": document.title, "sha256": document.sha256} for document in self.documents.all()]
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

    def adopt(self, *, by) -> None:
        """The body adopts the regional position in a meeting it held, on that meeting's date."""
        meeting = self.adopting_meeting()
        self._transition(self.Status.ADOPTED, adopted_on=timezone.localdate(meeting.starts_at))

    def adopting_meeting(self) -> Meeting:
        """The held meeting of the body whose agenda item adopts the position; refuses any other."""
        item = self.agenda_item
        if item is None:
            raise TransitionNotAllowed(
                _("Choose the agenda item of the meeting in which %(body)s adopted the position.") % {"body": self.body}
            )
        meeting = item.meeting
        if meeting.body_id != self.body_id:
            raise TransitionNotAllowed(
                _("The agenda item belongs to a meeting of %(other)s, not of %(body)s.")
                % {"other": meeting.body, "body": self.body}
            )
        if meeting.status not in (Meeting.Status.HELD, Meeting.Status.MINUTES_ADOPTED):
            raise TransitionNotAllowed(
                _("The meeting of %(date)s has not been held yet; the position is adopted in a held meeting.")
                % {"date": date_format(timezone.localdate(meeting.starts_at))}
            )
        return meeting

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
        decisions = {d.municipality_id: d for d in self.college_decisions.all()}
        leaving = self.leaving_dates()
        involvement = self.default_involvement()
        bulk_create_with_history(
            [
                CouncilTrack(
                    proposal=self,
                    municipality=m,
                    decision=decisions[m.pk],
                    involvement=involvement,
                    **self._track_for_leaver(leaving.get(m.pk)),
                )
                for m in participants
            ],
            CouncilTrack,
            default_user=by,
        )
        proposal_sent.send(sender=RegionalProposal, proposal=self)
        return version

    def leaving_dates(self) -> dict[int, datetime.date]:
        """The municipalities that have given notice to leave the cooperation, with the first day outside
        (asked once per proposal object: every track of a page shares it)."""
        if not hasattr(self, "_leaving_dates"):
            self._leaving_dates = dict(
                Participation.objects.filter(cooperation=self.cooperation_id, leaves_on__isnull=False).values_list(
                    "municipality", "leaves_on"
                )
            )
        return self._leaving_dates

    def _track_for_leaver(self, leaves_on: datetime.date | None) -> dict:
        """A leaver's council is not involved in a window that lies after its leaving date."""
        if leaves_on and self.council_window_from and self.council_window_from >= leaves_on:
            return {
                "status": CouncilTrack.Status.NOT_NEEDED,
                "notes": _("Leaves the cooperation on %(date)s, before the council window.")
                % {"date": date_format(leaves_on)},
            }
        return {}

    def withdraw(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise ValidationError({"withdrawal_reason": _("Give the reason for withdrawing.")})
        limits.check_lengths(RegionalProposal, withdrawal_reason=reason.strip())
        self._transition(self.Status.WITHDRAWN, withdrawal_reason=reason.strip())

    def close(self, *, by) -> None:
        self._transition(self.Status.CLOSED)

    def update_decided(self) -> None:
        """Decided once every college has a signed, definitive decision (which cannot change after)."""
        decisions = list(self.college_decisions.all())
        if self.status == self.Status.SENT and decisions and all(d.is_final for d in decisions):
            self._transition(self.Status.DECIDED)
        self.after_step()

    def accession_or_none(self):
        """The request to join the cooperation that this proposal decides, if any (covenant/models.py)."""
        try:
            return self.accession
        except ObjectDoesNotExist:
            return None

    def after_step(self) -> None:
        """A college signed or a council spoke: a request to join completes once every one has."""
        accession = self.accession_or_none()
        if accession is not None:
            accession.complete_if_decided()

    def default_involvement(self) -> str:
        """Joining the covenant: every council may give its wensen en bedenkingen first (Gemeentewet art. 169
        lid 4), so the college decides in two steps."""
        if self.accession_or_none() is not None:
            return CouncilTrack.Involvement.WISHES
        return CouncilTrack.Involvement.INFORMED

    def add_document(self, upload, *, title: str, by) -> ProposalDocument:
        """A document of the proposal itself; it is frozen with the text when the proposal is sent."""
        if self.status not in (self.Status.DRAFT, self.Status.ADOPTED):
            raise TransitionNotAllowed(_("The proposal went to the colleges; its documents are frozen."))
        checksum = sha256_of(upload)
        return ProposalDocument.objects.create(
            proposal=self,
            title=title.strip() or shortened_name(upload.name),
            file=upload,
            original_name=shortened_name(upload.name),
            content_type=upload.checked_content_type,
            size=upload.size,
            sha256=checksum,
            uploaded_by=by,
        )

    # The zienswijze round (Wgr art. 1 lid 3, art. 35).

    @transaction.atomic
    def record_opinion_reaction(self, *, by, text: str, on: datetime.date) -> None:
        if not self.opinion_document:
            raise TransitionNotAllowed(_("This proposal has no zienswijze round."))
        if not text.strip():
            raise ValidationError({"opinion_reaction": _("Give the reaction of the regional body.")})
        limits.check_lengths(RegionalProposal, opinion_reaction=text.strip())
        if self.opinion_sent_on and on < self.opinion_sent_on:
            raise ValidationError({"opinion_reaction_on": _("The reaction cannot come before the draft was sent.")})
        self.opinion_reaction, self.opinion_reaction_on = text.strip(), on
        self._change_reason = "opinion reaction"
        self.save()

    @transaction.atomic
    def record_board_adoption(self, *, by, on: datetime.date) -> None:
        if not self.opinion_document:
            raise TransitionNotAllowed(_("This proposal has no zienswijze round."))
        end = self.opinion_period_end
        if end is None or on <= end:
            raise TransitionNotAllowed(
                _("The general board may adopt only after the opinion period has ended (%(date)s).")
                % {"date": date_format(end) if end else "…"}
            )
        self.board_adopted_on = on
        self._change_reason = "adopted by the general board"
        self.save()

    # The regional outcome, computed from the signed college decisions only.

    def outcome(self) -> dict:
        decisions = list(self.college_decisions.all())
        return rules.regional_outcome(
            [d.outcome for d in decisions if d.is_final], len(decisions), self.cooperation.decision_rule
        )

    def reconciliation_meetings(self):
        """The meetings to come of the adopting body that still take items; the first is the default."""
        return self.body.meetings.open_for_items()

    def reconciliation_meeting(self) -> Meeting | None:
        return self.reconciliation_meetings().first()

    def put_reconciliation_on_agenda(self, *, by, meeting: Meeting | None = None) -> AgendaItem:
        """Puts an item on a meeting of the body (the next open one by default) to reconcile diverging
        college decisions, with the signed college decisions attached as its documents."""
        if not self.outcome()["diverges"]:
            raise TransitionNotAllowed(_("The colleges do not diverge; there is nothing to reconcile."))
        meeting = meeting or self.reconciliation_meeting()
        if meeting is None:
            raise TransitionNotAllowed(_("%(body)s has no planned meeting to come.") % {"body": self.body})
        if not self.reconciliation_meetings().filter(pk=meeting.pk).exists():
            raise TransitionNotAllowed(
                _("Choose a meeting of %(body)s to come that still takes items.") % {"body": self.body}
            )
        title = _("Reconciliation of diverging college decisions: %(title)s") % {"title": self.title}
        if meeting.items.filter(title=title).exists():
            raise TransitionNotAllowed(_("The reconciliation is already on the agenda of that meeting."))
        item = meeting.add_item(
            version=None, by=by, title=title, purpose=Purpose.DISCUSSION, explanation=self.outcome_summary()
        )
        for decision in self.college_decisions.filter(signing=CollegeDecision.Signing.SIGNED).select_related(
            "municipality"
        ):
            pdf = decision.pdfs.filter(stage=DecisionPdf.Stage.DEFINITIVE).first()
            if pdf is None:
                continue
            document = Document.objects.create(
                title=_("College decision %(municipality)s") % {"municipality": decision.municipality}, item=item
            )
            with pdf.file.open("rb") as stored:
                upload = ContentFile(stored.read(), name=pdf.file.name.rsplit("/", 1)[-1])
            document.add_version(upload, by=by, content_type="application/pdf")
        return item

    def outcome_summary(self) -> str:
        """Each college's decision in words, with the motivation of those that did not agree."""
        parts = []
        for decision in self.college_decisions.select_related("municipality"):
            # The item goes to everyone who reads the agenda: an unsigned decision is its municipality's own.
            label = decision.status_label if decision.is_final else _("in progress")
            line = f"{decision.municipality}: {label}"
            if decision.is_final and decision.outcome == CollegeDecision.Outcome.NOT_AGREED and decision.motivation:
                line += f" ({_('motivation')}: {decision.motivation})"
            parts.append(line)
        return "; ".join(parts)


def document_path(document: ProposalDocument, filename: str) -> str:
    import uuid

    return f"proposals/{timezone.now():%Y}/{uuid.uuid4().hex}"


class ProposalDocument(models.Model):
    """A document that belongs to a regional proposal itself (a raadsinformatiebrief, an annex); frozen with it."""

    proposal = models.ForeignKey(RegionalProposal, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "pk"]
        verbose_name = _("proposal document")
        verbose_name_plural = _("proposal documents")

    def __str__(self) -> str:
        return self.title


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
    def to_sign(self) -> CollegeDecisionQuerySet:
        return self.filter(signing=CollegeDecision.Signing.TO_SIGN)

    def to_record(self) -> CollegeDecisionQuerySet:
        open_outcomes = [CollegeDecision.Outcome.PENDING, CollegeDecision.Outcome.DEFERRED]
        return self.filter(
            Q(outcome__in=open_outcomes) | Q(signing=CollegeDecision.Signing.RETURNED),
            proposal__status=RegionalProposal.Status.SENT,
        ).exclude(signing=CollegeDecision.Signing.TO_SIGN)


class CollegeDecision(Timestamped):
    """One college's decision (collegebesluit) on a regional proposal: the municipal track, in one or two steps."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        AGREED = "agreed", _("agreed")
        AGREED_AMENDED = "agreed_amended", _("agreed with amendment")
        NOT_AGREED = "not_agreed", _("not agreed")
        DEFERRED = "deferred", _("deferred")

    class Signing(models.TextChoices):
        OPEN = "open", _("being recorded")
        TO_SIGN = "to_sign", _("to be signed")
        SIGNED = "signed", _("signed")
        RETURNED = "returned", _("sent back")

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
    # The intended decision (voorgenomen besluit / ontwerpbesluit) where the council has its say first.
    intended_on = models.DateField(_("date of the intended decision"), null=True, blank=True)
    intended_reference = models.CharField(_("reference of the intended decision"), max_length=60, blank=True)
    intended_points = models.TextField(
        _("intended decision points"),
        max_length=limits.TEXT,
        blank=True,
        help_text=_("Only where the college intends to deviate: the decision points it intends, one per line."),
    )
    intended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # The definitive decision.
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    reference = models.CharField(_("reference number"), max_length=60, blank=True)
    deviating_points = models.TextField(
        _("decision points as decided"),
        max_length=limits.TEXT,
        blank=True,
        help_text=_("Only where the college deviates: the decision points as the college decided them, one per line."),
    )
    motivation = models.TextField(
        _("motivation"),
        blank=True,
        max_length=limits.TEXT,
        help_text=_("Why the college does not agree, or defers its decision."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # Signing (Gemeentewet art. 59a): the mayor signs, the secretary co-signs, or their substitutes.
    signing = models.CharField(_("signing"), max_length=20, choices=Signing.choices, default=Signing.OPEN)
    signing_comment = models.TextField(_("comment of the signatory"), blank=True, max_length=limits.NOTE)
    mayor_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    mayor_signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    mayor_signed_as = models.CharField(_("signed as"), max_length=30, choices=Office.Role.choices, blank=True)
    mayor_name = models.CharField(_("the mayor"), max_length=200, blank=True, editable=False)
    secretary_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    secretary_signed_at = models.DateTimeField(_("co-signed at"), null=True, blank=True, editable=False)
    secretary_signed_as = models.CharField(_("co-signed as"), max_length=30, choices=Office.Role.choices, blank=True)
    secretary_name = models.CharField(_("the secretary"), max_length=200, blank=True, editable=False)
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
        """Definitive and signed: only then does the decision count, and it cannot change after."""
        return self.signing == self.Signing.SIGNED and self.outcome in self.DECIDED_OUTCOMES

    @property
    def is_intended(self) -> bool:
        """An intended decision has been taken and the definitive one is not yet recorded."""
        return bool(self.intended_on) and self.outcome == self.Outcome.PENDING

    @property
    def status_label(self) -> str:
        """The state of this college's decision in words, as every page shows it."""
        if self.is_intended:
            return str(_("intended decision"))
        if self.outcome == self.Outcome.PENDING:
            return str(_("pending"))
        if self.signing == self.Signing.SIGNED:
            return str(self.get_outcome_display())
        return _("%(outcome)s (%(signing)s)") % {
            "outcome": self.get_outcome_display(),
            "signing": self.get_signing_display(),
        }

    @property
    def track(self) -> CouncilTrack | None:
        try:
            return self.council_track
        except CouncilTrack.DoesNotExist:
            return None

    @property
    def involvement(self) -> str:
        track = self.track
        return track.involvement if track else rules.Involvement.INFORMED

    @property
    def needs_intended_decision(self) -> bool:
        return self.involvement in rules.TWO_STEP

    @property
    def decided_points(self) -> list[str]:
        deviating = [line.strip() for line in self.deviating_points.splitlines() if line.strip()]
        return deviating or self.version.content["decision_points"]

    @property
    def intended_decision_points(self) -> list[str]:
        own = [line.strip() for line in self.intended_points.splitlines() if line.strip()]
        return own or self.version.content["decision_points"]

    def diff(self) -> list[tuple[str, str]]:
        """The decided points against the frozen version (empty when the college did not deviate)."""
        if not self.deviating_points.strip():
            return []
        return points_diff(self.version.content["decision_points"], self.decided_points)

    def intended_diff(self) -> list[tuple[str, str]]:
        """The definitive decision points against intended ones that deviated from the frozen version (where the
        intended decision followed the frozen version, diff() already shows the difference)."""
        if not self.intended_points.strip() or self.outcome == self.Outcome.PENDING:
            return []
        if self.intended_decision_points == self.decided_points:
            return []
        return points_diff(self.intended_decision_points, self.decided_points)

    def missing_council_step(self) -> str | None:
        """Why the definitive decision must wait for the council, or None."""
        track = self.track
        if track is None:
            return None
        return rules.missing_council_step(
            track.involvement,
            intended=bool(self.intended_on),
            sent_to_council=bool(track.sent_to_council_on),
            outcome=track.outcome,
        )

    def _locked(self, lock_version: int | None) -> CollegeDecision:
        locked = CollegeDecision.objects.select_for_update().select_related("proposal").get(pk=self.pk)
        if lock_version is not None and locked.lock_version != lock_version:
            raise StaleDecision(
                _(
                    "Someone else saved this decision while you were working on it. Nothing of yours was saved; "
                    "the form now shows the latest version."
                )
            )
        if locked.proposal.status not in (RegionalProposal.Status.SENT, RegionalProposal.Status.DECIDED):
            raise TransitionNotAllowed(
                _("The proposal is %(status)s; no college decision can be recorded.")
                % {"status": locked.proposal.get_status_display()}
            )
        return locked

    def _check_date(self, on: datetime.date, field: str, errors: dict) -> None:
        sent_on = self.proposal.sent_on
        if sent_on and on < sent_on:
            errors[field] = _("The college cannot decide before the proposal was sent (%(date)s).") % {
                "date": sent_on.strftime("%d-%m-%Y")
            }
        if on > timezone.localdate():
            errors[field] = _("The decision date cannot lie in the future.")

    @transaction.atomic
    def record_intended(
        self, *, by, lock_version: int, intended_on: datetime.date, intended_reference: str, intended_points: str = ""
    ) -> None:
        """The municipal secretary records the college's intended decision, which goes to the council first."""
        locked = self._locked(lock_version)
        track = locked.track
        if track is None or track.involvement not in rules.TWO_STEP:
            raise TransitionNotAllowed(
                _("The council is not asked for wishes and objections or consent here; record the decision itself.")
            )
        if locked.outcome != self.Outcome.PENDING:
            raise TransitionNotAllowed(_("The definitive decision is already recorded."))
        if track.sent_to_council_on:
            raise TransitionNotAllowed(
                _("The intended decision went to the council on %(date)s; it no longer changes.")
                % {"date": date_format(track.sent_to_council_on)}
            )
        errors: dict = {}
        self._check_date(intended_on, "intended_on", errors)
        if not intended_reference.strip():
            errors["intended_reference"] = _("Give the college's own reference number.")
        if errors:
            raise ValidationError(errors)
        frozen = locked.version.content["decision_points"]
        own = [line.strip() for line in intended_points.splitlines() if line.strip()]
        locked.intended_on = intended_on
        locked.intended_reference = intended_reference.strip()
        locked.intended_points = "\n".join(own) if own and own != frozen else ""
        locked.intended_by = by
        locked.lock_version += 1
        locked._change_reason = "intended decision"
        locked.save()
        self.refresh_from_db()
        from decisions.tasks import render_decision_pdf

        render_decision_pdf.delay_on_commit(self.pk)

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
        motivation: str = "",
        submit: bool = True,
    ) -> None:
        """The municipal secretary records the college's definitive decision and puts it up for signing."""
        locked = self._locked(lock_version)
        if locked.signing == self.Signing.TO_SIGN:
            raise TransitionNotAllowed(_("This decision is waiting to be signed; it cannot change now."))
        if locked.is_final:
            raise TransitionNotAllowed(_("This decision is signed and final."))
        if outcome not in self.OUTCOME_TRANSITIONS[locked.outcome] and outcome != locked.outcome:
            raise TransitionNotAllowed(
                _("This decision cannot change to %(outcome)s.") % {"outcome": self.Outcome(outcome).label}
            )
        track = locked.track
        missing = locked.missing_council_step()
        if missing and outcome != self.Outcome.DEFERRED:
            raise TransitionNotAllowed(missing)
        errors: dict = {}
        if outcome == self.Outcome.PENDING:
            errors["outcome"] = _("Choose what the college decided.")
        self._check_date(decided_on, "decided_on", errors)
        if locked.intended_on and decided_on < locked.intended_on:
            errors["decided_on"] = _("The definitive decision cannot come before the intended one (%(date)s).") % {
                "date": date_format(locked.intended_on)
            }
        council_said_on = track.outcome_date if track and track.involvement in rules.TWO_STEP else None
        if council_said_on and outcome != self.Outcome.DEFERRED and decided_on < council_said_on:
            errors["decided_on"] = _("The college decides after the council (%(date)s), not before.") % {
                "date": date_format(council_said_on)
            }
        refused = bool(track and track.outcome == rules.CouncilOutcome.CONSENT_REFUSED)
        if refused and outcome not in (self.Outcome.NOT_AGREED, self.Outcome.DEFERRED):
            errors["outcome"] = _(
                "The council refused its consent on %(date)s; the college can only not agree (Wgr art. 1 lid 4)."
            ) % {"date": date_format(track.outcome_date)}
        if refused and not motivation.strip():
            motivation = _("The council refused its consent on %(date)s.") % {"date": date_format(track.outcome_date)}
            if track.council_response.strip():
                motivation = f"{motivation} {track.council_response.strip()}"
        if outcome == self.Outcome.AGREED_AMENDED and not deviating_points.strip():
            errors["deviating_points"] = _("Give the decision points as the college amended them.")
        if outcome == self.Outcome.NOT_AGREED and not motivation.strip():
            errors["motivation"] = _("Give the college's motivation for not agreeing.")
        if outcome != self.Outcome.DEFERRED and not reference.strip():
            errors["reference"] = _("Give the college's own reference number.")
        if errors:
            raise ValidationError(errors)
        for name, value in {
            "outcome": outcome,
            "decided_on": decided_on,
            "reference": reference.strip(),
            "deviating_points": deviating_points.strip() if outcome == self.Outcome.AGREED_AMENDED else "",
            "motivation": motivation.strip() if outcome in (self.Outcome.NOT_AGREED, self.Outcome.DEFERRED) else "",
            "recorded_by": by,
            "signing": self.Signing.TO_SIGN if submit else self.Signing.OPEN,
            "signing_comment": "",
            **self._no_signatures(),
            "lock_version": locked.lock_version + 1,
        }.items():
            setattr(locked, name, value)
        locked._change_reason = "recorded"
        locked.save()
        self.refresh_from_db()

    @staticmethod
    def _no_signatures() -> dict:
        return {
            "mayor_signed_by": None,
            "mayor_signed_at": None,
            "mayor_signed_as": "",
            "mayor_name": "",
            "secretary_signed_by": None,
            "secretary_signed_at": None,
            "secretary_signed_as": "",
            "secretary_name": "",
        }

    # Signing.

    @staticmethod
    def signing_offices_of(user) -> list[Office]:
        """The user's offices, of any period, in which one signs or co-signs for a college: asked once, so a
        list of decisions can tell for each one in which capacity the user signs it."""
        if not getattr(user, "is_authenticated", False):
            return []
        return list(
            Office.objects.filter(person__user=user, role__in=Office.MAYOR_ROLES | Office.SECRETARY_ROLES)
            .select_related("person")
            .order_by("starts_on")
        )

    def capacities_of(self, user, offices: list[Office] | None = None) -> dict[str, Office]:
        """In which capacity the user may sign this decision: 'mayor' and/or 'secretary', each with the office
        (mayor, waarnemend or loco-burgemeester; secretary or loco-secretaris) held on the decision date."""
        if not self.decided_on:
            return {}
        offices = self.signing_offices_of(user) if offices is None else offices
        capacities: dict[str, Office] = {}
        for office in offices:
            if office.municipality_id != self.municipality_id or not office.is_current(self.decided_on):
                continue
            part = "mayor" if office.role in Office.MAYOR_ROLES else "secretary"
            # The office holder before a substitute, if someone holds both.
            if part not in capacities or office.role in (Office.Role.MAYOR, Office.Role.MUNICIPAL_SECRETARY):
                capacities[part] = office
        return capacities

    def parts_to_sign_by(self, user, offices: list[Office] | None = None) -> list[str]:
        """The signatures this user can still give: none unless the decision waits for signing."""
        if self.signing != self.Signing.TO_SIGN:
            return []
        capacities = self.capacities_of(user, offices)
        return [part for part in capacities if not getattr(self, f"{part}_signed_by_id")]

    def _refuse_signatory(self) -> TransitionNotAllowed:
        return TransitionNotAllowed(
            _(
                "Only the mayor of %(municipality)s signs, or a loco-burgemeester or waarnemend burgemeester in "
                "office on the decision date (%(date)s); the secretary or a loco-secretaris of %(municipality)s "
                "co-signs."
            )
            % {"municipality": self.municipality, "date": date_format(self.decided_on) if self.decided_on else "…"}
        )

    @transaction.atomic
    def sign(self, *, by, lock_version: int | None = None) -> str:
        """Signs as mayor or co-signs as secretary (or as their substitute); returns the part signed.
        With both signatures the decision is final and its PDF is made."""
        locked = self._locked(lock_version)
        if locked.signing != self.Signing.TO_SIGN:
            raise TransitionNotAllowed(_("Only a recorded decision that waits for signing can be signed."))
        capacities = locked.capacities_of(by)
        if not capacities:
            raise locked._refuse_signatory()
        parts = [part for part in capacities if not getattr(locked, f"{part}_signed_by_id")]
        if not parts:
            raise TransitionNotAllowed(_("You have already signed this decision; it waits for the other signature."))
        part = parts[0]
        office = capacities[part]
        setattr(locked, f"{part}_signed_by", by)
        setattr(locked, f"{part}_signed_at", timezone.now())
        setattr(locked, f"{part}_signed_as", office.role)
        setattr(locked, f"{part}_name", office.person.full_name)
        if locked.mayor_signed_by_id and locked.secretary_signed_by_id:
            locked.signing = self.Signing.SIGNED
        locked.lock_version += 1
        locked._change_reason = "signed" if part == "mayor" else "co-signed"
        locked.save()
        self.refresh_from_db()
        if self.signing == self.Signing.SIGNED:
            from decisions.tasks import render_decision_pdf

            self.proposal.update_decided()
            render_decision_pdf.delay_on_commit(self.pk)
        return part

    @transaction.atomic
    def send_back(self, *, by, comment: str) -> None:
        """A signatory sends the recorded decision back to the secretary with a comment."""
        if not comment.strip():
            raise ValidationError({"comment": _("Say what should change.")})
        # The comment is kept as the signatory's comment.
        limits.check_lengths(CollegeDecision, signing_comment=comment.strip())
        locked = self._locked(None)
        if locked.signing != self.Signing.TO_SIGN:
            raise TransitionNotAllowed(_("Only a decision that waits for signing can be sent back."))
        if "mayor" not in locked.capacities_of(by):
            raise locked._refuse_signatory()
        locked.signing, locked.signing_comment = self.Signing.RETURNED, comment.strip()
        for name, value in self._no_signatures().items():
            setattr(locked, name, value)
        locked.lock_version += 1
        locked._change_reason = "sent back"
        locked.save()
        self.refresh_from_db()

    def signature_caption(self, part: str) -> str:
        role = getattr(self, f"{part}_signed_as") or ("mayor" if part == "mayor" else "municipal_secretary")
        return rules.SIGNATURE_CAPTIONS[role]


class DecisionPdf(models.Model):
    """The rendered college decision in the collegebesluit layout, per decision state, with its checksum."""

    class Stage(models.TextChoices):
        INTENDED = "intended", _("intended decision")
        DEFINITIVE = "definitive", _("decision")

    decision = models.ForeignKey(CollegeDecision, on_delete=models.CASCADE, related_name="pdfs")
    lock_version = models.PositiveIntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.DEFINITIVE)
    file = models.FileField(upload_to="decisions/%Y/", max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision", "-lock_version"]
        verbose_name = _("decision PDF")
        verbose_name_plural = _("decision PDFs")
        constraints = [models.UniqueConstraint(fields=["decision", "lock_version"], name="decision_pdf_once_per_state")]

    def __str__(self) -> str:
        return f"{self.decision} (v{self.lock_version})"


# How long a college needs between the regional position and its own decision.
COLLEGE_PREPARATION = datetime.timedelta(weeks=2)


class CouncilTrackQuerySet(models.QuerySet):
    def with_leaving(self) -> CouncilTrackQuerySet:
        """Each track with the leaving date of its municipality from the proposal's cooperation, in the same query."""
        leaving = Participation.objects.filter(
            cooperation=models.OuterRef("proposal__cooperation"),
            municipality=models.OuterRef("municipality"),
            leaves_on__isnull=False,
        ).order_by("-leaves_on")
        return self.annotate(leaving_on=models.Subquery(leaving.values("leaves_on")[:1]))


class CouncilTrack(Timestamped):
    """How and when one council is involved in a regional proposal, kept by its griffier."""

    class Involvement(models.TextChoices):
        INFORMED = rules.Involvement.INFORMED, _("informed")
        WISHES = rules.Involvement.WISHES, _("wishes and objections")
        OPINION = rules.Involvement.OPINION, _("opinion (zienswijze)")
        CONSENT = rules.Involvement.CONSENT, _("consent")
        FRAMEWORK = rules.Involvement.FRAMEWORK, _("framework setting")

    class Status(models.TextChoices):
        NOT_PLANNED = "not_planned", _("not planned")
        PLANNED = "planned", _("planned")
        IN_COMMITTEE = "in_committee", _("in committee")
        DECIDED = "decided", _("decided by the council")
        NOT_NEEDED = "not_needed", _("not needed")

    class Outcome(models.TextChoices):
        NOTED = rules.CouncilOutcome.NOTED, _("noted (voor kennisgeving aangenomen)")
        WISHES_EXPRESSED = rules.CouncilOutcome.WISHES_EXPRESSED, _("wishes and objections expressed")
        NO_WISHES = rules.CouncilOutcome.NO_WISHES, _("no wishes and objections")
        OPINION_SUBMITTED = rules.CouncilOutcome.OPINION_SUBMITTED, _("zienswijze submitted")
        NO_OPINION = rules.CouncilOutcome.NO_OPINION, _("no zienswijze")
        CONSENTED = rules.CouncilOutcome.CONSENTED, _("consent given")
        CONSENT_REFUSED = rules.CouncilOutcome.CONSENT_REFUSED, _("consent refused")
        FRAMEWORK_SET = rules.CouncilOutcome.FRAMEWORK_SET, _("framework set")
        FRAMEWORK_REJECTED = rules.CouncilOutcome.FRAMEWORK_REJECTED, _("framework not set")
        POSTPONED = rules.CouncilOutcome.POSTPONED, _("postponed")

    proposal = models.ForeignKey(RegionalProposal, on_delete=models.CASCADE, related_name="council_tracks")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="council_tracks"
    )
    decision = models.OneToOneField(
        CollegeDecision,
        verbose_name=_("college decision"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="council_track",
    )
    involvement = models.CharField(
        _("involvement"),
        max_length=20,
        choices=Involvement.choices,
        default=Involvement.INFORMED,
        help_text=_(
            "Informed: the college decides, then informs the council. Wishes and objections (Gemeentewet art. 169 "
            "lid 4) and consent (Wgr art. 1 lid 4): the college sends an intended decision and decides only after "
            "the council. Framework: the council sets the frame first. Zienswijze: within the opinion period."
        ),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_PLANNED)
    committee_date = models.DateField(_("committee date"), null=True, blank=True)
    council_date = models.DateField(_("council date"), null=True, blank=True)
    sent_to_council_on = models.DateField(
        _("sent to the council on"),
        null=True,
        blank=True,
        help_text=_("The date of the raadsinformatiebrief, the intended decision or the proposal to the council."),
    )
    sent_version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("version sent to the council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_tracks",
    )
    outside_window_reason = models.TextField(_("why outside the window"), blank=True, max_length=limits.NOTE)
    council_points = models.TextField(
        _("decision points as put to the council"),
        max_length=limits.TEXT,
        blank=True,
        help_text=_("Only where the council received other decision points than the frozen version, one per line."),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)
    council_response = models.TextField(
        _("what the council said"),
        max_length=limits.LONG_TEXT,
        blank=True,
        help_text=_("The wishes and objections, the zienswijze, or the council's decision, as the council gave it."),
    )
    notes = models.TextField(_("motions and amendments"), blank=True, max_length=limits.TEXT)
    council_item_url = models.URLField(_("item in the council information system"), blank=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["lock_version"])

    objects = CouncilTrackQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "municipality__name"]
        verbose_name = _("council track")
        verbose_name_plural = _("council tracks")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "municipality"], name="one_council_track_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.proposal}"

    @property
    def is_two_step(self) -> bool:
        return self.involvement in rules.TWO_STEP

    @property
    def step_name(self) -> str:
        return str(rules.COUNCIL_STEP_NAMES[self.involvement])

    @property
    def outcome_choices(self) -> list[tuple[str, str]]:
        return [(value, self.Outcome(value).label) for value in rules.OUTCOMES_BY_INVOLVEMENT[self.involvement]]

    # Deadlines worked backwards from the right end: the council date, or the end of the opinion period; each
    # on a working day (the working-day rule, core/periods.py). The opinion period itself is a term of the
    # Wgr, which the Algemene termijnenwet lengthens rather than shortens, so its end is left as it is.

    def reachable_council_dates(
        self, today: datetime.date, limit: int = 6
    ) -> list[tuple[datetime.date, datetime.date]]:
        """Backward planning on the council's real dates (imported from its information system): the coming
        council meetings the college can still make, each with the day the college must have decided by and
        whether it lies after the council window closes."""
        lead = datetime.timedelta(weeks=self.municipality.council_lead_weeks)
        options = []
        for meeting in self.municipality.council_meetings.filter(starts_at__date__gte=today, cancelled=False).order_by(
            "starts_at"
        )[:50]:
            day = timezone.localdate(meeting.starts_at)
            college = working_day_on_or_before(day - lead)
            if meeting.is_council and college >= today:
                options.append((day, college, bool(self.window_end and day > self.window_end)))
            if len(options) >= limit:
                break
        return options

    @property
    def latest_college_decision(self) -> datetime.date | None:
        """When the college must have decided (for a two-step track: its intended decision) to reach the
        council date, or the end of the opinion period for a zienswijze."""
        end = self.council_date
        if self.involvement == self.Involvement.OPINION and self.proposal.opinion_period_end:
            end = min(filter(None, [end, self.proposal.opinion_period_end]))
        if not end:
            return None
        return working_day_on_or_before(end - datetime.timedelta(weeks=self.municipality.council_lead_weeks))

    @property
    def latest_administrative_meeting(self) -> datetime.date | None:
        """When the regional body must have adopted the proposal for this council to make it."""
        if self.involvement == self.Involvement.OPINION and self.proposal.opinion_period_end:
            # The councils have the whole opinion period from the day the regional body sends the draft.
            start = self.proposal.opinion_period_end - datetime.timedelta(weeks=self.proposal.opinion_weeks)
            return working_day_on_or_before(start)
        college = self.latest_college_decision
        if college is None:
            return None
        return working_day_on_or_before(college - COLLEGE_PREPARATION)

    def deadlines(self) -> list[tuple[str, datetime.date]]:
        """Every date the griffier works towards, in order, with its name."""
        proposal = self.proposal
        dates: list[tuple[str, datetime.date | None]] = [
            (_("council window opens"), proposal.council_window_from),
            (_("council window closes"), self.window_end),
        ]
        if self.involvement == self.Involvement.OPINION:
            dates.append((_("opinion period ends (zienswijze at the latest)"), proposal.opinion_period_end))
        label = (
            _("intended college decision at the latest") if self.is_two_step else _("college decision at the latest")
        )
        dates += [(label, self.latest_college_decision), (_("committee"), self.committee_date)]
        dates.append((_("council"), self.council_date))
        return sorted(((str(name), on) for name, on in dates if on), key=lambda pair: pair[1])

    @property
    def leaves_on(self) -> datetime.date | None:
        """The first day the municipality is outside the cooperation, where it has given notice."""
        if hasattr(self, "leaving_on"):
            return self.leaving_on
        return self.proposal.leaving_dates().get(self.municipality_id)

    @property
    def window_end(self) -> datetime.date | None:
        """The end of the council window; for a municipality that leaves, no later than its last day in."""
        end = self.proposal.council_window_to
        leaves = self.leaves_on
        if leaves:
            last_day = leaves - datetime.timedelta(days=1)
            end = min(end, last_day) if end else last_day
        return end

    def _outside(self, on: datetime.date | None) -> bool:
        start, end = self.proposal.council_window_from, self.window_end
        return bool(on and ((start and on < start) or (end and on > end)))

    @property
    def outside_window(self) -> bool:
        """The council received it, or decides, outside the window in which all councils treat it."""
        return self._outside(self.sent_to_council_on) or self._outside(self.council_date)

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
        """The college's latest decision date has passed and it has not taken its step."""
        today = today or timezone.localdate()
        college = self.latest_college_decision
        decision = self.decision
        done = decision is not None and (
            decision.outcome in CollegeDecision.DECIDED_OUTCOMES or (self.is_two_step and decision.intended_on)
        )
        return bool(
            college
            and college < today
            and self.status not in (self.Status.DECIDED, self.Status.NOT_NEEDED)
            and not done
        )

    def next_step(self) -> tuple[str, str]:
        """Which step comes next on this track and whose it is, in words."""
        decision = self.decision
        secretary, griffier = str(_("municipal secretary")), str(_("griffier"))
        if self.status == self.Status.NOT_NEEDED:
            return str(_("none: the council is not involved")), ""
        council_done = rules.council_step_done(self.involvement, self.outcome)
        if decision is None and self.involvement == self.Involvement.OPINION:
            # A zienswijze round of a joint arrangement's document: the council's step alone.
            if council_done:
                return str(_("done")), ""
        elif decision is None:
            return "", ""
        college_steps = self._college_step(decision, secretary) if decision is not None else (str(_("done")), "")
        if self.involvement in rules.COUNCIL_FIRST and not council_done:
            return str(_("the council sets the frame")), griffier
        if self.is_two_step:
            if not decision.intended_on:
                return str(_("intended decision of the college")), secretary
            if not self.sent_to_council_on:
                return str(_("send the intended decision to the council")), griffier
            if not council_done:
                return str(_("the council's %(step)s") % {"step": self.step_name}), griffier
            return college_steps
        if self.involvement == self.Involvement.INFORMED:
            if not decision.is_final:
                return college_steps
            if not self.sent_to_council_on:
                return str(_("inform the council (raadsinformatiebrief)")), griffier
            if not council_done:
                return str(_("the council takes note")), griffier
            return str(_("done")), ""
        if self.involvement == self.Involvement.OPINION and not council_done:
            end = self.proposal.opinion_period_end
            if end and end < timezone.localdate():
                return str(_("none: the opinion period ended on %(date)s") % {"date": date_format(end)}), ""
            if end:
                return str(_("the council's zienswijze, by %(date)s") % {"date": date_format(end)}), griffier
            return str(_("the council's zienswijze")), griffier
        return college_steps

    @staticmethod
    def _college_step(decision: CollegeDecision, secretary: str) -> tuple[str, str]:
        if decision.is_final:
            return str(_("done")), ""
        if decision.signing == CollegeDecision.Signing.TO_SIGN:
            waiting = [
                str(_("the mayor")) if not decision.mayor_signed_by_id else "",
                str(_("the secretary")) if not decision.secretary_signed_by_id else "",
            ]
            return str(_("signing")), str(_(" and ").join(w for w in waiting if w))
        return str(_("definitive decision of the college")), secretary

    def clean(self) -> None:
        errors: dict[str, str] = {}
        proposal = self.proposal
        decision = self.decision
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
                "The council receives it or decides outside the window %(start)s – %(end)s. "
                "Give the reason, or correct the date."
            ) % {
                "start": proposal.council_window_from.strftime("%d-%m-%Y") if proposal.council_window_from else "…",
                "end": self.window_end.strftime("%d-%m-%Y") if self.window_end else "…",
            }
        if self.outcome and self.outcome not in rules.OUTCOMES_BY_INVOLVEMENT[self.involvement]:
            errors["outcome"] = _("“%(outcome)s” is not an outcome of %(involvement)s; choose one of: %(choices)s.") % {
                "outcome": self.Outcome(self.outcome).label,
                "involvement": self.get_involvement_display(),
                "choices": ", ".join(str(label) for _value, label in self.outcome_choices),
            }
        if self.outcome and not self.outcome_date:
            errors["outcome_date"] = _("Give the date of the council's outcome.")
        if self.outcome_date and not self.outcome:
            errors["outcome"] = _("Choose the council's outcome for this date.")
        if self.outcome_date and self.outcome_date > timezone.localdate():
            errors["outcome_date"] = _("The council's outcome cannot lie in the future.")
        if self.outcome and self.involvement != self.Involvement.FRAMEWORK and not self.sent_to_council_on:
            errors["sent_to_council_on"] = _(
                "The council gives its outcome after it received the proposal: give that date."
            )
        if self.outcome_date and self.sent_to_council_on and self.outcome_date < self.sent_to_council_on:
            errors["outcome_date"] = _("The council's outcome cannot come before it received the proposal.")
        if self.outcome in (rules.CouncilOutcome.WISHES_EXPRESSED, rules.CouncilOutcome.OPINION_SUBMITTED) and not (
            self.council_response.strip()
        ):
            errors["council_response"] = _("Give the text the council sent (its wishes and objections or zienswijze).")
        if self.involvement == self.Involvement.OPINION:
            end = proposal.opinion_period_end
            if not end:
                errors["involvement"] = _(
                    "The regional body has not yet sent a draft for a zienswijze; the coordinator records the "
                    "opinion period on the proposal first."
                )
            elif (
                self.outcome == rules.CouncilOutcome.OPINION_SUBMITTED and self.outcome_date and self.outcome_date > end
            ):
                errors["outcome_date"] = _("The zienswijze falls after the end of the opinion period (%(date)s).") % {
                    "date": date_format(end)
                }
        if decision is not None:
            self._clean_order(decision, errors)
        if self.status == self.Status.DECIDED and not self.outcome:
            errors["outcome"] = _("A council that decided has an outcome.")
        if self.status in (self.Status.PLANNED, self.Status.IN_COMMITTEE) and not self.council_date:
            errors["council_date"] = _("A planned track has a council date.")
        cycle_document = proposal.cycle_document_or_none()
        if cycle_document is not None:
            # A zienswijze round of a joint arrangement: the council speaks for a participant of the arrangement
            # on the day of its zienswijze (or, before it, the day the document went round).
            on = self.outcome_date or proposal.sent_on or timezone.localdate()
            if not cycle_document.participates_on(self.municipality_id, on):
                errors["municipality"] = _("%(municipality)s does not take part in %(arrangement)s on %(date)s.") % {
                    "municipality": self.municipality,
                    "arrangement": cycle_document.arrangement,
                    "date": date_format(on),
                }
        elif (
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

    def _clean_order(self, decision: CollegeDecision, errors: dict) -> None:
        """The order of college and council steps, per kind of involvement."""
        stored = CouncilTrack.objects.filter(pk=self.pk).values("involvement", "outcome").first() or {}
        if decision.intended_on or decision.outcome != CollegeDecision.Outcome.PENDING:
            before = stored.get("involvement")
            if before and before != self.involvement:
                errors["involvement"] = _(
                    "The college has already taken a step on the involvement as it was; it no longer changes."
                )
        if self.is_two_step and self.sent_to_council_on:
            if not decision.intended_on:
                errors["sent_to_council_on"] = _(
                    "The college has not yet taken its intended decision; the council receives that first."
                )
            elif self.sent_to_council_on < decision.intended_on:
                errors["sent_to_council_on"] = _(
                    "The council cannot receive the intended decision before the college took it (%(date)s)."
                ) % {"date": date_format(decision.intended_on)}
        if self.involvement == self.Involvement.INFORMED and self.sent_to_council_on:
            if not decision.is_final:
                errors["sent_to_council_on"] = _(
                    "The college informs the council after it has decided and signed; it has not yet."
                )
            elif self.sent_to_council_on < decision.decided_on:
                errors["sent_to_council_on"] = _(
                    "The council is informed after the college's decision of %(date)s, not before."
                ) % {"date": date_format(decision.decided_on)}
        decided = self.is_two_step and decision.outcome in CollegeDecision.DECIDED_OUTCOMES
        if decided and stored.get("outcome") != self.outcome:
            errors["outcome"] = _("The college has decided definitively on this outcome; it no longer changes.")

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
        if self.outcome and self.outcome != rules.CouncilOutcome.POSTPONED and self.status != self.Status.NOT_NEEDED:
            self.status = self.Status.DECIDED
        self.full_clean()
        self.lock_version = locked.lock_version + 1
        self.save()
        self.proposal.after_step()
