"""The publishing acts, for signed-in people: publish, withdraw, and upload a covenant to publish."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEvent, record
from core.workflow import TransitionNotAllowed
from decisions.access import get_decision_for_user
from governance.models import Cooperation, WorkProgramme
from meetings.access import get_meeting_for_user, is_coordinator
from meetings.models import Minutes
from publication import actions
from publication.forms import CovenantForm, WithdrawForm
from publication.models import Publication

CONFLICT = 409


def _target_for_user(user, kind: str, pk: int):
    """The thing to publish, through its own app's permission-checked fetch: not visible -> 404."""
    Kind = Publication.Kind
    if kind in (Kind.AGENDA, Kind.DECISION_LIST):
        return get_meeting_for_user(user, pk)
    if kind == Kind.MINUTES:
        minutes = get_object_or_404(Minutes.objects.select_related("meeting__body__cooperation"), pk=pk)
        get_meeting_for_user(user, minutes.meeting_id)
        return minutes
    if kind == Kind.COLLEGE_DECISION:
        return get_decision_for_user(user, pk)
    if not is_coordinator(user):
        raise Http404
    if kind == Kind.COVENANT:
        return get_object_or_404(Cooperation, pk=pk)
    return get_object_or_404(WorkProgramme.objects.select_related("cooperation"), pk=pk)


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _conflict(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "meetings/conflict.html", {"message": message}, status=CONFLICT)


@require_POST
def publish(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in Publication.Kind.values or kind == Publication.Kind.COVENANT:
        raise Http404
    target = _target_for_user(request.user, kind, pk)
    if not actions.may_publish(request.user, kind, target):
        raise PermissionDenied
    try:
        publication = actions.publish(kind, target, by=request.user)
    except TransitionNotAllowed as refusal:
        return _conflict(request, str(refusal))
    except IntegrityError:
        return _conflict(request, _("Someone else published this at the same moment; the page shows it now."))
    record(AuditEvent.Kind.PUBLISHED, request=request, obj=publication, what=publication.kind)
    messages.success(
        request,
        _("Published on the public side: %(title)s. The Woo index reads it from the sitemap.")
        % {"title": publication.title},
    )
    return redirect(_back(request, publication.get_absolute_url()))


def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=pk)
    target = _target_for_user(request.user, publication.kind, publication.target.pk)
    if not actions.may_publish(request.user, publication.kind, target):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publication.withdraw(
                by=request.user,
                reason=form.cleaned_data["reason"],
                removal_reason=form.cleaned_data["removal_reason"],
            )
        except TransitionNotAllowed as refusal:
            return _conflict(request, str(refusal))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            record(AuditEvent.Kind.PUBLICATION_WITHDRAWN, request=request, obj=publication, what=publication.kind)
            messages.success(request, _("The publication is withdrawn; the public page now gives the reason."))
            return redirect(_back(request, publication.get_absolute_url()))
    return render(
        request,
        "publication/withdraw_form.html",
        {"form": form, "publication": publication, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


def publish_covenant(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = _target_for_user(request.user, Publication.Kind.COVENANT, pk)
    form = CovenantForm(
        request.POST or None,
        request.FILES or None,
        initial={"title": actions.covenant_title(cooperation), "signed_on": cooperation.starts_on},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with transaction.atomic():
                publication = actions.publish(
                    Publication.Kind.COVENANT,
                    cooperation,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    handled_on=form.cleaned_data["signed_on"],
                    created_on=form.cleaned_data["signed_on"],
                )
                publication.attach(upload)
        except TransitionNotAllowed as refusal:
            return _conflict(request, str(refusal))
        record(AuditEvent.Kind.PUBLISHED, request=request, obj=publication, what=publication.kind)
        messages.success(request, _("The covenant is published on the public side."))
        return redirect(publication.get_absolute_url())
    return render(
        request,
        "publication/covenant_form.html",
        {"form": form, "cooperation": cooperation, "publications": actions.publications_of("covenant", cooperation)},
        status=400 if form.errors else 200,
    )


def publication_target(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One thing to publish, with its publications so far: where the list of what waits links to."""
    if kind not in Publication.Kind.values:
        raise Http404
    target = _target_for_user(request.user, kind, pk)
    if not actions.may_publish(request.user, kind, target):
        raise PermissionDenied
    return render(request, "publication/target.html", {"kind": kind, "target": target})
