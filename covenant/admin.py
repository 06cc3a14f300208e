from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from covenant.models import Accession, CovenantDocument, CovenantEvaluation, LeavingNotice


@admin.register(Accession)
class AccessionAdmin(SimpleHistoryAdmin):
    list_display = ["municipality", "cooperation", "joins_on", "status"]
    list_filter = ["status"]
    list_select_related = ["municipality", "cooperation"]
    readonly_fields = ["status"]


@admin.register(LeavingNotice)
class LeavingNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["participation", "notice_on"]
    list_select_related = ["participation__municipality", "participation__cooperation"]
    readonly_fields = ["participation", "notice_on", "recorded_by"]


@admin.register(CovenantEvaluation)
class CovenantEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["cooperation", "due_on", "reported_on"]
    list_select_related = ["cooperation"]


@admin.register(CovenantDocument)
class CovenantDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "cooperation", "kind", "signed_on"]
    list_filter = ["kind"]
    list_select_related = ["cooperation"]
    readonly_fields = ["original_name", "content_type", "size", "sha256", "uploaded_by"]
