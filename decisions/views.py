from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import safe_next
from core.pagination import paginate
from core.pdf import render_pdf
from core.workflow import TransitionNotAllowed
from decisions import access
from decisions.forms import (
    CooperationFilterForm,
    CouncilDashboardFilterForm,
    CouncilSystemForm,
    CouncilTrackForm,
    IntendedForm,
    LeadTimeForm,
    MatrixFilterForm,
    OpinionForm,
    ProposalDocumentForm,
    ProposalForm,
    ReconcileForm,
    RecordForm,
    SignForm,
    WindowForm,
    WithdrawForm,
)
from decisions.models import CollegeDecision, ProposalDocument, RegionalProposal, StaleDecision
from meetings.access import bodies_prepared_by, get_meeting_for_user, is_coordinator
from meetings.models import Minutes
from municipalities.models import CouncilMeetingDate, Municipality

CONFLICT = 409
# The most proposals a matrix page may hold when asked (?per_page=): each row has a cell per municipality.
MATRIX_MOST = 100


def _conflict(request, error: Exception, **context) -> HttpResponse:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return render(request, "meetings/conflict.html", {"message": text, **context}, status=CONFLICT)


def _matrix(proposals: list, per_municipality) -> tuple[list, list]:
    """Rows of (proposal, one cell per municipality) and the municipality columns, from
    objects with a proposal and a municipality (college decisions or council tracks)."""
    cells, municipalities = {}, {}
    for obj in per_municipality:
        cells[obj.proposal_id, obj.municipality_id] = obj
        municipalities[obj.municipality_id] = obj.municipality
    columns = sorted(municipalities.values(), key=lambda m: m.name)
    return [(proposal, [cells.get((proposal.pk, m.pk)) for m in columns]) for proposal in proposals], columns


def _filtered_proposals(request: HttpRequest, proposals, form_class):
    """The proposals of the chosen cooperation (and year), the bound filter form, and whether it is valid."""
    form = form_class.for_request(request, proposals)
    if not form.is_valid():
        return proposals.none(), form
    data = form.cleaned_data
    proposals = proposals.filter(cooperation=data["cooperation"])
    if data.get("year"):
        proposals = proposals.filter(sent_on__year=data["year"])
    return proposals, form


def proposal_matrix(request: HttpRequest) -> HttpResponse:
    """Open proposals x the municipalities of one cooperation, for the coordinator and the secretaries: a page
    of proposals at a time, each concern one query (the page, its counts, its college decisions)."""
    readable = access.readable_proposals(request.user)
    proposals, form = _filtered_proposals(request, readable, MatrixFilterForm)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("body"):
        proposals = proposals.filter(body=data["body"])
    proposals = proposals.filter(status=data["status"]) if data.get("status") else proposals.open()
    page = paginate(request, proposals.order_by("-sent_on", "-pk").only("pk"), most=MATRIX_MOST)
    shown = (
        RegionalProposal.objects.filter(pk__in=[proposal.pk for proposal in page.object_list])
        .select_related("body", "cooperation")
        .with_counts()
        .order_by("-sent_on", "-pk")
    )
    shown = list(shown)
    decisions = access.mark_visible(
        request.user, CollegeDecision.objects.filter(proposal__in=shown).select_related("municipality")
    )
    rows, columns = _matrix(shown, decisions)
    return render(
        request,
        "decisions/proposal_matrix.html",
        {
            "form": form,
            "rows": rows,
            "columns": columns,
            "page": page,
            "can_create": is_coordinator(request.user) or bodies_prepared_by(request.user).exists(),
        },
    )


def proposal_create(request: HttpRequest) -> HttpResponse:
    bodies = bodies_prepared_by(request.user)
    if not bodies.exists():
        raise Http404
    form = ProposalForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        proposal = form.save()
        messages.success(request, _("The proposal is saved as a draft."))
        return redirect("proposal_detail", pk=proposal.pk)
    return render(request, "decisions/proposal_form.html", {"form": form})


