from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import Office


class OfficeForm(forms.ModelForm):
    """An office as the coordinator edits it; portfolios belong to aldermen and mayors."""

    class Meta:
        model = Office
        fields = ["person", "role", "municipality", "organisation", "portfolios", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("portfolios") and cleaned.get("role") not in Office.PORTFOLIO_ROLES:
            self.add_error(
                "portfolios",
                _("Only an alderman or a mayor holds portfolios; remove them or choose one of those offices."),
            )
        return cleaned
