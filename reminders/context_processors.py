from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

# The menu's counts are the desk's (reminders/desk.py), which costs a query or two per kind of work. A page
# other than the start page shows the counts of the person's desk of at most this long ago, so that not every
# page pays for every count; the start page always works them out afresh, and so does the first page after a
# change the person made (ForgetMenuAfterChanges). What others change shows within this time.
MENU_SECONDS = 60


def menu_key(user) -> str:
    return f"menu-desk:{user.pk}"


def desk_of(request):
    """What waits for the person of this request: worked out once per request, only when a page asks."""
    if not hasattr(request, "_desk"):
        from reminders.desk import waiting_for

        request._desk = waiting_for(request.user)
        if request.user.is_authenticated:
            cache.set(menu_key(request.user), request._desk.snapshot(), MENU_SECONDS)
    return request._desk


def menu_desk(request):
    """The desk the menu counts from: this request's own when it made one, else the cached one of today."""
    if hasattr(request, "_desk") or not request.user.is_authenticated:
        return desk_of(request)
    from reminders.desk import Desk

    snapshot = cache.get(menu_key(request.user))
    if snapshot is None or snapshot["today"] != timezone.localdate():
        return desk_of(request)
    return Desk.from_snapshot(request.user, snapshot)


class ForgetMenuAfterChanges:
    """After a request that may have changed something (not GET/HEAD/OPTIONS), the person's next page works
    the menu counts out afresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in ("GET", "HEAD", "OPTIONS") and user is not None and user.is_authenticated:
            cache.delete(menu_key(user))
        return response


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
        return menu_for(menu_desk(request), name)

    return {
        "unread_notifications": SimpleLazyObject(unread),
        "desk": SimpleLazyObject(lambda: menu_desk(request)),
        "menu": SimpleLazyObject(menu),
    }
