"""The OParl 1.1 endpoint at /oparl/v1/: no log-in, GET only, JSON, CORS for any origin (OParl 2.6).

What is not public answers 404, whether it exists or not; what was public and is withdrawn answers 200 as a
deleted object (OParl 2.8). Lists are pages of at most PAGE_SIZE objects in a stable order (by kind and
id), with the filters of OParl 2.5: created_since/until, modified_since/until (deleted objects only with
modified_since), omit_internal and limit."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from api import oparl, pages
from api.oparl import Context
from decisions.models import CollegeDecision, CouncilTrack
from municipalities.models import Municipality
from publication import public
from publication.models import Publication

PAGE_SIZE = 100
MAX_PAGE = 10**9
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class BadRequest(Exception):
    pass


def _json(data: dict, status: int = 200) -> HttpResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False, "indent": None})
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Language"] = "nl"
    return response


def endpoint(view: Callable) -> Callable:
    """No log-in, GET and HEAD only, in Dutch; a malformed parameter is a 400 with its reason, a missing or
    hidden object a 404, both as JSON."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override("nl"):
            try:
                return view(request, Context(request, omit_internal=_omit_internal(request)), *args, **kwargs)
            except BadRequest as error:
                return _json({"error": str(error)}, status=400)
            except Http404:
                return _json({"error": "Dit object bestaat niet of is niet openbaar."}, status=404)

    return login_not_required(require_safe(wrapped))


def _omit_internal(request: HttpRequest) -> bool:
    return request.GET.get("omit_internal", "").lower() == "true"


# --- Lists -------------------------------------------------------------------------------------------------


@dataclass
class Source:
    """One part of a list: a query set (annotated with live, oparl_created and oparl_modified) or a short
    Python list of rows with created_at and modified_at; and the function that serialises a page of it."""

    rows: QuerySet | list
    serialise: Callable[[Context, list], list[dict]]

    def filtered(self, times: dict, with_deleted: bool):
        rows = self.rows
        if isinstance(rows, QuerySet):
            if "oparl_modified" not in rows.query.annotations:
                rows = rows.annotate(oparl_created=F("created_at"), oparl_modified=F("modified_at"))
            if not with_deleted and "live" in rows.query.annotations:
                rows = rows.filter(live=True)
            lookups = {
                "created_since": "oparl_created__gte",
                "created_until": "oparl_created__lte",
                "modified_since": "oparl_modified__gte",
                "modified_until": "oparl_modified__lte",
            }
            return rows.filter(**{lookups[name]: value for name, value in times.items()}).order_by("pk")
        kept = []
        for row in rows:
            obj = row[1] if isinstance(row, tuple) else row
            created, modified = obj.created_at, obj.modified_at
            checks = {
                "created_since": created >= times.get("created_since", created),
                "created_until": created <= times.get("created_until", created),
                "modified_since": modified >= times.get("modified_since", modified),
                "modified_until": modified <= times.get("modified_until", modified),
            }
            if all(checks.values()):
                kept.append(row)
        return kept


def _times(request: HttpRequest) -> dict:
    times = {}
    for name in FILTERS:
        value = request.GET.get(name)
        if value is None:
            continue
        try:
            parsed = parse_datetime(value) if len(value) <= 40 else None
        except ValueError:  # well formed but no real moment, such as month 13
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise BadRequest(
                f"{name} moet een volledige datum en tijd met tijdzone zijn, zoals 2026-01-01T00:00:00+01:00."
            )
        times[name] = parsed
    return times


def _number(request: HttpRequest, name: str, default: int, most: int) -> int:
    value = request.GET.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise BadRequest(f"{name} moet een positief geheel getal zijn.")
    return min(int(value), most)