def proposal_update(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, pk, manage=True)
    if proposal.status in (RegionalProposal.Status.CLOSED, RegionalProposal.Status.WITHDRAWN):
        return _conflict(request, TransitionNotAllowed(_("A closed or withdrawn proposal no longer changes.")))
    if proposal.status == RegionalProposal.Status.DRAFT:
        form = ProposalForm(request.POST or None, instance=proposal, bodies=bodies_prepared_by(request.user))
    else:
        # The text is frozen; only the council window and the opinion period still change.
        form = WindowForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The proposal is saved."))
        return redirect("proposal_detail", pk=proposal.pk)
    return render(request, "decisions/proposal_form.html", {"form": form, "proposal": proposal})


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, pk)
    acting = access.acting_for(request.user)
    recordable, signable = acting
    decisions = access.mark_visible(
        request.user,
        proposal.college_decisions.select_related("municipality", "version", "council_track").prefetch_related("pdfs"),
        acting,
    )
    offices = CollegeDecision.signing_offices_of(request.user) if recordable | signable else []
    for decision in decisions:
        decision.proposal = proposal
        if decision.track is not None:
            decision.track.proposal = proposal
        decision.can_record = (
            decision.municipality_id in recordable and not decision.is_final and proposal.status == "sent"
        )
        decision.can_sign = decision.signing == CollegeDecision.Signing.TO_SIGN and (
            decision.municipality_id in signable | recordable and bool(decision.parts_to_sign_by(request.user, offices))
        )
        # The college releases its own decision under the Woo (publication/actions.py).
        decision.can_publish = decision.is_final and decision.municipality_id in recordable
        decision.pdf = next((pdf for pdf in decision.pdfs.all() if pdf.stage == "definitive"), None)
        decision.intended_pdf = next((pdf for pdf in decision.pdfs.all() if pdf.stage == "intended"), None)
    outcome = proposal.outcome() if decisions else None
    tracks = list(proposal.council_tracks.select_related("municipality", "sent_version", "decision"))
    for track in tracks:
        track.proposal = proposal
    can_manage = access.can_manage(request.user, proposal)
    diverges = bool(outcome and outcome["diverges"])
    return render(
        request,
        "decisions/proposal_detail.html",
        {
            "proposal": proposal,
            "decisions": decisions,
            "outcome": outcome,
            "versions": proposal.versions.all(),
            "documents": proposal.documents.all(),
            "tracks": tracks,
            "can_manage": can_manage,
            "withdraw_form": WithdrawForm(),
            "reconcile_form": ReconcileForm(proposal=proposal) if diverges and can_manage else None,
            "opinion_form": OpinionForm(instance=proposal) if proposal.opinion_document and can_manage else None,
            "document_form": ProposalDocumentForm() if can_manage and proposal.status in ("draft", "adopted") else None,
        },
    )


GUARDED_PROPOSAL_STEPS = {
    "adopt": RegionalProposal.Status.ADOPTED,
    "send": RegionalProposal.Status.SENT,
    "withdraw": RegionalProposal.Status.WITHDRAWN,
}


def _proposal_step_done(proposal: RegionalProposal, action: str) -> str | None:
    """For a confirmation page reached again: the step already happened."""
    if action == "adopt" and proposal.adopted_on:
        return _("The regional position was already adopted on %(date)s.") % {"date": date_format(proposal.adopted_on)}
    if action == "send" and proposal.sent_on:
        return _("The proposal was already sent to the colleges on %(date)s.") % {"date": date_format(proposal.sent_on)}
    if action == "withdraw" and proposal.status == RegionalProposal.Status.WITHDRAWN:
        return _("The proposal was already withdrawn: %(reason)s") % {"reason": proposal.withdrawal_reason}
    return None


