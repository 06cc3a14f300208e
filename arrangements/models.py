"""Joint arrangements (gemeenschappelijke regelingen, Wgr): who takes part when, their boards and the
financial key by which the participants pay."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from arrangements import rules
from core import limits
from core.models import StoredFile, Timestamped
from core.periods import active_on_q, overlap_q
from core.workflow import TransitionNotAllowed
from decisions.models import (
    CouncilTrack,
    ProposalVersion,
    RegionalProposal,
    StaleDecision,
    content_checksum,
    proposal_sent,
)
from governance.models import ConsultationBody
from municipalities.models import Municipality, RegionalOrganisation

MONTH = [MinValueValidator(1), MaxValueValidator(12)]
DAY = [MinValueValidator(1), MaxValueValidator(31)]


class JointArrangement(Timestamped):
    """A joint arrangement under the Wgr that the municipalities of the region take part in."""

    class Kind(models.TextChoices):
        # The forms of Wgr art. 8 (public body, common body, operating organisation) and the centre
        # municipality arrangement without a body of its own.
        PUBLIC_BODY = "public_body", _("public body (openbaar lichaam, Wgr art. 8 lid 1)")
        OPERATING_ORGANISATION = (
            "operating",
            _("operating organisation (bedrijfsvoeringsorganisatie, Wgr art. 8 lid 3)"),
        )
        COMMON_BODY = "common_body", _("common body (gemeenschappelijk orgaan, Wgr art. 8 lid 2)")
        CENTRE_MUNICIPALITY = "centre", _("centre municipality (centrumgemeente)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        RegionalOrganisation,
        verbose_name=_("regional organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrangements",
        help_text=_("The organisation that carries out the arrangement, if it has one of its own."),
    )
    centre_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("centre municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="centre_arrangements",
    )
    general_board = models.ForeignKey(
        ConsultationBody,
        verbose_name=_("general board"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrangements_governed",
        help_text=_("The algemeen bestuur, as a consultation body with its members per municipality."),
    )
    daily_board = models.ForeignKey(
        ConsultationBody,
        verbose_name=_("daily board"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrangements_run",
        help_text=_("The dagelijks bestuur, where the arrangement has one."),
    )
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    starts_on = models.DateField(_("in force from"), null=True, blank=True)

    # The budget cycle: the law's dates by default (arrangements/rules.py); an arrangement may set earlier
    # dates and longer periods in its own text, never later or shorter ones.
    frameworks_month = models.PositiveSmallIntegerField(
        _("frameworks: month"), default=rules.FRAMEWORKS_BEFORE[0], validators=MONTH
    )
    frameworks_day = models.PositiveSmallIntegerField(
        _("frameworks: day"),
        default=rules.FRAMEWORKS_BEFORE[1],
        validators=DAY,
        help_text=_(
            "The frameworks and the preliminary annual accounts reach the councils before this day of the year "
            "before the budget year (Wgr art. 34b: before 15 April)."
        ),
    )
    budget_weeks = models.PositiveSmallIntegerField(
        _("draft budget: weeks before the general board"),
        default=rules.BUDGET_WEEKS,
        help_text=_(
            "The draft budget and budget changes reach the councils this many weeks before the general board, "
            "which is their period for a zienswijze (Wgr art. 35 lid 1 and 5: at least 12 weeks since 1 July "
            "2022, Stb. 2022, 18)."
        ),
    )
    budget_province_month = models.PositiveSmallIntegerField(
        _("budget to the province: month"), default=rules.BUDGET_PROVINCE_BEFORE[0], validators=MONTH
    )
    budget_province_day = models.PositiveSmallIntegerField(
        _("budget to the province: day"),
        default=rules.BUDGET_PROVINCE_BEFORE[1],
        validators=DAY,
        help_text=_(
            "The adopted budget goes to the province within two weeks of adoption and before this day "
            "(Wgr art. 34 lid 2: before 15 September)."
        ),
    )
    accounts_province_month = models.PositiveSmallIntegerField(
        _("accounts to the province: month"), default=rules.ACCOUNTS_PROVINCE_BEFORE[0], validators=MONTH
    )
    accounts_province_day = models.PositiveSmallIntegerField(
        _("accounts to the province: day"),
        default=rules.ACCOUNTS_PROVINCE_BEFORE[1],
        validators=DAY,
        help_text=_(
            "The adopted annual accounts go to the province within two weeks of adoption and before this day "
            "(Wgr art. 34 lid 4: before 15 July)."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("joint arrangement")
        verbose_name_plural = _("joint arrangements")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.CENTRE_MUNICIPALITY and not self.centre_municipality_id:
            errors["centre_municipality"] = _("Name the centre municipality that carries out the arrangement.")
        if self.kind != self.Kind.CENTRE_MUNICIPALITY and self.centre_municipality_id:
            errors["centre_municipality"] = _("Only a centre municipality arrangement has a centre municipality.")
        if self.general_board_id and self.general_board_id == self.daily_board_id:
            errors["daily_board"] = _("The daily board is another body than the general board.")
        for field, law, own in (
            ("frameworks_day", rules.FRAMEWORKS_BEFORE, (self.frameworks_month, self.frameworks_day)),
            (
                "budget_province_day",
                rules.BUDGET_PROVINCE_BEFORE,
                (self.budget_province_month, self.budget_province_day),
            ),
            (
                "accounts_province_day",
                rules.ACCOUNTS_PROVINCE_BEFORE,
                (self.accounts_province_month, self.accounts_province_day),
            ),
        ):
            try:
                rules.day_in(2001, own)
            except (TypeError, ValueError):
                errors[field] = _("This month has no such day.")
                continue
            if own > law:
                errors[field] = _("The law sets %(day)s; the arrangement may set an earlier day, not a later one.") % {
                    "day": date_format(rules.day_in(2001, law), "j F")
                }
        if self.budget_weeks is not None and self.budget_weeks < rules.BUDGET_WEEKS:
            errors["budget_weeks"] = _("The councils have at least %(weeks)s weeks (Wgr art. 35 lid 1).") % {
                "weeks": rules.BUDGET_WEEKS
            }
        if errors:
            raise ValidationError(errors)

    @property
    def frameworks_before(self) -> tuple[int, int]:
        return (self.frameworks_month, self.frameworks_day)

    def province_before(self, kind: str) -> tuple[int, int] | None:
        if kind == rules.Kind.DRAFT_BUDGET:
            return (self.budget_province_month, self.budget_province_day)
        if kind == rules.Kind.ACCOUNTS:
            return (self.accounts_province_month, self.accounts_province_day)
        return None

    def participants_on(self, on: datetime.date) -> models.QuerySet[Municipality]:
        return Municipality.objects.filter(
            pk__in=self.participations.filter(active_on_q(on, start="joined_on", end="left_on")).values("municipality")
        )


class ArrangementParticipation(Timestamped):
    """A municipality's part in a joint arrangement, from the day it joined to the last day before it left."""

    arrangement = models.ForeignKey(JointArrangement, on_delete=models.CASCADE, related_name="participations")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="arrangement_parts"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("The last day; empty while it takes part.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement", "municipality__name", "joined_on"]
        verbose_name = _("participation in a joint arrangement")
        verbose_name_plural = _("participations in joint arrangements")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="arrangement_participation_ends_after_start",
                violation_error_message=_("A municipality cannot leave before it joins."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.arrangement}"

    def clean(self) -> None:
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("The day of leaving lies before the day of joining.")})
        if not (self.joined_on and self.arrangement_id and self.municipality_id):
            return
        others = ArrangementParticipation.objects.filter(
            arrangement=self.arrangement_id, municipality=self.municipality_id
        ).exclude(pk=self.pk)
        if others.filter(overlap_q(self.joined_on, self.left_on, start="joined_on", end="left_on")).exists():
            raise ValidationError(
                _("%(municipality)s already takes part in %(arrangement)s in part of this period.")
                % {"municipality": self.municipality, "arrangement": self.arrangement}
            )