def list_response(request: HttpRequest, ctx: Context, sources: list[Source]) -> HttpResponse:
    times = _times(request)
    size = _number(request, "limit", PAGE_SIZE, PAGE_SIZE)
    page = _number(request, "page", 1, MAX_PAGE)
    parts = [(source, source.filtered(times, with_deleted="modified_since" in times)) for source in sources]
    counts = [rows.count() if isinstance(rows, QuerySet) else len(rows) for _, rows in parts]
    total = sum(counts)
    start, data = (page - 1) * size, []
    offset = 0
    for (source, rows), count in zip(parts, counts, strict=True):
        if start < offset + count and len(data) < size:
            begin = max(start - offset, 0)
            chunk = list(rows[begin : begin + size - len(data)])
            data += source.serialise(ctx, chunk)
        offset += count
    last = max((total + size - 1) // size, 1)

    def link(number: int) -> str:
        query = {key: value for key, value in request.GET.items() if key != "page"}
        if number > 1:
            query["page"] = number
        return request.build_absolute_uri(request.path) + (f"?{urlencode(query)}" if query else "")

    links = {"first": link(1), "self": link(page), "last": link(last)}
    if page > 1:
        links["prev"] = link(min(page - 1, last))
    if page < last:
        links["next"] = link(page + 1)
    pagination = {"totalElements": total, "elementsPerPage": size, "currentPage": page, "totalPages": last}
    return _json({"data": data, "pagination": pagination, "links": links})


# --- Views -------------------------------------------------------------------------------------------------


@endpoint
def system(request: HttpRequest, ctx: Context) -> HttpResponse:
    return _json(oparl.system(ctx))


@endpoint
def bodies(request: HttpRequest, ctx: Context) -> HttpResponse:
    return list_response(request, ctx, [Source(pages.bodies_list(), pages.bodies)])


def _body_sources(key: str, name: str) -> list[Source]:
    municipality = Municipality.objects.filter(cbs_code__iexact=key).first() if key.startswith("gm") else None
    cooperations = [] if municipality else pages.cooperations_of(key)
    if municipality is None and not cooperations:
        raise Http404
    if name == "organization":
        return [Source(pages.organizations_of(key), pages.organizations)]
    if municipality:
        offices = oparl.public_offices().filter(municipality=municipality).select_related("municipality")
        if name == "person":
            people = pages.people_queryset().filter(offices__in=offices).distinct()
            return [Source(people, pages.people)]
        if name == "membership":
            college = offices.filter(role__in=oparl.COLLEGE_ROLES)
            council = offices.filter(role__in=oparl.COUNCIL_ROLES)
            return [
                Source(college, lambda ctx, rows: pages.memberships(ctx, pages.with_which(rows, "college"))),
                Source(council, lambda ctx, rows: pages.memberships(ctx, pages.with_which(rows, "council"))),
            ]
        return [Source([], lambda ctx, rows: [])]  # a municipality holds no regional meetings or papers here
    if name == "person":
        seats = oparl.public_seats().filter(body__cooperation__in=cooperations)
        return [Source(pages.people_queryset().filter(memberships__in=seats).distinct(), pages.people)]
    if name == "membership":
        return [Source(oparl.public_seats().filter(body__cooperation__in=cooperations), pages.memberships)]
    if name == "meeting":
        return [Source(pages.meetings_of(cooperations), pages.meetings)]
    if name == "agendaItem":
        return [Source(oparl.agenda_items().filter(meeting__body__cooperation__in=cooperations), pages.agenda_items)]
    if name == "paper":
        return [
            Source(oparl.proposals().filter(cooperation__in=cooperations), pages.papers),
            Source(oparl.bundle_items().filter(meeting__body__cooperation__in=cooperations), pages.papers),
        ]
    raise Http404


@endpoint
def body_list(request: HttpRequest, ctx: Context, key: str, name: str) -> HttpResponse:
    return list_response(request, ctx, _body_sources(key, name))


@endpoint
def organization_meetings(request: HttpRequest, ctx: Context, key: str) -> HttpResponse:
    parsed = oparl.split_key(key)
    if not parsed or parsed[0] != "body" or not oparl.known_bodies().filter(pk=parsed[1]).exists():
        raise Http404
    return list_response(request, ctx, [Source(oparl.meetings().filter(body_id=parsed[1]), pages.meetings)])


@endpoint
def obj(request: HttpRequest, ctx: Context, kind: str, key: str) -> HttpResponse:
    resolve = RESOLVERS.get(kind)
    if resolve is None:
        raise Http404
    data = resolve(ctx, key)
    if data is None:
        raise Http404
    return _json(data)


def _one(rows: QuerySet, serialise, ctx: Context, pk: int) -> dict | None:
    found = list(rows.filter(pk=pk))
    return serialise(ctx, found)[0] if found else None


def _parsed(key: str, *kinds: str) -> tuple[str, int] | None:
    parsed = oparl.split_key(key)
    return parsed if parsed and parsed[0] in kinds else None


def _plain_pk(key: str) -> int | None:
    return int(key) if key.isascii() and key.isdigit() and len(key) < 19 else None


def resolve_body(ctx: Context, key: str) -> dict | None:
    if key.startswith("gm"):
        municipality = Municipality.objects.filter(cbs_code__iexact=key).first()
        return oparl.body_of_municipality(ctx, municipality) if municipality else None
    held = pages.cooperations_held_by(key)
    if not held:
        return None
    if key.startswith("organisation-"):
        return oparl.body_of_organisation(ctx, held[0].organisation)
    cooperation = held[0]
    cooperation.shown = public.public_cooperations().filter(pk=cooperation.pk).exists()
    return oparl.body_of_cooperation(ctx, cooperation)


def resolve_organization(ctx: Context, key: str) -> dict | None:
    parsed = _parsed(key, "college", "council", "cooperation", "body")
    if not parsed:
        return None
    kind, pk = parsed
    if kind in ("college", "council"):
        municipality = Municipality.objects.filter(pk=pk).first()
        return pages.organizations(ctx, [(kind, municipality)])[0] if municipality else None
    if kind == "cooperation":
        cooperation = oparl.known_cooperations().filter(pk=pk).first()
        return oparl.organization_of_cooperation(ctx, cooperation) if cooperation else None
    body = oparl.known_bodies().select_related("cooperation").filter(pk=pk).first()
    if not body:
        return None
    body.public_seats = list(oparl.public_seats().filter(body=body).order_by("pk"))
    return pages.organizations(ctx, [("body", body)])[0]


def resolve_person(ctx: Context, key: str) -> dict | None:
    pk = _plain_pk(key)
    return _one(pages.people_queryset(), pages.people, ctx, pk) if pk else None


def resolve_membership(ctx: Context, key: str) -> dict | None:
    parsed = _parsed(key, "seat", "college", "council")
    if not parsed:
        return None
    kind, pk = parsed
    if kind == "seat":
        return _one(oparl.public_seats(), pages.memberships, ctx, pk)
    roles = oparl.COLLEGE_ROLES if kind == "college" else oparl.COUNCIL_ROLES
    office = oparl.public_offices().filter(pk=pk, role__in=roles).first()
    return oparl.membership_of_office(ctx, office, kind) if office else None


def resolve_meeting(ctx: Context, key: str) -> dict | None:
    pk = _plain_pk(key)
    return _one(oparl.meetings(), pages.meetings, ctx, pk) if pk else None


def resolve_agenda_item(ctx: Context, key: str) -> dict | None:
    pk = _plain_pk(key)
    return _one(oparl.agenda_items(), pages.agenda_items, ctx, pk) if pk else None


def resolve_paper(ctx: Context, key: str) -> dict | None:
    parsed = _parsed(key, "proposal", "item")
    if not parsed:
        return None
    kind, pk = parsed
    rows = oparl.proposals() if kind == "proposal" else oparl.bundle_items()
    return _one(rows, pages.papers, ctx, pk)


def resolve_consultation(ctx: Context, key: str) -> dict | None:
    parsed = _parsed(key, "item", "college", "council")
    if not parsed:
        return None
    kind, pk = parsed
    if kind == "item":
        bundle = _one(oparl.bundle_items(), pages.papers, ctx, pk)
        if bundle:
            return bundle["consultation"][0]
        item = public.public_items().filter(pk=pk).first()
        proposal = item and oparl.proposals().filter(agenda_item=item, live=True).first()
        return _consultation_in(pages.papers(ctx, [proposal])[0], f"item-{pk}") if proposal else None
    if kind == "college":
        decision = CollegeDecision.objects.filter(pk=pk, publications__kind=Publication.Kind.COLLEGE_DECISION).first()
        if not decision:
            return None
        if not public.public_decisions().filter(pk=pk).exists():
            return oparl.consultation_of_decision(ctx, decision, False, None)
        proposal = oparl.proposals().filter(pk=decision.proposal_id).first()
        found = _consultation_in(pages.papers(ctx, [proposal])[0], f"college-{pk}") if proposal else None
        # Of a proposal withdrawn since, the Paper is deleted; the published decision's consultation stands.
        return found or oparl.consultation_of_decision(ctx, decision, True, None)
    track = CouncilTrack.objects.filter(pk=pk).first()
    if (
        not track
        or not public.public_decisions()
        .filter(proposal_id=track.proposal_id, municipality_id=track.municipality_id)
        .exists()
    ):
        return None
    return oparl.consultation_of_track(ctx, track)


def _consultation_in(paper: dict, key: str) -> dict | None:
    return next((c for c in paper.get("consultation", []) if c["id"].endswith(f"/{key}/")), None)


def resolve_file(ctx: Context, key: str) -> dict | None:
    parsed = _parsed(key, "document", "publication")
    if not parsed:
        return None
    kind, pk = parsed
    if kind == "document":
        version = public.public_versions().select_related("document").filter(pk=pk).first()
        return oparl.file_of_version(ctx, version) if version else None
    publication = Publication.objects.exclude(file="").filter(pk=pk).first()
    return oparl.file_of_publication(ctx, publication) if publication else None


def resolve_location(ctx: Context, key: str) -> dict | None:
    parsed = _parsed(key, "meeting")
    if not parsed:
        return None
    meeting = public.public_meetings().exclude(location="").filter(pk=parsed[1]).first()
    return oparl.location_of_meeting(ctx, meeting) if meeting else None


RESOLVERS = {
    "body": resolve_body,
    "organization": resolve_organization,
    "person": resolve_person,
    "membership": resolve_membership,
    "meeting": resolve_meeting,
    "agendaitem": resolve_agenda_item,
    "paper": resolve_paper,
    "consultation": resolve_consultation,
    "file": resolve_file,
    "location": resolve_location,
}
