"""Attendance, minutes, comments, errata and action points.

| who                                  | write minutes | comment (sent) | read draft | read adopted        |
|--------------------------------------|---------------|----------------|------------|---------------------|
| regional coordinator                 | yes           | yes            | yes        | yes                 |
| secretary or chair of the body       | yes           | yes            | yes        | yes                 |
| member or advisory member            | no            | yes            | no (404)   | yes                 |
| office holder in the cooperation     | no            | no             | no (404)   | yes, not confidential items |
| anyone else                          | no            | no             | no (404)   | no (404)            |
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from guardian.core import ObjectPermissionChecker

from audit.models import AuditEvent, record_each
from core.forms import id_or_none, safe_next
from core.pagination import paginate
from governance.models import Cooperation, Membership
from meetings import access
from meetings.forms import ActionPointForm, AttendanceGuestForm, ErratumForm
from meetings.models import (
    ActionPoint,
    Attendance,
    Erratum,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesItem,
    StaleAgenda,
    TransitionNotAllowed,
    number_without_confidential,
)
from municipalities.models import Office, Person

CONFLICT = 409
CAPACITY_OF_ROLE = {
    Membership.Role.CHAIR: Attendance.Capacity.CHAIR,
    Membership.Role.SECRETARY: Attendance.Capacity.SECRETARY,
    Membership.Role.MEMBER: Attendance.Capacity.MEMBER,
    Membership.Role.ADVISORY_MEMBER: Attendance.Capacity.ADVISORY,
}


class BodyRights:
    """What a person may do in one body, asked once: django-guardian asks two queries per `has_perm`, and a
    meeting page checks four permissions of its body. The coordinator (and a superuser) may do everything."""

    def __init__(self, user, body):
        self.codenames = None if access.is_coordinator(user) else set(ObjectPermissionChecker(user).get_perms(body))

    def __getitem__(self, codename: str) -> bool:
        return self.codenames is None or codename in self.codenames

    @property
    def prepares(self) -> bool:
        return self["prepare_meetings"]

    @property
    def sees_confidential(self) -> bool:
        return self["view_confidential_items"]


def _reads_adopted(user, minutes: Minutes) -> bool:
    """Adopted minutes are read by office holders of the cooperations the body belongs to (a joint body's too)."""
    cooperations = minutes.meeting.body.cooperation_ids()
    return Cooperation.objects.where_office_held_by(user).filter(pk__in=cooperations).exists()


def get_minutes_for_user(user, pk: int, *, write: bool = False) -> Minutes:
    """The minutes, with the reader's rights in their body as `minutes.rights` (asked once)."""
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__body", "adopted_in"), pk=pk)
    rights = minutes.rights = BodyRights(user, minutes.meeting.body)
    member = rights["view_meetings"]
    adopted_reader = minutes.status == Minutes.Status.ADOPTED and _reads_adopted(user, minutes)
    if not ((member and minutes.status != Minutes.Status.DRAFT) or rights.prepares or adopted_reader):
        raise Http404
    if write and not rights.prepares:
        raise PermissionDenied
    return minutes


def _ensure_minutes(meeting: Meeting) -> Minutes:
    """The minutes of a meeting, with an entry for every item on its agenda."""
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    missing = meeting.items.filter(withdrawn=False).exclude(pk__in=minutes.items.values("agenda_item_id"))
    MinutesItem.objects.bulk_create(MinutesItem(minutes=minutes, agenda_item=item) for item in missing)
    return minutes


@transaction.atomic
def _fill_attendance(meeting: Meeting) -> None:
    """The attendance list from the invitation list: members, advisory members, secretary, invited aldermen."""
    on = timezone.localtime(meeting.starts_at).date()
    seen = set(meeting.attendance.values_list("person_id", flat=True))
    rows = []
    for membership in meeting.body.members_on(on):
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            rows.append(
                Attendance(
                    meeting=meeting,
                    person=membership.person,
                    capacity=CAPACITY_OF_ROLE[membership.role],
                    on_behalf_of=membership.on_behalf_of,
                    took_minutes=membership.role == Membership.Role.SECRETARY,
                )
            )
    for person in meeting.invitations():
        if person.pk not in seen:
            seen.add(person.pk)
            rows.append(
                Attendance(
                    meeting=meeting,
                    person=person,
                    capacity=Attendance.Capacity.ALDERMAN,
                    on_behalf_of=person.invited_for,
                )
            )
    # Who sent apologies is expected absent with notice, and whoever comes in their place is on the list.
    apologies = {a.person_id: a for a in meeting.apologies.select_related("replacement")}
    for row in list(rows):
        apology = apologies.get(row.person_id)
        if apology is None:
            continue
        row.presence = Attendance.Presence.EXCUSED
        if apology.replacement_id and apology.replacement_id not in seen:
            seen.add(apology.replacement_id)
            rows.append(
                Attendance(
                    meeting=meeting,
                    person=apology.replacement,
                    # A replacement sits as a member: the chair's place goes to the vice-chair, not to them.
                    capacity=Attendance.Capacity.MEMBER if row.capacity == Attendance.Capacity.CHAIR else row.capacity,
                    on_behalf_of=row.on_behalf_of,
                )
            )
        elif apology.replacement_name:
            rows.append(
                Attendance(
                    meeting=meeting,
                    guest_name=apology.replacement_name,
                    capacity=Attendance.Capacity.GUEST,
                    on_behalf_of=row.on_behalf_of,
                )
            )
    Attendance.objects.bulk_create(rows)


def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, prepare=True)
    locked = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.ADOPTED).exists()
    if meeting.status in (Meeting.Status.PLANNED, Meeting.Status.CANCELLED) or locked:
        message = (
            _("The minutes are adopted; the attendance in them no longer changes. Corrections go in an erratum.")
            if locked
            else _("Attendance is kept for a meeting whose agenda is published or that was held.")
        )
        return render(request, "meetings/conflict.html", {"message": message, "meeting": meeting}, status=CONFLICT)
    if not meeting.attendance.exists():
        _fill_attendance(meeting)
    rows = list(meeting.attendance.select_related("person", "on_behalf_of"))
    guest_form = AttendanceGuestForm(request.POST if "add_guest" in request.POST else None)
    if request.method == "POST":
        if "add_guest" in request.POST:
            if guest_form.is_valid():
                Attendance.objects.create(
                    meeting=meeting, guest_name=guest_form.cleaned_data["name"], capacity=Attendance.Capacity.GUEST
                )
                return redirect("attendance_edit", pk=meeting.pk)
        else:
            with transaction.atomic():
                for row in rows:
                    presence = request.POST.get(f"presence-{row.pk}", row.presence)
                    if presence not in Attendance.Presence.values:
                        return render(
                            request,
                            "meetings/conflict.html",
                            {"message": _("Choose present, absent with notice or absent."), "meeting": meeting},
                            status=400,
                        )
                    took = f"minutes-{row.pk}" in request.POST
                    if (row.presence, row.took_minutes) != (presence, took):
                        row.presence, row.took_minutes = presence, took
                        row.save()
            messages.success(request, _("The attendance is saved."))
            return redirect("minutes_edit", pk=meeting.pk)
    counts = {value: sum(1 for r in rows if r.presence == value) for value in Attendance.Presence.values}
    return render(
        request,
        "meetings/attendance_form.html",
        {"meeting": meeting, "rows": rows, "guest_form": guest_form, "counts": counts},
    )


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, prepare=True)
    if meeting.status in (Meeting.Status.PLANNED, Meeting.Status.CANCELLED):
        return render(
            request,
            "meetings/conflict.html",
            {
                "message": _("Minutes are written for a meeting whose agenda is published or that was held."),
                "meeting": meeting,
            },
            status=CONFLICT,
        )
    minutes = _ensure_minutes(meeting)
    items = list(
        minutes.items.select_related("agenda_item").prefetch_related("action_points__owner", "agenda_item__proposals")
    )
    owners, first = _action_point_owners(meeting)
    # One list of the searchable names for the whole page, not one per item's form.
    for item in items:
        item.action_form = ActionPointForm(owners=owners, first=first, prefix=f"item{item.pk}", shared_list=OWNERS)
    owner_names = items[0].action_form.searchable_names() if items else []
    record_each(
        AuditEvent.Kind.VIEWED_CONFIDENTIAL,
        [i.agenda_item for i in items if i.agenda_item.confidential],
        request=request,
        page="minutes_edit",
        meeting=meeting.pk,
    )
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "items": items,
            "comments": minutes.comments.select_related("author__person"),
            "owner_list": OWNERS,
            "owner_names": owner_names,
        },
    )


