import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportForm(forms.Form):
    """The period of an export of the audit trail, in days of Europe/Amsterdam, both days included."""

    date_from = forms.DateField(
        label=_("from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Fill in the first day."), "invalid": _("Fill in a date, e.g. 31-12-2026.")},
    )
    date_to = forms.DateField(
        label=_("until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Fill in the last day."), "invalid": _("Fill in a date, e.g. 31-12-2026.")},
    )

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("The last day comes on or after the first day."))
            most = settings.AUDIT_EXPORT_MAX_DAYS
            if (last - first).days + 1 > most:
                raise forms.ValidationError(
                    _("An export covers at most %(days)s days; choose a shorter period or export it in parts.")
                    % {"days": most}
                )
        return data

    def period(self) -> tuple[datetime.datetime, datetime.datetime]:
        """From the start of the first day up to (not including) the start of the day after the last."""
        zone = timezone.get_default_timezone()
        first = self.cleaned_data["date_from"]
        after = self.cleaned_data["date_to"] + datetime.timedelta(days=1)
        return (
            datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(after, datetime.time.min, tzinfo=zone),
        )
