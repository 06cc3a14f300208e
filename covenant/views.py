"""The covenant's page: its signed text and amendments, the requests to join, the notices of leaving and the
planned evaluation. Every office holder reads it; the regional coordinator keeps it.

| who                           | read | request a joining / record a notice / the evaluation / documents |
|-------------------------------|------|-------------------------------------------------------------------|
| regional coordinator          | yes  | yes                                                               |
| anyone with an office         | yes  | no (403)                                                          |
| anyone else                   | 404  | no                                                                |"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrangements.access import can_read_register
from core.forms import add_model_errors
from core.workflow import TransitionNotAllowed
from covenant.forms import AccessionForm, CovenantDocumentForm, EvaluationReportForm, LeavingNoticeForm
from covenant.models import Accession, CovenantDocument, CovenantEvaluation, LeavingNotice
from decisions.access import readable_proposals
from governance.models import Cooperation
from meetings.access import is_coordinator

CONFLICT = 409


def get_cooperation_for_user(user, pk: int, *, manage: bool = False) -> Cooperation:
    if not can_read_register(user):
        raise Http404
    cooperation = get_object_or_404(Cooperation, pk=pk)
    if manage and not is_coordinator(user):
        raise PermissionDenied
    return cooperation


def _page(request, cooperation, status=200, **forms) -> HttpResponse:
    readable = readable_proposals(request.user)
    context = {
        "cooperation": cooperation,
        "documents": cooperation.covenant_documents.all(),
        # A request to join is a regional proposal: while it is a draft only those who may read the draft see it.
        "accessions": cooperation.accessions.filter(proposal__in=readable).select_related(
            "municipality", "proposal", "participation"
        ),
        "notices": LeavingNotice.objects.filter(participation__cooperation=cooperation).select_related(
            "participation__municipality", "agenda_item__meeting"
        ),
        "evaluations": cooperation.covenant_evaluations.select_related("proposal"),
        "readable_evaluations": set(
            cooperation.covenant_evaluations.filter(proposal__in=readable).values_list("pk", flat=True)
        ),
        "participations": cooperation.participations.select_related("municipality").order_by("municipality__name"),
        "can_manage": is_coordinator(request.user),
        "today": timezone.localdate(),
    }
    if context["can_manage"]:
        context.update(
            accession_form=forms.get("accession_form") or AccessionForm(cooperation=cooperation),
            notice_form=forms.get("notice_form") or LeavingNoticeForm(cooperation=cooperation),
            report_form=forms.get("report_form") or EvaluationReportForm(cooperation=cooperation),
            document_form=forms.get("document_form") or CovenantDocumentForm(),
        )
    return render(request, "covenant/covenant_detail.html", context, status=status)


def covenant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_cooperation_for_user(request.user, pk))


@require_POST
def accession_request(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = get_cooperation_for_user(request.user, pk, manage=True)
    form = AccessionForm(request.POST, cooperation=cooperation)
    if form.is_valid():
        try:
            accession = Accession.request(cooperation=cooperation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request, _("The request to join is a draft proposal; it goes through every college and council.")
            )
            return redirect("proposal_detail", pk=accession.proposal_id)
    return _page(request, cooperation, status=400, accession_form=form)


@require_POST
def leaving_notice(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = get_cooperation_for_user(request.user, pk, manage=True)
    form = LeavingNoticeForm(request.POST, request.FILES, cooperation=cooperation)
    if form.is_valid():
        try:
            notice = LeavingNotice.record(
                participation=form.cleaned_data["participation"],
                notice_on=form.cleaned_data["notice_on"],
                letter=form.cleaned_data["letter"],
                by=request.user,
            )
        except ValidationError as error:
            add_model_errors(form, error)
        except TransitionNotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, notice.dates_text())
            return redirect("covenant_detail", pk=cooperation.pk)
    return _page(request, cooperation, status=400, notice_form=form)


@require_POST
def evaluation_report(request: HttpRequest, pk: int, evaluation_pk: int) -> HttpResponse:
    cooperation = get_cooperation_for_user(request.user, pk, manage=True)
    evaluation = get_object_or_404(CovenantEvaluation, pk=evaluation_pk, cooperation=cooperation)
    form = EvaluationReportForm(request.POST, cooperation=cooperation)
    if form.is_valid():
        try:
            proposal = evaluation.record_report(
                by=request.user,
                text=form.cleaned_data["report"],
                on=form.cleaned_data["reported_on"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            add_model_errors(form, error)
        except TransitionNotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report is recorded and goes to the councils as a regional proposal."))
            return redirect("proposal_detail", pk=proposal.pk)
    return _page(request, cooperation, status=400, report_form=form)


@require_POST
def covenant_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = get_cooperation_for_user(request.user, pk, manage=True)
    form = CovenantDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        document = CovenantDocument(cooperation=cooperation, kind=data["kind"], signed_on=data["signed_on"])
        try:
            document.clean()
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            CovenantDocument.keep(
                data["file"],
                title=data["title"],
                by=request.user,
                cooperation=cooperation,
                kind=data["kind"],
                signed_on=data["signed_on"],
            )
            messages.success(request, _("The document is added to the covenant."))
            return redirect("covenant_detail", pk=cooperation.pk)
    return _page(request, cooperation, status=400, document_form=form)


def covenant_document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    cooperation = get_cooperation_for_user(request.user, pk)
    document = get_object_or_404(CovenantDocument, pk=document_pk, cooperation=cooperation)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