@require_POST
def minutes_item_save(request: HttpRequest, pk: int) -> JsonResponse:
    """Autosave of one item's text; a stale version is refused with the newer text."""
    item = get_object_or_404(MinutesItem.objects.select_related("minutes__meeting__body"), pk=pk)
    get_minutes_for_user(request.user, item.minutes_id, write=True)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return JsonResponse({"error": _("The page is incomplete; reload it.")}, status=400)
    try:
        item.write(
            version=version,
            discussion=request.POST.get("discussion", ""),
            conclusions=request.POST.get("conclusions", ""),
        )
    except StaleAgenda as error:
        item.refresh_from_db()
        return JsonResponse(
            {
                "error": str(error),
                "version": item.version,
                "discussion": item.discussion,
                "conclusions": item.conclusions,
            },
            status=CONFLICT,
        )
    except TransitionNotAllowed as error:
        return JsonResponse({"error": str(error)}, status=CONFLICT)
    except ValidationError as error:
        # A text past its bound (core/limits.py): the autosave says so and keeps the text in the page.
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"version": item.version, "saved_at": timezone.localtime().strftime("%H:%M:%S")})


OWNERS = "action-point-owners"


def _action_point_owners(meeting: Meeting):
    """Who may own an action point of this meeting (office holders on its day, its members and attendees),
    and those offered first: the body's members and the meeting's attendees."""
    on = timezone.localtime(meeting.starts_at).date()
    members = meeting.body.memberships.current(on).values("person")
    attendees = meeting.attendance.filter(person__isnull=False).values("person")
    offered_first = Q(pk__in=members) | Q(pk__in=attendees)
    holders = Q(pk__in=Office.objects.current(on).values("person"))
    # Read once, in one query: every action point form of the minutes page offers the same people.
    owners = list(
        Person.objects.filter(holders | offered_first)
        .annotate(offered_first=ExpressionWrapper(offered_first, output_field=BooleanField()))
        .order_by("surname", "given_name")
    )
    return owners, [person for person in owners if person.offered_first]


