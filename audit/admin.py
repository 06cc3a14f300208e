"""The audit trail in the management site, for the security officer: read-only, with an export per period.
Open to whoever the site lets in (the regional coordinator and superusers, config/admin.py)."""

import json

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit import export
from audit.forms import ExportForm
from audit.models import AuditEvent, record
from core.pagination import CappedCountPaginator


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "ip_address", "object_type", "object_id"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter)]
    show_facets = admin.ShowFacets.NEVER
    search_fields = ["username"]
    list_select_related = ["object_type"]
    # The table grows by every log-in: no full count, no date hierarchy (both read the whole table).
    show_full_result_count = False
    paginator = CappedCountPaginator
    fields = ["at", "kind", "user", "username", "ip_address", "user_agent", "object_type", "object_id", "detail_json"]
    readonly_fields = fields
    change_list_template = "audit/auditevent_change_list.html"
    actions = None

    @admin.display(description=_("detail"))
    def detail_json(self, event: AuditEvent) -> str:
        return format_html("<pre>{}</pre>", json.dumps(event.detail, ensure_ascii=False, indent=2, sort_keys=True))

    # The site's own rule decides who reads the trail (the coordinator's office, not a model permission);
    # nobody adds, changes or deletes an event here: the trail is append-only, pruned only by age.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.export_view)
        return [path("export/", view, name="audit_auditevent_export"), *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """A form for the period; its POST answers the CSV file and records that the trail was exported."""
        today = timezone.localdate()
        form = ExportForm(
            request.POST or None, initial={"date_from": today - timezone.timedelta(days=30), "date_to": today}
        )
        if request.method == "POST" and form.is_valid():
            first, last = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            record(
                AuditEvent.Kind.EXPORTED,
                request=request,
                date_from=first.isoformat(),
                date_to=last.isoformat(),
            )
            start, end = form.period()
            return export.csv_response(start, end, f"audittrail-{first:%Y%m%d}-{last:%Y%m%d}.csv")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export the audit trail"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "audit/export.html", context, status=400 if form.errors else 200)
