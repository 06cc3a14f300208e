from django import forms
from django.utils.translation import gettext_lazy as _

from covenant.models import CovenantDocument
from governance.models import ConsultationBody, Participation
from meetings.forms import UploadField
from municipalities.models import Municipality

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccessionForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("joining municipality"), queryset=Municipality.objects.order_by("name")
    )
    joins_on = forms.DateField(label=_("joins on"), widget=DATE)
    body = forms.ModelChoiceField(label=_("prepared by"), queryset=ConsultationBody.objects.none())

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = cooperation.bodies.filter(is_active=True).order_by("name")
        self.fields["body"].initial = cooperation.bodies.filter(kind=ConsultationBody.Kind.COORDINATION).first()


class LeavingNoticeForm(forms.Form):
    participation = forms.ModelChoiceField(label=_("municipality"), queryset=Participation.objects.none())
    notice_on = forms.DateField(label=_("date of the written notice"), widget=DATE)
    letter = UploadField(label=_("the letter"), required=False)

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participation"].queryset = cooperation.participations.filter(
            notice_given_on__isnull=True
        ).select_related("municipality")
        self.fields["participation"].label_from_instance = lambda p: p.municipality.name


class EvaluationReportForm(forms.Form):
    report = forms.CharField(label=_("evaluation report"), widget=forms.Textarea(attrs={"rows": 8}))
    reported_on = forms.DateField(label=_("report adopted on"), widget=DATE)
    body = forms.ModelChoiceField(label=_("to the councils through"), queryset=ConsultationBody.objects.none())

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = cooperation.bodies.filter(is_active=True).order_by("name")
        self.fields["body"].initial = cooperation.bodies.filter(kind=ConsultationBody.Kind.COORDINATION).first()


class CovenantDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CovenantDocument.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=250)
    signed_on = forms.DateField(label=_("signed on"), widget=DATE)
    file = UploadField(label=_("file"))
