from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from guardian.shortcuts import get_objects_for_user

from core.pagination import paginate
from core.pdf import render_pdf
from core.workflow import TransitionNotAllowed
from governance.forms import (
    CouncilInputForm,
    EntryForm,
    EvaluationForm,
    ProgrammeForm,
    ProgressForm,
    adjustment_formset,
)
from governance.models import (
    ConsultationBody,
    Cooperation,
    MonthlyEvaluation,
    ProgressReport,
    RegionalTask,
    WorkProgramme,
    WorkProgrammeEntry,
)
from municipalities.backends import is_regional_coordinator
from municipalities.models import today

# Work programmes and progress reports.


# Who may do what with a work programme:
#
# | who                                           | read     | steps, progress | add and edit entries |
# |-----------------------------------------------|----------|-----------------|----------------------|
# | regional coordinator                          | yes      | yes             | of every main task   |
# | secretary or chair of the coordination meeting| yes      | yes             | of every main task   |
# | secretary of a portfolio-holder meeting       | yes      | no (403)        | of the tasks it leads|
# | office holder in a participating municipality | yes      | no (403)        | no (403)             |
# | anyone else                                   | no (404) | no (404)        | no (404)             |


def _programme_for_user(user, pk: int, *, edit: bool = False) -> WorkProgramme:
    programme = get_object_or_404(WorkProgramme.objects.select_related("cooperation", "adopted_by"), pk=pk)
    edits = _edits_programmes(user, programme.cooperation)
    writes_entries = RegionalTask.objects.filter(cooperation=programme.cooperation).led_by_secretary(user)
    if not (edits or _reads_cooperation(user, programme.cooperation_id) or writes_entries.exists()):
        raise Http404
    if edit and not edits:
        raise PermissionDenied
    return programme


def _entry_tasks(user, programme: WorkProgramme) -> QuerySet[RegionalTask]:
    """The main tasks whose entries the user writes: every task for those who edit the programme,
    else the tasks led by the portfolio-holder meetings of which the user is the secretary."""
    tasks = programme.cooperation.regional_tasks.all()
    if _edits_programmes(user, programme.cooperation):
        return tasks
    return tasks.led_by_secretary(user)


def _entry_for_user(user, pk: int) -> WorkProgrammeEntry:
    entry = get_object_or_404(
        WorkProgrammeEntry.objects.select_related("programme__cooperation", "programme__adopted_by", "task"), pk=pk
    )
    programme = _programme_for_user(user, entry.programme_id)
    if not _entry_tasks(user, programme).filter(pk=entry.task_id).exists():
        raise PermissionDenied
    return entry


def _readable_cooperations(user):
    if is_regional_coordinator(user) or user.is_superuser:
        return Cooperation.objects.all()
    return Cooperation.objects.where_office_held_by(user)


def _editable_cooperations(user, kind: str = ConsultationBody.Kind.COORDINATION):
    """The coordinator's, and those where the user prepares the meetings of the body of that
    kind: the coordination meeting (work programmes), the administrative one (evaluations)."""
    if is_regional_coordinator(user) or user.is_superuser:
        return Cooperation.objects.all()
    bodies = get_objects_for_user(
        user, "governance.prepare_meetings", klass=ConsultationBody, accept_global_perms=False
    ).filter(kind=kind)
    return Cooperation.objects.filter(pk__in=bodies.values("cooperation"))


def _reads_cooperation(user, cooperation_id: int) -> bool:
    return _readable_cooperations(user).filter(pk=cooperation_id).exists()


def _edits_programmes(user, cooperation: Cooperation) -> bool:
    return _editable_cooperations(user).filter(pk=cooperation.pk).exists()


