from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from adoption.models import Adoption


@admin.register(Adoption)
class AdoptionAdmin(SimpleHistoryAdmin):
    list_display = ["proposal", "municipality", "due_on", "recommendation", "advised_on", "withdrawn"]
    list_filter = ["recommendation", "withdrawn", "by_rotation"]
    search_fields = ["proposal__title", "municipality__name"]
    list_select_related = ["proposal", "municipality"]
    autocomplete_fields = ["proposal", "municipality", "reviewer"]
    readonly_fields = ["named_by", "sounding_on", "advised_on"]
