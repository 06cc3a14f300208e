from __future__ import annotations

import datetime
from collections.abc import Iterable

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core import limits
from core.models import Timestamped
from core.periods import active_on_q, overlap_q
from core.workflow import StatusWorkflow, TransitionNotAllowed
from municipalities.models import Municipality, Office, Person, Portfolio, RegionalOrganisation, today


class CooperationQuerySet(models.QuerySet):
    def where_office_held_by(self, user, on: datetime.date | None = None) -> CooperationQuerySet:
        """The cooperations in which the user holds an office in a participating municipality that day."""
        on = on or today()
        municipalities = Office.objects.current(on).filter(person__user=user).values("municipality")
        participations = Participation.objects.active_on(on).filter(municipality__in=municipalities)
        return self.filter(pk__in=participations.values("cooperation"))


class Cooperation(Timestamped):
    """A regional cooperation (a safety region, a covenant, a sub-region) in which municipalities participate."""

    class Kind(models.TextChoices):
        SAFETY_REGION = "safety_region", _("safety region")
        COVENANT = "covenant", _("covenant")
        SUBREGION = "subregion", _("sub-region")

    class WithdrawalRule(models.TextChoices):
        # Zuid-Kennemerland covenant: notice in year Y takes effect on 1 January
        # of Y+1; financial obligations run to the end of Y+1.
        NEXT_YEAR = "next_year", _("leave on 1 January after the notice; obligations until the end of that year")
        # Leave the day after the notice; obligations until the end of the notice year.
        IMMEDIATE = "immediate", _("leave the day after the notice; obligations until the end of the notice year")

    name = models.CharField(_("name"), max_length=150, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        RegionalOrganisation,
        verbose_name=_("regional organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperations",
        help_text=_("The organisation under public law that carries the cooperation, if any."),
    )

    class DecisionRule(models.TextChoices):
        # Every college stays the decision maker (covenant Zuid-Kennemerland): unanimity is the default.
        UNANIMITY = "unanimity", _("unanimity: every college agrees")
        MAJORITY = "majority", _("majority, only where the cooperation's agreement names it")

    withdrawal_rule = models.CharField(
        _("withdrawal rule"), max_length=20, choices=WithdrawalRule.choices, default=WithdrawalRule.NEXT_YEAR
    )
    decision_rule = models.CharField(
        _("decision rule"),
        max_length=20,
        choices=DecisionRule.choices,
        default=DecisionRule.UNANIMITY,
        help_text=_(
            "When a regional proposal counts as adopted by the colleges. Either way nothing is reported until "
            "every college has decided; choose a majority only where the cooperation's agreement names one."
        ),
    )
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    evaluation_after_years = models.PositiveSmallIntegerField(
        _("evaluation after (years)"), null=True, blank=True, help_text=_("The covenant is evaluated after this.")
    )
    description = models.TextField(_("description"), blank=True, max_length=limits.DESCRIPTION)

    history = HistoricalRecords()

    objects = CooperationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")

    def __str__(self) -> str:
        return self.name

    def participants_on(self, on: datetime.date | None = None) -> models.QuerySet[Municipality]:
        """The municipalities that participate on that day (today by default)."""
        active = self.participations.active_on(on or today())
        return Municipality.objects.filter(pk__in=active.values("municipality"))

    def withdrawal_dates(self, notice_on: datetime.date) -> tuple[datetime.date, datetime.date]:
        """For a notice given on that day: the first day outside the cooperation,
        and the last day of the financial obligations."""
        if self.withdrawal_rule == self.WithdrawalRule.IMMEDIATE:
            return notice_on + datetime.timedelta(days=1), datetime.date(notice_on.year, 12, 31)
        return datetime.date(notice_on.year + 1, 1, 1), datetime.date(notice_on.year + 1, 12, 31)


class ParticipationQuerySet(models.QuerySet):
    def active_on(self, on: datetime.date) -> ParticipationQuerySet:
        return self.filter(active_on_q(on, start="joined_on", end="leaves_on", end_inclusive=False))


class Participation(Timestamped):
    """A municipality's participation in a cooperation, from joining to the day its notice takes effect."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.CASCADE, related_name="participations"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="participations"
    )
    joined_on = models.DateField(_("joined on"))
    notice_given_on = models.DateField(
        _("notice given on"), null=True, blank=True, help_text=_("The date of the written notice to leave.")
    )
    # Both computed from the notice by the cooperation's withdrawal rule, never typed.
    leaves_on = models.DateField(
        _("leave takes effect on"), null=True, blank=True, editable=False, help_text=_("First day outside.")
    )
    obligations_until = models.DateField(_("financial obligations until"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["cooperation__name", "municipality__name", "joined_on"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "municipality", "joined_on"],
                name="participation_unique_start",
                violation_error_message=_("This municipality already joins this cooperation on that date."),
            ),
            models.CheckConstraint(
                condition=Q(notice_given_on__isnull=True) | Q(notice_given_on__gte=models.F("joined_on")),
                name="participation_notice_after_joining",
                violation_error_message=_("Notice cannot be given before joining."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} in {self.cooperation}"

    def save(self, *args, **kwargs) -> None:
        self.compute_withdrawal()
        super().save(*args, **kwargs)

    def compute_withdrawal(self) -> None:
        if self.notice_given_on and self.cooperation_id:
            self.leaves_on, self.obligations_until = self.cooperation.withdrawal_dates(self.notice_given_on)
        else:
            self.leaves_on = self.obligations_until = None

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or today()
        return self.joined_on <= on and (self.leaves_on is None or on < self.leaves_on)

    def memberships_ending(self) -> MembershipQuerySet:
        """The seats in the cooperation's bodies held on behalf of the leaving municipality that run
        past its last day inside: open-ended, or ending on or after the day the notice takes effect."""
        if self.leaves_on is None:
            return Membership.objects.none()
        return (
            Membership.objects.filter(
                body__cooperation_id=self.cooperation_id,
                on_behalf_of_id=self.municipality_id,
                starts_on__lt=self.leaves_on,
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.leaves_on))
            .select_related("person", "body")
            .order_by("body__name", "person__surname", "starts_on")
        )

    @property
    def last_day(self) -> datetime.date | None:
        return self.leaves_on - datetime.timedelta(days=1) if self.leaves_on else None

    @transaction.atomic
    def end_memberships(self, *, by) -> list[Membership]:
        """Ends those seats on the municipality's last day inside, each saved with its history."""
        ended = list(self.memberships_ending())
        for membership in ended:
            membership.ends_on = self.last_day
            membership._change_reason = f"notice to leave given on {self.notice_given_on:%d-%m-%Y}"
            membership._history_user = by
            membership.save()
        return ended

    def clean(self) -> None:
        if not (self.joined_on and self.cooperation_id and self.municipality_id):
            return
        if self.notice_given_on and self.notice_given_on < self.joined_on:
            raise ValidationError({"notice_given_on": _("Notice cannot be given before the joining date.")})
        self.compute_withdrawal()
        overlapping = (
            Participation.objects.filter(cooperation_id=self.cooperation_id, municipality_id=self.municipality_id)
            .exclude(pk=self.pk)
            .filter(overlap_q(self.joined_on, self.leaves_on, start="joined_on", end="leaves_on", end_inclusive=False))
            .first()
        )
        if overlapping:
            raise ValidationError(overlapping.overlap_message())

    def overlap_message(self) -> str:
        names = {
            "municipality": self.municipality,
            "cooperation": self.cooperation,
            "start": date_format(self.joined_on),
        }
        if self.leaves_on:
            names["end"] = date_format(self.leaves_on)
            return (
                _(
                    "%(municipality)s already participates in %(cooperation)s from %(start)s until %(end)s; "
                    "participations may not overlap."
                )
                % names
            )
        return (
            _(
                "%(municipality)s already participates in %(cooperation)s from %(start)s; "
                "participations may not overlap. Record the notice on that participation first."
            )
            % names
        )


class ConsultationBody(Timestamped):
    """A consultation body (overleg) of a cooperation, with its members, its cadence and the body it prepares."""

    class Kind(models.TextChoices):
        ADMINISTRATIVE_COORDINATION = "administrative_coordination", _("administrative coordination meeting")
        SECRETARIES = "secretaries", _("secretaries' meeting")
        PORTFOLIO_HOLDERS = "portfolio_holders", _("portfolio-holder meeting")
        REGIONAL_AGENDA_COMMITTEE = "regional_agenda_committee", _("regional agenda committee")
        COORDINATION = "coordination", _("coordination meeting")
        JOINT_COUNCIL = "joint_council", _("joint council meeting")
        # The boards of a joint arrangement (arrangements.JointArrangement; Wgr art. 12 and 13).
        GENERAL_BOARD = "general_board", _("general board of a joint arrangement")
        DAILY_BOARD = "daily_board", _("daily board of a joint arrangement")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        FORTNIGHTLY = "fortnightly", _("every two weeks")
        MONTHLY = "monthly", _("every month")
        SIX_WEEKLY = "six_weekly", _("every six weeks")
        QUARTERLY = "quarterly", _("every quarter")
        TWICE_A_YEAR = "twice_a_year", _("twice a year")
        AD_HOC = "ad_hoc", _("when needed")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    class Article(models.TextChoices):
        # Dutch words, not translated: the article belongs to the Dutch name.
        DE = "de", "de"
        HET = "het", "het"

    name = models.CharField(_("name"), max_length=150, unique=True)
    article = models.CharField(
        _("article"),
        max_length=3,
        choices=Article.choices,
        blank=True,
        help_text=_(
            "The Dutch article of the name, as in 'the meeting of the …' in the adoption line of the minutes. "
            "Left empty, it follows from the name: 'het' for an overleg, 'de' otherwise."
        ),
    )
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.PROTECT, related_name="bodies"
    )
    policy_area = models.ForeignKey(
        Portfolio,
        verbose_name=_("policy area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        help_text=_("Required for a portfolio-holder meeting."),
    )
    prepares = models.ForeignKey(
        "self",
        verbose_name=_("prepares"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prepared_by",
        help_text=_("The body whose meetings this body prepares."),
    )
    also_joins = models.ManyToManyField(
        Cooperation,
        verbose_name=_("also joins"),
        blank=True,
        related_name="joint_bodies",
        help_text=_(
            "For a body of several cooperations, such as a joint council meeting of two sub-regions: the other "
            "cooperations whose participants it covers besides its own."
        ),
    )
    frequency = models.CharField(_("usual cadence"), max_length=20, choices=Frequency.choices, default=Frequency.AD_HOC)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth.choices,
        null=True,
        blank=True,
        help_text=_("For a monthly cadence: e.g. the first Tuesday."),
    )
    usual_start_time = models.TimeField(_("usual start time"), null=True, blank=True)
    usual_location = models.CharField(_("usual location"), max_length=200, blank=True)
    # The working-day rule (core/periods.py) moves a deadline off a weekend or public holiday.
    agenda_deadline_days = models.PositiveSmallIntegerField(
        _("agenda closes (days before)"),
        default=10,
        help_text=_(
            "Days before a meeting that its agenda closes; on a weekend or a Dutch public holiday, "
            "the working day before."
        ),
    )
    documents_deadline_days = models.PositiveSmallIntegerField(
        _("documents due (days before)"),
        default=7,
        help_text=_(
            "Days before a meeting that documents are due; on a weekend or a Dutch public holiday, "
            "the working day before."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    expected_meetings_per_year = models.PositiveSmallIntegerField(
        _("expected meetings a year"),
        null=True,
        blank=True,
        help_text=_("What the covenant expects, e.g. three joint council meetings a year."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["cooperation__name", "name"]
        verbose_name = _("consultation body")
        verbose_name_plural = _("consultation bodies")
        # Object permissions (django-guardian), granted per body to groups
        # derived from memberships; see governance/access.py.
        permissions = [
            ("prepare_meetings", _("Can prepare the meetings and agendas of the body")),
            ("view_meetings", _("Can see the meetings and agendas of the body")),
            ("view_confidential_items", _("Can see the confidential agenda items of the body")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(prepares=models.F("pk")),
                name="body_does_not_prepare_itself",
                violation_error_message=_("A body cannot prepare itself."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.article:
            self.article = self.article_for(self.name)
        super().save(*args, **kwargs)

    @staticmethod
    def article_for(name: str) -> str:
        """The article a body's name takes when none is chosen: 'het' for an overleg (Bestuurlijk
        afstemmingsoverleg, Overleg gemeentesecretarissen, Portefeuillehoudersoverleg Wonen), else 'de'."""
        if any(word.endswith("overleg") for word in name.lower().split()):
            return ConsultationBody.Article.HET
        return ConsultationBody.Article.DE

    @property
    def name_article(self) -> str:
        return self.article or self.article_for(self.name)

    # Bodies of office holders, to which aldermen come for the items of their
    # portfolio (seed 000: they join the mayors' meeting for their agenda items).
    # The coordination meeting invites only the lead portfolio holders of the
    # covenant, the chairs of the portfolio-holder meetings (seed 000).
    INVITING_KINDS = frozenset({Kind.ADMINISTRATIVE_COORDINATION, Kind.COORDINATION})

    @property
    def invites_portfolio_holders(self) -> bool:
        return self.kind in self.INVITING_KINDS

    def lead_portfolio_holders(self, portfolios: Iterable[int], on: datetime.date | None = None) -> MembershipQuerySet:
        """The chairs, on that day, of this cooperation's portfolio-holder meetings for those policy areas:
        the lead portfolio holders (trekkende portefeuillehouders) whom the coordination meeting invites."""
        return (
            Membership.objects.current(on)
            .filter(
                role=Membership.Role.CHAIR,
                body__cooperation_id=self.cooperation_id,
                body__kind=self.Kind.PORTFOLIO_HOLDERS,
                body__policy_area__in=portfolios,
            )
            .select_related("person", "on_behalf_of", "body")
            .order_by("on_behalf_of__name", "person__surname")
        )

    def members_on(self, on: datetime.date | None = None) -> models.QuerySet[Membership]:
        """The memberships of this body that run on that day (today by default)."""
        return self.memberships.current(on).select_related("person", "on_behalf_of")

    def cooperation_ids(self) -> list[int]:
        """Its own cooperation and those it also joins."""
        return [self.cooperation_id, *(c.pk for c in self.also_joins.all())]

    def covered_municipalities(self, on: datetime.date | None = None) -> models.QuerySet[Municipality]:
        """The municipalities that participate on that day in its cooperation or one it also joins."""
        active = Participation.objects.active_on(on or today()).filter(cooperation__in=self.cooperation_ids())
        return Municipality.objects.filter(pk__in=active.values("municipality"))

    def membership_rule_problems(self, on: datetime.date | None = None) -> list[str]:
        """For a regional agenda committee: where the rule of two council members per
        participating municipality is not met (empty when it is, or for other bodies)."""
        if self.kind != self.Kind.REGIONAL_AGENDA_COMMITTEE:
            return []
        on = on or today()
        seats: dict[int, int] = {}
        council_members = Office.objects.current(on).filter(role=Office.Role.COUNCIL_MEMBER)
        for membership in (
            self.members_on(on)
            .filter(
                role__in=[Membership.Role.MEMBER, Membership.Role.CHAIR],
                person__offices__in=council_members,
            )
            .distinct()
        ):
            seats[membership.on_behalf_of_id] = seats.get(membership.on_behalf_of_id, 0) + 1
        problems = []
        for municipality in self.covered_municipalities(on):
            count = seats.get(municipality.pk, 0)
            if count != 2:
                problems.append(
                    _("%(municipality)s: %(count)s of the two council members in the committee.")
                    % {"municipality": municipality, "count": count}
                )
        return problems

    def meetings_held_in(self, year: int) -> int:
        return self.meetings.filter(starts_at__year=year).exclude(status="cancelled").count()

    def aldermen_for_policy_area(self, on: datetime.date | None = None) -> models.QuerySet[Office]:
        """The aldermen who hold this body's policy area in its municipalities on that day."""
        if self.policy_area_id is None:
            return Office.objects.none()
        return Office.objects.aldermen_holding(self.policy_area, self.covered_municipalities(on), on)

    # Cadences counted in months meet on one weekday of the month (the first, unless another is chosen).
    MONTHLY_FREQUENCIES = frozenset({Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.TWICE_A_YEAR})

    @property
    def cadence_week(self) -> int | None:
        """For a cadence counted in months: which weekday of the month it meets on, as cadence_rule plans."""
        if self.frequency not in self.MONTHLY_FREQUENCIES:
            return None
        return self.week_of_month or self.WeekOfMonth.FIRST

    def get_cadence_week_display(self) -> str:
        week = self.cadence_week
        return self.WeekOfMonth(week).label if week else ""

    def cadence_rule(self, starts: datetime.datetime) -> rrule.rrule | None:
        """The recurrence of the usual cadence from `starts`, or None when the body meets when needed."""
        if self.frequency == self.Frequency.AD_HOC or self.weekday is None:
            return None
        byweekday = rrule.weekday(self.weekday)
        intervals = {
            self.Frequency.MONTHLY: (rrule.MONTHLY, 1),
            self.Frequency.WEEKLY: (rrule.WEEKLY, 1),
            self.Frequency.FORTNIGHTLY: (rrule.WEEKLY, 2),
            self.Frequency.SIX_WEEKLY: (rrule.WEEKLY, 6),
            self.Frequency.QUARTERLY: (rrule.MONTHLY, 3),
            self.Frequency.TWICE_A_YEAR: (rrule.MONTHLY, 6),
        }
        freq, interval = intervals[self.frequency]
        if freq == rrule.MONTHLY:
            return rrule.rrule(freq, interval=interval, dtstart=starts, byweekday=byweekday(self.cadence_week))
        # Count the weeks from the first meeting day, not from the week `starts` falls in.
        first = starts + datetime.timedelta(days=(self.weekday - starts.weekday()) % 7)
        return rrule.rrule(freq, interval=interval, dtstart=first, byweekday=byweekday)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == self.Kind.PORTFOLIO_HOLDERS and not self.policy_area_id:
            errors["policy_area"] = _("A portfolio-holder meeting needs its policy area.")
        if self.frequency not in (self.Frequency.AD_HOC, "") and self.weekday is None:
            errors["weekday"] = _("Choose the weekday of the usual cadence, or choose 'when needed'.")
        if self.prepares_id:
            if self.pk and self.prepares_id == self.pk:
                errors["prepares"] = _("A body cannot prepare itself.")
            elif self.pk and self._prepares_chain_returns():
                errors["prepares"] = _("This would make the bodies prepare each other in a circle.")
        if self.documents_deadline_days > self.agenda_deadline_days:
            errors["documents_deadline_days"] = _(
                "Documents are due after the agenda closes: choose at most %(days)s days before the meeting."
            ) % {"days": self.agenda_deadline_days}
        if errors:
            raise ValidationError(errors)

    def _prepares_chain_returns(self) -> bool:
        seen = {self.pk}
        body = self.prepares
        while body is not None:
            if body.pk in seen:
                return True
            seen.add(body.pk)
            body = body.prepares
        return False


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        return self.filter(active_on_q(on or today()))


class Membership(Timestamped):
    """A person's seat in a consultation body for a period, usually on behalf of a municipality."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")
        ADVISORY_MEMBER = "advisory_member", _("advisory member")
        SECRETARY = "secretary", _("secretary")

    body = models.ForeignKey(
        ConsultationBody, verbose_name=_("consultation body"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    on_behalf_of = models.ForeignKey(
        Municipality,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True, help_text=_("Last day; empty if open."))

    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["body__name", "role", "person__surname"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.body})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date lies before the start date.")})
        if not (self.starts_on and self.body_id):
            return
        if self.on_behalf_of_id and not self._municipality_participates_throughout():
            raise ValidationError(
                {
                    "on_behalf_of": _(
                        "%(municipality)s does not participate in %(cooperation)s for the whole period of "
                        "this membership. Choose a participating municipality or shorten the period."
                    )
                    % {"municipality": self.on_behalf_of, "cooperation": self.body.cooperation}
                }
            )
        if self.role == self.Role.CHAIR and self.person_id:
            other_chairs = Membership.objects.filter(body_id=self.body_id, role=self.Role.CHAIR).exclude(pk=self.pk)
            other = other_chairs.filter(overlap_q(self.starts_on, self.ends_on)).select_related("person").first()
            if other:
                raise ValidationError(
                    {"role": _("%(person)s already chairs this body in this period.") % {"person": other.person}}
                )

    def _municipality_participates_throughout(self) -> bool:
        covering = Participation.objects.filter(
            cooperation_id__in=self.body.cooperation_ids(),
            municipality_id=self.on_behalf_of_id,
            joined_on__lte=self.starts_on,
        )
        if self.ends_on is None:
            covering = covering.filter(leaves_on__isnull=True)
        else:
            covering = covering.filter(Q(leaves_on__isnull=True) | Q(leaves_on__gt=self.ends_on))
        return covering.exists()


class RegionalTaskQuerySet(models.QuerySet):
    def led_by_secretary(self, user, on: datetime.date | None = None) -> RegionalTaskQuerySet:
        """The main tasks whose lead body (a portfolio-holder meeting) has the user as its secretary that day."""
        secretaries = Membership.objects.current(on).filter(person__user=user, role=Membership.Role.SECRETARY)
        return self.filter(lead_body__in=secretaries.values("body"))


class RegionalTask(models.Model):
    """A regional main task (regionale hoofdopgave) of a cooperation, led by one body."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.PROTECT, related_name="regional_tasks"
    )
    name = models.CharField(_("name"), max_length=200)
    lead_body = models.ForeignKey(
        ConsultationBody,
        verbose_name=_("lead body"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    description = models.TextField(_("description"), blank=True, max_length=limits.DESCRIPTION)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    objects = RegionalTaskQuerySet.as_manager()

    class Meta:
        ordering = ["cooperation__name", "position", "name"]
        verbose_name = _("regional main task")
        verbose_name_plural = _("regional main tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"],
                name="regional_task_unique_name",
                violation_error_message=_("This cooperation already has a main task with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.lead_body_id and self.cooperation_id and self.lead_body.cooperation_id != self.cooperation_id:
            raise ValidationError({"lead_body": _("The lead body must belong to the same cooperation.")})


class WorkProgramme(StatusWorkflow, models.Model):
    """The yearly, multi-year work programme of a cooperation, adopted by its coordination meeting."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        COUNCIL_INPUT = "council_input", _("with the councils for input")
        ADOPTED = "adopted", pgettext_lazy("work programme", "adopted")

    TRANSITIONS = {
        Status.DRAFT: {Status.COUNCIL_INPUT},
        Status.COUNCIL_INPUT: {Status.ADOPTED},
        Status.ADOPTED: set(),
    }

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.PROTECT, related_name="work_programmes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    council_input_until = models.DateField(_("council input until"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        ConsultationBody,
        verbose_name=_("adopted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_work_programmes",
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cooperation__name", "-year"]
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "year"],
                name="one_work_programme_per_year",
                violation_error_message=_("This cooperation already has a work programme for that year."),
            )
        ]

    def __str__(self) -> str:
        return f"{_('Work programme')} {self.cooperation} {self.year}"

    def coordination_body(self) -> ConsultationBody | None:
        return self.cooperation.bodies.filter(kind=ConsultationBody.Kind.COORDINATION).first()

    def ask_council_input(self, *, until: datetime.date) -> None:
        if until < today():
            raise ValidationError({"council_input_until": _("The councils need time: choose a date to come.")})
        self._transition(self.Status.COUNCIL_INPUT, council_input_until=until)

    def adopt(self, *, on: datetime.date | None = None) -> None:
        on = on or today()
        if self.council_input_until and on < self.council_input_until:
            raise TransitionNotAllowed(
                _("The councils can give input until %(date)s; adopt the programme after that.")
                % {"date": date_format(self.council_input_until)}
            )
        self._transition(self.Status.ADOPTED, adopted_on=on, adopted_by=self.coordination_body())


class WorkProgrammeEntry(models.Model):
    """What the work programme plans for one regional main task, and when."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="entries")
    task = models.ForeignKey(
        RegionalTask, verbose_name=_("regional main task"), on_delete=models.PROTECT, related_name="programme_entries"
    )
    what = models.TextField(_("what"), max_length=limits.DESCRIPTION)
    when = models.CharField(_("when"), max_length=100, help_text=_("For example 'second quarter 2027'."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "task__position", "pk"]
        verbose_name = _("work programme entry")
        verbose_name_plural = _("work programme entries")

    def __str__(self) -> str:
        return f"{self.task}: {self.what[:50]}"

    def clean(self) -> None:
        if self.programme_id and self.task_id and self.task.cooperation_id != self.programme.cooperation_id:
            raise ValidationError({"task": _("This main task belongs to another cooperation.")})


class ProgressReport(models.Model):
    """The progress of one regional main task in a programme year, for the councils."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        ON_TRACK = "on_track", _("on track")
        DELAYED = "delayed", _("delayed")
        DONE = "done", _("done")

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="progress")
    task = models.ForeignKey(
        RegionalTask, verbose_name=_("regional main task"), on_delete=models.PROTECT, related_name="progress"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.TextField(_("progress"), blank=True, max_length=limits.TEXT)
    next_step = models.TextField(_("next step"), blank=True, max_length=limits.DESCRIPTION)
    reported_on = models.DateField(_("reported on"), default=today)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "task__position"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [models.UniqueConstraint(fields=["programme", "task"], name="one_progress_report_per_task")]

    def __str__(self) -> str:
        return f"{self.task}: {self.get_status_display()}"


class MonthlyEvaluation(models.Model):
    """The brief monthly evaluation of a cooperation's coordination structure, with its findings."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("cooperation"), on_delete=models.PROTECT, related_name="evaluations"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month evaluated."))
    findings = models.TextField(_("findings"), blank=True, max_length=limits.LONG_TEXT)
    # String reference: meetings depends on governance, not the other way round.
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "cooperation__name"]
        verbose_name = _("monthly evaluation")
        verbose_name_plural = _("monthly evaluations")
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "month"], name="one_evaluation_per_cooperation_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="evaluation_month_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.cooperation} – {date_format(self.month, 'F Y')}"

    @property
    def title(self) -> str:
        return _("Monthly evaluation of the coordination structure, %(month)s") % {
            "month": date_format(self.month, "F Y")
        }


class EvaluationAdjustment(models.Model):
    """A change to the coordination structure that a monthly evaluation decided on."""

    evaluation = models.ForeignKey(MonthlyEvaluation, on_delete=models.CASCADE, related_name="adjustments")
    body = models.ForeignKey(
        ConsultationBody,
        verbose_name=_("consultation body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
        help_text=_("Empty when the change concerns the structure as a whole."),
    )
    change = models.TextField(_("what changes"), max_length=limits.DESCRIPTION)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")

    def __str__(self) -> str:
        return self.change[:80]
