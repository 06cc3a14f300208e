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
