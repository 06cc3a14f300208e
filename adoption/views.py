"""The adoption arrangement's pages: naming the adopters of a proposal, an adopter's comment and advice, and a
page per municipality with what it adopts this year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from adoption import access
from adoption.forms import AdoptionFileForm, AdviceForm, NameAdoptersForm, ReviewerForm, SoundingForm
from adoption.models import Adoption, AdoptionFile, name_adopters
from arrangements.access import can_read_register
from core.forms import add_model_errors
from core.workflow import TransitionNotAllowed, conflict
from decisions.access import get_proposal_for_user, readable_proposals
from decisions.models import StaleDecision
from municipalities.models import Municipality

CONFLICT = 409


def adopters_name(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, pk)
    if not access.can_name_adopters(request.user, proposal):
        raise PermissionDenied
    participants = proposal.cooperation.participants_on(timezone.localdate()).order_by("name")
    form = NameAdoptersForm(request.POST or None, participants=participants)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = name_adopters(
                    proposal,
                    by=request.user,
                    due_on=data["due_on"],
                    municipalities=data["municipalities"] if data["how"] == "hand" else None,
                    count=data["count"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                status = 400
            except TransitionNotAllowed as error:
                return conflict(request, error)
            else:
                messages.success(
                    request,
                    _("Adopters named: %(names)s.") % {"names": ", ".join(a.municipality.name for a in made)},
                )
                return redirect("proposal_detail", pk=proposal.pk)
        else:
            status = 400
    current = proposal.adoptions.active().select_related("municipality")
    return render(
        request,
        "adoption/adopters_form.html",
        {"form": form, "proposal": proposal, "current": current},
        status=status,
    )


def adoption_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The adopter's page: its reviewer, its comment on the draft or its advice, and its files."""
    adoption = access.get_adoption_for_user(request.user, pk, advise=True)
    draft = adoption.proposal.status == adoption.proposal.Status.DRAFT
    form_class = SoundingForm if draft else AdviceForm
    initial = {"lock_version": adoption.lock_version}
    initial.update(
        {"sounding_comment": adoption.sounding_comment}
        if draft
        else {"recommendation": adoption.recommendation, "findings": adoption.findings}
    )
    form = form_class(request.POST or None, initial=initial)
    reviewer_form = ReviewerForm(
        initial={"lock_version": adoption.lock_version, "reviewer": adoption.reviewer}, adoption=adoption
    )
    status = 200
    if request.method == "POST" and "reviewer" in request.POST:
        reviewer_form = ReviewerForm(request.POST, adoption=adoption)
        form = form_class(initial=initial)
        if reviewer_form.is_valid():
            try:
                adoption.keep(
                    lock_version=reviewer_form.cleaned_data["lock_version"],
                    by=request.user,
                    reason="reviewer",
                    reviewer=reviewer_form.cleaned_data["reviewer"],
                )
            except ValidationError as error:
                for message in error.messages:
                    reviewer_form.add_error(None, message)
                status = 400
            except (StaleDecision, TransitionNotAllowed) as error:
                reviewer_form.add_error(None, str(error))
                status = CONFLICT
            else:
                messages.success(request, _("The reviewer is saved."))
                return redirect("adoption_edit", pk=adoption.pk)
        else:
            status = 400
    elif request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if draft:
                    adoption.comment_on_draft(
                        lock_version=data["lock_version"], by=request.user, text=data["sounding_comment"]
                    )
                else:
                    adoption.advise(
                        lock_version=data["lock_version"],
                        by=request.user,
                        recommendation=data["recommendation"],
                        findings=data["findings"],
                    )
            except ValidationError as error:
                add_model_errors(form, error)
                status = 400
            except (StaleDecision, TransitionNotAllowed) as error:
                form.add_error(None, str(error))
                status = CONFLICT
            else:
                messages.success(
                    request,
                    _("Your comment is with the preparing body.")
                    if draft
                    else _("Your advice is sent to every participating municipality."),
                )
                return redirect("proposal_detail", pk=adoption.proposal_id)
        else:
            status = 400
    return render(
        request,
        "adoption/adoption_form.html",
        {
            "adoption": adoption,
            "form": form,
            "draft": draft,
            "reviewer_form": reviewer_form,
            "file_form": AdoptionFileForm(),
            "files": adoption.files.all(),
        },
        status=status,
    )


@require_POST
def adoption_file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    adoption = access.get_adoption_for_user(request.user, pk, advise=True)
    form = AdoptionFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return conflict(request, ValidationError([str(e) for errors in form.errors.values() for e in errors]))
    AdoptionFile.keep(form.cleaned_data["file"], title=form.cleaned_data["title"], by=request.user, adoption=adoption)
    messages.success(request, _("The file is added to your advice."))
    return redirect("adoption_edit", pk=adoption.pk)


def adoption_file_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    adoption = access.get_adoption_for_user(request.user, pk)
    stored = get_object_or_404(AdoptionFile, pk=file_pk, adoption=adoption)
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )


def municipality_adoptions(request: HttpRequest, pk: int) -> HttpResponse:
    """What a municipality adopts in a year and what is due, of the proposals the user may read."""
    if not can_read_register(request.user):
        raise Http404
    municipality = get_object_or_404(Municipality, pk=pk)
    try:
        year = int(request.GET.get("jaar", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    adoptions = list(
        Adoption.objects.active()
        .in_year(year)
        .filter(municipality=municipality, proposal__in=readable_proposals(request.user))
        .select_related("proposal", "reviewer")
        .order_by("due_on")
    )
    return render(
        request,
        "adoption/municipality_adoptions.html",
        {
            "municipality": municipality,
            "year": year,
            "adoptions": adoptions,
            "due": [a for a in adoptions if not a.advised_on],
            "municipalities": Municipality.objects.filter(adoptions__isnull=False).distinct().order_by("name"),
        },
    )


def advice_for(proposal, user) -> dict:
    """What the proposal page, the college decision form and the council track show of the adoption: the
    advice given, and the comments on the draft for those who prepare it."""
    adoptions = list(proposal.adoptions.active().select_related("municipality", "reviewer").prefetch_related("files"))
    municipalities = access.advising_municipalities(user) if adoptions else set()
    return {
        "adoptions": adoptions,
        "advised": [a for a in adoptions if a.advised_on],
        "can_name": access.can_name_adopters(user, proposal),
        "mine": [a.pk for a in adoptions if access.can_advise(user, a, municipalities)],
    }
