from django.utils.functional import SimpleLazyObject


def notifications(request) -> dict:
    """The number of unread notifications for the header; one query, only when a page shows it."""

    def unread() -> int:
        from reminders.models import Reminder

        person = getattr(request.user, "person", None) if request.user.is_authenticated else None
        return Reminder.objects.delivered_to(person).unread().count() if person else 0

    return {"unread_notifications": SimpleLazyObject(unread)}
