from django.contrib import admin

from api.models import CalendarToken


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Who has a personal calendar address; the secret itself is not shown. Deleting one revokes it."""

    list_display = ["person", "created_at"]
    search_fields = ["person__surname", "person__given_name"]
    list_select_related = ["person"]
    fields = ["person", "created_at"]
    readonly_fields = ["person", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
