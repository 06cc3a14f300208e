"""The adoption arrangement (adoptieregeling, as in Brabant Noord): a few municipalities study a regional
document in depth and pass their findings and advice to all the others at once, so that not every municipality
reads everything; early on they are the sounding board of the body that prepares it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.models import StoredFile, Timestamped, stored_file_path
from core.workflow import TransitionNotAllowed
from decisions.models import RegionalProposal, StaleDecision
from municipalities.models import Municipality, Person

DEFAULT_ADOPTERS = 3


class AdoptionQuerySet(models.QuerySet):
    def active(self) -> AdoptionQuerySet:
        return self.filter(withdrawn=False)

    def in_year(self, year: int) -> AdoptionQuerySet:
        return self.filter(named_on__year=year)

    def due(self) -> AdoptionQuerySet:
        """Named and not yet advised, on a proposal that is still open."""
        return (
            self.active()
            .filter(advised_on__isnull=True)
            .exclude(proposal__status__in=[RegionalProposal.Status.CLOSED, RegionalProposal.Status.WITHDRAWN])
        )


class Adoption(Timestamped):
    """One municipality adopting one regional proposal: its reviewer, the deadline, its sounding-board comment
    on the draft and its findings and advice to every participant."""

    class Recommendation(models.TextChoices):
        AGREE = "agree", _("agree")
        AGREE_WITH_REMARKS = "agree_with_remarks", _("agree, with remarks")
        DO_NOT_AGREE = "do_not_agree", _("do not agree")

    proposal = models.ForeignKey(
        RegionalProposal, verbose_name=_("regional proposal"), on_delete=models.CASCADE, related_name="adoptions"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="adoptions"
    )
    reviewer = models.ForeignKey(
        Person,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        help_text=_("Empty: the municipal secretary names one; until then the secretaries get the reminders."),
    )
    due_on = models.DateField(_("advice due on"))
    named_on = models.DateField(_("named on"), default=timezone.localdate)
    by_rotation = models.BooleanField(_("chosen by the rotation"), default=True)
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sounding_comment = models.TextField(
        _("comment on the draft (sounding board)"), blank=True, max_length=limits.LONG_TEXT
    )
    sounding_on = models.DateField(_("comment given on"), null=True, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=30, choices=Recommendation.choices, blank=True)
    findings = models.TextField(_("findings and advice"), blank=True, max_length=limits.LONG_TEXT)
    advised_on = models.DateField(_("advice given on"), null=True, blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["lock_version"])

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "municipality__name"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "municipality"],
                condition=Q(withdrawn=False),
                name="one_active_adoption_per_municipality",
                violation_error_message=_("This municipality already adopts this proposal."),
            ),
            models.CheckConstraint(
                condition=Q(advised_on__isnull=True) | ~Q(recommendation=""),
                name="advice_has_a_recommendation",
                violation_error_message=_("An advice has a recommendation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.proposal}"

    @property
    def is_late(self) -> bool:
        return not self.advised_on and not self.withdrawn and self.due_on < timezone.localdate()

    def clean(self) -> None:
        if not (self.proposal_id and self.municipality_id):
            return
        on = self.named_on or timezone.localdate()
        if not self.proposal.cooperation.participants_on(on).filter(pk=self.municipality_id).exists():
            raise ValidationError(
                {
                    "municipality": _("%(municipality)s does not participate in %(cooperation)s.")
                    % {"municipality": self.municipality, "cooperation": self.proposal.cooperation}
                }
            )
        if self.due_on and self.due_on < on:
            raise ValidationError({"due_on": _("The advice cannot be due before the day the adopters are named.")})
        if (
            self.reviewer_id
            and not self.reviewer.offices.current(on).filter(municipality=self.municipality_id).exists()
        ):
            raise ValidationError(
                {
                    "reviewer": _("The reviewer holds no office in %(municipality)s.")
                    % {"municipality": self.municipality}
                }
            )

    @transaction.atomic
    def keep(self, *, lock_version: int, by, reason: str, **fields) -> None:
        locked = Adoption.objects.select_for_update().get(pk=self.pk)
        if locked.lock_version != lock_version:
            raise StaleDecision(
                _("Someone else saved this adoption while you were working on it. Nothing of yours was saved.")
            )
        if locked.withdrawn:
            raise TransitionNotAllowed(_("This adoption was withdrawn."))
        for name, value in fields.items():
            setattr(self, name, value)
        self.full_clean()
        self.lock_version = locked.lock_version + 1
        self._history_user = by
        self._change_reason = reason
        self.save()

    def comment_on_draft(self, *, lock_version: int, by, text: str) -> None:
        """The sounding board: only while the proposal is a draft of the body that prepares it."""
        if self.proposal.status != RegionalProposal.Status.DRAFT:
            raise TransitionNotAllowed(_("The proposal is no longer a draft; give your advice instead."))
        if not text.strip():
            raise ValidationError({"sounding_comment": _("Write your comment on the draft.")})
        self.keep(
            lock_version=lock_version,
            by=by,
            reason="sounding board",
            sounding_comment=text.strip(),
            sounding_on=timezone.localdate(),
        )

    def advise(self, *, lock_version: int, by, recommendation: str, findings: str) -> None:
        if self.proposal.status in (
            RegionalProposal.Status.DRAFT,
            RegionalProposal.Status.CLOSED,
            RegionalProposal.Status.WITHDRAWN,
        ):
            raise TransitionNotAllowed(
                _("Advice goes to the colleges once the regional position is adopted and before the proposal closes.")
            )
        errors = {}
        if recommendation not in self.Recommendation.values:
            errors["recommendation"] = _("Choose a recommendation.")
        if not findings.strip():
            errors["findings"] = _("Write your findings and advice.")
        if errors:
            raise ValidationError(errors)
        self.keep(
            lock_version=lock_version,
            by=by,
            reason="advice",
            recommendation=recommendation,
            findings=findings.strip(),
            advised_on=timezone.localdate(),
        )


class AdoptionFile(StoredFile):
    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=stored_file_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(StoredFile.Meta):
        verbose_name = _("file of an adoption")
        verbose_name_plural = _("files of adoptions")


def rotation(proposal: RegionalProposal, *, count: int = DEFAULT_ADOPTERS, on: datetime.date | None = None):
    """The municipalities the rotation names next: among the participants that do not adopt this proposal yet,
    those with the fewest adoptions this year, then those whose last adoption lies longest ago, then by name.
    Over a year every participant adopts about as often as every other (at most one apart)."""
    on = on or timezone.localdate()
    candidates = list(
        proposal.cooperation.participants_on(on)
        .exclude(pk__in=proposal.adoptions.active().values("municipality"))
        .annotate(
            this_year=models.Count(
                "adoptions", filter=Q(adoptions__withdrawn=False, adoptions__named_on__year=on.year)
            ),
            last=models.Max("adoptions__pk", filter=Q(adoptions__withdrawn=False)),
        )
        .order_by("this_year", models.F("last").asc(nulls_first=True), "name")
    )
    return candidates[:count]


@transaction.atomic
def name_adopters(
    proposal: RegionalProposal, *, by, due_on: datetime.date, municipalities=None, count: int = DEFAULT_ADOPTERS
) -> list[Adoption]:
    """Names the adopters of a proposal: those given, or the rotation's next `count`."""
    if proposal.status in (RegionalProposal.Status.CLOSED, RegionalProposal.Status.WITHDRAWN):
        raise TransitionNotAllowed(_("The proposal is closed; it needs no adopters any more."))
    RegionalProposal.objects.select_for_update().filter(pk=proposal.pk).first()
    by_rotation = municipalities is None
    chosen = rotation(proposal, count=count) if by_rotation else list(municipalities)
    if not chosen:
        raise ValidationError(_("There is no participant left to name."))
    made = []
    for municipality in chosen:
        adoption = Adoption(
            proposal=proposal, municipality=municipality, due_on=due_on, by_rotation=by_rotation, named_by=by
        )
        adoption.full_clean()
        adoption._history_user = by
        adoption.save()
        made.append(adoption)
    return made


def due_text(adoption: Adoption) -> str:
    return date_format(adoption.due_on)
