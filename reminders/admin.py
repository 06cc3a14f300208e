from cron_descriptor import Options, get_description
from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule
from solo.admin import SingletonModelAdmin

from core.pagination import CappedCountPaginator
from reminders.models import Digest, Reminder, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(SingletonModelAdmin):
    fieldsets = [
        (
            _("Lead times"),
            {
                "fields": [
                    "agenda_deadline_days",
                    "documents_missing_days",
                    "agenda_unpublished_days",
                    "minutes_unsent_days",
                    "college_secretary_days",
                    "college_mayor_days",
                    "council_deadline_days",
                    "action_due_days",
                    "action_overdue_days",
                    "send_hour",
                ]
            },
        ),
        (_("Delivery"), {"fields": ["max_attempts", "claim_timeout_seconds"]}),
    ]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "due_at", "status", "delivery", "attempts", "sent_at"]
    # Choices only: the filters list no values read from the table.
    list_filter = ["status", "kind", "delivery"]
    show_facets = admin.ShowFacets.NEVER
    # By the recipient: the people table is small and the reminders are found through the recipient index.
    search_fields = ["recipient__surname", "=recipient__email"]
    list_select_related = ["recipient"]
    # No date hierarchy and no full count: both read the whole table.
    show_full_result_count = False
    paginator = CappedCountPaginator
    readonly_fields = [f.name for f in Reminder._meta.fields if f.name not in ("status",)]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send the selected failed reminders again"))
    def send_again(self, request, queryset) -> None:
        count = queryset.filter(status=Reminder.Status.FAILED).update(
            status=Reminder.Status.PENDING, attempts=0, retry_after=None, changed_at=timezone.now()
        )
        self.message_user(request, _("%(count)s reminders will be sent again.") % {"count": count})


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "day", "sent_at"]
    list_select_related = ["recipient"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    readonly_fields = ["recipient", "day", "sent_at", "message_id"]

    def has_add_permission(self, request) -> bool:
        return False


# The periodic tasks (django-celery-beat). Their schedules are rows made by the
# migration reminders/0002; the coordinator sees only those named tasks, each
# with a Dutch name and description, and may switch one off or pick another of
# the existing schedules. Schedules themselves (clocked, crontab, interval,
# solar) and every other task stay with the administrators (superusers).

TASKS = {
    "reminders.tasks.dispatch_due_reminders": (
        _("Send the reminders that are due"),
        _("Every minute: claims the reminders that are due and queues them for sending."),
    ),
    "reminders.tasks.return_stuck_reminders": (
        _("Hand out stuck reminders again"),
        _("Hands out again reminders that stayed claimed too long (a worker that died)."),
    ),
    "reminders.tasks.plan_reminders": (
        _("Plan reminders"),
        _("Every quarter of an hour: plans reminders for changes no save announced (offices, lead times)."),
    ),
    "reminders.tasks.send_digests": (
        _("Send the daily digests"),
        _(
            "The daily digest at 08:15, after the reminders of the day went out at 08:00; "
            "the later runs only retry a digest that could not be sent."
        ),
    ),
    "meetings.tasks.open_monthly_evaluations": (
        _("Open the monthly evaluation"),
        _("Daily; from the first working day of the month on, opens that month's evaluation once."),
    ),
    "meetings.tasks.render_missing_pdfs": (
        _("Make missing agenda and minutes PDFs"),
        _("Renders PDFs whose task never reached a worker."),
    ),
    "decisions.tasks.render_missing_pdfs": (
        _("Make missing college-decision PDFs"),
        _("Renders college-decision PDFs whose task never reached a worker."),
    ),
    "governance.tasks.sync_access": (
        _("Bring access rights up to date"),
        _("Nightly: rights follow the memberships and offices that started or ended."),
    ),
    "covenant.tasks.plan_evaluations": (
        _("Plan the covenant's evaluation"),
        _("Nightly: plans once the evaluation each covenant asks for after its evaluation period."),
    ),
}


def describe_schedule(crontab: CrontabSchedule | None) -> str:
    """A crontab in words, in the reader's language (cron-descriptor knows Dutch)."""
    if crontab is None:
        return ""
    options = Options()
    options.use_24hour_time_format = True
    options.locale_code = "nl_NL" if get_language() == "nl" else "en_US"
    expression = " ".join(
        [crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week]
    )
    try:
        return get_description(expression, options)
    except Exception:  # cron-descriptor raises several kinds on an expression it cannot read
        return str(crontab)


class ScheduleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, crontab: CrontabSchedule) -> str:
        return describe_schedule(crontab)


