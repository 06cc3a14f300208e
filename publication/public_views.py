"""The public side (/openbaar/): no log-in, only what publication/public.py calls public.

Every page answers with Last-Modified (the latest publication act it shows), an ETag of its content and
Cache-Control public, so a resident's browser, a proxy and a harvester ask again cheaply (304)."""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Max, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from core.pagination import paginate
from decisions.models import CollegeDecision
from governance.models import WorkProgramme
from meetings.models import ActionPoint, Disclosure, Document, Meeting, MinutesItem, number_without_confidential
from municipalities.models import Municipality
from publication import public
from publication.models import Publication

MAX_AGE = 300  # seconds a browser or proxy may reuse a public page without asking


def in_dutch(view):
    """The public side speaks Dutch whatever the browser asks: its documents are Dutch, and one language
    keeps its addresses and caches simple (Dutch first; the portal's English is for signed-in staff)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override("nl"):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["Content-Language"] = "nl"
        return response

    return wrapped


def public_view(view):
    """No log-in, GET and HEAD only, in Dutch."""
    return login_not_required(require_safe(in_dutch(view)))


def _last_modified(publications) -> datetime.datetime | None:
    return publications.aggregate(at=Max(Coalesce("withdrawn_at", "published_at")))["at"]


def _cacheable(request: HttpRequest, response: HttpResponse, last_modified: datetime.datetime | None):
    """Conditional GET on the page's content and its latest publication act."""
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["ETag"] = etag
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def _page(request, template: str, context: dict, publications=None, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    return _cacheable(request, response, _last_modified(publications) if publications is not None else None)


def _live_for(**lookup):
    return Publication.objects.live().filter(**lookup)


@public_view
def home(request: HttpRequest) -> HttpResponse:
    latest = Publication.objects.live().select_related(
        "meeting__body", "minutes__meeting__body", "college_decision__municipality", "work_programme", "cooperation"
    )[:20]
    return _page(
        request,
        "publication/public_home.html",
        {
            "cooperations": public.public_cooperations().order_by("name"),
            "municipalities": public.public_municipalities().order_by("name"),
            "latest": latest,
        },
        Publication.objects.all(),
    )


@public_view
def cooperation_page(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = get_object_or_404(public.public_cooperations(), pk=pk)
    bodies = public.public_bodies().filter(cooperation=cooperation).order_by("name")
    proposals = (
        public.public_proposals().filter(cooperation=cooperation).select_related("body").order_by("-adopted_on", "-pk")
    )
    return _page(
        request,
        "publication/public_cooperation.html",
        {
            "cooperation": cooperation,
            "bodies": bodies,
            "covenants": _live_for(kind=Publication.Kind.COVENANT, cooperation=cooperation),
            "programmes": Publication.objects.live()
            .filter(work_programme__cooperation=cooperation)
            .select_related("work_programme")
            .order_by("-work_programme__year", "kind"),
            "page": paginate(request, proposals),
        },
        Publication.objects.filter(
            Q(cooperation=cooperation)
            | Q(meeting__body__cooperation=cooperation)
            | Q(work_programme__cooperation=cooperation)
        ),
    )


@public_view
def body_page(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(public.public_bodies().select_related("cooperation"), pk=pk)
    meetings = (
        public.public_meetings()
        .filter(body=body)
        .order_by("-starts_at")
        .prefetch_related(
            Prefetch("publications", queryset=Publication.objects.live(), to_attr="live_publications"),
            Prefetch("minutes__publications", queryset=Publication.objects.live(), to_attr="live_publications"),
        )
    )
    return _page(
        request,
        "publication/public_body.html",
        {"body": body, "page": paginate(request, meetings)},
        Publication.objects.filter(Q(meeting__body=body) | Q(minutes__meeting__body=body)),
    )


def _public_meeting(pk: int) -> Meeting:
    return get_object_or_404(public.public_meetings().select_related("body__cooperation"), pk=pk)


@public_view
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _public_meeting(pk)
    items = list(meeting.items.filter(confidential=False).select_related("portfolio").order_by("position"))
    number_without_confidential(items)
    items = [item for item in items if not item.withdrawn]
    versions = defaultdict(list)
    for version in public.public_versions().filter(document__item__meeting=meeting).select_related("document"):
        versions[version.document.item_id].append(version)
    withheld = defaultdict(list)
    for document in Document.objects.filter(item__in=items).exclude(disclosure=Disclosure.PUBLIC):
        withheld[document.item_id].append(document)
    for item in items:
        item.public_versions = sorted(versions[item.pk], key=lambda v: v.document_id)
        # A document public in part without its redacted version yet counts as not (yet) public.
        shown = {v.document_id for v in item.public_versions}
        item.withheld = [d for d in withheld[item.pk] if d.pk not in shown]
    publications = Publication.objects.filter(Q(meeting=meeting) | Q(minutes__meeting=meeting))
    return _page(
        request,
        "publication/public_meeting.html",
        {
            "meeting": meeting,
            "items": items,
            "publications": {p.kind: p for p in publications.live()},
        },
        publications,
    )


@public_view
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _public_meeting(pk)
    minutes = get_object_or_404(public.public_minutes(), meeting=meeting)
    entries = list(
        MinutesItem.objects.filter(minutes=minutes, agenda_item__confidential=False)
        .select_related("agenda_item")
        .prefetch_related(Prefetch("action_points", queryset=ActionPoint.objects.select_related("owner")))
        .order_by("agenda_item__position")
    )
    number_without_confidential([entry.agenda_item for entry in entries])
    attendance = list(meeting.attendance.filter(person__isnull=False).select_related("person", "on_behalf_of"))
    publications = Publication.objects.filter(minutes=minutes)
    return _page(
        request,
        "publication/public_minutes.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "entries": entries,
            "present": [a for a in attendance if a.presence == "present"],
            "excused": [a for a in attendance if a.presence == "excused"],
            "publication": publications.live().first(),
        },
        publications,
    )


def _download(request: HttpRequest) -> bool:
    """`?download=1`: the file as an attachment, for OParl's downloadUrl (OParl 2.7); otherwise inline."""
    return request.GET.get("download") == "1"


@public_view
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(public.public_versions().select_related("document"), pk=pk)
    response = FileResponse(
        version.file.open("rb"),
        content_type=version.content_type,
        filename=version.original_name,
        as_attachment=_download(request),
    )
    response["Last-Modified"] = http_date(int(version.uploaded_at.timestamp()))
    response["ETag"] = quote_etag(version.sha256)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(
        request, etag=quote_etag(version.sha256), last_modified=int(version.uploaded_at.timestamp()), response=response
    )


@public_view
def municipality_page(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality, pk=pk)
    decisions = (
        public.public_decisions()
        .filter(municipality=municipality)
        .select_related("proposal__cooperation")
        .order_by("-decided_on", "-pk")
    )
    page = paginate(request, decisions)
    if not page.paginator.count and not public.public_municipalities().filter(pk=pk).exists():
        raise Http404
    return _page(
        request,
        "publication/public_municipality.html",
        {"municipality": municipality, "page": page},
        Publication.objects.filter(college_decision__municipality=municipality),
    )


@public_view
def decision_page(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        public.public_decisions().select_related("proposal__cooperation", "municipality", "version"), pk=pk
    )
    publications = Publication.objects.filter(college_decision=decision)
    return _page(
        request,
        "publication/public_decision.html",
        {"decision": decision, "publication": publications.live().first()},
        publications,
    )


@public_view
def proposal_page(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(public.public_proposals().select_related("cooperation", "body"), pk=pk)
    decisions = list(
        public.public_decisions()
        .filter(proposal=proposal)
        .select_related("municipality")
        .prefetch_related(Prefetch("publications", queryset=Publication.objects.live(), to_attr="live_publications"))
        .order_by("municipality__name")
    )
    total = CollegeDecision.objects.filter(proposal=proposal).count()
    on_agenda = proposal.agenda_item_id and public.public_items().filter(pk=proposal.agenda_item_id).exists()
    return _page(
        request,
        "publication/public_proposal.html",
        {
            "proposal": proposal,
            "decisions": decisions,
            "total": total,
            "meeting": proposal.agenda_item.meeting if on_agenda else None,
        },
        Publication.objects.filter(college_decision__proposal=proposal),
    )


@public_view
def programme_page(request: HttpRequest, pk: int) -> HttpResponse:
    live = Publication.objects.live().filter(work_programme_id=pk)
    programme = get_object_or_404(
        WorkProgramme.objects.filter(pk__in=live.values("work_programme")).select_related("cooperation"), pk=pk
    )
    kinds = {p.kind: p for p in live}
    tasks = list(programme.cooperation.regional_tasks.select_related("lead_body"))
    entries = list(programme.entries.select_related("task"))
    progress = {p.task_id: p for p in programme.progress.all()} if Publication.Kind.PROGRESS_REPORT in kinds else {}
    for task in tasks:
        task.entries = [e for e in entries if e.task_id == task.pk]
        task.report = progress.get(task.pk)
    return _page(
        request,
        "publication/public_programme.html",
        {
            "programme": programme,
            "tasks": tasks,
            "programme_publication": kinds.get(Publication.Kind.WORK_PROGRAMME),
            "progress_publication": kinds.get(Publication.Kind.PROGRESS_REPORT),
        },
        Publication.objects.filter(work_programme=programme),
    )


def _content_url(publication: Publication) -> str | None:
    """The public page that shows what a live publication made public."""
    Kind = Publication.Kind
    if publication.kind == Kind.COVENANT:
        return None
    if publication.kind == Kind.MINUTES:
        return public.public_url(publication.minutes)
    return public.public_url(publication.target)


@public_view
def publication_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The stable page of one publication, the address the sitemap gives the Woo index: what it is, and
    what was made public; a withdrawn one answers 410 Gone with its reason, a replaced one points on."""
    publication = get_object_or_404(
        Publication.objects.select_related(
            "replaced_by", "meeting__body", "minutes__meeting", "college_decision", "work_programme", "cooperation"
        ),
        pk=pk,
    )
    status = 410 if publication.state == Publication.State.WITHDRAWN else 200
    return _page(
        request,
        "publication/public_publication.html",
        {
            "publication": publication,
            "content_url": _content_url(publication) if publication.is_live else None,
            "versions": Publication.objects.filter(target_key=publication.target_key).order_by("version"),
        },
        Publication.objects.filter(target_key=publication.target_key),
        status=status,
    )


@public_view
def publication_file(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication.objects.live().exclude(file=""), pk=pk)
    response = FileResponse(
        publication.file.open("rb"),
        content_type="application/pdf",
        filename=publication.file_name,
        as_attachment=_download(request),
    )
    modified = int(publication.published_at.timestamp())
    response["Last-Modified"] = http_date(modified)
    response["ETag"] = quote_etag(publication.sha256)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(
        request, etag=quote_etag(publication.sha256), last_modified=modified, response=response
    )


@public_view
def accessibility(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "publication/public_accessibility.html",
        {
            "contact": settings.ACCESSIBILITY_CONTACT,
            "statement_date": datetime.date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_DATE),
        },
    )
