from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from meetings.forms import UploadField
from publication import diwoo


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public page in place of the publication, and passed to the Woo index."),
    )
    removal_reason = forms.ChoiceField(
        label=_("Kind of removal"),
        choices=diwoo.RemovalReason.choices,
        initial=diwoo.WITHDRAWN_REASON,
        help_text=_("As the Woo index records it (TOOI list of reasons for removal or replacement)."),
    )


class CovenantForm(forms.Form):
    title = forms.CharField(label=_("Official title"), max_length=300)
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("The date of signing.")
    )
    file = UploadField(label=_("The signed covenant (PDF)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.checked_content_type != "application/pdf":
            raise forms.ValidationError(_("Upload the signed covenant as a PDF."))
        return upload
