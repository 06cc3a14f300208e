from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditEvent, record, record_each
from core.forms import id_or_none
from core.pagination import paginate
from meetings import access
from meetings.forms import (
    AgendaChangeForm,
    AgendaItemForm,
    AnswerForm,
    CancelForm,
    DisclosureForm,
    DocumentForm,
    ForwardForm,
    MeetingForm,
    MeetingSeriesForm,
    MoveForm,
    NewVersionForm,
    RouteForm,
    SendBackForm,
    SubmissionForm,
)
from meetings.minutes_views import BodyRights, open_action_points
from meetings.models import (
    AgendaItem,
    Document,
    DocumentVersion,
    Meeting,
    Minutes,
    StaleAgenda,
    Submission,
    TransitionNotAllowed,
    number_without_confidential,
    renumber,
)

CONFLICT = 409


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _agenda_items(meeting: Meeting, user, rights: BodyRights | None = None) -> list[AgendaItem]:
    """The items a person may see, with everything the agenda shows, in a fixed number of queries."""
    items = meeting.items.select_related(
        "portfolio", "forwarded_from__meeting__body", "submission", "minutes_to_adopt"
    ).prefetch_related(
        Prefetch("documents", queryset=Document.objects.prefetch_related("versions")),
        Prefetch("forwarded_to", queryset=AgendaItem.objects.select_related("meeting__body")),
    )
    if not (rights or BodyRights(user, meeting.body)).sees_confidential:
        items = items.filter(confidential=False)
    return list(items)


# Bodies and meetings.


def body_list(request: HttpRequest) -> HttpResponse:
    bodies = (
        access.bodies_visible_to(request.user)
        .select_related("cooperation", "policy_area")
        .annotate(upcoming=Count("meetings", filter=Q(meetings__starts_at__gte=timezone.now())))
        .order_by("cooperation__name", "name", "pk")
    )
    page = paginate(request, bodies)
    return render(request, "meetings/body_list.html", {"bodies": page.object_list, "page": page})


UPCOMING_SHOWN = 50


