from urllib.parse import urlsplit

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import id_or_none
from decisions import rules
from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
from governance.models import ConsultationBody
from meetings.forms import DocumentForm
from municipalities.models import Municipality

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposalForm(forms.ModelForm):
    class Meta:
        model = RegionalProposal
        fields = [
            "title",
            "body",
            "cooperation",
            "agenda_item",
            "council_window_from",
            "council_window_to",
            "opinion_document",
            "opinion_weeks",
            "opinion_short_reason",
            "key_message",
            "decision_points",
            "introduction",
            "intended_result",
            "arguments",
            "risks",
            "implementation",
        ]
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in ["key_message", "decision_points", *RegionalProposal.SECTIONS]
            },
            "council_window_from": DATE,
            "council_window_to": DATE,
            "opinion_short_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["agenda_item"].queryset = (
            self.fields["agenda_item"]
            .queryset.filter(meeting__body__in=bodies, kind="regular")
            .select_related("meeting__body")
        )
        self.fields["agenda_item"].label_from_instance = lambda item: (
            f"{item.meeting.body.name} {timezone.localtime(item.meeting.starts_at):%d-%m-%Y}: {item}"
        )


class RecordForm(forms.Form):
    """The college's definitive decision."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("what the college decided"),
        choices=[c for c in CollegeDecision.Outcome.choices if c[0] != CollegeDecision.Outcome.PENDING],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("decision date"), widget=DATE)
    reference = forms.CharField(label=_("the college's reference number"), max_length=60, required=False)
    deviating_points = forms.CharField(
        label=_("decision points as amended"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for 'agreed with amendment': the decision points as the college decided them, one per line."),
    )
    motivation = forms.CharField(
        label=_("motivation"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required for 'not agreed': why the college does not agree. The reconciliation item shows it. "
            "Where the council refused its consent, its decision is the ground."
        ),
    )


class IntendedForm(forms.Form):
    """The college's intended decision (voorgenomen besluit), which goes to the council first."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    intended_on = forms.DateField(label=_("date of the intended decision"), widget=DATE)
    intended_reference = forms.CharField(label=_("the college's reference number"), max_length=60, required=False)
    intended_points = forms.CharField(
        label=_("intended decision points"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("As sent, unless the college intends to deviate: then the points it intends, one per line."),
    )


class SignForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReconcileForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("on the agenda of"), queryset=None, empty_label=None)

    def __init__(self, *args, proposal: RegionalProposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = proposal.reconciliation_meetings().select_related("body")
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{meeting.body.name} {timezone.localtime(meeting.starts_at):%d-%m-%Y %H:%M}"
        )


class ProposalDocumentForm(DocumentForm):
    """A document of the proposal itself, such as the raadsinformatiebrief it mentions."""


class OpinionForm(forms.ModelForm):
    """The regional body's reaction to the zienswijzen, and the general board's adoption after the period."""

    class Meta:
        model = RegionalProposal
        fields = ["opinion_reaction", "opinion_reaction_on", "board_adopted_on"]
        widgets = {
            "opinion_reaction": forms.Textarea(attrs={"rows": 4}),
            "opinion_reaction_on": DATE,
            "board_adopted_on": DATE,
        }

    def _post_clean(self):
        # The rules run in the model's transitions.
        pass


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for withdrawing"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


