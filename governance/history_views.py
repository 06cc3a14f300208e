"""The history of a consultation body: its details and its memberships, who changed what.

Seen by the body's secretariat (who prepare its meetings) and the coordinator; others who see the body's
meetings get 403, everyone else 404 (the rule of meetings.access.get_body_for_user, asked here through the
same django-guardian permissions, as governance comes before meetings)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.history import Source, history_page
from governance.models import ConsultationBody, Membership


def _membership(record) -> str:
    return _("membership of %(person)s (%(role)s)") % {
        "person": record.person.full_name if record.person else "–",
        "role": record.get_role_display(),
    }


def body_history(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(ConsultationBody, pk=pk)
    if not request.user.has_perm("governance.view_meetings", body):
        raise Http404
    if not request.user.has_perm("governance.prepare_meetings", body):
        raise PermissionDenied
    sources = [
        Source(ConsultationBody.history.filter(id=body.pk), lambda record: _("the consultation body")),
        Source(Membership.history.filter(body_id=body.pk), _membership, hidden=("body",), select_related=("person",)),
    ]
    page, rows = history_page(request, sources)
    return render(
        request,
        "components/history.html",
        {
            "heading": _("History of %(body)s") % {"body": body.name},
            "back_url": reverse("body_detail", args=[body.pk]),
            "back_label": _("Back to the consultation body"),
            "rows": rows,
            "page": page,
        },
    )