def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The body and its meetings: those to come (the next fifty) and those held in the last twelve months;
    `?jaar=` shows the past meetings of an earlier year instead."""
    body = access.get_body_for_user(request.user, pk)
    now = timezone.now()
    meetings = body.meetings.annotate(item_count=Count("items", filter=Q(items__kind=AgendaItem.Kind.REGULAR)))
    years = [day.year for day in body.meetings.past(now).dates("starts_at", "year", order="DESC")]
    year = request.GET.get("jaar", "")
    year = id_or_none(year)
    year = year if year in years else None
    if year is None:
        past = meetings.past(now).filter(starts_at__gte=now - timezone.timedelta(days=365))
    else:
        past = meetings.past(now).filter(starts_at__year=year)
    return render(
        request,
        "meetings/body_detail.html",
        {
            "body": body,
            "upcoming": meetings.upcoming(now)[:UPCOMING_SHOWN],
            "past": past,
            "year": year,
            "years": years,
            "can_prepare": access.can_prepare(request.user, body),
            "held_this_year": body.meetings_held_in(timezone.localdate().year),
            "rule_problems": body.membership_rule_problems(),
        },
    )


def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = access.get_body_for_user(request.user, pk, prepare=True)
    form = MeetingForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, _("The meeting is planned, with the fixed opening and closing items."))
        return redirect("meeting_agenda", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"body": body, "form": form})


def meeting_series_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = access.get_body_for_user(request.user, pk, prepare=True)
    today = timezone.localdate()
    initial = {
        "first_day": today,
        "last_day": today.replace(year=today.year + 1),
        "start_time": body.usual_start_time,
    }
    form = MeetingSeriesForm(request.POST or None, body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        existing = set(body.meetings.values_list("starts_at", flat=True))
        with transaction.atomic():
            created = [
                Meeting.for_body(body, starts_at).save() or starts_at
                for starts_at in form.cleaned_data["dates"]
                if starts_at not in existing
            ]
        skipped = len(form.cleaned_data["dates"]) - len(created)
        planned = ngettext("%(count)s meeting planned.", "%(count)s meetings planned.", len(created))
        messages.success(request, planned % {"count": len(created)})
        if skipped:
            messages.info(
                request,
                ngettext("%(count)s day already had a meeting.", "%(count)s days already had a meeting.", skipped)
                % {"count": skipped},
            )
        return redirect("body_detail", pk=body.pk)
    return render(request, "meetings/meeting_series_form.html", {"body": body, "form": form})


def meeting_update(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, prepare=True)
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.MINUTES_ADOPTED):
        return render(
            request,
            "meetings/conflict.html",
            {
                "message": _("This meeting is %(status)s and no longer changes.")
                % {"status": meeting.get_status_display()}
            },
            status=CONFLICT,
        )
    form = MeetingForm(request.POST or None, instance=meeting, body=meeting.body)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The meeting details are saved."))
        return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"body": meeting.body, "form": form, "meeting": meeting})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    rights = BodyRights(request.user, meeting.body)
    can_prepare = rights.prepares
    # A draft agenda is the secretary's; others see the meeting, not its items (a forwarder: the forwarded ones).
    if meeting.is_published or can_prepare:
        items = _agenda_items(meeting, request.user, rights)
    else:
        forwarded = set(access.forwarded_items(request.user, meeting).values_list("pk", flat=True))
        items = [i for i in _agenda_items(meeting, request.user, rights) if i.pk in forwarded] if forwarded else []
    addenda = list(meeting.addenda.select_related("item", "made_by__person"))
    if not rights.sees_confidential:
        # Confidential means confidential everywhere: no addendum of such an item, no gap in the numbering.
        addenda = [a for a in addenda if a.item is None or not a.item.confidential]
        renumber([a.item for a in addenda], number_without_confidential(items))
    # Who saw which confidential item, one event per item shown, in one INSERT (docs/adr/0013).
    record_each(
        AuditEvent.Kind.VIEWED_CONFIDENTIAL,
        [i for i in items if i.confidential],
        request=request,
        page="meeting",
        meeting=meeting.pk,
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "can_prepare": can_prepare,
            "member_view": rights["view_meetings"],
            "addenda": addenda,
            "linked_body_ids": _linked_body_ids(request.user, meeting, can_prepare, items),
            "pdf": meeting.pdfs.first(),
            "cancel_form": CancelForm(),
            "minutes": Minutes.objects.filter(meeting=meeting).first(),
            "open_actions": open_action_points(meeting) if items else [],
            **_attendance_notices(request.user, meeting, can_prepare),
        },
    )


def _attendance_notices(user, meeting: Meeting, can_prepare: bool) -> dict:
    """The invitee's own apologies, and for the secretariat all of them, with who comes in whose place."""
    person = getattr(user, "person", None)
    apologies = list(meeting.apologies.select_related("person", "replacement")) if can_prepare else []
    mine = None
    if person is not None:
        mine = (
            next((a for a in apologies if a.person_id == person.pk), None)
            if can_prepare
            else meeting.apologies.filter(person=person).select_related("replacement").first()
        )
    invited = (
        person is not None
        and meeting.status in (Meeting.Status.PLANNED, Meeting.Status.PUBLISHED)
        and any(p.pk == person.pk for p in meeting.invitees())
    )
    return {"apologies": apologies, "my_apology": mine, "invited": invited}


def _person_line(name, role, municipality=None) -> str:
    return f"{name}, {role} ({municipality})" if municipality else f"{name}, {role}"