class CooperationFilterForm(forms.Form):
    """The filter of the matrices: one cooperation at a time, so the columns are its municipalities and not
    the country's (issue: national scale). It starts at the viewer's own cooperation; the coordinator chooses
    any. Always bound: `CooperationFilterForm.for_request(request, proposals)`."""

    cooperation = forms.ModelChoiceField(label=_("cooperation"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("year sent"), required=False, min_value=2000, max_value=2100)

    def __init__(self, data, *, cooperations, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["cooperation"].queryset = cooperations

    @classmethod
    def for_request(cls, request, proposals, **kwargs):
        """The form over the cooperations whose proposals the user reads, with the default filled in."""
        from governance.models import Cooperation
        from meetings.access import is_coordinator

        user = request.user
        cooperations = (
            Cooperation.objects.all()
            if is_coordinator(user)
            else Cooperation.objects.filter(pk__in=proposals.values("cooperation_id"))
        ).order_by("name")
        data = request.GET.copy()
        if not data.get("cooperation"):
            default = cls.default_cooperation(user, cooperations)
            if default is not None:
                data["cooperation"] = str(default.pk)
        return cls(data, cooperations=cooperations, **kwargs)

    @staticmethod
    def default_cooperation(user, cooperations):
        """The viewer's own cooperation (an office in a participating municipality), the one with the most
        proposals where there are several; for a coordinator without one, the busiest of all."""
        from django.db.models import Count

        from governance.models import Cooperation

        own = cooperations.filter(pk__in=Cooperation.objects.where_office_held_by(user).values("pk"))
        for candidates in (own, cooperations):
            chosen = candidates.annotate(proposal_count=Count("proposals")).order_by("-proposal_count", "name")
            if (first := chosen.first()) is not None:
                return first
        return None


class MatrixFilterForm(CooperationFilterForm):
    body = forms.ModelChoiceField(label=_("body"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("open proposals")), *RegionalProposal.Status.choices], required=False
    )
    field_order = ["cooperation", "body", "status", "year"]

    def __init__(self, data, *, cooperations, **kwargs):
        super().__init__(data, cooperations=cooperations, **kwargs)
        # Only the bodies of the chosen cooperation: a choice, not a list of every body in the country.
        chosen = id_or_none(self.data.get("cooperation"))
        bodies = ConsultationBody.objects.filter(cooperation__in=cooperations)
        self.fields["body"].queryset = bodies.filter(cooperation_id=chosen) if chosen else bodies.none()


class CouncilDashboardFilterForm(forms.Form):
    """The griffier's dashboard: their own municipality (or municipalities, for a shared griffie) by default;
    the coordinator chooses one. Open tracks by default; the whole history is a choice."""

    OPEN, ALL = "open", "all"
    municipality = forms.ModelChoiceField(label=_("municipality"), queryset=None, required=False)
    show = forms.ChoiceField(
        label=_("show"),
        choices=[(OPEN, _("still to be done")), (ALL, _("also what is done"))],
        required=False,
    )

    def __init__(self, data, *, municipalities, own_only: bool, **kwargs):
        super().__init__(data, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities.order_by("name")
        # "All my municipalities" only where that is a few (a griffier's own); the coordinator picks one.
        field.empty_label = _("all my municipalities") if own_only else _("choose a municipality")


class CouncilTrackForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        from decisions.models import CouncilTrack

        model = CouncilTrack
        fields = [
            "involvement",
            "status",
            "committee_date",
            "council_date",
            "sent_to_council_on",
            "outside_window_reason",
            "council_points",
            "outcome",
            "outcome_date",
            "council_response",
            "notes",
            "council_item_url",
        ]
        widgets = {
            **{
                name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for name in ["committee_date", "council_date", "sent_to_council_on", "outcome_date"]
            },
            "outside_window_reason": forms.Textarea(attrs={"rows": 2}),
            "council_points": forms.Textarea(attrs={"rows": 3}),
            "council_response": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.lock_version
        # The outcomes grouped by the kind of involvement they belong to; the model refuses a mismatch.
        involvement = dict(CouncilTrack.Involvement.choices)
        self.fields["outcome"].choices = [
            ("", "---------"),
            *(
                (involvement[kind], [(value, CouncilTrack.Outcome(value).label) for value in values])
                for kind, values in rules.OUTCOMES_BY_INVOLVEMENT.items()
            ),
        ]

    def _post_clean(self):
        # The model's own rules run in CouncilTrack.keep(), under the row lock.
        pass

    def clean_council_item_url(self) -> str:
        """The link must open the item in this council's own information system, not anywhere else."""
        url = self.cleaned_data.get("council_item_url", "")
        base = self.instance.municipality.council_information_system_url if self.instance.municipality_id else ""
        if url and base and urlsplit(url).hostname != urlsplit(base).hostname:
            raise forms.ValidationError(
                _("This link does not lead to the council information system of %(municipality)s (%(host)s).")
                % {"municipality": self.instance.municipality, "host": urlsplit(base).hostname}
            )
        if url and urlsplit(url).scheme not in ("https", "http"):
            raise forms.ValidationError(_("Give a web address that starts with https://."))
        return url


class CouncilSystemForm(forms.ModelForm):
    """The griffie's council information system: its kind and address, and where its meeting dates come from."""

    class Meta:
        model = Municipality
        fields = ["council_system", "council_information_system_url", "council_calendar_url"]

    def clean(self):
        data = super().clean()
        if data.get("council_calendar_url") and not data.get("council_system"):
            self.add_error("council_system", _("Choose the kind of system the dates come from."))
        return data


class LeadTimeForm(forms.Form):
    council_lead_weeks = forms.IntegerField(
        label=_("college decision before the council date (weeks)"), min_value=0, max_value=52
    )


OPINION_FIELDS = ["opinion_document", "opinion_sent_on", "opinion_weeks", "opinion_short_reason"]


class WindowForm(forms.ModelForm):
    """The council window and the zienswijze round: not part of the frozen text, so they can change after adoption."""

    class Meta:
        model = RegionalProposal
        fields = ["council_window_from", "council_window_to", *OPINION_FIELDS]
        widgets = {
            "council_window_from": DATE,
            "council_window_to": DATE,
            "opinion_sent_on": DATE,
            "opinion_short_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self):
        super()._post_clean()
        start, end = self.cleaned_data.get("council_window_from"), self.cleaned_data.get("council_window_to")
        if start and end and end < start and "council_window_to" not in self.errors:
            self.add_error("council_window_to", _("The window ends before it starts."))
