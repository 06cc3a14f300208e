from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from core import limits
from core.ratelimits import too_many_requests
from municipalities.backends import is_regional_coordinator


def searches_too_often(request: HttpRequest) -> bool:
    """Whether this search of a management list (`?q=`), or this search for suggestions in a select
    (`?term=`), is one too many for this person this minute. Each search is a LIKE '%...%' over a large
    table; browsing the lists without a search is not counted (OWASP ASVS 4.0, 11.1.4)."""
    if request.GET.get("q", "").strip():
        group, rate = "admin-search", limits.SEARCH_RATE
    elif request.GET.get("term", "").strip():
        group, rate = "admin-autocomplete", limits.AUTOCOMPLETE_RATE
    else:
        return False
    return is_ratelimited(request, group=group, key="user", rate=rate, increment=True)


class PortalAdminSite(admin.AdminSite):
    """The coordinator's admin site: open to whoever holds a current office of
    regional coordinator (and to superusers), closed to everyone else."""

    site_header = _("Regional portal: management")
    site_title = _("Regional portal")
    index_title = _("Structure of the region")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or is_regional_coordinator(user))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # Log-ins go through the portal's own form (with its lock-out); a
            # logged-in person without the right gets a plain 403.
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            if searches_too_often(request):
                return too_many_requests(request)
            return inner(request, *args, **kwargs)

        return guarded

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))