def _invitee_groups(meeting: Meeting) -> list[tuple[str, list[str]]]:
    """Who the meeting is for: the members of the body, the invited portfolio holders and, for a joint
    council meeting, the council members and griffiers; each as (heading, names)."""
    on = timezone.localdate(meeting.starts_at)
    members = [
        _person_line(m.person.full_name, m.get_role_display(), m.on_behalf_of)
        for m in meeting.body.members_on(on).order_by("role", "person__surname")
    ]
    groups = [(_("Members of %(body)s") % {"body": meeting.body.name}, members)]
    invited = [_person_line(p.full_name, _("portfolio holder"), p.invited_for) for p in meeting.invitations()]
    if invited:
        groups.append((_("Invited portfolio holders"), invited))
    councils = [
        _person_line(o.person.full_name, o.get_role_display(), o.municipality) for o in meeting.invited_councils()
    ]
    if councils:
        groups.append((_("Invited council members and griffiers"), councils))
    return groups


def _meeting_step_done(meeting: Meeting, action: str) -> str | None:
    """For a confirmation page reached again: the step already happened, or is no longer possible."""
    if action == "publish" and meeting.is_published and meeting.published_at:
        return _("This agenda was already published on %(date)s.") % {
            "date": date_format(timezone.localtime(meeting.published_at), "j F Y, H:i")
        }
    if action == "held" and meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_ADOPTED):
        return _("This meeting is already marked as held.")
    if action == "cancel" and meeting.is_cancelled:
        return _("This meeting was already cancelled: %(reason)s") % {"reason": meeting.cancellation_reason}
    return None


def _meeting_step_impossible(meeting: Meeting, action: str) -> str | None:
    target = {"publish": Meeting.Status.PUBLISHED, "held": Meeting.Status.HELD, "cancel": Meeting.Status.CANCELLED}
    if not meeting.can_become(target[action]):
        return _("This meeting is %(status)s; this step is no longer possible.") % {
            "status": meeting.get_status_display()
        }
    if action == "held" and not meeting.has_begun:
        return meeting.not_begun_message()
    return None


def _meeting_confirmation(request: HttpRequest, meeting: Meeting, action: str, form=None, status: int = 200):
    label = meeting.long_name()
    groups = _invitee_groups(meeting)
    invitees = sum(len(names) for _heading, names in groups)
    regular = meeting.items.filter(kind=AgendaItem.Kind.REGULAR, withdrawn=False).count()
    if action == "publish":
        heading, verb = _("Publish the agenda?"), _("Yes, publish")
        consequences = [
            _("The agenda of %(meeting)s locks: later changes need a reason and show as an addendum.")
            % {"meeting": label},
            ngettext("The agenda has %(count)s item to discuss.", "The agenda has %(count)s items to discuss.", regular)
            % {"count": regular},
            _("The agenda PDF is made; it can be downloaded from the meeting page."),
            ngettext(
                "The agenda becomes readable for the %(count)s person below.",
                "The agenda becomes readable for the %(count)s people below.",
                invitees,
            )
            % {"count": invitees},
            _("The members of %(body)s receive a notice with a link to the meeting, as each of them chose to be told.")
            % {"body": meeting.body.name},
        ]
    elif action == "held":
        heading, verb = _("Mark the meeting as held?"), _("Yes, mark as held")
        consequences = [
            _("%(meeting)s is recorded as held.") % {"meeting": label},
            _("Its agenda no longer changes, not even by addendum, and the meeting can no longer be cancelled."),
            _("Regional positions on its agenda can then be adopted with the date of this meeting."),
        ]
        groups = []
    else:
        heading, verb = _("Cancel the meeting?"), _("Yes, cancel")
        consequences = [
            _("%(meeting)s is cancelled; it stays visible as cancelled, with your reason.") % {"meeting": label},
            _("Its agenda no longer changes and no minutes are written for it."),
            ngettext(
                "The %(count)s invitee below sees the meeting as cancelled.",
                "The %(count)s invitees below see the meeting as cancelled.",
                invitees,
            )
            % {"count": invitees},
        ]
        form = form or CancelForm()
    done = _meeting_step_done(meeting, action) or _meeting_step_impossible(meeting, action)
    context = {
        "heading": heading,
        "subject": label,
        "consequences": consequences,
        "groups": groups,
        "done": done,
        "form": form if action == "cancel" else None,
        "hidden": [("version", meeting.agenda_version)],
        "action_url": reverse("meeting_transition", args=[meeting.pk, action]),
        "verb": verb,
        "back_url": reverse("meeting_detail", args=[meeting.pk]),
    }
    return render(request, "components/confirm.html", context, status=status)


