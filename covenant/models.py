"""The covenant's life: a municipality joining (a regional proposal every college must agree to after hearing
its council), a municipality leaving (a written notice to the coordination meeting), the planned evaluation after
the covenant's evaluation period, and the signed covenant and its amendments as documents of the cooperation.
The rules are those of the covenant Zuid-Kennemerland (seed 003): joining needs a unanimous decision of the
participants after their councils could give their wensen en bedenkingen (Gemeentewet art. 169 lid 4)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.models import StoredFile, Timestamped, stored_file_path
from core.workflow import TransitionNotAllowed
from decisions import rules as chain_rules
from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
from governance.models import ConsultationBody, Cooperation, Participation
from meetings.models import AgendaItem, Purpose
from municipalities.models import Municipality


class Accession(Timestamped):
    """A municipality's request to join the cooperation, decided as a regional proposal."""

    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        JOINED = "joined", _("joined")
        REFUSED = "refused", _("refused")

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.CASCADE, related_name="accessions"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("joining municipality"), on_delete=models.PROTECT, related_name="accessions"
    )
    joins_on = models.DateField(_("joins on"), help_text=_("The agreed date from which it takes part."))
    proposal = models.OneToOneField(
        RegionalProposal, on_delete=models.PROTECT, related_name="accession", editable=False
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    participation = models.OneToOneField(
        Participation, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="accession"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-joins_on"]
        verbose_name = _("accession")
        verbose_name_plural = _("accessions")

    def __str__(self) -> str:
        return f"{self.municipality} → {self.cooperation}"

    @classmethod
    @transaction.atomic
    def request(cls, *, cooperation: Cooperation, municipality: Municipality, joins_on: datetime.date, body, by):
        """Opens the request as a draft regional proposal of the body (the coordination meeting)."""
        errors = {}
        if cooperation.participants_on(joins_on).filter(pk=municipality.pk).exists():
            errors["municipality"] = _("%(municipality)s already takes part in %(cooperation)s on that date.") % {
                "municipality": municipality,
                "cooperation": cooperation,
            }
        if joins_on <= timezone.localdate():
            errors["joins_on"] = _("The joining date lies after the decisions: choose a date to come.")
        if cls.objects.filter(cooperation=cooperation, municipality=municipality, status=cls.Status.OPEN).exists():
            errors["municipality"] = _("A request of %(municipality)s to join is already in progress.") % {
                "municipality": municipality
            }
        if body is None or body.cooperation_id != cooperation.pk:
            errors["body"] = _("Choose a body of %(cooperation)s to prepare the decision.") % {
                "cooperation": cooperation
            }
        if errors:
            raise ValidationError(errors)
        proposal = RegionalProposal(
            title=str(
                _("Joining of %(municipality)s to %(cooperation)s")
                % {"municipality": municipality, "cooperation": cooperation}
            ),
            key_message=str(
                _(
                    "%(municipality)s asks to join %(cooperation)s from %(date)s. Joining needs the agreement of every "
                    "participating college, after its council could give its wishes and objections."
                )
                % {"municipality": municipality, "cooperation": cooperation, "date": date_format(joins_on)}
            ),
            decision_points=str(
                _("To agree that %(municipality)s joins %(cooperation)s from %(date)s.")
                % {"municipality": municipality, "cooperation": cooperation, "date": date_format(joins_on)}
            ),
            body=body,
            cooperation=cooperation,
        )
        proposal._history_user = by
        proposal.save()
        accession = cls(cooperation=cooperation, municipality=municipality, joins_on=joins_on, proposal=proposal)
        accession._history_user = by
        accession.save()
        return accession

    @transaction.atomic
    def complete_if_decided(self) -> str:
        """Creates the participation once every college agreed (signed) and every council was heard; records a
        refusal once one college did not agree. Unanimity, whatever the cooperation's usual rule."""
        locked = Accession.objects.select_for_update().get(pk=self.pk)
        if locked.status != self.Status.OPEN:
            return locked.status
        decisions = list(self.proposal.college_decisions.all())
        tracks = list(self.proposal.council_tracks.all())
        final = [d for d in decisions if d.is_final]
        if any(d.outcome != CollegeDecision.Outcome.AGREED for d in final):
            self.status = self.Status.REFUSED
            self._change_reason = "a college did not agree"
            self.save()
            return self.status
        heard = all(
            t.status == CouncilTrack.Status.NOT_NEEDED or chain_rules.council_step_done(t.involvement, t.outcome)
            for t in tracks
        )
        if not decisions or len(final) < len(decisions) or not heard:
            return self.status
        participation = Participation(
            cooperation=self.cooperation, municipality=self.municipality, joined_on=self.joins_on
        )
        participation.full_clean()
        participation._change_reason = "joined after the decisions of every college"
        participation.save()
        self.participation = participation
        self.status = self.Status.JOINED
        self._change_reason = "joined"
        self.save()
        return self.status


class LeavingNotice(Timestamped):
    """A municipality's written notice to leave the cooperation, recorded by the coordinator: it puts an item on
    the coordination meeting and tells every participant the leave and obligation dates."""

    participation = models.OneToOneField(
        Participation, verbose_name=_("participation"), on_delete=models.CASCADE, related_name="leaving_notice"
    )
    notice_on = models.DateField(_("date of the written notice"))
    letter = models.FileField(_("the letter"), upload_to=stored_file_path, blank=True)
    letter_name = models.CharField(max_length=200, blank=True)
    letter_type = models.CharField(max_length=100, blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-notice_on"]
        verbose_name = _("notice of leaving")
        verbose_name_plural = _("notices of leaving")

    def __str__(self) -> str:
        return f"{self.participation.municipality}: {self.notice_on}"

    @classmethod
    @transaction.atomic
    def record(cls, *, participation: Participation, notice_on: datetime.date, by, letter=None) -> LeavingNotice:
        participation = (
            Participation.objects.select_for_update()
            .select_related("cooperation", "municipality")
            .get(pk=participation.pk)
        )
        if participation.notice_given_on:
            raise TransitionNotAllowed(
                _("%(municipality)s already gave notice on %(date)s.")
                % {"municipality": participation.municipality, "date": date_format(participation.notice_given_on)}
            )
        if notice_on > timezone.localdate():
            raise ValidationError(
                {"notice_on": _("The notice is a letter already received: its date lies in the past.")}
            )
        participation.notice_given_on = notice_on
        participation.full_clean()
        participation._history_user = by
        participation._change_reason = "notice to leave"
        participation.save()
        participation.end_memberships(by=by)
        notice = cls(participation=participation, notice_on=notice_on, recorded_by=by)
        if letter is not None:
            from core.files import shortened_name

            notice.letter = letter
            notice.letter_name = shortened_name(letter.name)
            notice.letter_type = getattr(letter, "checked_content_type", "")
        body = participation.cooperation.bodies.filter(kind=ConsultationBody.Kind.COORDINATION).first()
        meeting = body.meetings.open_for_items().first() if body else None
        if meeting is not None:
            notice.agenda_item = meeting.add_item(
                version=None,
                by=by,
                title=str(_("Notice of leaving of %(municipality)s") % {"municipality": participation.municipality}),
                purpose=Purpose.INFORMATION,
                explanation=str(notice.dates_text()),
            )
        notice._history_user = by
        notice.save()
        return notice

    def dates_text(self) -> str:
        participation = self.participation
        return _(
            "%(municipality)s gave written notice on %(notice)s to leave %(cooperation)s. It is outside from "
            "%(leaves)s; its financial obligations run until %(until)s (the covenant's withdrawal rule)."
        ) % {
            "municipality": participation.municipality,
            "notice": date_format(self.notice_on),
            "cooperation": participation.cooperation,
            "leaves": date_format(participation.leaves_on),
            "until": date_format(participation.obligations_until),
        }


class CovenantEvaluation(Timestamped):
    """The evaluation of the covenant after its evaluation period (Cooperation.evaluation_after_years)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.CASCADE, related_name="covenant_evaluations"
    )
    due_on = models.DateField(_("evaluation due on"))
    report = models.TextField(_("evaluation report"), blank=True, max_length=limits.LONG_TEXT)
    reported_on = models.DateField(_("report adopted on"), null=True, blank=True)
    proposal = models.OneToOneField(
        RegionalProposal,
        verbose_name=_("to the councils as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="covenant_evaluation",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("covenant evaluation")
        verbose_name_plural = _("covenant evaluations")
        constraints = [models.UniqueConstraint(fields=["cooperation", "due_on"], name="one_evaluation_per_due_date")]

    def __str__(self) -> str:
        return f"{self.cooperation}: {self.due_on}"

    @classmethod
    def plan(cls, cooperation: Cooperation) -> CovenantEvaluation | None:
        """The evaluation the covenant asks for, from its start and its evaluation period (once)."""
        if not (cooperation.starts_on and cooperation.evaluation_after_years):
            return None
        start = cooperation.starts_on
        try:
            due = start.replace(year=start.year + cooperation.evaluation_after_years)
        except ValueError:  # 29 February
            due = start.replace(year=start.year + cooperation.evaluation_after_years, day=28)
        evaluation, _created = cls.objects.get_or_create(cooperation=cooperation, due_on=due)
        return evaluation

    @transaction.atomic
    def record_report(self, *, by, text: str, on: datetime.date, body: ConsultationBody) -> RegionalProposal:
        """Records the report and puts it to the councils: a draft regional proposal of the body, whose
        council tracks inform every council."""
        if not text.strip():
            raise ValidationError({"report": _("Write the evaluation report.")})
        if on > timezone.localdate():
            raise ValidationError({"reported_on": _("The report date cannot lie in the future.")})
        if self.proposal_id:
            raise TransitionNotAllowed(_("The report of this evaluation already went to the councils."))
        limits.check_lengths(CovenantEvaluation, report=text.strip())
        proposal = RegionalProposal(
            title=str(_("Evaluation of %(cooperation)s") % {"cooperation": self.cooperation}),
            key_message=text.strip()[: limits.DESCRIPTION],
            decision_points=str(_("To take note of the evaluation of the covenant and inform the councils.")),
            body=body,
            cooperation=self.cooperation,
        )
        proposal._history_user = by
        proposal.save()
        self.report, self.reported_on, self.proposal = text.strip(), on, proposal
        self._history_user = by
        self.save()
        return proposal


class CovenantDocument(StoredFile):
    """The signed covenant and its amendments: documents of the cooperation."""

    class Kind(models.TextChoices):
        COVENANT = "covenant", _("signed covenant")
        AMENDMENT = "amendment", _("amendment")

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="covenant_documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COVENANT)
    signed_on = models.DateField(_("signed on"))
    file = models.FileField(upload_to=stored_file_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(StoredFile.Meta):
        ordering = ["signed_on", "pk"]
        verbose_name = _("covenant document")
        verbose_name_plural = _("covenant documents")

    def clean(self) -> None:
        if self.signed_on and self.signed_on > timezone.localdate():
            raise ValidationError({"signed_on": _("The signing date cannot lie in the future.")})
