from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import Office


class OfficeForm(forms.ModelForm):
    """An office as the coordinator edits it; portfolios belong to aldermen only."""

    class Meta:
        model = Office
        fields = ["person", "role", "municipality", "organisation", "portfolios", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("portfolios") and cleaned.get("role") != Office.Role.ALDERMAN:
            self.add_error(
                "portfolios", _("Only an alderman holds portfolios; remove them or choose the office alderman.")
            )
        return cleaned