def _posted_version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return id_or_none(value)


@require_http_methods(["GET", "POST"])
def meeting_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET: what the step does and to whom, to confirm; POST: the step itself."""
    if action not in ("publish", "held", "cancel"):
        raise Http404
    meeting = access.get_meeting_for_user(request.user, pk, prepare=True)
    if request.method == "GET":
        return _meeting_confirmation(request, meeting, action)
    done = _meeting_step_done(meeting, action)
    if done:
        # A second submit of the same confirmation: say so, change nothing.
        messages.info(request, done)
        return redirect("meeting_detail", pk=meeting.pk)
    version = _posted_version(request)
    try:
        if action == "publish":
            meeting.publish(by=request.user, version=version)
            messages.success(request, _("The agenda is published; the PDF is being made."))
        elif action == "held":
            meeting.mark_held(by=request.user, version=version)
            messages.success(request, _("The meeting is marked as held."))
        else:
            form = CancelForm(request.POST)
            if not form.is_valid():
                return _meeting_confirmation(request, meeting, action, form=form, status=400)
            meeting.cancel(by=request.user, reason=form.cleaned_data["reason"], version=version)
            messages.success(request, _("The meeting is cancelled; it stays visible as cancelled."))
    except (TransitionNotAllowed, ValidationError, StaleAgenda) as error:
        text = _error_text(error) if isinstance(error, ValidationError) else str(error)
        return render(request, "meetings/conflict.html", {"message": text, "meeting": meeting}, status=CONFLICT)
    return redirect("meeting_detail", pk=meeting.pk)


def invitation_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation list with names and e-mail addresses: the secretariat's, who sends the invitations."""
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.can_prepare(request.user, meeting.body):
        raise PermissionDenied
    return render(
        request,
        "meetings/invitation_list.html",
        {"meeting": meeting, "invitations": meeting.invitations(), "councils": meeting.invited_councils()},
    )


def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    pdf = meeting.pdfs.first()
    if pdf is None:
        raise Http404
    return FileResponse(pdf.file.open("rb"), as_attachment=True, filename=pdf.file.name.rsplit("/", 1)[-1])


# The agenda builder.


def _builder_context(meeting: Meeting, user, **extra) -> dict:
    rights = BodyRights(user, meeting.body)
    items = _agenda_items(meeting, user, rights)
    regular = [i for i in items if not i.is_fixed]
    return {
        "meeting": meeting,
        "items": items,
        "first_regular": regular[0].pk if regular else None,
        "last_regular": regular[-1].pk if regular else None,
        "item_form": extra.pop("item_form", None) or AgendaItemForm(meeting=meeting, ask_reason=False),
        "change_form": AgendaChangeForm(initial={"version": meeting.agenda_version}),
        "can_forward": meeting.body.prepares_id is not None,
        "linked_body_ids": _linked_body_ids(user, meeting, rights.prepares, items),
        **extra,
    }


def _linked_body_ids(user, meeting: Meeting, prepares: bool, items: list[AgendaItem]) -> set[int]:
    """The bodies whose meetings the agenda may link to for this reader: a link only where it opens.
    Only the bodies the items were forwarded from or to are asked about (none: no query)."""
    linked = {item.forwarded_from.meeting.body_id for item in items if item.forwarded_from_id}
    linked |= {copy.meeting.body_id for item in items for copy in item.forwarded_to.all()}
    ids = set(access.bodies_visible_to(user).filter(pk__in=linked).values_list("pk", flat=True)) if linked else set()
    if prepares and meeting.body.prepares_id:
        ids.add(meeting.body.prepares_id)  # the forwarder reads the meeting the item went to
    return ids


