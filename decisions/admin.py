from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from decisions.models import CollegeDecision, DecisionPdf, ProposalDocument, ProposalVersion, RegionalProposal


class CollegeDecisionInline(admin.TabularInline):
    model = CollegeDecision
    extra = 0
    fields = ["municipality", "intended_on", "outcome", "decided_on", "reference", "signing"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality")


class ProposalDocumentInline(admin.TabularInline):
    model = ProposalDocument
    extra = 0
    fields = ["title", "original_name", "content_type", "size", "sha256", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegionalProposal)
class RegionalProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "cooperation", "status", "sent_on"]
    list_select_related = ["body", "cooperation"]
    list_filter = ["status", "cooperation", "body"]
    search_fields = ["title", "key_message"]
    autocomplete_fields = ["body", "cooperation", "agenda_item"]
    readonly_fields = ["status", "adopted_on", "sent_on"]
    inlines = [ProposalDocumentInline, CollegeDecisionInline]


@admin.register(CollegeDecision)
class CollegeDecisionAdmin(SimpleHistoryAdmin):
    list_display = ["proposal", "municipality", "outcome", "decided_on", "reference", "signing"]
    list_select_related = ["proposal", "municipality"]
    list_filter = ["outcome", "signing", "municipality"]
    search_fields = ["proposal__title", "reference"]
    show_full_result_count = False
    readonly_fields = [
        "proposal",
        "municipality",
        "version",
        "intended_on",
        "intended_reference",
        "intended_points",
        "intended_by",
        "outcome",
        "decided_on",
        "reference",
        "deviating_points",
        "motivation",
        "recorded_by",
        "signing",
        "signing_comment",
        "mayor_name",
        "mayor_signed_as",
        "mayor_signed_by",
        "mayor_signed_at",
        "secretary_name",
        "secretary_signed_as",
        "secretary_signed_by",
        "secretary_signed_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ProposalVersion)
class ProposalVersionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "number", "sha256", "frozen_at"]
    list_select_related = ["proposal"]
    readonly_fields = ["proposal", "number", "content", "sha256", "frozen_at", "frozen_by"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DecisionPdf)
class DecisionPdfAdmin(admin.ModelAdmin):
    list_display = ["decision", "stage", "lock_version", "sha256", "created_at"]
    list_select_related = ["decision__municipality", "decision__proposal"]
    readonly_fields = ["decision", "stage", "lock_version", "file", "sha256", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
