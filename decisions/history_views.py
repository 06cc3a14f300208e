"""The history of a regional proposal: its text and steps, and its own documents, who changed what.

Seen by those who manage the proposal (the secretariat of the adopting body and the coordinator, as
`decisions.access.can_manage` says); others who read the proposal get 403, others 404. The college
decisions are left out: until signed, a decision is its municipality's own (docs/adr/0006-who-sees-what.md),
and its signing is recorded on the decision itself."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.history import Source, history_page
from decisions import access
from decisions.models import ProposalDocument, RegionalProposal


def _document(record) -> str:
    return _("document %(title)s") % {"title": record.title}


def proposal_history(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, pk)
    if not access.can_manage(request.user, proposal):
        raise PermissionDenied
    sources = [
        # The agenda item is named by its title, which may be confidential to some who manage the proposal.
        Source(
            RegionalProposal.history.filter(id=proposal.pk), lambda record: _("the proposal"), hidden=("agenda_item",)
        ),
        Source(ProposalDocument.history.filter(proposal_id=proposal.pk), _document, hidden=("proposal", "file")),
    ]
    page, rows = history_page(request, sources)
    return render(
        request,
        "components/history.html",
        {
            "heading": _("History of %(proposal)s") % {"proposal": proposal.title},
            "back_url": reverse("proposal_detail", args=[proposal.pk]),
            "back_label": _("Back to the proposal"),
            "rows": rows,
            "page": page,
        },
    )
