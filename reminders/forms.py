from django import forms

from municipalities.models import Person


class DeliveryForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["reminder_delivery", "language"]
        widgets = {"reminder_delivery": forms.RadioSelect, "language": forms.RadioSelect}