def programme_list(request: HttpRequest) -> HttpResponse:
    editable = _editable_cooperations(request.user)
    writes_entries = RegionalTask.objects.led_by_secretary(request.user).values("cooperation")
    visible = (
        Q(cooperation__in=_readable_cooperations(request.user))
        | Q(cooperation__in=editable)
        | Q(cooperation__in=writes_entries)
    )
    programmes = (
        WorkProgramme.objects.filter(visible).select_related("cooperation").order_by("cooperation__name", "-year", "pk")
    )
    page = paginate(request, programmes)
    # Only whether there is one: the button to make a programme.
    cooperations = editable.exists()
    return render(
        request,
        "governance/programme_list.html",
        {"programmes": page.object_list, "page": page, "cooperations": cooperations},
    )


def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    form.fields["cooperation"].queryset = _editable_cooperations(request.user)
    if not form.fields["cooperation"].queryset.exists():
        raise Http404
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        return redirect("programme_detail", pk=programme.pk)
    return render(request, "governance/programme_form.html", {"form": form})


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_for_user(request.user, pk)
    tasks = list(programme.cooperation.regional_tasks.select_related("lead_body"))
    entries = programme.entries.select_related("task")
    progress = {p.task_id: p for p in programme.progress.all()}
    writable = _entry_tasks(request.user, programme)
    writes = set(writable.values_list("pk", flat=True))
    for task in tasks:
        task.entries = [e for e in entries if e.task_id == task.pk]
        task.report = progress.get(task.pk)
        task.writes_entries = task.pk in writes
    can_edit = _edits_programmes(request.user, programme.cooperation)
    return render(
        request,
        "governance/programme_detail.html",
        {
            "programme": programme,
            "tasks": tasks,
            "can_edit": can_edit,
            "entry_form": EntryForm(programme=programme, tasks=writable) if writes else None,
        },
    )


@require_POST
def programme_entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_for_user(request.user, pk)
    writable = _entry_tasks(request.user, programme)
    if not writable.exists():
        raise PermissionDenied
    if programme.status == WorkProgramme.Status.ADOPTED:
        return _conflict(request, _("An adopted work programme no longer changes."))
    form = EntryForm(request.POST, programme=programme)
    if form.is_valid():
        if not writable.filter(pk=form.cleaned_data["task"].pk).exists():
            raise PermissionDenied
        form.save()
        messages.success(request, _("The entry is added."))
        return redirect("programme_detail", pk=programme.pk)
    form.fields["task"].queryset = writable
    return render(request, "governance/programme_form.html", {"form": form, "programme": programme}, status=400)


def programme_entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for_user(request.user, pk)
    programme = entry.programme
    writable = _entry_tasks(request.user, programme)
    if request.method == "POST" and programme.status == WorkProgramme.Status.ADOPTED:
        return _conflict(request, _("An adopted work programme no longer changes."))
    form = EntryForm(request.POST or None, instance=entry, programme=programme)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if not writable.filter(pk=form.cleaned_data["task"].pk).exists():
                raise PermissionDenied
            form.save()
            messages.success(request, _("The entry is saved."))
            return redirect("programme_detail", pk=programme.pk)
        status = 400
    form.fields["task"].queryset = writable
    context = {"form": form, "programme": programme, "entry": entry}
    return render(request, "governance/programme_form.html", context, status=status)