class ScheduledTaskForm(forms.ModelForm):
    """What the coordinator may change about a named task: on or off, and when."""

    crontab = ScheduleChoiceField(
        queryset=CrontabSchedule.objects.all(),
        label=capfirst(_("when")),
        help_text=_("Choose one of the existing schedules; a new schedule is made by an administrator."),
    )

    class Meta:
        model = PeriodicTask
        fields = ["enabled", "crontab"]
        labels = {"enabled": capfirst(_("switched on"))}
        help_texts = {"enabled": _("A task switched off does not run until it is switched on again.")}


class ForAdministratorsOnly:
    """An admin shown to superusers only."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


for model, model_admin in [
    (ClockedSchedule, beat_admin.ClockedScheduleAdmin),
    (CrontabSchedule, beat_admin.CrontabScheduleAdmin),
    (IntervalSchedule, beat_admin.IntervalScheduleAdmin),
    (SolarSchedule, beat_admin.SolarScheduleAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (ForAdministratorsOnly, model_admin), {}))

admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class ScheduledTaskAdmin(beat_admin.PeriodicTaskAdmin):
    coordinator_fields = ["title", "about", "enabled", "crontab", "last_run"]

    def get_queryset(self, request):
        tasks = super().get_queryset(request)
        return tasks if request.user.is_superuser else tasks.filter(task__in=TASKS)

    def get_list_display(self, request):
        if request.user.is_superuser:
            return ["title", "name", "enabled", "schedule", "last_run", "one_off"]
        return ["title", "about", "on_or_off", "schedule", "last_run"]

    def get_list_filter(self, request):
        return super().get_list_filter(request) if request.user.is_superuser else ["enabled"]

    def get_search_fields(self, request):
        return super().get_search_fields(request) if request.user.is_superuser else []

    def get_date_hierarchy(self, request):
        return self.date_hierarchy if request.user.is_superuser else None

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions = {name: action for name, action in actions.items() if name in ("enable_tasks", "disable_tasks")}
        return actions

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return [(None, {"fields": ["title", "about"]}), *super().get_fieldsets(request, obj)]
        return [(None, {"fields": self.coordinator_fields})]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "title", "about", "last_run"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = ScheduledTaskForm
        return super().get_form(request, obj, change, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        task = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), **({"subtitle": self.title(task)} if task else {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        response = super().render_change_form(request, context, *args, **kwargs)
        if not request.user.is_superuser:
            # Django's own form: the package's template adds an English note to the schedule.
            response.template_name = "admin/change_form.html"
        return response

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    @admin.display(description=_("task"), ordering="name")
    def title(self, task: PeriodicTask) -> str:
        return TASKS[task.task][0] if task.task in TASKS else task.name

    @admin.display(description=_("description"))
    def about(self, task: PeriodicTask) -> str:
        return TASKS[task.task][1] if task.task in TASKS else task.description

    @admin.display(description=_("switched on"), ordering="enabled")
    def on_or_off(self, task: PeriodicTask) -> str:
        # In words: Django's icon reads "True" to a screen reader.
        return _("on") if task.enabled else _("off")

    @admin.display(description=_("when"))
    def schedule(self, task: PeriodicTask) -> str:
        return describe_schedule(task.crontab) if task.crontab_id else str(task.schedule)

    @admin.display(description=_("last run"), ordering="last_run_at")
    def last_run(self, task: PeriodicTask):
        return task.last_run_at