@require_POST
def action_point_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(MinutesItem.objects.select_related("minutes__meeting__body", "agenda_item"), pk=pk)
    minutes = get_minutes_for_user(request.user, item.minutes_id, write=True)
    if minutes.is_locked:
        return render(
            request,
            "meetings/conflict.html",
            {"message": _("The minutes are adopted."), "meeting": minutes.meeting},
            status=CONFLICT,
        )
    owners, first = _action_point_owners(minutes.meeting)
    form = ActionPointForm(request.POST, owners=owners, first=first, prefix=f"item{item.pk}")
    if form.is_valid():
        action = form.save(commit=False)
        action.minutes_item = item
        try:
            action.full_clean(exclude=["body"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            action.save()
            messages.success(request, _("The action point is added."))
            return redirect("minutes_edit", pk=minutes.meeting_id)
    return render(
        request,
        "meetings/action_point_form.html",
        {"form": form, "item": item, "meeting": minutes.meeting},
        status=400,
    )


def _adopting_meeting(minutes: Minutes, chosen: str) -> Meeting | None:
    """The meeting of the same body the minutes are adopted in: the chosen one, else the one with the item."""
    if chosen:
        return minutes.meeting.body.meetings.filter(pk=chosen).first() if id_or_none(chosen) else None
    item = minutes.adoption_item()
    return item.meeting if item is not None else None


def _adoption_done(minutes: Minutes) -> str | None:
    if minutes.status != Minutes.Status.ADOPTED:
        return None
    if minutes.adopted_in is None:
        return _("These minutes were already adopted.")
    return _("These minutes were already adopted in the meeting of %(meeting)s.") % {
        "meeting": minutes.adopted_in.long_name()
    }


def _adoption_confirmation(request: HttpRequest, minutes: Minutes, chosen: str) -> HttpResponse:
    meeting = _adopting_meeting(minutes, chosen)
    done = _adoption_done(minutes)
    consequences = []
    if not done and meeting is None:
        done = _("Choose the meeting of this body in which the minutes are adopted.")
    elif not done:
        try:
            minutes.check_adoption(meeting)
            if not minutes.can_become(Minutes.Status.ADOPTED):
                done = _("These minutes are %(status)s; send them for comment before they are adopted.") % {
                    "status": minutes.get_status_display()
                }
        except ValidationError as error:
            done = " ".join(error.messages)
    if not done:
        fields = minutes.adoption_fields(meeting)
        consequences = [
            _("The minutes of %(minutes)s are adopted in the meeting of %(meeting)s.")
            % {"minutes": minutes.meeting.long_name(), "meeting": meeting.long_name()},
            _("They read: “%(line)s”, signed by the secretary %(secretary)s and the chair %(chair)s.")
            % {
                "line": fields["adoption_line"],
                "secretary": fields["secretary_name"] or "–",
                "chair": fields["chair_name"] or "–",
            },
            _("They lock: from then on, a correction only goes in an erratum. This cannot be undone."),
            _("The PDF of the adopted minutes is made."),
            _("Office holders of the municipalities of the cooperation can read them, without the confidential items."),
        ]
    context = {
        "heading": _("Adopt these minutes?"),
        "subject": _("Minutes of %(meeting)s") % {"meeting": minutes.meeting.long_name()},
        "consequences": consequences,
        "done": done,
        "hidden": [("meeting", meeting.pk)] if meeting else [],
        "action_url": reverse("minutes_transition", args=[minutes.pk, "adopt"]),
        "verb": _("Yes, adopt"),
        "back_url": reverse("meeting_detail", args=[meeting.pk])
        if meeting
        else reverse("minutes_detail", args=[minutes.pk]),
    }
    return render(request, "components/confirm.html", context)


@require_http_methods(["GET", "POST"])
def minutes_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET (adopting only): what adopting does, to confirm; POST: the step itself."""
    if request.method == "GET" and action != "adopt":
        return HttpResponseNotAllowed(["POST"])
    minutes = get_minutes_for_user(request.user, pk)
    if action == "adopt":
        get_minutes_for_user(request.user, pk, write=True)
        if request.method == "GET":
            return _adoption_confirmation(request, minutes, request.GET.get("meeting", ""))
        done = _adoption_done(minutes)
        if done:
            messages.info(request, done)
            return redirect("minutes_detail", pk=minutes.pk)
    try:
        if action == "send":
            get_minutes_for_user(request.user, pk, write=True)
            minutes.send(by=request.user)
            messages.success(request, _("The minutes are sent to the members for comment."))
            return redirect("minutes_detail", pk=minutes.pk)
        if action == "adopt":
            get_minutes_for_user(request.user, pk, write=True)
            chosen = request.POST.get("meeting", "")
            meeting = minutes.meeting.body.meetings.filter(pk=chosen).first() if id_or_none(chosen) else None
            if meeting is None:
                raise ValidationError(_("Choose the meeting of this body in which the minutes are adopted."))
            minutes.adopt(by=request.user, in_meeting=meeting)
            messages.success(request, _("The minutes are adopted."))
            return redirect("minutes_detail", pk=minutes.pk)
        if action == "comment":
            if minutes.status != Minutes.Status.SENT or not request.user.has_perm(
                "governance.view_meetings", minutes.meeting.body
            ):
                raise PermissionDenied
            text = request.POST.get("text", "").strip()
            if not text:
                raise ValidationError(_("Write your comment."))
            MinutesComment.objects.create(minutes=minutes, author=request.user, text=text)
            messages.success(request, _("Your comment is added."))
            return redirect("minutes_detail", pk=minutes.pk)
        if action == "erratum":
            get_minutes_for_user(request.user, pk, write=True)
            if not minutes.is_locked:
                raise TransitionNotAllowed(_("An erratum is for adopted minutes; change draft minutes directly."))
            form = ErratumForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the correction and its reason."))
            Erratum.objects.create(minutes=minutes, made_by=request.user, **form.cleaned_data)
            messages.success(request, _("The erratum is recorded."))
            return redirect("minutes_detail", pk=minutes.pk)
    except (TransitionNotAllowed, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return render(request, "meetings/conflict.html", {"message": text, "meeting": minutes.meeting}, status=CONFLICT)
    raise Http404


def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_minutes_for_user(request.user, pk)
    rights = minutes.rights
    items = minutes.items.select_related("agenda_item").prefetch_related("action_points__owner")
    if not rights.sees_confidential:
        items = list(items.filter(agenda_item__confidential=False))
        number_without_confidential([item.agenda_item for item in items])
    # Iterating fills the queryset's cache: the template reads the same rows, no second query.
    record_each(
        AuditEvent.Kind.VIEWED_CONFIDENTIAL,
        [i.agenda_item for i in items if i.agenda_item.confidential],
        request=request,
        page="minutes",
        meeting=minutes.meeting_id,
    )
    return render(
        request,
        "meetings/minutes_detail.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "items": items,
            "attendance": minutes.meeting.attendance.select_related("person", "on_behalf_of"),
            "comments": minutes.comments.select_related("author__person"),
            "errata": minutes.errata.all(),
            "pdf": minutes.pdfs.first(),
            "can_write": rights.prepares,
            "can_comment": minutes.status == Minutes.Status.SENT and rights["view_meetings"],
            "erratum_form": ErratumForm(),
        },
    )


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_minutes_for_user(request.user, pk)
    pdf = minutes.pdfs.first()
    if pdf is None:
        raise Http404
    return FileResponse(pdf.file.open("rb"), as_attachment=True, filename=pdf.file.name.rsplit("/", 1)[-1])


# Action lists.


def body_action_list(request: HttpRequest, pk: int) -> HttpResponse:
    body = access.get_body_for_user(request.user, pk)
    actions = (
        ActionPoint.objects.open()
        .filter(body=body)
        .select_related("owner", "minutes_item__agenda_item__meeting")
        .overdue_first()
    )
    page = paginate(request, actions)
    return render(request, "meetings/action_list.html", {"body": body, "actions": page.object_list, "page": page})


def my_action_points(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    actions = ActionPoint.objects.none()
    if person is not None:
        actions = (
            ActionPoint.objects.open()
            .filter(owner=person)
            .select_related("body", "minutes_item__agenda_item__meeting")
            .overdue_first()
        )
    page = paginate(request, actions)
    return render(request, "meetings/action_list.html", {"actions": page.object_list, "page": page, "mine": True})


@require_POST
def action_point_close(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    point = get_object_or_404(ActionPoint.objects.select_related("body", "owner"), pk=pk)
    is_owner = point.owner.user_id == request.user.pk
    if not (is_owner or request.user.has_perm("governance.view_meetings", point.body)):
        raise Http404
    if not (is_owner or access.can_prepare(request.user, point.body)):
        raise PermissionDenied
    try:
        if action == "done":
            point.mark_done(by=request.user)
            messages.success(request, _("The action point is marked done."))
        elif action == "drop":
            point.drop(by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The action point is dropped."))
        else:
            raise Http404
    except (TransitionNotAllowed, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return render(request, "meetings/conflict.html", {"message": text}, status=CONFLICT)
    return redirect(safe_next(request, reverse("my_action_points")))


def open_action_points(meeting: Meeting) -> list[ActionPoint]:
    """For the standing agenda item 'action list': the body's open action points before this meeting."""
    return list(
        ActionPoint.objects.open()
        .filter(body=meeting.body, minutes_item__agenda_item__meeting__starts_at__lt=meeting.starts_at)
        .select_related("owner")
        .overdue_first()
    )