def progress_edit(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    programme = _programme_for_user(request.user, pk, edit=True)
    task = get_object_or_404(RegionalTask, pk=task_pk, cooperation=programme.cooperation)
    report = ProgressReport.objects.filter(programme=programme, task=task).first() or ProgressReport(
        programme=programme, task=task
    )
    form = ProgressForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The progress of %(task)s is saved.") % {"task": task})
        return redirect("programme_detail", pk=programme.pk)
    return render(request, "governance/programme_form.html", {"form": form, "programme": programme, "task": task})


@require_POST
def programme_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    programme = _programme_for_user(request.user, pk, edit=True)
    try:
        if action == "council-input":
            form = CouncilInputForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose until when the councils can give input."))
            programme.ask_council_input(until=form.cleaned_data["until"])
        elif action == "adopt":
            programme.adopt()
        else:
            raise Http404
    except (TransitionNotAllowed, ValidationError) as error:
        return _conflict(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    return redirect("programme_detail", pk=programme.pk)


def programme_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The work programme, or its progress report for the councils, as PDF."""
    programme = _programme_for_user(request.user, pk)
    if kind not in ("werkprogramma", "voortgangsrapportage"):
        raise Http404
    tasks = list(programme.cooperation.regional_tasks.select_related("lead_body"))
    entries = list(programme.entries.select_related("task"))
    progress = {p.task_id: p for p in programme.progress.all()}
    for task in tasks:
        task.entries = [e for e in entries if e.task_id == task.pk]
        task.report = progress.get(task.pk)
    with translation.override("nl"):
        content = render_pdf(
            f"pdf/{kind}.html",
            {"programme": programme, "tasks": tasks},
            archive=programme.status == WorkProgramme.Status.ADOPTED,
        )
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{kind}-{programme.cooperation.abbreviation or programme.cooperation.pk}-{programme.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _conflict(request, message: str) -> HttpResponse:
    return render(request, "meetings/conflict.html", {"message": message}, status=409)


# Monthly evaluations of the coordination structure.


def _evaluating_cooperations(user):
    """Evaluations are recorded by the coordinator and the administrative meeting's secretariat."""
    return _editable_cooperations(user, ConsultationBody.Kind.ADMINISTRATIVE_COORDINATION)


def evaluation_list(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The evaluations of one year as one list, with findings and adjustments."""
    year = year or today().year
    evaluations = (
        MonthlyEvaluation.objects.filter(month__year=year, cooperation__in=_readable_cooperations(request.user))
        .select_related("cooperation", "agenda_item__meeting__body")
        .prefetch_related("adjustments__body")
        .order_by("month", "cooperation__name", "pk")
    )
    page = paginate(request, evaluations)
    years = MonthlyEvaluation.objects.dates("month", "year")
    editable = set(_evaluating_cooperations(request.user).values_list("pk", flat=True))
    return render(
        request,
        "governance/evaluation_list.html",
        {
            "evaluations": page.object_list,
            "page": page,
            "year": year,
            "years": [d.year for d in years],
            "editable": editable,
        },
    )


def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(
        MonthlyEvaluation.objects.select_related("cooperation", "agenda_item__meeting__body"), pk=pk
    )
    if not _evaluating_cooperations(request.user).filter(pk=evaluation.cooperation_id).exists():
        if _reads_cooperation(request.user, evaluation.cooperation_id):
            raise PermissionDenied
        raise Http404
    form = EvaluationForm(request.POST or None, instance=evaluation)
    formset = adjustment_formset(evaluation, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            current = MonthlyEvaluation.objects.select_for_update().get(pk=evaluation.pk)
            if str(current.lock_version) == request.POST.get("lock_version"):
                # Only what the form is about: the agenda item may have been set meanwhile.
                current.findings = form.cleaned_data["findings"]
                current.lock_version += 1
                current.save(update_fields=["findings", "lock_version"])
                formset.save()
                messages.success(request, _("The evaluation is saved."))
                anchor = f"#evaluation-{evaluation.pk}"
                return redirect(reverse("evaluation_list_year", args=[evaluation.month.year]) + anchor)
        # Someone saved in between: keep what this person typed, show what is saved now.
        messages.error(
            request,
            _(
                "Someone else saved this evaluation while you were working on it. Your text is still in the form; "
                "compare it with the saved version below and save again."
            ),
        )
        evaluation.refresh_from_db()
        status = 409
    return render(
        request,
        "governance/evaluation_form.html",
        {
            "evaluation": evaluation,
            "form": form,
            "formset": formset,
            "saved": evaluation if status == 409 else None,
            "lock_version": evaluation.lock_version,
        },
        status=status,
    )
