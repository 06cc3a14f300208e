from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.models import Timestamped
from core.periods import active_on_q, overlap_q

cbs_code_validator = RegexValidator(
    r"^GM[0-9]{4}\Z",
    message=_("A CBS code is 'GM' followed by four digits, for example GM0392 for Haarlem."),
)


def today() -> datetime.date:
    return timezone.localdate()


class Municipality(Timestamped):
    """A municipality (gemeente) of the region, known by its CBS code."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        validators=[cbs_code_validator],
        help_text=_("The code of Statistics Netherlands, e.g. GM0392."),
    )
    website = models.URLField(_("website"), blank=True)

    class CouncilSystem(models.TextChoices):
        NOTUBIZ = "notubiz", "NotuBiz"
        IBABS = "ibabs", "iBabs"
        GO = "go", "GO (Gemeentelijke Oplossingen)"
        OTHER = "other", _("other")

    council_system = models.CharField(
        _("kind of council information system"), max_length=20, choices=CouncilSystem.choices, blank=True
    )
    council_information_system_url = models.URLField(
        _("council information system"),
        blank=True,
        help_text=_(
            "The address of the council's own information system (NotuBiz, iBabs, GO, ...). A council track's "
            "link to its council item must lie on this address."
        ),
    )
    council_calendar_url = models.URLField(
        _("council meeting dates to import"),
        blank=True,
        help_text=_(
            "An iCalendar feed (.ics) or an OParl meeting list or body of the council information system, as the "
            "griffie gives it. The portal fetches the council's meeting dates from it every night."
        ),
    )
    council_dates_fetched_at = models.DateTimeField(_("dates last fetched"), null=True, blank=True, editable=False)
    council_dates_error = models.CharField(_("last fetch failed"), max_length=300, blank=True, editable=False)
    council_lead_weeks = models.PositiveSmallIntegerField(
        _("college decision before the council date (weeks)"),
        default=6,
        help_text=_("Set by the griffier: how many weeks before a council date the college must have decided."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        # Object permissions (django-guardian) per municipality, granted to
        # groups derived from offices; see municipalities/access.py.
        permissions = [
            ("record_college_decisions", _("Can record the college decisions of the municipality")),
            ("sign_college_decisions", _("Can sign the college decisions of the municipality")),
            ("keep_council_tracks", _("Can keep how the council of the municipality is involved")),
        ]

    def __str__(self) -> str:
        return self.name


class CouncilMeetingDate(models.Model):
    """A meeting of a municipal council or of one of its committees, imported from the council's own system."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="council_meetings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    name = models.CharField(_("name"), max_length=300, blank=True)
    # The identifier the source gives it (an iCalendar UID, an OParl id), so that a new import replaces it.
    source_id = models.CharField(max_length=500)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        ordering = ["municipality", "starts_at"]
        verbose_name = _("council meeting date")
        verbose_name_plural = _("council meeting dates")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "source_id"], name="council_meeting_once_per_source_id")
        ]
        indexes = [models.Index(fields=["municipality", "starts_at"], name="council_meeting_upcoming")]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.name} {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"

    @property
    def is_council(self) -> bool:
        """A plenary council meeting rather than a committee, as far as the name tells."""
        name = self.name.lower()
        return "raad" in name and "commissie" not in name


class RegionalOrganisation(Timestamped):
    """A regional organisation under public law, such as a safety region, where people can hold office."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("regional organisation")
        verbose_name_plural = _("regional organisations")

    def __str__(self) -> str:
        return self.name


class Portfolio(models.Model):
    """A policy area (portefeuille) that aldermen and mayors hold and portfolio-holder meetings cover."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=limits.DESCRIPTION)
    held_by_mayor = models.BooleanField(
        _("held by the mayor by law"),
        default=False,
        help_text=_(
            "Public order and safety: the mayor holds it in every municipality (Gemeentewet art. 172), "
            "whatever portfolios the office lists."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")

    def __str__(self) -> str:
        return self.name


class Person(Timestamped):
    """A person who holds or held an office in the region, with an optional log-in."""

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("an e-mail for each reminder")
        DIGEST = "digest", _("one e-mail a day with all reminders")
        PORTAL = "portal", _("only in the portal, no e-mail")

    given_name = models.CharField(_("given name"), max_length=100)
    surname_prefix = models.CharField(
        _("surname prefix"), max_length=20, blank=True, help_text=_("For example 'van', 'de' or 'van der'.")
    )
    surname = models.CharField(_("surname"), max_length=100)
    email = models.EmailField(_("e-mail address"), unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("log-in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.DUTCH)
    reminder_delivery = models.CharField(
        _("reminders"), max_length=10, choices=Delivery.choices, default=Delivery.EMAIL
    )

    history = HistoricalRecords()

    class Meta:
        # Dutch alphabetical order ignores the prefix: "van den Berg" sorts under B.
        ordering = ["surname", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.surname_prefix, self.surname) if part)

    @property
    def sort_name(self) -> str:
        """The name as a list shows it: "Berg, Anna van den"."""
        return f"{self.surname}, {' '.join(p for p in (self.given_name, self.surname_prefix) if p)}"


class OfficeQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> OfficeQuerySet:
        """Offices held on the given day (today by default); the end date is the last day in office."""
        return self.filter(active_on_q(on or today()))

    def of_person(self, person: Person) -> OfficeQuerySet:
        return self.filter(person=person)

    def aldermen_holding(
        self, portfolio: Portfolio, municipalities: Iterable[Municipality], on: datetime.date | None = None
    ) -> OfficeQuerySet:
        """The portfolio holders of that portfolio in any of the municipalities on that day: the aldermen
        and mayors whose office lists it, and every mayor for a portfolio the mayor holds by law."""
        holds = Q(role__in=Office.PORTFOLIO_ROLES, portfolios=portfolio)
        if portfolio.held_by_mayor:
            holds |= Q(role__in=Office.MAYOR_ROLES - {Office.Role.LOCO_MAYOR})
        return (
            self.current(on)
            .filter(holds, municipality__in=municipalities)
            .select_related("person", "municipality")
            .distinct()
        )


class Office(Timestamped):
    """An office (ambt, or for a civil servant a functie) a person holds in a municipality or regional
    organisation for a period."""

    class Role(models.TextChoices):
        MAYOR = "mayor", _("mayor")
        ALDERMAN = "alderman", _("alderman")
        MUNICIPAL_SECRETARY = "municipal_secretary", _("municipal secretary")
        COORDINATING_SECRETARY = "coordinating_secretary", _("coordinating secretary")
        REGIONAL_COORDINATOR = "regional_coordinator", _("regional coordinator")
        PROJECT_LEADER = "project_leader", _("project leader")
        GRIFFIER = "griffier", _("griffier")
        COUNCIL_MEMBER = "council_member", _("council member")
        SAFETY_REGION_DIRECTOR = "safety_region_director", _("safety-region director")
        # Substitutes who sign in the place of the mayor or the secretary (Gemeentewet art. 77, 78, 107a).
        LOCO_MAYOR = "loco_mayor", _("deputy mayor (loco-burgemeester)")
        ACTING_MAYOR = "acting_mayor", _("acting mayor (waarnemend burgemeester)")
        LOCO_SECRETARY = "loco_secretary", _("deputy municipal secretary (loco-secretaris)")

    # Offices that exist only inside one municipality.
    MUNICIPAL_ROLES = frozenset(
        {
            Role.MAYOR,
            Role.ALDERMAN,
            Role.MUNICIPAL_SECRETARY,
            Role.PROJECT_LEADER,
            Role.GRIFFIER,
            Role.COUNCIL_MEMBER,
            Role.LOCO_MAYOR,
            Role.ACTING_MAYOR,
            Role.LOCO_SECRETARY,
        }
    )
    ORGANISATION_ROLES = frozenset({Role.SAFETY_REGION_DIRECTOR})
    # Civil servants hold a functie; office holders (mayor, aldermen, council members) an ambt.
    CIVIL_SERVANT_ROLES = frozenset(
        {
            Role.MUNICIPAL_SECRETARY,
            Role.COORDINATING_SECRETARY,
            Role.REGIONAL_COORDINATOR,
            Role.PROJECT_LEADER,
            Role.GRIFFIER,
            Role.SAFETY_REGION_DIRECTOR,
            Role.LOCO_SECRETARY,
        }
    )
    # Who may hold portfolios: aldermen, and the mayor (or the acting mayor in the mayor's place).
    PORTFOLIO_ROLES = frozenset({Role.ALDERMAN, Role.MAYOR, Role.ACTING_MAYOR})
    # Who signs for the college in the mayor's capacity, and who co-signs as its secretary (Gemeentewet art. 59a).
    MAYOR_ROLES = frozenset({Role.MAYOR, Role.ACTING_MAYOR, Role.LOCO_MAYOR})
    SECRETARY_ROLES = frozenset({Role.MUNICIPAL_SECRETARY, Role.LOCO_SECRETARY})

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="offices")
    role = models.CharField(_("office"), max_length=30, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
    )
    organisation = models.ForeignKey(
        RegionalOrganisation,
        verbose_name=_("regional organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
    )
    portfolios = models.ManyToManyField(
        Portfolio,
        verbose_name=_("portfolios"),
        blank=True,
        related_name="offices",
        help_text=_("For aldermen and mayors."),
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True, help_text=_("Last day in office; empty if open."))

    history = HistoricalRecords(m2m_fields=[portfolios])

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["person__surname", "person__given_name", "starts_on"]
        verbose_name = _("office or position")
        verbose_name_plural = _("offices and positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="office_ends_after_start",
                violation_error_message=_("An office cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(municipality__isnull=False, organisation__isnull=True)
                    | Q(municipality__isnull=True, organisation__isnull=False)
                ),
                name="office_in_municipality_or_organisation",
                violation_error_message=_("An office belongs to either a municipality or a regional organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.holder_name}: {self.person}"

    @property
    def kind_label(self) -> str:
        """'functie' for a civil servant, 'ambt' for an office holder."""
        return str(_("position") if self.role in self.CIVIL_SERVANT_ROLES else _("office"))

    @property
    def holder_name(self) -> str:
        """The municipality or organisation the office belongs to."""
        return str(self.municipality or self.organisation or "")

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or today()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date lies before the start date; an office cannot end before it starts.")
        if self.municipality_id and self.organisation_id:
            errors["organisation"] = _("Choose a municipality or a regional organisation, not both.")
        elif not self.municipality_id and not self.organisation_id:
            errors["municipality"] = _("Choose the municipality or regional organisation of this office.")
        elif self.role in self.MUNICIPAL_ROLES and not self.municipality_id:
            errors["municipality"] = _("A %(office)s holds office in a municipality.") % {
                "office": self.get_role_display()
            }
        elif self.role in self.ORGANISATION_ROLES and not self.organisation_id:
            errors["organisation"] = _("A %(office)s holds office in a regional organisation.") % {
                "office": self.get_role_display()
            }
        # Gemeentewet art. 77: the college designates one of its aldermen to replace the mayor.
        loco = not errors and self.role == self.Role.LOCO_MAYOR and self.person_id and self.starts_on
        if loco and not self._alderman_throughout():
            errors["role"] = _(
                "A deputy mayor (loco-burgemeester) is an alderman of the same municipality designated for a "
                "period (Gemeentewet art. 77); %(person)s is not an alderman there for the whole period."
            ) % {"person": self.person}
        if errors:
            raise ValidationError(errors)
        if self.person_id and self.role and self.starts_on and self._overlapping_same_office().exists():
            raise ValidationError(_("%(person)s already holds this office in this period.") % {"person": self.person})

    def _alderman_throughout(self) -> bool:
        aldermen = Office.objects.filter(
            person_id=self.person_id,
            role=self.Role.ALDERMAN,
            municipality_id=self.municipality_id,
            starts_on__lte=self.starts_on,
        )
        if self.ends_on is None:
            return aldermen.filter(ends_on__isnull=True).exists()
        return aldermen.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.ends_on)).exists()

    def _overlapping_same_office(self) -> OfficeQuerySet:
        others = Office.objects.filter(
            person_id=self.person_id,
            role=self.role,
            municipality_id=self.municipality_id,
            organisation_id=self.organisation_id,
        )
        return others.exclude(pk=self.pk).filter(overlap_q(self.starts_on, self.ends_on))
