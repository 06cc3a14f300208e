from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from arrangements.models import ArrangementParticipation, CycleDocument, FinancialKey, JointArrangement


class ParticipationInline(admin.TabularInline):
    model = ArrangementParticipation
    extra = 0
    fields = ["municipality", "joined_on", "left_on"]
    autocomplete_fields = ["municipality"]


class FinancialKeyInline(admin.TabularInline):
    model = FinancialKey
    extra = 0
    fields = ["year", "municipality", "share", "contribution"]
    autocomplete_fields = ["municipality"]
    ordering = ["-year", "municipality__name"]


@admin.register(JointArrangement)
class JointArrangementAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "kind", "organisation"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["organisation", "centre_municipality", "general_board", "daily_board"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "abbreviation",
                    "kind",
                    "organisation",
                    "centre_municipality",
                    "general_board",
                    "daily_board",
                    "website",
                    "contact_name",
                    "contact_email",
                    "starts_on",
                ]
            },
        ),
        (
            _("Budget cycle (Wgr art. 34, 34b, 35)"),
            {
                "fields": [
                    ("frameworks_month", "frameworks_day"),
                    "budget_weeks",
                    ("budget_province_month", "budget_province_day"),
                    ("accounts_province_month", "accounts_province_day"),
                ]
            },
        ),
    ]
    inlines = [ParticipationInline, FinancialKeyInline]


@admin.register(CycleDocument)
class CycleDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "arrangement", "year", "kind", "sent_on", "board_meeting_on", "adopted_on"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "arrangement__name"]
    list_select_related = ["arrangement"]
    autocomplete_fields = ["arrangement", "model_body"]
    readonly_fields = ["proposal"]
