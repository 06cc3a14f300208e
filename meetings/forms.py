import datetime
from pathlib import PurePosixPath

import filetype
from django import forms
from django.conf import settings
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from governance.models import ConsultationBody
from meetings.models import AgendaItem, Meeting, Purpose, Submission

# Extension as named -> the type the content must have (filetype's name).
ALLOWED_UPLOADS = {
    ".pdf": "pdf",
    ".doc": "doc",
    ".docx": "docx",
    ".xls": "xls",
    ".xlsx": "xlsx",
    ".ppt": "ppt",
    ".pptx": "pptx",
    ".odt": "odt",
    ".ods": "ods",
    ".odp": "odp",
    ".png": "png",
    ".jpg": "jpg",
    ".jpeg": "jpg",
}
ACCEPTED_TYPES = _("a PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG file")


def check_upload(upload) -> str:
    """The content type of an acceptable upload; a ValidationError in plain Dutch otherwise."""
    name = upload.name or ""
    suffix = PurePosixPath(name).suffix.lower()
    if not name or name.startswith(".") or any(c in name for c in "/\\\x00") or any(ord(c) < 32 for c in name):
        raise forms.ValidationError(_("The file name must be a plain name, without a folder or path."))
    if suffix not in ALLOWED_UPLOADS:
        raise forms.ValidationError(
            _("Files of type %(type)s are not accepted. Upload %(accepted)s.")
            % {"type": suffix or _("without extension"), "accepted": ACCEPTED_TYPES}
        )
    limit = settings.MAX_UPLOAD_MEGABYTES
    if upload.size > limit * 1024 * 1024:
        raise forms.ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": number_format(upload.size / 1024 / 1024, 1), "limit": limit}
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.extension != ALLOWED_UPLOADS[suffix]:
        raise forms.ValidationError(
            _("The content of %(name)s does not match its name: it is not a %(type)s file.")
            % {"name": name, "type": suffix.lstrip(".").upper()}
        )
    return kind.mime


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.checked_content_type = check_upload(upload)
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleUploadField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleUploadField, self).clean(upload, initial) for upload in uploads]
        for upload in cleaned:
            upload.checked_content_type = check_upload(upload)
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["starts_at", "ends_at", "location", "online_url", "agenda_deadline", "documents_deadline"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda_deadline": DateTimeInput(),
            "documents_deadline": DateTimeInput(),
        }
        help_texts = {
            "agenda_deadline": _("Empty: the body's usual number of days before the meeting."),
            "documents_deadline": _("Empty: the body's usual number of days before the meeting."),
        }

    def __init__(self, *args, body: ConsultationBody, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.instance.body = body
        self.fields["agenda_deadline"].required = False
        self.fields["documents_deadline"].required = False
        for name in ("starts_at", "ends_at", "agenda_deadline", "documents_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M"]

    def clean(self):
        cleaned = super().clean()
        starts_at = cleaned.get("starts_at")
        if starts_at:
            defaults = Meeting.for_body(self.body, starts_at)
            if not cleaned.get("agenda_deadline"):
                cleaned["agenda_deadline"] = self.instance.agenda_deadline = defaults.agenda_deadline
            if not cleaned.get("documents_deadline"):
                cleaned["documents_deadline"] = self.instance.documents_deadline = defaults.documents_deadline
            if not cleaned.get("location") and not self.instance.pk:
                cleaned["location"] = self.body.usual_location
        return cleaned


class MeetingSeriesForm(forms.Form):
    first_day = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("until"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, body: ConsultationBody, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body

    def clean(self):
        cleaned = super().clean()
        first, last, time = cleaned.get("first_day"), cleaned.get("last_day"), cleaned.get("start_time")
        if not (first and last and time):
            return cleaned
        if last < first:
            raise forms.ValidationError(_("The last day lies before the first day."))
        if (last - first).days > 2 * 366:
            raise forms.ValidationError(_("Plan at most two years ahead."))
        starts = timezone.make_aware(datetime.datetime.combine(first, time))
        rule = self.body.cadence_rule(starts)
        if rule is None:
            raise forms.ValidationError(
                _("This body meets when needed and has no regular cadence; plan its meetings one by one.")
            )
        until = timezone.make_aware(datetime.datetime.combine(last, time))
        cleaned["dates"] = [timezone.make_aware(d.replace(tzinfo=None)) for d in rule.between(starts, until, inc=True)]
        if not cleaned["dates"]:
            raise forms.ValidationError(_("The cadence has no meeting day in this period."))
        return cleaned


class AgendaChangeForm(forms.Form):
    """What every agenda change carries: the version the editor saw, and a reason once published."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("reason for the change (addendum)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required once the agenda is published."),
    )


class AgendaItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = AgendaChangeForm.base_fields["reason"]

    class Meta:
        model = AgendaItem
        fields = ["title", "explanation", "purpose", "portfolio", "confidential"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 4}), "purpose": forms.RadioSelect}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].required = True
        self.fields["purpose"].choices = Purpose.choices
        self.fields["version"].initial = meeting.agenda_version
        if not meeting.is_published:
            del self.fields["reason"]

    def item_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class MoveForm(AgendaChangeForm):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))], required=False)
    position = forms.IntegerField(min_value=1, required=False)


class ForwardForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("to the meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        prepared = item.meeting.body.prepares
        self.fields["meeting"].queryset = (
            prepared.meetings.open_for_items().filter(starts_at__gt=item.meeting.starts_at).select_related("body")
            if prepared
            else Meeting.objects.none()
        )
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.body.name}, {timezone.localtime(m.starts_at):%d-%m-%Y %H:%M}"
        )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=250, required=False, help_text=_("Empty: the file name."))
    file = UploadField(
        label=_("file"),
        help_text=_("%(accepted)s of at most %(limit)s MB.")
        % {"accepted": ACCEPTED_TYPES, "limit": settings.MAX_UPLOAD_MEGABYTES},
    )


class NewVersionForm(forms.Form):
    file = DocumentForm.base_fields["file"]


class SubmissionForm(forms.ModelForm):
    documents = MultipleUploadField(
        label=_("documents"),
        required=False,
        help_text=DocumentForm.base_fields["file"].help_text,
    )

    class Meta:
        model = Submission
        fields = ["kind", "title", "explanation", "municipality", "portfolio", "purpose", "preferred_meeting"]
        widgets = {
            "kind": forms.RadioSelect,
            "purpose": forms.RadioSelect,
            "explanation": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, municipalities, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["preferred_meeting"].queryset = meetings
        self.fields["preferred_meeting"].label_from_instance = lambda m: (
            f"{m.body.name}, {timezone.localtime(m.starts_at):%d-%m-%Y}"
        )
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 4}))


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("reason for sending back"), widget=forms.Textarea(attrs={"rows": 3}))


class RouteForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("consultation body"), queryset=ConsultationBody.objects.filter(is_active=True)
    )
    meeting = forms.ModelChoiceField(
        label=_("meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Empty: the body's next planned meeting."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.upcoming().select_related("body")
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.body.name}, {timezone.localtime(m.starts_at):%d-%m-%Y} ({m.get_status_display()})"
        )

    def clean(self):
        cleaned = super().clean()
        body, meeting = cleaned.get("body"), cleaned.get("meeting")
        if not body:
            return cleaned
        if meeting is None:
            meeting = body.meetings.open_for_items().first()
            if meeting is None:
                raise forms.ValidationError(
                    _("%(body)s has no planned meeting to come. Plan one first, or choose another body.")
                    % {"body": body}
                )
        elif meeting.body_id != body.pk:
            self.add_error("meeting", _("This meeting belongs to another body."))
        elif meeting.status != Meeting.Status.PLANNED:
            self.add_error(
                "meeting",
                _("This meeting is %(status)s; choose a planned meeting.") % {"status": meeting.get_status_display()},
            )
        cleaned["meeting"] = meeting
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionPointForm(forms.ModelForm):
    class Meta:
        from meetings.models import ActionPoint

        model = ActionPoint
        fields = ["what", "owner", "due_on"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def _post_clean(self):
        # Fill the instance, but leave the model's rules to the view: they need the
        # minutes item, which the form does not have.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class AttendanceGuestForm(forms.Form):
    name = forms.CharField(label=_("name of the guest"), max_length=200)


class ErratumForm(forms.Form):
    correction = forms.CharField(label=_("correction"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
