from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from solo.admin import SingletonModelAdmin

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
    list_filter = ["status", "kind", "delivery"]
    search_fields = ["recipient__surname", "recipient__email", "subject"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_at"
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
    readonly_fields = ["recipient", "day", "sent_at", "message_id"]

    def has_add_permission(self, request) -> bool:
        return False