class FinancialKey(Timestamped):
    """A participant's share in the costs of an arrangement in one budget year (verdeelsleutel)."""

    arrangement = models.ForeignKey(JointArrangement, on_delete=models.CASCADE, related_name="financial_keys")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="financial_keys"
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    share = models.DecimalField(
        _("share (%)"), max_digits=7, decimal_places=4, help_text=_("The percentage of the costs it bears.")
    )
    contribution = models.DecimalField(_("contribution (euro)"), max_digits=14, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement", "-year", "municipality__name"]
        verbose_name = _("financial key")
        verbose_name_plural = _("financial keys")
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "municipality", "year"],
                name="one_share_per_participant_per_year",
                violation_error_message=_("This municipality already has a share in this arrangement for that year."),
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100),
                name="financial_share_is_a_percentage",
                violation_error_message=_("A share lies between 0 and 100 percent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.share}%"

    def clean(self) -> None:
        if not (self.arrangement_id and self.municipality_id and self.year):
            return
        year_start, year_end = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        takes_part = self.arrangement.participations.filter(
            overlap_q(year_start, year_end, start="joined_on", end="left_on"), municipality=self.municipality_id
        )
        if not takes_part.exists():
            raise ValidationError(
                {
                    "municipality": _("%(municipality)s does not take part in %(arrangement)s in %(year)s.")
                    % {"municipality": self.municipality, "arrangement": self.arrangement, "year": self.year}
                }
            )
        others = FinancialKey.objects.filter(arrangement=self.arrangement_id, year=self.year).exclude(pk=self.pk)
        total = (others.aggregate(total=models.Sum("share"))["total"] or Decimal(0)) + (self.share or 0)
        if total > 100:
            raise ValidationError(
                {
                    "share": _("The shares of %(year)s would add up to %(total)s%%, more than 100%%.")
                    % {"year": self.year, "total": number_format(total, decimal_pos=2)}
                }
            )


class CycleDocumentQuerySet(models.QuerySet):
    def of_year(self, year: int) -> CycleDocumentQuerySet:
        return self.filter(year=year)


class CycleDocument(Timestamped):
    """One document (stuk) of an arrangement's budget cycle in one year: what it sends the councils, when, the
    councils' period, and when the general board adopts it. `year` is the year in which it goes round: the
    frameworks and draft budget of year N+1 and the accounts of year N-1 go round in year N."""

    class Kind(models.TextChoices):
        FRAMEWORKS = rules.Kind.FRAMEWORKS, _("general financial and policy frameworks (kaderbrief)")
        PRELIMINARY_ACCOUNTS = rules.Kind.PRELIMINARY_ACCOUNTS, _("preliminary annual accounts")
        DRAFT_BUDGET = rules.Kind.DRAFT_BUDGET, _("draft budget (ontwerpbegroting)")
        ACCOUNTS = rules.Kind.ACCOUNTS, _("annual accounts (jaarrekening)")
        BUDGET_CHANGE = rules.Kind.BUDGET_CHANGE, _("budget change (begrotingswijziging)")

    arrangement = models.ForeignKey(
        JointArrangement, verbose_name=_("joint arrangement"), on_delete=models.CASCADE, related_name="cycle_documents"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year in which it goes round (the draft budget for next year goes round this year).")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), default=1, help_text=_("For the second budget change: 2."))
    title = models.CharField(_("title"), max_length=250)
    sent_on = models.DateField(_("sent to the councils on"), null=True, blank=True)
    board_meeting_on = models.DateField(
        _("general board meets on"), null=True, blank=True, help_text=_("The meeting that adopts it.")
    )
    opinion_weeks = models.PositiveSmallIntegerField(
        _("councils' period (weeks)"),
        null=True,
        blank=True,
        help_text=_(
            "For a zienswijze: at least 12 weeks for a draft budget and a budget change (Wgr art. 35); for the "
            "frameworks what the arrangement gives. Empty: no zienswijze asked."
        ),
    )
    short_reason = models.TextField(
        _("why the period is shorter"),
        blank=True,
        max_length=limits.NOTE,
        help_text=_("Only for a budget change of a category the arrangement exempts (Wgr art. 35 lid 5)."),
    )
    adopted_on = models.DateField(_("adopted by the general board on"), null=True, blank=True)
    sent_to_province_on = models.DateField(_("sent to the province on"), null=True, blank=True)
    # The shared zienswijze: a regional body drafts one model text that every council may follow.
    model_body = models.ForeignKey(
        ConsultationBody,
        verbose_name=_("model zienswijze drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="model_opinions",
        help_text=_("The secretaries' meeting or the finance portfolio-holder meeting that writes the model."),
    )
    model_opinion = models.TextField(
        _("model zienswijze"),
        blank=True,
        max_length=limits.LONG_TEXT,
        help_text=_("One point per paragraph; the councils' own texts are compared with it paragraph by paragraph."),
    )
    model_opinion_on = models.DateField(_("model agreed on"), null=True, blank=True)
    proposal = models.OneToOneField(
        RegionalProposal,
        verbose_name=_("zienswijze round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="cycle_document",
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["lock_version"])

    objects = CycleDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["year", "arrangement__name", "sent_on", "kind", "number"]
        verbose_name = _("budget cycle document")
        verbose_name_plural = _("budget cycle documents")
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "year", "kind", "number"],
                name="one_cycle_document_per_kind_and_number",
                violation_error_message=_("The arrangement already has this document for that year."),
            )
        ]
        indexes = [models.Index(fields=["year"], name="cycle_document_year")]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def default_title(arrangement: JointArrangement, kind: str, year: int, number: int = 1) -> str:
        """The usual Dutch title ("Ontwerpbegroting 2027 VRK"), stored as the document's name."""
        with translation.override("nl"):
            return CycleDocument._title(arrangement, kind, year, number)

    @staticmethod
    def _title(arrangement: JointArrangement, kind: str, year: int, number: int) -> str:
        name = arrangement.abbreviation or arrangement.name
        titles = {
            rules.Kind.FRAMEWORKS: _("Frameworks %(year)s %(name)s") % {"year": year + 1, "name": name},
            rules.Kind.PRELIMINARY_ACCOUNTS: _("Preliminary annual accounts %(year)s %(name)s")
            % {"year": year - 1, "name": name},
            rules.Kind.DRAFT_BUDGET: _("Draft budget %(year)s %(name)s") % {"year": year + 1, "name": name},
            rules.Kind.ACCOUNTS: _("Annual accounts %(year)s %(name)s") % {"year": year - 1, "name": name},
            rules.Kind.BUDGET_CHANGE: _("Budget change %(number)s-%(year)s %(name)s")
            % {"number": number, "year": year, "name": name},
        }
        return str(titles[kind])

    @classmethod
    @transaction.atomic
    def plan_year(cls, arrangement: JointArrangement, year: int) -> list[CycleDocument]:
        """The year's usual documents that are not there yet, each with its legal default period."""
        made = []
        for kind in rules.PLANNED_EACH_YEAR:
            if cls.objects.filter(arrangement=arrangement, year=year, kind=kind).exists():
                continue
            made.append(
                cls.objects.create(
                    arrangement=arrangement,
                    year=year,
                    kind=kind,
                    title=cls.default_title(arrangement, kind, year),
                    opinion_weeks=arrangement.budget_weeks if kind in rules.LEGAL_OPINION else None,
                )
            )
        return made

    # The dates the law (and the arrangement) sets.

    @property
    def source(self) -> str:
        return str(rules.SOURCES[self.kind])

    @property
    def has_opinion(self) -> bool:
        return self.kind in rules.LEGAL_OPINION or bool(self.opinion_weeks)

    @property
    def send_by(self) -> datetime.date | None:
        """The last day it may reach the councils."""
        if self.kind in (rules.Kind.FRAMEWORKS, rules.Kind.PRELIMINARY_ACCOUNTS):
            return rules.the_day_before(rules.day_in(self.year, self.arrangement.frameworks_before))
        if self.kind in rules.LEGAL_OPINION and self.board_meeting_on:
            return self.board_meeting_on - datetime.timedelta(weeks=self.arrangement.budget_weeks)
        return None

    @property
    def opinion_end(self) -> datetime.date | None:
        """The last day of the councils' period: the same weekday that many weeks after it was sent."""
        if not (self.has_opinion and self.sent_on and self.opinion_weeks):
            return None
        return self.sent_on + datetime.timedelta(weeks=self.opinion_weeks)

    @property
    def province_by(self) -> datetime.date | None:
        before = self.arrangement.province_before(self.kind)
        if before is None or self.adopted_on is None:
            return None
        return rules.province_deadline(self.adopted_on, before)

    def lateness(self, today: datetime.date | None = None) -> list[str]:
        """What is late about it, in words (empty when nothing is)."""
        today = today or timezone.localdate()
        late = []
        send_by = self.send_by
        if send_by and (self.sent_on or today) > send_by:
            late.append(
                str(_("sent after %(date)s") if self.sent_on else _("not sent, due by %(date)s"))
                % {"date": date_format(send_by)}
            )
        board = self.adopted_on or self.board_meeting_on
        if self.kind == rules.Kind.DRAFT_BUDGET and board and board.year > self.year:
            late.append(
                str(_("the general board adopts it in %(late)s, not in %(year)s (Wgr art. 34 lid 1)"))
                % {"late": board.year, "year": self.year}
            )
        province_by = self.province_by
        if province_by and (self.sent_to_province_on or today) > province_by:
            late.append(
                str(
                    _("to the province after %(date)s")
                    if self.sent_to_province_on
                    else _("not yet to the province, due by %(date)s")
                )
                % {"date": date_format(province_by)}
            )
        return late

    def clean(self) -> None:
        errors: dict[str, str] = {}
        sent, board, adopted, province = self.sent_on, self.board_meeting_on, self.adopted_on, self.sent_to_province_on
        if sent and board and board < sent:
            errors["board_meeting_on"] = _("The general board meets after the document went to the councils.")
        if sent and adopted and adopted < sent:
            errors["adopted_on"] = _("The general board adopts it after it went to the councils.")
        if province and not adopted:
            errors["sent_to_province_on"] = _("It goes to the province after the general board adopted it.")
        elif province and adopted and province < adopted:
            errors["sent_to_province_on"] = _("It cannot go to the province before the general board adopted it.")
        if self.kind in rules.LEGAL_OPINION:
            minimum = self.arrangement.budget_weeks if self.arrangement_id else rules.BUDGET_WEEKS
            if not self.opinion_weeks:
                errors["opinion_weeks"] = _("The councils have a period for their zienswijze (Wgr art. 35).")
            elif self.opinion_weeks < minimum and not (
                self.kind == rules.Kind.BUDGET_CHANGE and self.short_reason.strip()
            ):
                errors["opinion_weeks"] = _(
                    "The councils have at least %(weeks)s weeks (Wgr art. 35 lid 1). Only for a budget change "
                    "of a category the arrangement exempts (lid 5) may it be shorter, with that reason."
                ) % {"weeks": minimum}
            if (
                sent
                and board
                and board - sent < datetime.timedelta(weeks=self.opinion_weeks or minimum)
                and not (self.short_reason.strip())
            ):
                errors["board_meeting_on"] = _(
                    "The general board meets %(days)s days after the councils received it; they have %(weeks)s "
                    "weeks (Wgr art. 35 lid 1). Move the meeting, or give the reason for the shorter period."
                ) % {"days": (board - sent).days, "weeks": self.opinion_weeks or minimum}
        end = self.opinion_end
        if end and adopted and adopted <= end and "adopted_on" not in errors:
            errors["adopted_on"] = _(
                "The general board adopts only after the councils' period has ended (%(date)s)."
            ) % {"date": date_format(end)}
        if self.kind == rules.Kind.DRAFT_BUDGET and adopted and adopted.year != self.year:
            errors["adopted_on"] = _(
                "The general board adopts the budget in the year before the one it serves "
                "(Wgr art. 34 lid 1): in %(year)s."
            ) % {"year": self.year}
        if self.proposal_id and self.pk:
            stored = CycleDocument.objects.filter(pk=self.pk).values("sent_on", "opinion_weeks").first()
            if stored and (stored["sent_on"], stored["opinion_weeks"]) != (self.sent_on, self.opinion_weeks):
                errors["sent_on"] = _("The zienswijze round is open; its sending date and period no longer change.")
        if errors:
            raise ValidationError(errors)

    @transaction.atomic
    def keep(self, *, lock_version: int, by, reason: str = "", **fields) -> None:
        """A save from a form: refused when someone else saved in between (nothing of it is then saved)."""
        locked = CycleDocument.objects.select_for_update().get(pk=self.pk)
        if locked.lock_version != lock_version:
            raise StaleDecision(
                _("Someone else saved this document while you were working on it. Nothing of yours was saved.")
            )
        for name, value in fields.items():
            setattr(self, name, value)
        self.full_clean()
        self.lock_version = locked.lock_version + 1
        self._history_user = by
        self._change_reason = reason
        self.save()

    # The councils' zienswijze round, on the council tracks of the decision chain.

    @transaction.atomic
    def open_round(self, *, by) -> RegionalProposal:
        """Opens the councils' zienswijze round: a council track (zienswijze) for every municipality that takes
        part in the arrangement on the day it was sent, kept by its griffier as any other track."""
        locked = CycleDocument.objects.select_for_update().get(pk=self.pk)
        if locked.proposal_id:
            raise TransitionNotAllowed(_("The zienswijze round of this document is already open."))
        if not self.has_opinion:
            raise TransitionNotAllowed(_("The councils give no zienswijze on this document; give a period first."))
        if not self.sent_on:
            raise TransitionNotAllowed(_("Give the date the document went to the councils first."))
        board = self.arrangement.general_board
        if board is None:
            raise TransitionNotAllowed(_("The arrangement has no general board to send the zienswijzen to."))
        participants = list(self.arrangement.participants_on(self.sent_on))
        if not participants:
            raise TransitionNotAllowed(_("No municipality takes part in the arrangement on that date."))
        document = (
            RegionalProposal.OpinionDocument.BUDGET
            if self.kind in rules.LEGAL_OPINION and not self.short_reason.strip()
            else RegionalProposal.OpinionDocument.OTHER
        )
        proposal = RegionalProposal(
            title=self.title,
            key_message=_("%(arrangement)s asks the councils for their zienswijze on the %(kind)s.")
            % {"arrangement": self.arrangement, "kind": self.get_kind_display()},
            decision_points=str(_("To give a zienswijze on the %(title)s.") % {"title": self.title}),
            body=board,
            cooperation=board.cooperation,
            status=RegionalProposal.Status.SENT,
            sent_on=self.sent_on,
            opinion_document=document,
            opinion_sent_on=self.sent_on,
            opinion_weeks=self.opinion_weeks,
            opinion_short_reason=self.short_reason,
        )
        proposal._history_user = by
        proposal.save()
        content = proposal.content()
        content["documents"] = [{"title": f.title, "sha256": f.sha256} for f in self.files.all()]
        version = ProposalVersion.objects.create(
            proposal=proposal, number=1, content=content, sha256=content_checksum(content), frozen_by=by
        )
        bulk_create_with_history(
            [
                CouncilTrack(
                    proposal=proposal,
                    municipality=m,
                    involvement=CouncilTrack.Involvement.OPINION,
                    sent_version=version,
                )
                for m in participants
            ],
            CouncilTrack,
            default_user=by,
        )
        self.proposal = proposal
        self._history_user = by
        self._change_reason = "zienswijze round opened"
        self.lock_version = locked.lock_version + 1
        self.save()
        # The griffiers' and secretaries' notices, and the council deadlines, as for any proposal sent.
        proposal_sent.send(sender=RegionalProposal, proposal=proposal)
        return proposal

    @transaction.atomic
    def keep_model(self, *, lock_version: int, by, text: str, body: ConsultationBody | None, on) -> None:
        """The drafting body's model zienswijze; a second person's save in between is refused."""
        limits.check_lengths(CycleDocument, model_opinion=text.strip())
        if not text.strip():
            raise ValidationError({"model_opinion": _("Write the model zienswijze.")})
        if on and self.sent_on and on < self.sent_on:
            raise ValidationError({"model_opinion_on": _("The model comes after the document went to the councils.")})
        end = self.opinion_end
        if on and end and on > end:
            raise ValidationError(
                {"model_opinion_on": _("The councils' period ended on %(date)s.") % {"date": date_format(end)}}
            )
        self.keep(
            lock_version=lock_version,
            by=by,
            reason="model zienswijze",
            model_opinion=text.strip(),
            model_body=body,
            model_opinion_on=on,
        )

    def participates_on(self, municipality_id: int, on: datetime.date) -> bool:
        return self.arrangement.participants_on(on).filter(pk=municipality_id).exists()


def cycle_file_path(instance, filename: str) -> str:
    from core.models import stored_file_path

    return stored_file_path(instance, filename)


class CycleFile(StoredFile):
    """A file of a budget cycle document: the draft budget itself, its covering letter."""

    document = models.ForeignKey(CycleDocument, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=cycle_file_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(StoredFile.Meta):
        verbose_name = _("file")
        verbose_name_plural = _("files")
