from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from covenant.models import Accession, CovenantDocument, CovenantEvaluation, LeavingNotice


@admin.register(Accession)
class AccessionAdmin(SimpleHistoryAdmin):
    list_display = ["municipality", "cooperation", "joins_on", "status"]
    list_filter = ["status"]
    list_select_related = ["municipality", "cooperation"]
    readonly_fields = ["status"]

    def has_add_permission(self, request) -> bool:
        # A request to join starts on the covenant's page, as a regional proposal.
        return False


@admin.register(LeavingNotice)
class LeavingNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["participation", "notice_on"]
    list_select_related = ["participation__municipality", "participation__cooperation"]
    readonly_fields = ["participation", "notice_on", "recorded_by"]

    def has_add_permission(self, request) -> bool:
        # A notice is recorded on the covenant's page, which computes its dates and puts it on the agenda.
        return False


@admin.register(CovenantEvaluation)
class CovenantEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["cooperation", "due_on", "reported_on"]
    list_select_related = ["cooperation"]


@admin.register(CovenantDocument)
class CovenantDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "cooperation", "kind", "signed_on"]
    list_filter = ["kind"]
    list_select_related = ["cooperation"]
    fields = ["cooperation", "kind", "title", "signed_on", "file"]
    readonly_fields = ["original_name", "content_type", "size", "sha256"]

    def has_add_permission(self, request) -> bool:
        # Uploaded on the covenant's page, where the file is checked by its content.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
