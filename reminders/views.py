from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

from core.forms import safe_next
from municipalities.backends import is_regional_coordinator
from municipalities.models import Person
from reminders.context_processors import desk_of
from reminders.forms import DeliveryForm
from reminders.models import Reminder, TaskRun


def home(request: HttpRequest) -> HttpResponse:
    """A person's start page: what waits for them today (most urgent first), their next meetings, the offices
    they hold and the bodies they sit in. The list is the desk, the same source as the menu counts and the digest."""
    from governance.models import Membership
    from municipalities.models import Office

    desk = desk_of(request)
    person = desk.roles.person
    offices = memberships = []
    if person is not None:
        offices = (
            Office.objects.current()
            .of_person(person)
            .select_related("municipality", "organisation")
            .prefetch_related("portfolios")
            .order_by("starts_on")
        )
        memberships = (
            Membership.objects.current()
            .filter(person=person)
            .select_related("body__cooperation", "on_behalf_of")
            .order_by("body__name")
        )
    return render(
        request,
        "reminders/home.html",
        {"person": person, "desk": desk, "offices": offices, "memberships": memberships},
    )


def _person_of(user) -> Person:
    """Reminders belong to a person; a log-in without one has no notification list."""
    person = getattr(user, "person", None)
    if person is None:
        raise Http404
    return person


def notification_list(request: HttpRequest) -> HttpResponse:
    """Every reminder that reached the person, newest first, unread ones marked."""
    person = _person_of(request.user)
    reminders = Reminder.objects.delivered_to(person).order_by("-sent_at", "-pk")
    if request.GET.get("filter") == "unread":
        reminders = reminders.unread()
    page = Paginator(reminders, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/notification_list.html",
        {"page": page, "only_unread": request.GET.get("filter") == "unread", "person": person},
    )


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks one as read (or unread again) and, when asked, goes on to the page it is about."""
    person = _person_of(request.user)
    reminder = get_object_or_404(Reminder.objects.delivered_to(person), pk=pk)
    if request.POST.get("unread"):
        reminder.read_at = None
    elif reminder.read_at is None:
        reminder.read_at = timezone.now()
    reminder.save(update_fields=["read_at"])
    if request.POST.get("open") and reminder.link:
        return redirect(reminder.link)
    return redirect(safe_next(request, "notification_list"))


@require_POST
def notifications_all_read(request: HttpRequest) -> HttpResponse:
    person = _person_of(request.user)
    count = Reminder.objects.delivered_to(person).unread().update(read_at=timezone.now())
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notification_list")


def delivery_settings(request: HttpRequest) -> HttpResponse:
    person = _person_of(request.user)
    form = DeliveryForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choice is saved."))
        return redirect("notification_list")
    return render(request, "reminders/delivery_form.html", {"form": form})


def operations_status(request: HttpRequest) -> HttpResponse:
    """For the coordinator: is anything stuck, failing or not running?"""
    if not (is_regional_coordinator(request.user) or request.user.is_superuser):
        raise PermissionDenied
    now = timezone.now()
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    reminders = Reminder.objects.all()
    # Six counts, each read from an index on status (models.py), rather than one pass over the million rows
    # of the table; "due" as ReminderQuerySet.due() has it.
    due = (Q(retry_after__isnull=True) | Q(retry_after__lte=now)) & Q(status=Reminder.Status.PENDING, due_at__lte=now)
    figures = {
        "due": due,
        "planned": Q(status=Reminder.Status.PENDING, due_at__gt=now),
        "claimed": Q(status=Reminder.Status.CLAIMED),
        "sent_today": Q(status=Reminder.Status.SENT, sent_at__gte=start_of_today),
        "skipped_today": Q(status=Reminder.Status.SKIPPED, changed_at__gte=start_of_today),
        "failed": Q(status=Reminder.Status.FAILED),
    }
    counts = {name: reminders.filter(condition).count() for name, condition in figures.items()}
    failed = reminders.filter(status=Reminder.Status.FAILED).select_related("recipient").order_by("-due_at")[:50]
    runs = {run.name: run for run in TaskRun.objects.all()}
    dispatch = runs.get("dispatch")
    return render(
        request,
        "reminders/operations_status.html",
        {
            "counts": counts,
            "failed": failed,
            "runs": runs,
            "dispatcher_late": dispatch is None or dispatch.finished_at < now - timezone.timedelta(minutes=5),
            "schedules": PeriodicTask.objects.select_related("crontab", "interval").order_by("name"),
        },
    )


@require_POST
def retry_failed(request: HttpRequest) -> HttpResponse:
    if not (is_regional_coordinator(request.user) or request.user.is_superuser):
        raise PermissionDenied
    count = Reminder.objects.filter(status=Reminder.Status.FAILED).update(
        status=Reminder.Status.PENDING, attempts=0, retry_after=None, note="", changed_at=timezone.now()
    )
    messages.success(request, _("%(count)s failed reminders will be sent again.") % {"count": count})
    return redirect("operations_status")