def _render_builder(request, meeting: Meeting, *, status: int = 200, **extra) -> HttpResponse:
    """The builder page, or for htmx its agenda part, which replaces the agenda part whatever the status.

    The reason for a change to a published agenda lies outside that part, so it stays for the next change."""
    meeting.refresh_from_db()
    template = "meetings/agenda_builder.html"
    if request.htmx:
        template += "#agenda"
    extra.setdefault("reason", request.POST.get("reason", ""))
    response = render(request, template, _builder_context(meeting, request.user, **extra), status=status)
    if request.htmx:
        response["HX-Retarget"] = "#agenda"
        response["HX-Reswap"] = "outerHTML"
    return response


def _agenda_error(request, meeting: Meeting, error: Exception) -> HttpResponse:
    text = _error_text(error) if isinstance(error, ValidationError) else str(error)
    status = 400 if isinstance(error, ValidationError) else CONFLICT
    about_reason = isinstance(error, ValidationError) and "reason" in getattr(error, "error_dict", {})
    return _render_builder(
        request, meeting, status=status, error=text, error_field="id_change_reason" if about_reason else ""
    )


def agenda_builder(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, prepare=True)
    # The builder shows every item to its secretariat, the confidential ones too (not recorded again on
    # each htmx change: those are recorded as changes in the history).
    shown = meeting.items.filter(confidential=True).only("pk") if not request.htmx else []
    record_each(AuditEvent.Kind.VIEWED_CONFIDENTIAL, list(shown), request=request, page="agenda", meeting=meeting.pk)
    return _render_builder(request, meeting, **_moved_from_query(request, meeting))


def _moved_from_query(request: HttpRequest, meeting: Meeting) -> dict:
    """A move posted as a plain form (before the script took the form over, or without it) comes back
    here by redirect; the item it names gets the keyboard focus again, as after a move through htmx.
    Anything but one of this meeting's items is ignored."""
    moved, direction = request.GET.get("verplaatst", ""), request.GET.get("richting", "")
    if (
        not (moved.isascii() and moved.isdigit() and len(moved) < 19)
        or direction not in ("up", "down")
        or not meeting.items.filter(pk=moved).exists()
    ):
        return {}
    return {"moved": int(moved), "direction": direction}


@require_POST
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, prepare=True)
    # The builder asks the reason once, for all changes, outside the item form.
    form = AgendaItemForm(request.POST, meeting=meeting, ask_reason=False)
    if not form.is_valid():
        return _render_builder(request, meeting, status=400, item_form=form)
    try:
        meeting.add_item(
            version=form.cleaned_data["version"],
            by=request.user,
            reason=request.POST.get("reason", ""),
            **form.item_fields(),
        )
    except (StaleAgenda, TransitionNotAllowed, ValidationError) as error:
        return _agenda_error(request, meeting, error)
    if request.htmx:
        return _render_builder(request, meeting, notice=_("The item is added to the agenda."))
    messages.success(request, _("The item is added to the agenda."))
    return redirect("meeting_agenda", pk=meeting.pk)


def item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk, prepare=True)
    meeting = item.meeting
    if item.is_fixed:
        raise PermissionDenied
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            # The form changed the instance in memory; the model method saves it under the lock.
            meeting.update_item(
                item,
                version=form.cleaned_data["version"],
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
                **form.item_fields(),
            )
        except (StaleAgenda, TransitionNotAllowed, ValidationError) as error:
            text = _error_text(error) if isinstance(error, ValidationError) else str(error)
            form.add_error(None, text)
            status = 400 if isinstance(error, ValidationError) else CONFLICT
            return render(request, "meetings/item_form.html", {"form": form, "item": item}, status=status)
        messages.success(request, _("The item is saved."))
        return redirect("meeting_agenda", pk=meeting.pk)
    return render(request, "meetings/item_form.html", {"form": form, "item": item})


