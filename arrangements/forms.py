from django import forms
from django.utils.translation import gettext_lazy as _

from arrangements.models import CycleDocument
from governance.models import ConsultationBody
from meetings.forms import DocumentForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleDocumentForm(forms.ModelForm):
    """The dates of a budget cycle document; the model checks their order and the legal periods."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CycleDocument
        fields = [
            "title",
            "sent_on",
            "opinion_weeks",
            "short_reason",
            "board_meeting_on",
            "adopted_on",
            "sent_to_province_on",
            "model_body",
        ]
        widgets = {
            **dict.fromkeys(["sent_on", "board_meeting_on", "adopted_on", "sent_to_province_on"], DATE),
            "short_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.lock_version
        self.fields["model_body"].queryset = ConsultationBody.objects.filter(is_active=True).order_by("name")

    def _post_clean(self):
        # The rules run in CycleDocument.keep, on the locked row.
        pass


class NewCycleDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CycleDocument.Kind.choices)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("number"), min_value=1, max_value=99, initial=1)
    title = forms.CharField(label=_("title"), max_length=250, required=False, help_text=_("Empty: the usual title."))


class PlanYearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class ModelOpinionForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    model_body = forms.ModelChoiceField(
        label=_("drafted by"), queryset=ConsultationBody.objects.filter(is_active=True).order_by("name")
    )
    model_opinion = forms.CharField(
        label=_("model zienswijze"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=CycleDocument._meta.get_field("model_opinion").help_text,
    )
    model_opinion_on = forms.DateField(label=_("model agreed on"), widget=DATE, required=False)


class ReactionForm(forms.Form):
    reaction = forms.CharField(
        label=_("reaction of the arrangement to the zienswijzen"), widget=forms.Textarea(attrs={"rows": 6})
    )
    reaction_on = forms.DateField(label=_("reaction given on"), widget=DATE)


class CycleFileForm(DocumentForm):
    pass


class CalendarFilterForm(forms.Form):
    jaar = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
    gemeente = forms.ModelChoiceField(label=_("municipality"), queryset=None, required=False, empty_label=_("all"))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = municipalities
