from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions.models import CollegeDecision, RegionalProposal
from governance.models import ConsultationBody


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
            "opinion_weeks",
            "key_message",
            "decision_points",
            "introduction",
            "intended_result",
            "arguments",
            "risks",
            "implementation",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ["key_message", "decision_points", *RegionalProposal.SECTIONS]
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
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("what the college decided"),
        choices=[c for c in CollegeDecision.Outcome.choices if c[0] != CollegeDecision.Outcome.PENDING],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(
        label=_("decision date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(label=_("the college's reference number"), max_length=60, required=False)
    deviating_points = forms.CharField(
        label=_("decision points as amended"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for 'agreed with amendment': the decision points as the college decided them, one per line."),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 2}))


class MatrixFilterForm(forms.Form):
    cooperation = forms.ModelChoiceField(label=_("cooperation"), queryset=None, required=False)
    body = forms.ModelChoiceField(label=_("body"), queryset=ConsultationBody.objects.all(), required=False)
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("open proposals")), *RegionalProposal.Status.choices], required=False
    )
    year = forms.IntegerField(label=_("year sent"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        from governance.models import Cooperation

        super().__init__(*args, **kwargs)
        self.fields["cooperation"].queryset = Cooperation.objects.all()


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
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.lock_version

    def _post_clean(self):
        # The model's own rules run in CouncilTrack.keep(), under the row lock.
        pass


class LeadTimeForm(forms.Form):
    council_lead_weeks = forms.IntegerField(
        label=_("college decision before the council date (weeks)"), min_value=0, max_value=52
    )


class WindowForm(forms.ModelForm):
    """The council window and opinion period: not part of the frozen text, so they can change after adoption."""

    class Meta:
        model = RegionalProposal
        fields = ["council_window_from", "council_window_to", "opinion_weeks"]
        widgets = {
            "council_window_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "council_window_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def _post_clean(self):
        super()._post_clean()
        start, end = self.cleaned_data.get("council_window_from"), self.cleaned_data.get("council_window_to")
        if start and end and end < start and "council_window_to" not in self.errors:
            self.add_error("council_window_to", _("The window ends before it starts."))