@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk, prepare=True)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _render_builder(request, item.meeting, status=400, error=_("Choose where the item goes."))
    data = form.cleaned_data
    step = -1 if data.get("direction") == "up" else 1
    target = data.get("position") or item.position + step
    try:
        item.meeting.move_item(
            item, to_position=target, version=data["version"], by=request.user, reason=data["reason"]
        )
    except (StaleAgenda, TransitionNotAllowed, ValidationError) as error:
        return _agenda_error(request, item.meeting, error)
    if request.htmx:
        return _render_builder(request, item.meeting, moved=item.pk, direction=data.get("direction") or "up")
    direction = "down" if step > 0 else "up"
    return redirect(
        reverse("meeting_agenda", args=[item.meeting_id]) + f"?verplaatst={item.pk}&richting={direction}#item-{item.pk}"
    )


@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk, prepare=True)
    form = AgendaChangeForm(request.POST)
    if not form.is_valid():
        return _render_builder(request, item.meeting, status=400, error=_("The form was incomplete; try again."))
    try:
        item.meeting.remove_item(
            item, version=form.cleaned_data["version"], by=request.user, reason=form.cleaned_data["reason"]
        )
    except (StaleAgenda, TransitionNotAllowed, ValidationError) as error:
        return _agenda_error(request, item.meeting, error)
    if request.htmx:
        return _render_builder(request, item.meeting, notice=_("The item is taken off the agenda."))
    messages.success(request, _("The item is taken off the agenda."))
    return redirect("meeting_agenda", pk=item.meeting_id)


