from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.pagination import CappedCountPaginator
from meetings.models import Addendum, AgendaItem, AgendaPdf, Document, DocumentVersion, Meeting, Submission


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "kind", "title", "purpose", "portfolio", "confidential", "withdrawn"]
    readonly_fields = ["position", "kind", "withdrawn"]
    autocomplete_fields = ["portfolio"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("portfolio")


class AddendumInline(admin.TabularInline):
    model = Addendum
    extra = 0
    fields = ["made_at", "change", "item", "reason", "made_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["body", "starts_at", "status", "location", "agenda_deadline"]
    list_select_related = ["body"]
    list_filter = ["status", "body"]
    search_fields = ["body__name", "location"]
    show_full_result_count = False
    date_hierarchy = "starts_at"
    autocomplete_fields = ["body"]
    readonly_fields = ["status", "published_at", "published_by"]
    inlines = [AgendaItemInline, AddendumInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "position", "purpose", "portfolio", "confidential", "withdrawn"]
    list_select_related = ["meeting__body", "portfolio"]
    list_filter = ["purpose", "confidential", "withdrawn", "meeting__body"]
    # The title only (a trigram index on PostgreSQL, migration 0005): the explanation is long text, on the
    # biggest table of the portal.
    search_fields = ["title"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    autocomplete_fields = ["meeting", "portfolio", "forwarded_from"]
    readonly_fields = ["position", "kind", "is_addendum", "withdrawn"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "municipality", "kind", "purpose", "status", "submitted_at"]
    list_select_related = ["municipality"]
    list_filter = ["status", "kind", "purpose", "municipality"]
    search_fields = ["title", "explanation"]
    autocomplete_fields = ["municipality", "portfolio", "preferred_meeting", "agenda_item"]
    readonly_fields = ["status", "submitted_by", "submitted_at", "triaged_by", "triaged_at"]


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ["number", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at", "is_late"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "item", "submission"]
    list_select_related = ["item", "submission"]
    search_fields = ["title"]
    autocomplete_fields = ["item", "submission"]
    inlines = [DocumentVersionInline]


@admin.register(AgendaPdf)
class AgendaPdfAdmin(admin.ModelAdmin):
    list_display = ["meeting", "agenda_version", "sha256", "created_at"]
    list_select_related = ["meeting__body"]
    readonly_fields = ["meeting", "agenda_version", "file", "sha256", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