def _proposal_confirmation(request: HttpRequest, proposal: RegionalProposal, action: str, form=None, status=200):
    consequences, groups = [], []
    done = _proposal_step_done(proposal, action)
    if not done and not proposal.can_become(GUARDED_PROPOSAL_STEPS[action]):
        done = _("This proposal is %(status)s; this step is no longer possible.") % {
            "status": proposal.get_status_display()
        }
    if action == "adopt":
        heading, verb = _("Adopt the regional position?"), _("Yes, adopt")
        try:
            meeting = None if done else proposal.adopting_meeting()
        except TransitionNotAllowed as error:
            done = str(error)
        if not done:
            consequences = [
                _("%(body)s adopts the regional position on %(date)s, in its meeting of %(meeting)s (item %(number)s).")
                % {
                    "body": proposal.body.name,
                    "date": date_format(timezone.localdate(meeting.starts_at)),
                    "meeting": meeting.long_name(),
                    "number": proposal.agenda_item.number,
                },
                _("The text is frozen: the key message, the decision points and the sections no longer change."),
                _(
                    "Then the proposal can be sent to the colleges. The adoption cannot be undone; the proposal can "
                    "only be withdrawn."
                ),
            ]
    elif action == "send":
        heading, verb = _("Send the proposal to the colleges?"), _("Yes, send")
        today = timezone.localdate()
        participants = list(proposal.cooperation.participants_on(today).order_by("name"))
        leaving = proposal.leaving_dates()
        names = [
            _("%(municipality)s (leaves the cooperation on %(date)s)")
            % {"municipality": m.name, "date": date_format(leaving[m.pk])}
            if m.pk in leaving
            else m.name
            for m in participants
        ]
        consequences = [
            _("The text is frozen as version %(number)s, with its checksum; it no longer changes.")
            % {"number": proposal.versions.count() + 1},
            ngettext(
                "Today, %(date)s, %(count)s college receives the proposal: a college decision and a council track "
                "open for it.",
                "Today, %(date)s, %(count)s colleges receive the proposal: a college decision and a council track "
                "open for each.",
                len(participants),
            )
            % {"date": date_format(today), "count": len(participants)},
            _(
                "The reminders of their deadlines are planned. Sending cannot be undone; the proposal can only be "
                "withdrawn."
            ),
        ]
        groups = [(_("The municipalities that receive it on %(date)s") % {"date": date_format(today)}, names)]
    else:
        heading, verb = _("Withdraw the proposal?"), _("Yes, withdraw")
        form = form or WithdrawForm()
        consequences = [
            _("The proposal is withdrawn with your reason; it stays visible as withdrawn."),
            _("This cannot be undone."),
        ]
        received = [d.municipality.name for d in proposal.college_decisions.select_related("municipality")]
        if received:
            consequences.insert(
                1,
                ngettext(
                    "The %(count)s college that received it sees it withdrawn; its pending reminders are set aside.",
                    "The %(count)s colleges that received it see it withdrawn; their pending reminders are set aside.",
                    len(received),
                )
                % {"count": len(received)},
            )
            groups = [(_("The colleges that received it"), received)]
    context = {
        "heading": heading,
        "subject": proposal.title,
        "consequences": consequences,
        "groups": groups,
        "done": done,
        "form": form if action == "withdraw" else None,
        "action_url": reverse("proposal_transition", args=[proposal.pk, action]),
        "verb": verb,
        "back_url": reverse("proposal_detail", args=[proposal.pk]),
    }
    return render(request, "components/confirm.html", context, status=status)


