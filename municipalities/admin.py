from smtplib import SMTPException

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipalities import invitations
from municipalities.forms import OfficeForm
from municipalities.models import (
    CouncilMeetingDate,
    Municipality,
    Office,
    Person,
    Portfolio,
    RegionalOrganisation,
    today,
)


class CurrentFilter(admin.SimpleListFilter):
    """Offices (or memberships) that run today, ended, or have yet to start."""

    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [("current", _("current")), ("ended", _("ended")), ("future", _("not yet started"))]

    def queryset(self, request, queryset):
        on = today()
        if self.value() == "current":
            return queryset.current(on)
        if self.value() == "ended":
            return queryset.filter(ends_on__lt=on)
        if self.value() == "future":
            return queryset.filter(starts_on__gt=on)
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "cbs_code", "website", "council_system"]
    search_fields = ["name", "cbs_code"]
    readonly_fields = ["council_dates_fetched_at", "council_dates_error"]


@admin.register(CouncilMeetingDate)
class CouncilMeetingDateAdmin(admin.ModelAdmin):
    """Imported from each council's system (municipalities/council_dates.py): read here, changed there."""

    list_display = ["municipality", "starts_at", "name", "cancelled"]
    list_filter = ["municipality", "cancelled"]
    date_hierarchy = "starts_at"
    list_select_related = ["municipality"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegionalOrganisation)
class RegionalOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "website"]
    search_fields = ["name", "abbreviation"]


@admin.register(Portfolio)
class PortfolioAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name", "description"]


class OfficeInline(admin.StackedInline):
    # Stacked, not a table: six fields of an office, two of them autocompletes
    # of several names, do not fit in one row beside the sidebar at 1280px.
    model = Office
    form = OfficeForm
    extra = 0
    fields = ["role", "municipality", "organisation", "portfolios", "starts_on", "ends_on"]
    autocomplete_fields = ["municipality", "organisation", "portfolios"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["sort_name", "email", "user", "language"]
    list_select_related = ["user"]
    search_fields = ["given_name", "surname", "email", "user__username"]
    list_filter = ["language", "offices__role", "offices__municipality"]
    # Tens of thousands of people nationally: no second COUNT over the whole table per page.
    show_full_result_count = False
    autocomplete_fields = ["user"]
    inlines = [OfficeInline]
    fieldsets = [
        (None, {"fields": ["given_name", "surname_prefix", "surname", "email", "language", "reminder_delivery"]}),
        (_("Log-in"), {"fields": ["user"]}),
    ]

    @admin.display(description=_("name"), ordering="surname")
    def sort_name(self, person: Person) -> str:
        return person.sort_name

    def get_queryset(self, request):
        # The role and municipality filters join offices; keep one row per person (only then: DISTINCT
        # over the whole table is what makes the unfiltered list slow).
        queryset = super().get_queryset(request)
        if any(key.startswith("offices__") for key in request.GET):
            queryset = queryset.distinct()
        return queryset

    def get_urls(self):
        invite = self.admin_site.admin_view(self.invite_view)
        return [path("<path:object_id>/uitnodigen/", invite, name="municipalities_person_invite"), *super().get_urls()]

    def may_invite(self, request: HttpRequest, person: Person | None = None) -> bool:
        return request.user.has_perm("auth.add_user") and self.has_change_permission(request, person)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_invite": self.may_invite(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def invite_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Inlog aanmaken en uitnodigen: a log-in without a password, and an e-mail with a one-time link."""
        person = self.get_object(request, unquote(object_id))
        if person is None:
            raise Http404
        if not self.may_invite(request, person):
            raise PermissionDenied
        problem = invitations.why_not_invite(person)
        if request.method == "POST" and not problem:
            user, created = invitations.create_login(person)
            person.user = user
            if created:
                self.log_addition(request, user, [{"added": {}}])
            try:
                invitations.send_invitation(person, by=request.user)
            except (SMTPException, OSError):
                messages.error(
                    request,
                    gettext("The log-in %(username)s exists, but the invitation could not be sent. Try again later.")
                    % {"username": user.get_username()},
                )
            else:
                self.log_change(
                    request,
                    person,
                    gettext("Invitation sent to %(email)s for the log-in %(username)s.")
                    % {"email": person.email, "username": user.get_username()},
                )
                messages.success(
                    request,
                    gettext("%(person)s has been sent an invitation to choose a password (%(email)s).")
                    % {"person": person, "email": person.email},
                )
            return redirect(reverse("admin:municipalities_person_change", args=[person.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Create log-in and invite"),
            "subtitle": str(person),
            "opts": self.opts,
            "original": person,
            "person": person,
            "problem": problem,
            "username": person.user.get_username() if person.user_id else invitations.username_for(person),
            "again": bool(person.user_id),
        }
        return TemplateResponse(request, "admin/municipalities/person/invite.html", context)


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    form = OfficeForm
    list_display = ["person", "role", "holder_name", "portfolio_names", "starts_on", "ends_on"]
    list_select_related = ["person", "municipality", "organisation"]
    list_filter = [CurrentFilter, "role", "municipality", "organisation", "portfolios"]
    search_fields = ["person__given_name", "person__surname", "municipality__name", "organisation__name"]
    autocomplete_fields = ["person", "municipality", "organisation", "portfolios"]
    date_hierarchy = "starts_on"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("portfolios")

    @admin.display(description=_("municipality or organisation"))
    def holder_name(self, office: Office) -> str:
        return office.holder_name

    @admin.display(description=_("portfolios"))
    def portfolio_names(self, office: Office) -> str:
        return ", ".join(portfolio.name for portfolio in office.portfolios.all())


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PortalUserAdmin(UserAdmin):
    """Log-ins. The coordinator makes one through the person it belongs to
    (Inlog aanmaken en uitnodigen), so nobody types a password for someone else;
    the form with password fields stays with the administrators."""

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def get_list_filter(self, request):
        # The groups are the portal's own rights per office and body ("body:9:members"), not for reading.
        return super().get_list_filter(request) if request.user.is_superuser else ["is_active"]

    def add_view(self, request, form_url="", extra_context=None):
        if request.user.is_superuser or not request.user.has_perm("auth.add_user"):
            return super().add_view(request, form_url, extra_context)
        messages.info(
            request,
            gettext(
                "A log-in is made from the person it belongs to: open the person and choose 'Create log-in and invite'."
            ),
        )
        return redirect(reverse("admin:municipalities_person_changelist"))
