from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import (
    EvaluationAdjustment,
    MonthlyEvaluation,
    ProgressReport,
    WorkProgramme,
    WorkProgrammeEntry,
)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = WorkProgramme
        fields = ["cooperation", "year"]


class EntryForm(forms.ModelForm):
    class Meta:
        model = WorkProgrammeEntry
        fields = ["task", "what", "when"]
        widgets = {"what": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme: WorkProgramme, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["task"].queryset = programme.cooperation.regional_tasks.all() if tasks is None else tasks


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["status", "progress", "next_step"]
        widgets = {"progress": forms.Textarea(attrs={"rows": 4}), "next_step": forms.Textarea(attrs={"rows": 3})}


class CouncilInputForm(forms.Form):
    until = forms.DateField(label=_("council input until"), widget=forms.DateInput(attrs={"type": "date"}))


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = MonthlyEvaluation
        fields = ["findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 6})}


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = EvaluationAdjustment
        fields = ["body", "change"]
        widgets = {"change": forms.Textarea(attrs={"rows": 2})}


def adjustment_formset(evaluation: MonthlyEvaluation, data=None):
    AdjustmentFormSet = forms.inlineformset_factory(
        MonthlyEvaluation, EvaluationAdjustment, form=AdjustmentForm, extra=2, can_delete=True
    )
    formset = AdjustmentFormSet(data, instance=evaluation, prefix="adjustments")
    for form in formset.forms:
        form.fields["body"].queryset = evaluation.cooperation.bodies.order_by("name")
        form.fields["body"].empty_label = _("the structure as a whole")
    return formset
