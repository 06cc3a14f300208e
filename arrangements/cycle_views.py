"""The budget cycle of the joint arrangements: the yearly calendar, each document with its dates, its
zienswijze round on the council tracks, the shared model zienswijze and the overview for the general board."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrangements import access, opinions, rules
from arrangements.forms import (
    CalendarFilterForm,
    CycleDocumentForm,
    CycleFileForm,
    ModelOpinionForm,
    NewCycleDocumentForm,
    PlanYearForm,
    ReactionForm,
)
from arrangements.models import ArrangementParticipation, CycleDocument, CycleFile
from core.forms import add_model_errors
from core.pdf import render_pdf
from core.periods import overlap_q
from core.workflow import TransitionNotAllowed, conflict
from decisions import rules as chain_rules
from decisions.models import CouncilTrack, StaleDecision
from municipalities.models import Municipality, Office

CONFLICT = 409
DONE = [chain_rules.CouncilOutcome.OPINION_SUBMITTED, chain_rules.CouncilOutcome.NO_OPINION]


def _own_municipality(user) -> Municipality | None:
    office = Office.objects.current().filter(person__user=user, municipality__isnull=False).order_by("pk").first()
    return office.municipality if office else None


def council_meeting_for(meetings: list, document: CycleDocument) -> datetime.date | None:
    """The last council meeting that can still give the zienswijze: on or before the end of the period and
    after the document arrived (the meetings of one municipality, read once for the page)."""
    end, start = document.opinion_end, document.sent_on
    if not (end and start):
        return None
    days = [timezone.localdate(m.starts_at) for m in meetings]
    fitting = [day for day in days if start <= day <= end]
    return max(fitting) if fitting else None


def cycle_calendar(request: HttpRequest) -> HttpResponse:
    """What every arrangement sends the councils in a year, when, which council meeting must handle it, and
    what is late: for one municipality (the user's own by default) or across all."""
    if not access.can_read_register(request.user):
        raise Http404
    today = timezone.localdate()
    municipalities = Municipality.objects.order_by("name")
    form = CalendarFilterForm(request.GET or None, municipalities=municipalities)
    year, municipality = today.year, None
    if form.is_valid():
        year = form.cleaned_data["jaar"] or today.year
        municipality = form.cleaned_data["gemeente"]
        if "gemeente" not in request.GET:
            municipality = _own_municipality(request.user)
    elif not request.GET:
        municipality = _own_municipality(request.user)
        form = CalendarFilterForm(initial={"jaar": year, "gemeente": municipality}, municipalities=municipalities)
    documents = (
        CycleDocument.objects.of_year(year)
        .select_related("arrangement", "proposal")
        .annotate(
            tracks=Count("proposal__council_tracks"),
            tracks_done=Count("proposal__council_tracks", filter=Q(proposal__council_tracks__outcome__in=DONE)),
        )
    )
    rows = []
    if municipality is not None:
        year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        taking_part = set(
            ArrangementParticipation.objects.filter(
                overlap_q(year_start, year_end, start="joined_on", end="left_on"), municipality=municipality
            ).values_list("arrangement", flat=True)
        )
        documents = documents.filter(arrangement__in=taking_part)
        documents = list(documents)
        tracks = {
            track.proposal_id: track
            for track in CouncilTrack.objects.filter(
                municipality=municipality, proposal__in=[d.proposal_id for d in documents if d.proposal_id]
            )
        }
        meetings = [
            m
            for m in municipality.council_meetings.filter(
                starts_at__date__gte=year_start, starts_at__date__lte=year_end + datetime.timedelta(days=120)
            ).filter(cancelled=False)
            if m.is_council
        ]
        for document in documents:
            track = tracks.get(document.proposal_id)
            rows.append(_row(document, today, track=track, meeting=council_meeting_for(meetings, document)))
    else:
        rows = [_row(document, today) for document in documents]
    rows.sort(key=lambda row: (row["when"] or datetime.date(year, 12, 31), row["document"].arrangement.name))
    return render(
        request,
        "arrangements/cycle_calendar.html",
        {"form": form, "rows": rows, "year": year, "municipality": municipality, "today": today},
    )


def _row(document: CycleDocument, today: datetime.date, *, track=None, meeting=None) -> dict:
    late = document.lateness(today)
    end = document.opinion_end
    if track is not None and end and end < today and track.outcome not in DONE:
        late.append(_("no zienswijze recorded within the period"))
    return {
        "document": document,
        "when": document.sent_on or document.send_by,
        "late": late,
        "track": track,
        "meeting": meeting,
        "meeting_missing": bool(track is not None and end and meeting is None and track.outcome not in DONE),
    }


def cycle_document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_cycle_document_for_user(request.user, pk)
    tracks = []
    if document.proposal_id:
        tracks = list(document.proposal.council_tracks.select_related("municipality").order_by("municipality__name"))
    keeps = set()
    if tracks:
        from decisions.access import municipalities_for

        keeps = set(municipalities_for(request.user, "keep_council_tracks").values_list("pk", flat=True))
    return render(
        request,
        "arrangements/cycle_document_detail.html",
        {
            "document": document,
            "arrangement": document.arrangement,
            "overview": opinions.overview(document, tracks),
            "keeps": keeps,
            "files": document.files.all(),
            "late": document.lateness(),
            "can_keep": access.can_keep_cycle(request.user, document.arrangement),
            "can_draft": access.can_draft_model(request.user, document),
            "file_form": CycleFileForm(),
            "reaction_form": ReactionForm(
                initial={"reaction": document.proposal.opinion_reaction, "reaction_on": timezone.localdate()}
            )
            if document.proposal_id
            else None,
        },
    )


def cycle_document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_cycle_document_for_user(request.user, pk, manage=True)
    form = CycleDocumentForm(request.POST or None, instance=document)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in CycleDocumentForm.Meta.fields}
            try:
                document.keep(lock_version=form.cleaned_data["lock_version"] or 0, by=request.user, **fields)
            except ValidationError as error:
                add_model_errors(form, error)
                status = 400
            except StaleDecision as error:
                form.add_error(None, str(error))
                status = CONFLICT
            else:
                messages.success(request, _("The document is saved."))
                return redirect("cycle_document_detail", pk=document.pk)
        else:
            status = 400
    return render(request, "arrangements/cycle_document_form.html", {"form": form, "document": document}, status=status)


