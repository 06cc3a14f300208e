from django import forms
from django.utils.translation import gettext_lazy as _

from adoption.models import DEFAULT_ADOPTERS, Adoption
from meetings.forms import DocumentForm
from municipalities.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NameAdoptersForm(forms.Form):
    due_on = forms.DateField(label=_("advice due on"), widget=DATE)
    how = forms.ChoiceField(
        label=_("how"),
        choices=[("rotation", _("by the rotation")), ("hand", _("by hand"))],
        widget=forms.RadioSelect,
        initial="rotation",
    )
    count = forms.IntegerField(label=_("number of adopters"), min_value=1, max_value=9, initial=DEFAULT_ADOPTERS)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("adopting municipalities (by hand)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = participants

    def clean(self):
        data = super().clean()
        if data.get("how") == "hand" and not data.get("municipalities"):
            self.add_error("municipalities", _("Choose the adopting municipalities."))
        return data


class ReviewerForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    reviewer = forms.ModelChoiceField(label=_("reviewer"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, adoption: Adoption, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = Person.objects.filter(
            pk__in=adoption.municipality.offices.current().values("person")
        ).order_by("surname")


class SoundingForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    sounding_comment = forms.CharField(
        label=_("comment on the draft (sounding board)"), widget=forms.Textarea(attrs={"rows": 6})
    )


class AdviceForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    recommendation = forms.ChoiceField(
        label=_("recommendation"), choices=Adoption.Recommendation.choices, widget=forms.RadioSelect
    )
    findings = forms.CharField(label=_("findings and advice"), widget=forms.Textarea(attrs={"rows": 10}))


class AdoptionFileForm(DocumentForm):
    pass
