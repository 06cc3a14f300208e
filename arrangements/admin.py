from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from arrangements.models import ArrangementParticipation, FinancialKey, JointArrangement


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
    inlines = [ParticipationInline, FinancialKeyInline]