def item_forward(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk, prepare=True)
    form = ForwardForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        # Preparing a body includes handing its items on to the body it prepares
        # (the form offers only that body's planned meetings).
        target = form.cleaned_data["meeting"]
        try:
            copy = item.forward(to=target, by=request.user)
        except (StaleAgenda, TransitionNotAllowed, ValidationError) as error:
            form.add_error(None, _error_text(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(
                request,
                _("The item and its documents are forwarded to %(meeting)s as item %(number)s.")
                % {"meeting": target, "number": copy.number},
            )
            return redirect("meeting_agenda", pk=item.meeting_id)
    return render(request, "meetings/item_forward.html", {"form": form, "item": item})


# Documents.


def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk, prepare=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            document = Document.objects.create(item=item, title=form.cleaned_data["title"] or upload.name)
            version = document.add_version(upload, by=request.user, content_type=upload.checked_content_type)
        if version.is_late:
            messages.warning(request, _("The document is added, and marked late: the documents deadline has passed."))
        else:
            messages.success(request, _("The document is added."))
        return redirect("meeting_agenda", pk=item.meeting_id)
    return render(
        request, "meetings/document_form.html", {"form": form, "item": item}, status=400 if form.errors else 200
    )


def document_replace(request: HttpRequest, pk: int) -> HttpResponse:
    document = Document.objects.filter(pk=pk, item__isnull=False).select_related("item").first()
    if document is None:
        raise Http404
    item = access.get_item_for_user(request.user, document.item_id, prepare=True)
    form = NewVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            document.add_version(
                upload,
                by=request.user,
                content_type=upload.checked_content_type,
                redacted=form.cleaned_data["redacted"],
            )
        messages.success(request, _("A new version of the document is added; the earlier ones stay available."))
        return redirect("meeting_agenda", pk=item.meeting_id)
    return render(
        request,
        "meetings/document_form.html",
        {"form": form, "item": item, "document": document},
        status=400 if form.errors else 200,
    )


def document_disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat records whether a document is published with its agenda (Woo art. 5.1, 5.2)."""
    document = Document.objects.filter(pk=pk, item__isnull=False).select_related("item").first()
    if document is None:
        raise Http404
    item = access.get_item_for_user(request.user, document.item_id, prepare=True)
    form = DisclosureForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        document = form.save(commit=False)
        document._change_reason = "disclosure"
        document.save()
        messages.success(request, _("The publication of the document is recorded."))
        return redirect("meeting_agenda", pk=item.meeting_id)
    return render(
        request,
        "meetings/document_disclosure.html",
        {"form": form, "item": item, "document": document},
        status=400 if form.errors else 200,
    )


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    version: DocumentVersion = access.get_version_for_user(request.user, pk)
    item = version.document.item
    if item is not None:
        detail = {"item": item.pk, "meeting": item.meeting_id, "version": version.number}
        if item.confidential:
            record(AuditEvent.Kind.VIEWED_CONFIDENTIAL, request=request, obj=version.document, page="file", **detail)
        if not item.meeting.is_published:
            record(AuditEvent.Kind.DOWNLOADED_DRAFT, request=request, obj=version.document, **detail)
    response = FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name)
    response["Content-Type"] = version.content_type
    return response


# Submissions and triage.


def submission_create(request: HttpRequest) -> HttpResponse:
    municipalities = access.submitting_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    # Meeting schedules are public; any planned meeting may be preferred.
    meetings = Meeting.objects.open_for_items().filter(body__is_active=True).select_related("body")
    form = SubmissionForm(request.POST or None, request.FILES or None, municipalities=municipalities, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            submission = form.save(commit=False)
            submission.submitted_by = request.user
            submission.save()
            for upload in form.cleaned_data["documents"]:
                document = Document.objects.create(submission=submission, title=upload.name)
                document.add_version(upload, by=request.user, content_type=upload.checked_content_type)
        messages.success(request, _("Submitted. The regional coordinator will triage it; you can follow it here."))
        return redirect("submission_detail", pk=submission.pk)
    return render(request, "meetings/submission_form.html", {"form": form}, status=400 if form.errors else 200)


def my_submissions(request: HttpRequest) -> HttpResponse:
    submissions = (
        Submission.objects.filter(submitted_by=request.user)
        .select_related("municipality", "agenda_item__meeting__body")
        .order_by("-submitted_at", "-pk")
    )
    page = paginate(request, submissions)
    return render(request, "meetings/my_submissions.html", {"submissions": page.object_list, "page": page})


def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access.get_submission_for_user(request.user, pk)
    coordinator = access.is_coordinator(request.user)
    return render(
        request,
        "meetings/submission_detail.html",
        {
            "submission": submission,
            "documents": submission.documents.prefetch_related("versions"),
            "coordinator": coordinator,
            "answer_form": AnswerForm(),
            "route_form": RouteForm(refresh_url=_route_url(submission)),
            "send_back_form": SendBackForm(),
        },
    )


def _route_url(submission: Submission) -> str:
    return reverse("submission_triage", args=[submission.pk, "route"])


@require_POST
def submission_triage(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    submission = access.get_submission_for_user(request.user, pk, triage=action != "resubmit")
    forms = {"answer": AnswerForm, "route": RouteForm, "send-back": SendBackForm}
    form = forms[action](request.POST) if action in forms else None
    if action == "route":
        form = RouteForm(request.POST, refresh_url=_route_url(submission))
        if request.POST.get("refresh"):
            # The body changed: the page again, its meeting select now with that body's open meetings.
            form = RouteForm(initial={"body": request.POST.get("body")}, refresh_url=_route_url(submission))
    try:
        if action == "resubmit":
            if submission.submitted_by_id != request.user.pk:
                raise PermissionDenied
            submission.resubmit(by=request.user)
            messages.success(request, _("Submitted again."))
            return redirect("submission_detail", pk=submission.pk)
        if form is None:
            raise Http404
        if not form.is_bound or not form.is_valid():
            context = {
                "submission": submission,
                "documents": submission.documents.prefetch_related("versions"),
                "coordinator": True,
                "answer_form": AnswerForm(),
                "route_form": RouteForm(refresh_url=_route_url(submission)),
                "send_back_form": SendBackForm(),
                f"{action.replace('-', '_')}_form": form,
            }
            return render(request, "meetings/submission_detail.html", context, status=400 if form.is_bound else 200)
        if action == "answer":
            submission.answer_directly(by=request.user, answer=form.cleaned_data["answer"])
            messages.success(request, _("The answer is recorded; the submitter sees it."))
        elif action == "send-back":
            submission.send_back(by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Sent back to the submitter with your reason."))
        else:
            meeting = form.cleaned_data["meeting"]
            item = submission.route(by=request.user, meeting=meeting)
            messages.success(
                request,
                _("Put on the agenda of %(meeting)s as item %(number)s.") % {"meeting": meeting, "number": item.number},
            )
    except (TransitionNotAllowed, ValidationError, StaleAgenda) as error:
        text = _error_text(error) if isinstance(error, ValidationError) else str(error)
        return render(request, "meetings/conflict.html", {"message": text}, status=CONFLICT)
    return redirect("triage_inbox")


def triage_inbox(request: HttpRequest) -> HttpResponse:
    if not access.is_coordinator(request.user):
        raise Http404
    # The number of documents in a subquery per row of the page, not a GROUP BY over the joined tables;
    # oldest first, a page at a time (core/pagination.py).
    documents = Document.objects.filter(submission=OuterRef("pk")).order_by().values("submission")
    waiting = (
        Submission.objects.waiting()
        .select_related("municipality", "portfolio", "submitted_by__person", "preferred_meeting__body")
        .annotate(document_count=Coalesce(Subquery(documents.annotate(n=Count("pk")).values("n")), 0))
        .order_by("submitted_at", "pk")
    )
    recent = (
        Submission.objects.exclude(status=Submission.Status.SUBMITTED)
        .select_related("municipality", "agenda_item__meeting__body")
        .order_by(F("triaged_at").desc(nulls_last=True))[:10]
    )
    page = paginate(request, waiting)
    return render(request, "meetings/triage_inbox.html", {"page": page, "recent": recent})


# Personal pages.


def my_work(request: HttpRequest) -> HttpResponse:
    """For a secretary: the meetings to prepare and the items waiting for documents."""
    bodies = access.bodies_prepared_by(request.user)
    now = timezone.now()
    # The counts in a subquery per meeting of the page, not a GROUP BY over every upcoming meeting's items
    # and documents: the coordinator prepares every body's meetings.
    regular = AgendaItem.objects.filter(meeting=OuterRef("pk"), kind=AgendaItem.Kind.REGULAR, withdrawn=False)

    def count(items):
        return Coalesce(Subquery(items.order_by().values("meeting").annotate(n=Count("pk")).values("n")), 0)

    meetings = (
        Meeting.objects.upcoming(now)
        .filter(body__in=bodies, status__in=[Meeting.Status.PLANNED, Meeting.Status.PUBLISHED])
        .select_related("body")
        .annotate(item_count=count(regular), without_documents=count(regular.filter(documents__isnull=True)))[:30]
    )
    # The meeting's conditions on the join rather than `meeting__in`: the items are then read meeting by
    # meeting in date order, up to the fifty shown.
    new_items = (
        AgendaItem.objects.filter(
            meeting__starts_at__gte=now,
            meeting__status=Meeting.Status.PLANNED,
            meeting__body__in=bodies,
            submission__isnull=False,
        )
        .select_related("meeting__body", "submission__municipality")
        .order_by("meeting__starts_at", "position")[:50]
    )
    return render(request, "meetings/my_work.html", {"meetings": meetings, "new_items": new_items})


def my_invitations(request: HttpRequest) -> HttpResponse:
    """For an alderman: published meetings with items in their portfolios; for the chair of a
    portfolio-holder meeting also the coordination meetings with items in its policy area."""
    items = (
        access.invited_items(request.user)
        .select_related("meeting__body", "portfolio")
        .order_by("meeting__starts_at", "position", "pk")
    )
    page = paginate(request, items)
    return render(request, "meetings/my_invitations.html", {"items": page.object_list, "page": page})
