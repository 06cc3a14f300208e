import datetime
from pathlib import PurePosixPath

import filetype
from django import forms
from django.conf import settings
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core import limits
from core.files import shortened_name
from governance.models import ConsultationBody
from meetings.models import AgendaItem, Document, Meeting, Purpose, Submission

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
    # A name past what the portal keeps is shortened, not refused: the person chose the file, not its name.
    upload.name = name = shortened_name(name)
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
        max_length=limits.NOTE,
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

    def __init__(self, *args, meeting: Meeting, ask_reason: bool = True, **kwargs):
        """`ask_reason=False` where the page asks the reason once for all its changes (the agenda builder)."""
        super().__init__(*args, **kwargs)
        self.fields["purpose"].required = True
        self.fields["purpose"].choices = Purpose.choices
        self.fields["version"].initial = meeting.agenda_version
        if meeting.is_published and ask_reason:
            reason = self.fields["reason"]
            reason.required = True
            reason.help_text = _("It is shown with the change in the addendum to the agenda.")
            reason.error_messages["required"] = _(
                "The agenda is published: give the reason for this change (the addendum)."
            )
        else:
            del self.fields["reason"]

    def _post_clean(self):
        super()._post_clean()
        # The model's rule repeats the required purpose's message; one is enough.
        if len(self._errors.get("purpose", [])) > 1:
            self._errors["purpose"] = self.error_class(self._errors["purpose"][-1:])

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
    redacted = forms.BooleanField(
        label=_("This is a redacted version for publication"),
        required=False,
        help_text=_("For a document that is public in part (Woo): the public side shows only its redacted version."),
    )


