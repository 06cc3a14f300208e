from django.utils.functional import SimpleLazyObject


def desk_of(request):
    """What waits for the person of this request: worked out once per request, only when a page asks."""
    if not hasattr(request, "_desk"):
        from reminders.desk import waiting_for

        request._desk = waiting_for(request.user)
    return request._desk


def notifications(request) -> dict:
    """The number of unread notifications for the header; one query, only when a page shows it."""

    def unread() -> int:
        from reminders.models import Reminder

        person = getattr(request.user, "person", None) if request.user.is_authenticated else None
        return Reminder.objects.delivered_to(person).unread().count() if person else 0

    def menu():
        from reminders.menu import menu_for

        if not request.user.is_authenticated:
            return []
        match = getattr(request, "resolver_match", None)
        name = match.view_name if match else None
        return menu_for(desk_of(request), name)

    return {
        "unread_notifications": SimpleLazyObject(unread),
        "desk": SimpleLazyObject(lambda: desk_of(request)),
        "menu": SimpleLazyObject(menu),
    }
