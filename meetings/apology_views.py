"""Apologies (afmelden): an invitee tells the secretary they will not come, and who comes in their place."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meetings import access
from meetings.models import Apology, Meeting
from municipalities.models import Office, Person

CONFLICT = 409


class ApologyForm(forms.ModelForm):
    class Meta:
        model = Apology
        fields = ["replacement", "replacement_name", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        labels = {"replacement": gettext_lazy("Who comes in your place")}

    def __init__(self, *args, person: Person, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person, self.instance.meeting = person, meeting
        on = timezone.localdate(meeting.starts_at)
        colleagues = Office.objects.current(on).filter(
            municipality__in=Office.objects.current(on).filter(person=person).values("municipality")
        )
        self.fields["replacement"].queryset = (
            Person.objects.filter(pk__in=colleagues.values("person")).exclude(pk=person.pk).order_by("surname")
        )
        self.fields["replacement"].empty_label = _("nobody")


def _invited_meeting(request: HttpRequest, pk: int) -> tuple[Meeting, Person]:
    """The meeting (404 if the user may not see it) and the user's person, who must be invited (403)."""
    meeting = access.get_meeting_for_user(request.user, pk)
    person = getattr(request.user, "person", None)
    if person is None or all(invitee.pk != person.pk for invitee in meeting.invitees()):
        raise PermissionDenied
    return meeting, person


def apology(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, person = _invited_meeting(request, pk)
    existing = Apology.objects.filter(meeting=meeting, person=person).first()
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.PUBLISHED) or meeting.starts_at <= timezone.now():
        message = _("This meeting has begun, has been held or is cancelled: apologies can no longer be sent here.")
        return render(request, "meetings/conflict.html", {"message": message, "meeting": meeting}, status=CONFLICT)
    form = ApologyForm(request.POST or None, instance=existing, person=person, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Your apologies are sent to the secretary of %(body)s.") % {"body": meeting.body})
        return redirect("meeting_detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "meetings/apology_form.html", {"meeting": meeting, "form": form, "existing": existing}, status=status
    )


@require_POST
def apology_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, person = _invited_meeting(request, pk)
    Apology.objects.filter(meeting=meeting, person=person).delete()
    messages.success(request, _("Your apologies are withdrawn: you are expected at the meeting."))
    return redirect("meeting_detail", pk=meeting.pk)