class DisclosureForm(forms.ModelForm):
    """Whether a document is published with its agenda, and if not, on which ground of the Woo."""

    class Meta:
        model = Document
        fields = ["disclosure", "woo_ground", "woo_motivation"]
        widgets = {"disclosure": forms.RadioSelect, "woo_motivation": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "woo_ground": _("Wet open overheid art. 5.1 or 5.2; required when the document is not wholly public."),
            "woo_motivation": _("Why the ground applies to this document, for the Woo officer and an objection."),
        }


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
        # A purpose is required: no empty choice, and discussion is what most submissions ask for.
        self.fields["purpose"].choices = Purpose.choices
        self.fields["purpose"].initial = Purpose.DISCUSSION


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), max_length=limits.TEXT, widget=forms.Textarea(attrs={"rows": 4}))


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for sending back"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class RouteForm(forms.Form):
    """The meeting select offers only the open meetings of the chosen body; it follows the body select
    (by htmx, or without script by the refresh button the form template shows)."""

    template_name = "components/forms/dependent.html"
    controlling_field = "body"
    dependent_field = "meeting"
    refresh_label = _("Show the meetings of this body")

    body = forms.ModelChoiceField(
        label=_("consultation body"), queryset=ConsultationBody.objects.filter(is_active=True)
    )
    meeting = forms.ModelChoiceField(
        label=_("meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Empty: the body's next planned meeting."),
    )

    def __init__(self, *args, refresh_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.refresh_url = refresh_url
        # Every meeting to come is accepted, so that a wrong one gets its own clear message in clean().
        self.fields["meeting"].queryset = Meeting.objects.upcoming().select_related("body")
        body = self.chosen_body()
        if body is None:
            self.fields["meeting"].help_text = _("Choose the body first. Empty: the body's next planned meeting.")
        meetings = body.meetings.open_for_items() if body else Meeting.objects.none()
        self.fields["meeting"].choices = [("", "---------")] + [
            (m.pk, f"{timezone.localtime(m.starts_at):%d-%m-%Y %H:%M}") for m in meetings
        ]
        if refresh_url:
            self.fields["body"].widget.attrs.update(
                {
                    "hx-post": refresh_url,
                    "hx-trigger": "change",
                    "hx-vals": '{"refresh": "1"}',
                    "hx-target": f"#{self.dependent_id}",
                    "hx-select": f"#{self.dependent_id}",
                    "hx-swap": "outerHTML",
                }
            )

    @property
    def dependent_id(self) -> str:
        return f"{self.prefix or 'route'}-meeting-field"

    def chosen_body(self) -> ConsultationBody | None:
        value = self.data.get(self.add_prefix("body")) if self.is_bound else self.initial.get("body")
        if isinstance(value, ConsultationBody):
            return value
        try:
            return self.fields["body"].queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

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
    reason = forms.CharField(
        label=_("reason for cancelling"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


class DatalistInput(forms.TextInput):
    """A text box with suggestions from a list (the browser's own, keyboard-operable autocomplete)."""

    template_name = "components/forms/datalist_input.html"

    def __init__(self, *args, options=(), list_id: str | None = None, **kwargs):
        """`list_id`: the id of a `<datalist>` the page renders once for several fields (then `options` is
        left empty), instead of a list per field."""
        super().__init__(*args, **kwargs)
        self.options = list(options)
        self.list_id = list_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = self.list_id or f"{context['widget']['attrs'].get('id', name)}_list"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["options"] = self.options
        return context


def person_labels(people) -> dict[str, object]:
    """A label per person for the name search; a namesake gets the e-mail address added."""
    from collections import Counter

    people = list(people)
    names = Counter(p.full_name for p in people)
    return {(p.full_name if names[p.full_name] == 1 else f"{p.full_name} ({p.email})"): p for p in people}


class ActionPointForm(forms.ModelForm):
    owner_search = forms.CharField(
        label=_("or someone else"),
        required=False,
        max_length=300,
        help_text=_("Type a name and choose it from the suggestions."),
    )

    class Meta:
        from meetings.models import ActionPoint

        model = ActionPoint
        fields = ["what", "owner", "owner_search", "due_on"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, owners, first=(), shared_list: str | None = None, **kwargs):
        """`owners`: everyone who may own an action point (the search); `first`: the body's members and the
        meeting's attendees, offered in the select; `shared_list`: the id of the page's one list of the
        searchable names (`searchable_names()`), where a page holds a form per item."""
        super().__init__(*args, **kwargs)
        self.searchable = person_labels(owners)
        first = list(first)
        # The select takes anyone; the model's rule refuses, with its own message, a person without an office.
        self.fields["owner"].required = False
        self.fields["owner"].help_text = _("Choose from the list, or type a name in the next box.")
        # One of the two is needed, so neither is marked optional.
        self.fields["owner"].one_of_two = self.fields["owner_search"].one_of_two = True
        self.fields["owner"].choices = [
            ("", "---------"),
            (_("Members and attendees"), [(p.pk, p.full_name) for p in first]),
        ]
        self.fields["owner_search"].widget = DatalistInput(
            options=() if shared_list else sorted(self.searchable),
            list_id=shared_list,
            attrs={"autocomplete": "off"},
        )
        self.order_fields(["what", "owner", "owner_search", "due_on"])

    def searchable_names(self) -> list[str]:
        return sorted(self.searchable)

    def clean(self):
        cleaned = super().clean()
        search = (cleaned.get("owner_search") or "").strip()
        owner = cleaned.get("owner")
        if search:
            found = self._find(search)
            if found is None:
                self.add_error(
                    "owner_search", _("Nobody by this name can be chosen; choose a name from the suggestions.")
                )
            elif owner and owner != found:
                self.add_error("owner_search", _("Choose one person: from the list or by name, not both."))
            else:
                cleaned["owner"] = found
        elif owner is None and "owner" not in self.errors:
            self.add_error("owner", _("Choose who does it, from the list or by name."))
        return cleaned

    def _find(self, search: str):
        folded = {label.casefold(): person for label, person in self.searchable.items()}
        return folded.get(search.casefold())

    def _post_clean(self):
        # Fill the instance, but leave the model's rules to the view: they need the
        # minutes item, which the form does not have.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class AttendanceGuestForm(forms.Form):
    name = forms.CharField(label=_("name of the guest"), max_length=200)


class ErratumForm(forms.Form):
    correction = forms.CharField(
        label=_("correction"), max_length=limits.TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("reason"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2}))
