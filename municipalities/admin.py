from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipalities.forms import OfficeForm
from municipalities.models import Municipality, Office, Person, Portfolio, RegionalOrganisation, today


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
    list_display = ["name", "cbs_code", "website"]
    search_fields = ["name", "cbs_code"]


@admin.register(RegionalOrganisation)
class RegionalOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "website"]
    search_fields = ["name", "abbreviation"]


@admin.register(Portfolio)
class PortfolioAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name", "description"]


class OfficeInline(admin.TabularInline):
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
        # The role and municipality filters join offices; keep one row per person.
        return super().get_queryset(request).distinct()


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
