"""Joint arrangements (gemeenschappelijke regelingen, Wgr): who takes part when, their boards and the
financial key by which the participants pay."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Timestamped
from core.periods import active_on_q, overlap_q
from governance.models import ConsultationBody
from municipalities.models import Municipality, RegionalOrganisation


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
        if errors:
            raise ValidationError(errors)

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