@require_http_methods(["GET", "POST"])
def proposal_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET (adopting, sending, withdrawing): what the step does and to whom, to confirm; POST: the step itself."""
    if request.method == "GET" and action not in GUARDED_PROPOSAL_STEPS:
        return HttpResponseNotAllowed(["POST"])
    proposal = access.get_proposal_for_user(request.user, pk, manage=True)
    if request.method == "GET":
        return _proposal_confirmation(request, proposal, action)
    done = _proposal_step_done(proposal, action) if action in GUARDED_PROPOSAL_STEPS else None
    if done:
        # A second submit of the same confirmation: say so, change nothing.
        messages.info(request, done)
        return redirect("proposal_detail", pk=proposal.pk)
    try:
        with transaction.atomic():
            if action == "adopt":
                proposal.adopt(by=request.user)
                messages.success(request, _("The regional position is adopted; the text is now frozen."))
            elif action == "send":
                version = proposal.send(by=request.user)
                messages.success(
                    request,
                    _("Sent to %(count)s colleges as version %(number)s.")
                    % {"count": proposal.college_decisions.count(), "number": version.number},
                )
            elif action == "withdraw":
                form = WithdrawForm(request.POST)
                if not form.is_valid():
                    return _proposal_confirmation(request, proposal, action, form=form, status=400)
                proposal.withdraw(by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The proposal is withdrawn."))
            elif action == "close":
                proposal.close(by=request.user)
                messages.success(request, _("The proposal is closed."))
            elif action == "reconcile":
                form = ReconcileForm(request.POST, proposal=proposal)
                if not form.is_valid():
                    raise TransitionNotAllowed(" ".join(form.errors.get("meeting", [_("Choose a meeting.")])))
                item = proposal.put_reconciliation_on_agenda(by=request.user, meeting=form.cleaned_data["meeting"])
                messages.success(
                    request,
                    _("The reconciliation is item %(number)s of %(meeting)s.")
                    % {"number": item.number, "meeting": item.meeting},
                )
            elif action == "opinion":
                _record_opinion(request, proposal)
            else:
                raise Http404
    except (TransitionNotAllowed, ValidationError) as error:
        return _conflict(request, error)
    return redirect("proposal_detail", pk=proposal.pk)


def _record_opinion(request: HttpRequest, proposal: RegionalProposal) -> None:
    form = OpinionForm(request.POST, instance=RegionalProposal.objects.get(pk=proposal.pk))
    if not form.is_valid():
        raise ValidationError(form.errors)
    data = form.cleaned_data
    if data.get("opinion_reaction") or data.get("opinion_reaction_on"):
        if not data.get("opinion_reaction_on"):
            raise ValidationError({"opinion_reaction_on": _("Give the date of the reaction.")})
        proposal.record_opinion_reaction(by=request.user, text=data["opinion_reaction"], on=data["opinion_reaction_on"])
    if data.get("board_adopted_on"):
        proposal.record_board_adoption(by=request.user, on=data["board_adopted_on"])
    messages.success(request, _("The zienswijze round is saved."))


@require_POST
def proposal_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, pk, manage=True)
    if proposal.status not in (RegionalProposal.Status.DRAFT, RegionalProposal.Status.ADOPTED):
        frozen = TransitionNotAllowed(_("The proposal went to the colleges; its documents are frozen."))
        return _conflict(request, frozen)
    form = ProposalDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "decisions/proposal_document_form.html", {"form": form, "proposal": proposal}, status=400
        )
    upload = form.cleaned_data["file"]
    proposal.add_document(upload, title=form.cleaned_data["title"], by=request.user)
    messages.success(request, _("The document is added to the proposal."))
    return redirect("proposal_detail", pk=proposal.pk)


def proposal_document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, pk)
    document = get_object_or_404(ProposalDocument, pk=document_pk, proposal=proposal)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


def _record_step(request: HttpRequest, decision: CollegeDecision, form, step, template: str, success: str):
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            step(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 400
        except (StaleDecision, TransitionNotAllowed) as error:
            form.add_error(None, str(error))
            form.data = form.data.copy()
            form.data["lock_version"] = CollegeDecision.objects.get(pk=decision.pk).lock_version
            status = CONFLICT
        else:
            messages.success(request, success)
            return redirect("proposal_detail", pk=decision.proposal_id)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        template,
        {"form": form, "decision": decision, "track": decision.track, "missing": decision.missing_council_step()},
        status=status,
    )


def decision_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The college's definitive decision; refused while the council's step it waits for is missing."""
    decision = access.get_decision_for_user(request.user, pk, perm="record")
    points = decision.intended_decision_points if decision.intended_on else decision.version.content["decision_points"]
    initial = {
        "lock_version": decision.lock_version,
        "outcome": decision.outcome if decision.outcome != CollegeDecision.Outcome.PENDING else None,
        "decided_on": decision.decided_on or timezone.localdate(),
        "reference": decision.reference or decision.intended_reference,
        "deviating_points": decision.deviating_points or "\n".join(points),
        "motivation": decision.motivation,
    }
    form = RecordForm(request.POST or None, initial=initial)
    return _record_step(
        request,
        decision,
        form,
        decision.record,
        "decisions/decision_form.html",
        _("The decision is recorded and waits for the signatures of the mayor and the secretary."),
    )