def cycle_document_create(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = access.get_arrangement_for_user(request.user, pk, manage=True)
    form = NewCycleDocumentForm(request.POST or None, initial={"year": timezone.localdate().year})
    plan_form = PlanYearForm(initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            document = CycleDocument(
                arrangement=arrangement,
                year=data["year"],
                kind=data["kind"],
                number=data["number"],
                title=data["title"].strip()
                or CycleDocument.default_title(arrangement, data["kind"], data["year"], data["number"]),
                opinion_weeks=arrangement.budget_weeks if data["kind"] in rules.LEGAL_OPINION else None,
            )
            try:
                document.validate_constraints()
                document.full_clean()
            except ValidationError as error:
                add_model_errors(form, error)
                status = 400
            else:
                document._history_user = request.user
                document.save()
                messages.success(request, _("The document is added to the cycle."))
                return redirect("cycle_document_edit", pk=document.pk)
        else:
            status = 400
    return render(
        request,
        "arrangements/cycle_document_new.html",
        {"form": form, "plan_form": plan_form, "arrangement": arrangement},
        status=status,
    )


@require_POST
def cycle_plan_year(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = access.get_arrangement_for_user(request.user, pk, manage=True)
    form = PlanYearForm(request.POST)
    if not form.is_valid():
        return conflict(request, ValidationError(_("Give a year between 2000 and 2100.")))
    made = CycleDocument.plan_year(arrangement, form.cleaned_data["year"])
    messages.success(
        request, _("%(n)s documents planned for %(year)s.") % {"n": len(made), "year": form.cleaned_data["year"]}
    )
    return redirect(f"{reverse('cycle_calendar')}?jaar={form.cleaned_data['year']}&gemeente=")


@require_POST
def cycle_round_open(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_cycle_document_for_user(request.user, pk, manage=True)
    try:
        document.open_round(by=request.user)
    except TransitionNotAllowed as error:
        return conflict(request, error)
    messages.success(request, _("The zienswijze round is open: every participating council has its track."))
    return redirect("cycle_document_detail", pk=document.pk)


def cycle_model_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_cycle_document_for_user(request.user, pk, draft=True)
    initial = {
        "lock_version": document.lock_version,
        "model_body": document.model_body,
        "model_opinion": document.model_opinion,
        "model_opinion_on": document.model_opinion_on or timezone.localdate(),
    }
    form = ModelOpinionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                document.keep_model(
                    lock_version=data["lock_version"],
                    by=request.user,
                    text=data["model_opinion"],
                    body=data["model_body"],
                    on=data["model_opinion_on"],
                )
            except ValidationError as error:
                add_model_errors(form, error)
                status = 400
            except StaleDecision as error:
                form.add_error(None, str(error))
                status = CONFLICT
            else:
                messages.success(request, _("The model zienswijze is saved; every council sees it on its track."))
                return redirect("cycle_document_detail", pk=document.pk)
        else:
            status = 400
    return render(request, "arrangements/cycle_model_form.html", {"form": form, "document": document}, status=status)


@require_POST
def cycle_reaction(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_cycle_document_for_user(request.user, pk, manage=True)
    if not document.proposal_id:
        return conflict(request, TransitionNotAllowed(_("The zienswijze round is not open yet.")))
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "arrangements/cycle_reaction_form.html",
            {"form": form, "document": document},
            status=400,
        )
    try:
        document.proposal.record_opinion_reaction(
            by=request.user, text=form.cleaned_data["reaction"], on=form.cleaned_data["reaction_on"]
        )
    except ValidationError as error:
        for errors in error.message_dict.values():
            form.add_error(None, errors)
        return render(
            request, "arrangements/cycle_reaction_form.html", {"form": form, "document": document}, status=400
        )
    except TransitionNotAllowed as error:
        return conflict(request, error)
    messages.success(request, _("The reaction is recorded; every council sees it on its track."))
    return redirect("cycle_document_detail", pk=document.pk)


def cycle_overview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One page for the general board: how every council answered, against the model."""
    document = access.get_cycle_document_for_user(request.user, pk)
    tracks = []
    if document.proposal_id:
        tracks = list(document.proposal.council_tracks.select_related("municipality").order_by("municipality__name"))
    with translation.override("nl"):
        content = render_pdf(
            "pdf/opinion_overview.html",
            {"document": document, "overview": opinions.overview(document, tracks), "today": timezone.localdate()},
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="zienswijzen-{document.pk}.pdf"'
    return response


@require_POST
def cycle_file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_cycle_document_for_user(request.user, pk, manage=True)
    form = CycleFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "arrangements/cycle_file_form.html", {"form": form, "document": document}, status=400)
    CycleFile.keep(form.cleaned_data["file"], title=form.cleaned_data["title"], by=request.user, document=document)
    messages.success(request, _("The file is added."))
    return redirect("cycle_document_detail", pk=document.pk)


def cycle_file_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    document = access.get_cycle_document_for_user(request.user, pk)
    stored = get_object_or_404(CycleFile, pk=file_pk, document=document)
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