def decision_intended(request: HttpRequest, pk: int) -> HttpResponse:
    """The college's intended decision, where the council gives wishes and objections or consent first."""
    decision = access.get_decision_for_user(request.user, pk, perm="record")
    initial = {
        "lock_version": decision.lock_version,
        "intended_on": decision.intended_on or timezone.localdate(),
        "intended_reference": decision.intended_reference,
        "intended_points": "\n".join(decision.intended_decision_points),
    }
    form = IntendedForm(request.POST or None, initial=initial)
    return _record_step(
        request,
        decision,
        form,
        decision.record_intended,
        "decisions/intended_form.html",
        _("The intended decision is recorded; the griffier sends it to the council."),
    )


def _signed_by(decision: CollegeDecision, user) -> str | None:
    """For a signing page reached again: the user already signed (or the decision is final)."""
    for part in ("mayor", "secretary"):
        if getattr(decision, f"{part}_signed_by_id") == user.pk and not decision.parts_to_sign_by(user):
            return _("You already signed this decision on %(date)s.") % {
                "date": date_format(timezone.localtime(getattr(decision, f"{part}_signed_at")), "j F Y, H:i")
            }
    if decision.signing == CollegeDecision.Signing.SIGNED:
        return _("This decision is already signed by both signatories; it is final.")
    return None


def _next_from_query(request: HttpRequest, fallback: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _signing_confirmation(request: HttpRequest, decision: CollegeDecision) -> HttpResponse:
    back = _next_from_query(request, reverse("my_signatures"))
    offices = CollegeDecision.signing_offices_of(request.user)
    parts = decision.parts_to_sign_by(request.user, offices)
    done = _signed_by(decision, request.user)
    if not done and decision.signing != CollegeDecision.Signing.TO_SIGN:
        done = _("This decision does not wait for signing: it is %(signing)s.") % {
            "signing": decision.get_signing_display()
        }
    if not done and not parts:
        done = str(decision._refuse_signatory())
    consequences = []
    if not done:
        part = parts[0]
        office = decision.capacities_of(request.user, offices)[part]
        other = "secretary" if part == "mayor" else "mayor"
        consequences = [
            _("You sign as %(role)s of %(municipality)s.")
            % {"role": office.get_role_display(), "municipality": decision.municipality.name},
            _("The decision of the college: %(outcome)s, decided on %(date)s%(reference)s.")
            % {
                "outcome": decision.get_outcome_display(),
                "date": date_format(decision.decided_on),
                "reference": f", {decision.reference}" if decision.reference else "",
            },
            _(
                "With your signature the decision is final: the PDF of the college decision is made, with both "
                "signatures, and the regional outcome counts it."
            )
            if getattr(decision, f"{other}_signed_by_id")
            else _(
                "Then the decision waits for the other signature; with both it is final and the PDF of the college "
                "decision is made."
            ),
            _("A signature cannot be undone."),
        ]
    context = {
        "heading": _("Sign the college decision?"),
        "subject": f"{decision.proposal.title} – {decision.municipality.name}",
        "consequences": consequences,
        "links": [(_("Read the decision (PDF)"), reverse("decision_preview_pdf", args=[decision.pk]))]
        if not done
        else [],
        "done": done,
        "hidden": [("lock_version", decision.lock_version), ("next", back)],
        "action_url": reverse("decision_sign", args=[decision.pk, "sign"]),
        "verb": _("Yes, sign"),
        "back_url": back,
    }
    return render(request, "components/confirm.html", context)


@require_http_methods(["GET", "POST"])
def decision_sign(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET (signing only): what signing does, to confirm; POST: the signature or the sending back."""
    if request.method == "GET" and action != "sign":
        return HttpResponseNotAllowed(["POST"])
    decision = access.get_decision_for_user(request.user, pk, perm="sign")
    if request.method == "GET":
        return _signing_confirmation(request, decision)
    form = SignForm(request.POST)
    form.is_valid()
    done = _signed_by(decision, request.user) if action == "sign" else None
    if done:
        # A second submit of the same confirmation: say so, sign nothing twice.
        messages.info(request, done)
        return redirect(safe_next(request, reverse("my_signatures")))
    try:
        if action == "sign":
            part = decision.sign(by=request.user, lock_version=form.cleaned_data.get("lock_version"))
            if decision.signing == CollegeDecision.Signing.SIGNED:
                messages.success(request, _("Signed. The decision is final; its PDF is being made."))
            elif part == "mayor":
                messages.success(request, _("Signed. The decision now waits for the secretary's co-signature."))
            else:
                messages.success(request, _("Co-signed. The decision now waits for the mayor's signature."))
        elif action == "send-back":
            decision.send_back(by=request.user, comment=form.cleaned_data.get("comment", ""))
            messages.success(request, _("Sent back to the municipal secretary with your comment."))
        else:
            raise Http404
    except (TransitionNotAllowed, ValidationError, StaleDecision) as error:
        return _conflict(request, error)
    return redirect(safe_next(request, reverse("my_signatures")))


def my_signatures(request: HttpRequest) -> HttpResponse:
    """For mayors, secretaries and their substitutes: the decisions of their college waiting for their signature."""
    acting = access.acting_for(request.user)
    offices = CollegeDecision.signing_offices_of(request.user)
    decisions = [
        decision
        for decision in CollegeDecision.objects.to_sign()
        .filter(municipality__in=acting[0] | acting[1])
        .select_related("proposal", "municipality", "version")
        if decision.parts_to_sign_by(request.user, offices)
    ]
    page = paginate(request, decisions)
    access.mark_visible(request.user, page.object_list, acting)
    return render(
        request,
        "decisions/decision_list.html",
        {"decisions": page.object_list, "page": page, "mode": "sign", "sign_form": SignForm()},
    )


def my_to_record(request: HttpRequest) -> HttpResponse:
    """For a municipal secretary: proposals their college still has to decide on."""
    # The municipalities as a list of ids, read first (they also decide what is shown): a guardian subquery
    # in the filter is planned for most of the country and reads every decision.
    acting = access.acting_for(request.user)
    decisions = CollegeDecision.objects.to_record().filter(municipality__in=acting[0])
    page = paginate(
        request, decisions.select_related("proposal", "municipality", "council_track").order_by("proposal", "pk")
    )
    decisions = access.mark_visible(request.user, page.object_list, acting)
    return render(request, "decisions/decision_list.html", {"decisions": decisions, "page": page, "mode": "record"})


def decision_pdf(request: HttpRequest, pk: int, stage: str = "definitive") -> HttpResponse:
    decision = access.get_decision_for_user(request.user, pk)
    pdf = decision.pdfs.filter(stage=stage).first()
    # An intended decision is its municipality's own until the definitive one is signed.
    if pdf is None or not access.unsigned_decisions_visible(request.user)(decision):
        raise Http404
    return FileResponse(pdf.file.open("rb"), as_attachment=True, filename=pdf.file.name.rsplit("/", 1)[-1])


def decision_preview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision as it will be signed, marked as a concept: for the signatories before they sign."""
    from decisions.tasks import decision_pdf_context

    decision = access.get_decision_for_user(request.user, pk, perm="sign")
    if decision.outcome == CollegeDecision.Outcome.PENDING:
        raise Http404
    with translation.override("nl"):
        content = render_pdf("pdf/college_decision.html", decision_pdf_context(decision, "definitive", concept=True))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="concept-collegebesluit-{decision.pk}.pdf"'
    return response


def decision_list_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The besluitenlijst of a meeting: every proposal adopted there, with its decision points."""
    meeting = get_meeting_for_user(request.user, pk)
    proposals = RegionalProposal.objects.filter(agenda_item__meeting=meeting).exclude(
        status__in=[RegionalProposal.Status.DRAFT, RegionalProposal.Status.WITHDRAWN]
    )
    # Archived (PDF/A) once the minutes it draws on are adopted; before that it is a concept a next one replaces.
    adopted = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.ADOPTED).exists()
    with translation.override("nl"):
        content = render_pdf("pdf/decision_list.html", {"meeting": meeting, "proposals": proposals}, archive=adopted)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="besluitenlijst-{meeting.starts_at:%Y-%m-%d}.pdf"'
    return response


# Council involvement.


def _tracks_for(proposals):
    from decisions.models import CouncilTrack

    return (
        CouncilTrack.objects.with_leaving()
        .filter(proposal__in=proposals)
        .select_related("municipality", "sent_version", "proposal")
    )


def council_matrix(request: HttpRequest) -> HttpResponse:
    """Proposals x the municipalities of one cooperation with the council status; the planning for the agenda
    committee, a page of proposals at a time."""
    readable = access.readable_proposals(request.user).filter(
        status__in=[RegionalProposal.Status.SENT, RegionalProposal.Status.DECIDED]
    )
    proposals, form = _filtered_proposals(request, readable, CooperationFilterForm)
    page = paginate(request, proposals.select_related("cooperation").order_by("-sent_on", "-pk"), most=MATRIX_MOST)
    rows, columns = _matrix(page.object_list, _tracks_for(page.object_list))
    return render(
        request, "decisions/council_matrix.html", {"rows": rows, "columns": columns, "form": form, "page": page}
    )


def _dashboard_scope(request: HttpRequest):
    """The griffier's own municipalities by default (the grants of their offices); the coordinator, who may
    keep every council's tracks, chooses one."""
    from reminders.desk import own_municipalities

    keepable = access.municipalities_for(request.user, "keep_council_tracks")
    own = own_municipalities(request.user, "keep_council_tracks")
    # The coordinator chooses (ADR 8), also where she holds a council's grant herself.
    own_only = not is_coordinator(request.user)
    form = CouncilDashboardFilterForm(request.GET, municipalities=own if own_only else keepable, own_only=own_only)
    if not form.is_valid():
        return form, Municipality.objects.none(), CouncilDashboardFilterForm.OPEN
    chosen = form.cleaned_data.get("municipality")
    scope = Municipality.objects.filter(pk=chosen.pk) if chosen else (own if own_only else keepable.none())
    return form, scope, form.cleaned_data.get("show") or CouncilDashboardFilterForm.OPEN


def griffier_dashboard(request: HttpRequest) -> HttpResponse:
    """For a griffier: what comes to my council and by when, which step is next and whose, what is late,
    and what the other councils did. One municipality's tracks (or a shared griffie's few), open ones by
    default, a page at a time; the other councils of the page in one query."""
    from decisions.models import CouncilTrack

    form, scope, show = _dashboard_scope(request)
    # The councils in scope read first and filtered on by id: a guardian subquery in the filter is planned
    # for most of the country and reads every track.
    municipalities = list(
        scope.order_by("name").prefetch_related(
            Prefetch(
                "council_meetings",
                queryset=CouncilMeetingDate.objects.filter(starts_at__gte=timezone.now(), cancelled=False).order_by(
                    "starts_at"
                ),
                to_attr="upcoming_council_dates",
            )
        )
    )
    for municipality in municipalities:
        municipality.next_council_dates = municipality.upcoming_council_dates[:4]
    tracks = CouncilTrack.objects.with_leaving().filter(
        municipality__in=[municipality.pk for municipality in municipalities],
        proposal__status__in=[RegionalProposal.Status.SENT, RegionalProposal.Status.DECIDED],
    )
    if show == CouncilDashboardFilterForm.OPEN:
        tracks = tracks.filter(
            Q(proposal__status=RegionalProposal.Status.SENT)
            | ~Q(status__in=[CouncilTrack.Status.DECIDED, CouncilTrack.Status.NOT_NEEDED])
        )
    others = (
        CouncilTrack.objects.with_leaving()
        .select_related("municipality", "sent_version")
        .defer("sent_version__content")
    )
    tracks = (
        tracks.select_related("proposal__cooperation", "municipality", "sent_version", "decision")
        .prefetch_related(Prefetch("proposal__council_tracks", queryset=others))
        .order_by(F("council_date").asc(nulls_last=True), "proposal__sent_on", "pk")
    )
    page = paginate(request, tracks)
    today = timezone.localdate()
    for track in page.object_list:
        track.others = [t for t in track.proposal.council_tracks.all() if t.municipality_id != track.municipality_id]
        track.late = track.is_late(today)
    return render(
        request,
        "decisions/griffier_dashboard.html",
        {"tracks": page.object_list, "page": page, "form": form, "municipalities": municipalities},
    )


def council_track_edit(request: HttpRequest, pk: int) -> HttpResponse:
    track = access.get_track_for_user(request.user, pk, keep=True)
    if track.decision is not None:
        access.mark_visible(request.user, [track.decision])
    form = CouncilTrackForm(request.POST or None, instance=track)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in CouncilTrackForm.Meta.fields}
            try:
                track.keep(lock_version=form.cleaned_data["lock_version"], **fields)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            except (StaleDecision, TransitionNotAllowed) as error:
                form.add_error(None, str(error))
                status = CONFLICT
            else:
                messages.success(request, _("The council track is saved."))
                return redirect("griffier_dashboard")
        else:
            status = 400
    council_options = track.reachable_council_dates(timezone.localdate())
    context = {"form": form, "track": track, "council_options": council_options}
    return render(request, "decisions/council_track_form.html", context, status=status)


def council_system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The griffie's council information system, and the council dates imported from it."""
    from municipalities.tasks import import_council_dates

    municipality = get_object_or_404(Municipality, pk=pk)
    if not request.user.has_perm("municipalities.keep_council_tracks", municipality):
        raise Http404
    form = CouncilSystemForm(request.POST or None, instance=municipality)
    status = 200
    if request.method == "POST" and "fetch" in request.POST and municipality.council_calendar_url:
        import_council_dates.delay_on_commit(municipality.pk)
        messages.success(request, _("The dates are being fetched; reload this page in a minute."))
        return redirect("council_system_edit", pk=municipality.pk)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            if municipality.council_calendar_url:
                import_council_dates.delay_on_commit(municipality.pk)
            messages.success(request, _("The council information system of %(m)s is saved.") % {"m": municipality})
            return redirect("council_system_edit", pk=municipality.pk)
        status = 400
    upcoming = municipality.council_meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:20]
    context = {"form": form, "municipality": municipality, "upcoming": upcoming}
    return render(request, "decisions/council_system_form.html", context, status=status)


def lead_time_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality, pk=pk)
    if not request.user.has_perm("municipalities.keep_council_tracks", municipality):
        raise Http404
    form = LeadTimeForm(request.POST or None, initial={"council_lead_weeks": municipality.council_lead_weeks})
    if request.method == "POST" and form.is_valid():
        municipality.council_lead_weeks = form.cleaned_data["council_lead_weeks"]
        municipality.save()
        messages.success(request, _("The lead time of %(municipality)s is saved.") % {"municipality": municipality})
        return redirect("griffier_dashboard")
    return render(request, "decisions/lead_time_form.html", {"form": form, "municipality": municipality})
