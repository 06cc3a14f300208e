"""OParl 1.1 objects of what the public side shows (publication/public.py), and nothing else.

How the portal maps onto OParl (docs/adr/0017-oparl.md):
- Body: each municipality (its TOOI identifier as `equivalent`), each regional organisation, and each
  cooperation that no regional organisation carries (a covenant, a sub-region).
- Organization: each cooperation, each of its consultation bodies (`subOrganizationOf` the cooperation), and
  per municipality its college and its council.
- Person and Membership: office holders only (mayors, aldermen, council members; never civil servants), with
  their seats in college and council and in the consultation bodies that have published meetings.
- Meeting, AgendaItem: published meetings and their public items; a withdrawn agenda publication or a
  withdrawn item stays as a `deleted` object.
- Paper: each public regional proposal, with a Consultation for the regional meeting, for each college whose
  decision is published and for that municipality's council; and each public item's documents as a bundle.
- File: each public document version and each published PDF (agenda, minutes, decision list, decision).

Every key in a URL names its kind: `gm0392`, `organisation-3`, `cooperation-2` for bodies; `body-4`,
`cooperation-2`, `college-7`, `council-7` for organisations; and so on. An unknown or invisible key is a 404."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
from governance.models import ConsultationBody, Cooperation, Membership
from meetings.models import AgendaItem, DocumentVersion, Meeting
from municipalities.models import Municipality, Office, Person, RegionalOrganisation
from publication import public
from publication.models import Publication

SCHEMA = "https://schema.oparl.org/1.1/"
TOOI_MUNICIPALITY = "https://identifier.overheid.nl/tooi/id/gemeente/"
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
VENDOR = (
    "regioportaal"  # the prefix of the portal's own attributes (OParl 1.1, 3.0 "Herstellerspezifische Erweiterungen")
)

Kind = Publication.Kind

# Political office holders: the people whose name and seats OParl may show. Civil servants never.
PUBLIC_OFFICE_ROLES = frozenset(
    {
        Office.Role.MAYOR,
        Office.Role.ACTING_MAYOR,
        Office.Role.LOCO_MAYOR,
        Office.Role.ALDERMAN,
        Office.Role.COUNCIL_MEMBER,
    }
)
COLLEGE_ROLES = {
    Office.Role.MAYOR: ("voorzitter", True),
    Office.Role.ACTING_MAYOR: ("waarnemend burgemeester, voorzitter", True),
    Office.Role.LOCO_MAYOR: ("loco-burgemeester", True),
    Office.Role.ALDERMAN: ("wethouder", True),
}
COUNCIL_ROLES = {
    # The mayor chairs the council (Gemeentewet art. 9) and is no member of it, so has no vote; its members vote.
    Office.Role.MAYOR: ("voorzitter", False),
    Office.Role.COUNCIL_MEMBER: ("raadslid", True),
}
SEAT_ROLES = {
    Membership.Role.CHAIR: ("voorzitter", True),
    Membership.Role.MEMBER: ("lid", True),
    Membership.Role.ADVISORY_MEMBER: ("adviserend lid", False),
    Membership.Role.SECRETARY: ("secretaris", False),
}
# Whose decision binds: each college decides for its municipality; a council where it gives consent or sets
# the frame; a regional meeting adopts a position that the colleges then decide on (docs/adr/0017-oparl.md).
AUTHORITATIVE_INVOLVEMENTS = {CouncilTrack.Involvement.CONSENT, CouncilTrack.Involvement.FRAMEWORK}


def stamp(value: datetime.datetime | None) -> str | None:
    """A date-time as OParl writes it: yyyy-mm-ddThh:mm:ss±hh:mm, in Dutch local time."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def clean(data: dict, keep: tuple[str, ...] = ()) -> dict:
    """OParl asks not to write empty values (2.4: null values and empty lists), except where the schema
    requires the property (`keep`): an empty list then."""
    return {key: value for key, value in data.items() if key in keep or value not in (None, "", [])}


@dataclass
class Context:
    """What every serializer needs: absolute URLs, and whether internal lists are left out."""

    request: object
    omit_internal: bool = False

    def url(self, name: str, *args, query: str = "") -> str:
        return self.request.build_absolute_uri(reverse(name, args=args)) + query

    def obj(self, kind: str, key: str) -> str:
        return self.url("oparl_object", kind, key)

    def web(self, obj) -> str:
        return self.request.build_absolute_uri(public.public_url(obj))


# --- Keys -------------------------------------------------------------------------------------------------


def municipality_key(municipality: Municipality) -> str:
    return municipality.cbs_code.lower()


def cooperation_body_key(cooperation: Cooperation) -> str:
    """The Body a cooperation's organisations belong to: its regional organisation, or itself."""
    if cooperation.organisation_id:
        return f"organisation-{cooperation.organisation_id}"
    return f"cooperation-{cooperation.pk}"


def split_key(key: str) -> tuple[str, int] | None:
    """'college-7' -> ('college', 7); None for anything else (no 500 on a made-up key)."""
    kind, _, number = key.rpartition("-")
    if not kind or not (number.isascii() and number.isdigit()) or len(number) > 18:
        return None
    return kind, int(number)


# --- Query sets with OParl's created and modified ---------------------------------------------------------


def _publication_events(**lookup) -> Subquery:
    return Subquery(
        Publication.objects.filter(**lookup)
        .order_by()
        .values(*lookup.keys())
        .annotate(at=Max(Coalesce("withdrawn_at", "published_at")))
        .values("at")[:1]
    )


def _greatest(*expressions):
    """Greatest() that ignores an empty part on every database (SQLite's returns NULL if any part is NULL)."""
    return Greatest(*[Coalesce(e, F("modified_at")) for e in expressions]) if len(expressions) > 1 else expressions[0]


def agenda_published(outer: str = "pk") -> Exists:
    return Exists(Publication.objects.filter(kind=Kind.AGENDA, meeting=OuterRef(outer)))


def agenda_live(outer: str = "pk") -> Exists:
    return Exists(Publication.objects.live().filter(kind=Kind.AGENDA, meeting=OuterRef(outer)))


def meetings() -> QuerySet[Meeting]:
    """Every meeting whose agenda was ever published: the live ones and, as deleted, the withdrawn ones."""
    last_item = Subquery(
        AgendaItem.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(at=Max("modified_at"))
        .values("at")[:1]
    )
    return (
        Meeting.objects.filter(agenda_published())
        .annotate(
            live=agenda_live(),
            oparl_created=F("created_at"),
            oparl_modified=_greatest(
                F("modified_at"),
                last_item,
                _publication_events(meeting=OuterRef("pk")),
                _publication_events(minutes__meeting=OuterRef("pk")),
            ),
        )
        .select_related("body__cooperation")
    )


def agenda_items() -> QuerySet[AgendaItem]:
    """The non-confidential items of meetings whose agenda was ever published; an item is deleted when it
    was withdrawn from the agenda or its meeting's publication was withdrawn. Numbered as the public page
    numbers them: among the non-confidential items."""
    number = Subquery(
        AgendaItem.objects.filter(meeting=OuterRef("meeting"), confidential=False, position__lte=OuterRef("position"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        AgendaItem.objects.filter(agenda_published("meeting"), confidential=False)
        .annotate(
            live=ExpressionWrapper(Q(withdrawn=False) & agenda_live("meeting"), output_field=BooleanField()),
            public_number=number,
            oparl_created=F("created_at"),
            oparl_modified=_greatest(F("modified_at"), _publication_events(meeting=OuterRef("meeting"))),
        )
        .select_related("meeting")
    )


def proposals() -> QuerySet[RegionalProposal]:
    """Public regional proposals; a proposal withdrawn after it was public stays as deleted."""
    ever_public = Q(agenda_item__in=AgendaItem.objects.filter(agenda_published("meeting"), confidential=False)) | Q(
        pk__in=Publication.objects.filter(kind=Kind.COLLEGE_DECISION).values("college_decision__proposal")
    )
    return (
        RegionalProposal.objects.filter(ever_public)
        .exclude(status=RegionalProposal.Status.DRAFT)
        .annotate(
            live=ExpressionWrapper(Q(pk__in=public.public_proposals().values("pk")), output_field=BooleanField()),
            oparl_created=F("created_at"),
            oparl_modified=_greatest(
                F("modified_at"),
                _publication_events(college_decision__proposal=OuterRef("pk")),
                Subquery(
                    CouncilTrack.objects.filter(proposal=OuterRef("pk"))
                    .order_by()
                    .values("proposal")
                    .annotate(at=Max("modified_at"))
                    .values("at")[:1]
                ),
            ),
        )
        .select_related("cooperation", "body", "agenda_item__meeting")
    )


def bundle_items() -> QuerySet[AgendaItem]:
    """Public items with public documents and no public proposal on them: their documents as one Paper."""
    return (
        public.public_items()
        .filter(pk__in=public.public_versions().values("document__item"))
        .exclude(pk__in=public.public_proposals().exclude(agenda_item=None).values("agenda_item"))
        .annotate(
            live=Value(True),
            oparl_created=F("created_at"),
            oparl_modified=_greatest(
                F("modified_at"),
                Subquery(
                    DocumentVersion.objects.filter(document__item=OuterRef("pk"))
                    .order_by()
                    .values("document__item")
                    .annotate(at=Max("uploaded_at"))
                    .values("at")[:1]
                ),
            ),
        )
        .select_related("meeting__body__cooperation")
    )


def known_bodies() -> QuerySet[ConsultationBody]:
    """Consultation bodies that ever had a published meeting. They stay, with their meeting list, after a
    withdrawal, so a harvester can learn of what was withdrawn (OParl 2.8); the names of bodies are public."""
    return ConsultationBody.objects.filter(
        Exists(Publication.objects.filter(kind=Kind.AGENDA, meeting__body=OuterRef("pk")))
    )


def known_cooperations() -> QuerySet[Cooperation]:
    """Cooperations the public side shows or showed: through a body's meeting, a covenant or a work programme."""
    ever = Publication.objects.all()
    return Cooperation.objects.filter(
        Q(pk__in=known_bodies().values("cooperation"))
        | Q(pk__in=ever.exclude(cooperation=None).values("cooperation"))
        | Q(pk__in=ever.exclude(work_programme=None).values("work_programme__cooperation"))
    )


def public_people() -> QuerySet[Person]:
    """People who hold or held a political office; their name is public, nothing else of them is shown."""
    return Person.objects.filter(
        Exists(Office.objects.filter(person=OuterRef("pk"), role__in=PUBLIC_OFFICE_ROLES))
    ).annotate(live=Value(True), oparl_created=F("created_at"), oparl_modified=F("modified_at"))


def public_offices() -> QuerySet[Office]:
    return Office.objects.filter(role__in=PUBLIC_OFFICE_ROLES, municipality__isnull=False)


def public_seats() -> QuerySet[Membership]:
    """Seats of office holders in consultation bodies with published meetings."""
    return Membership.objects.filter(body__in=known_bodies(), person__in=public_people().values("pk")).select_related(
        "body__cooperation", "on_behalf_of"
    )


def decisions_published() -> QuerySet[CollegeDecision]:
    return public.public_decisions()


# --- Serializers ------------------------------------------------------------------------------------------


def base(ctx: Context, kind: str, key: str, obj, type_name: str) -> dict:
    return {
        "id": ctx.obj(kind, key),
        "type": SCHEMA + type_name,
        "created": stamp(getattr(obj, "oparl_created", None) or obj.created_at),
        "modified": stamp(getattr(obj, "oparl_modified", None) or obj.modified_at),
    }


def deleted(data: dict) -> dict:
    """A soft-deleted object (OParl 1.1, 2.8): id, type, created, modified and deleted only."""
    return {
        "id": data["id"],
        "type": data["type"],
        "created": data["created"],
        "modified": data["modified"],
        "deleted": True,
    }


def system(ctx: Context) -> dict:
    return clean(
        {
            "id": ctx.url("oparl_system"),
            "type": SCHEMA + "System",
            "oparlVersion": SCHEMA,
            "name": "Regioportaal",
            "license": LICENSE,
            "body": ctx.url("oparl_bodies"),
            "website": ctx.url("public_home"),
            "web": ctx.url("public_home"),
        }
    )


def body_of_municipality(ctx: Context, municipality: Municipality) -> dict:
    key = municipality_key(municipality)
    return clean(
        {
            **base(ctx, "body", key, municipality, "Body"),
            "system": ctx.url("oparl_system"),
            "shortName": municipality.name,
            "name": f"Gemeente {municipality.name}",
            "website": municipality.website,
            "license": LICENSE,
            "equivalent": [TOOI_MUNICIPALITY + key],
            "classification": "gemeente",
            "mainOrganization": ctx.obj("organization", f"council-{municipality.pk}"),
            **body_lists(ctx, key),
        },
        keep=("legislativeTerm",),
    )


def body_of_organisation(ctx: Context, organisation: RegionalOrganisation) -> dict:
    key = f"organisation-{organisation.pk}"
    return clean(
        {
            **base(ctx, "body", key, organisation, "Body"),
            "system": ctx.url("oparl_system"),
            "shortName": organisation.abbreviation,
            "name": organisation.name,
            "website": organisation.website,
            "license": LICENSE,
            "classification": "openbaar lichaam",
            **body_lists(ctx, key),
        },
        keep=("legislativeTerm",),
    )


def body_of_cooperation(ctx: Context, cooperation: Cooperation) -> dict:
    key = f"cooperation-{cooperation.pk}"
    return clean(
        {
            **base(ctx, "body", key, cooperation, "Body"),
            "system": ctx.url("oparl_system"),
            "shortName": cooperation.abbreviation,
            "name": cooperation.name,
            "license": LICENSE,
            "classification": "samenwerkingsverband",
            "mainOrganization": ctx.obj("organization", f"cooperation-{cooperation.pk}"),
            "web": ctx.web(cooperation) if getattr(cooperation, "shown", False) else None,
            **body_lists(ctx, key),
        },
        keep=("legislativeTerm",),
    )


def body_lists(ctx: Context, key: str) -> dict:
    lists = {
        name: ctx.url("oparl_body_list", key, name)
        for name in ("organization", "person", "meeting", "paper", "agendaItem", "membership")
    }
    return {**lists, "legislativeTerm": []}


def organization_of_body(ctx: Context, body: ConsultationBody, visible_body_ids: set[int]) -> dict:
    key = f"body-{body.pk}"
    data = {
        **base(ctx, "organization", key, body, "Organization"),
        "body": ctx.obj("body", cooperation_body_key(body.cooperation)),
        "name": body.name,
        "shortName": body.abbreviation,
        "organizationType": "overleg",
        "classification": body.get_kind_display(),
        "subOrganizationOf": ctx.obj("organization", f"cooperation-{body.cooperation_id}"),
        "startDate": day(getattr(body, "starts_on", None)),
        "endDate": day(getattr(body, "ends_on", None)),
    }
    data["meeting"] = ctx.url("oparl_organization_meetings", key)
    data["membership"] = [ctx.obj("membership", f"seat-{seat.pk}") for seat in getattr(body, "public_seats", [])]
    if body.pk in visible_body_ids:  # its public page exists while it has a published meeting
        data["web"] = ctx.web(body)
    return clean(data)


def organization_of_cooperation(ctx: Context, cooperation: Cooperation) -> dict:
    return clean(
        {
            **base(ctx, "organization", f"cooperation-{cooperation.pk}", cooperation, "Organization"),
            "body": ctx.obj("body", cooperation_body_key(cooperation)),
            "name": cooperation.name,
            "shortName": cooperation.abbreviation,
            "organizationType": "samenwerkingsverband",
            "classification": cooperation.get_kind_display(),
            "startDate": day(cooperation.starts_on),
        }
    )


def organization_of_municipality(ctx: Context, municipality: Municipality, which: str) -> dict:
    college = which == "college"
    key = f"{which}-{municipality.pk}"
    offices = getattr(municipality, "public_offices", [])
    roles = COLLEGE_ROLES if college else COUNCIL_ROLES
    return clean(
        {
            **base(ctx, "organization", key, municipality, "Organization"),
            "body": ctx.obj("body", municipality_key(municipality)),
            "name": f"{'College van burgemeester en wethouders' if college else 'Gemeenteraad'} {municipality.name}",
            "organizationType": "college" if college else "raad",
            "classification": "college van burgemeester en wethouders" if college else "gemeenteraad",
            "website": municipality.council_information_system_url if not college else municipality.website,
            "membership": [ctx.obj("membership", f"{which}-{office.pk}") for office in offices if office.role in roles],
        }
    )


def person(ctx: Context, holder: Person, memberships: list[dict]) -> dict:
    data = {
        **base(ctx, "person", str(holder.pk), holder, "Person"),
        "body": ctx.obj("body", getattr(holder, "body_key", "")) if getattr(holder, "body_key", "") else None,
        "name": holder.full_name,
        "familyName": " ".join(p for p in (holder.surname_prefix, holder.surname) if p),
        "givenName": holder.given_name,
        "affix": holder.surname_prefix,
    }
    if not ctx.omit_internal:
        data["membership"] = memberships
    return clean(data)


def membership_of_office(ctx: Context, office: Office, which: str) -> dict:
    role, voting = (COLLEGE_ROLES if which == "college" else COUNCIL_ROLES)[office.role]
    return clean(
        {
            **base(ctx, "membership", f"{which}-{office.pk}", office, "Membership"),
            "person": ctx.obj("person", str(office.person_id)),
            "organization": ctx.obj("organization", f"{which}-{office.municipality_id}"),
            "role": role,
            "votingRight": voting,
            "startDate": day(office.starts_on),
            "endDate": day(office.ends_on),
        }
    )


def membership_of_seat(ctx: Context, seat: Membership) -> dict:
    role, voting = SEAT_ROLES[seat.role]
    return clean(
        {
            **base(ctx, "membership", f"seat-{seat.pk}", seat, "Membership"),
            "person": ctx.obj("person", str(seat.person_id)),
            "organization": ctx.obj("organization", f"body-{seat.body_id}"),
            "role": role,
            "votingRight": voting,
            "startDate": day(seat.starts_on),
            "endDate": day(seat.ends_on),
            "onBehalfOf": ctx.obj("organization", f"college-{seat.on_behalf_of_id}") if seat.on_behalf_of_id else None,
        }
    )


def memberships_of(holder: Person) -> list[tuple[str, object]]:
    """The person's public seats, from the prefetched offices and seats: (which, office or seat)."""
    found: list[tuple[str, object]] = []
    for office in getattr(holder, "public_offices", []):
        if office.role in COLLEGE_ROLES:
            found.append(("college", office))
        if office.role in COUNCIL_ROLES:
            found.append(("council", office))
    found += [("seat", seat) for seat in getattr(holder, "public_seats", [])]
    return found


def membership(ctx: Context, which: str, obj) -> dict:
    return membership_of_seat(ctx, obj) if which == "seat" else membership_of_office(ctx, obj, which)


def file_of_version(ctx: Context, version: DocumentVersion) -> dict:
    key = f"document-{version.pk}"
    access = ctx.url("public_document", version.pk)
    data = {
        "id": ctx.obj("file", key),
        "type": SCHEMA + "File",
        "name": version.document.title,
        "fileName": version.original_name,
        "mimeType": version.content_type,
        "date": day(timezone.localdate(version.uploaded_at)),
        "size": version.size,
        "sha512Checksum": version.sha512,
        f"{VENDOR}:sha256Checksum": version.sha256,
        "accessUrl": access,
        "downloadUrl": access + "?download=1",
        "license": LICENSE,
        "created": stamp(version.uploaded_at),
        "modified": stamp(max(version.uploaded_at, version.document.modified_at)),
    }
    if version.document.item_id:
        data["agendaItem"] = [ctx.obj("agendaitem", str(version.document.item_id))]
    return clean(data)


def file_of_publication(ctx: Context, publication: Publication) -> dict:
    key = f"publication-{publication.pk}"
    data = {
        "id": ctx.obj("file", key),
        "type": SCHEMA + "File",
        "created": stamp(publication.published_at),
        "modified": stamp(publication.withdrawn_at or publication.published_at),
    }
    if publication.state != Publication.State.PUBLISHED or not publication.file:
        return deleted(data)
    access = ctx.url("public_publication_file", publication.pk)
    return clean(
        {
            **data,
            "name": publication.title,
            "fileName": publication.file_name,
            "mimeType": "application/pdf",
            "date": day(publication.created_on),
            "size": publication.size,
            "sha512Checksum": publication.sha512,
            f"{VENDOR}:sha256Checksum": publication.sha256,
            "accessUrl": access,
            "downloadUrl": access + "?download=1",
            "license": LICENSE,
            "web": ctx.url("public_publication", publication.pk),
        }
    )


def location_of_meeting(ctx: Context, meeting: Meeting) -> dict | None:
    if not meeting.location:
        return None
    return clean(
        {
            "id": ctx.obj("location", f"meeting-{meeting.pk}"),
            "type": SCHEMA + "Location",
            "description": meeting.location,
            "created": stamp(meeting.created_at),
            "modified": stamp(meeting.modified_at),
        }
    )


def agenda_item(ctx: Context, item: AgendaItem, versions: list[DocumentVersion], has_paper: bool, result: str) -> dict:
    data = base(ctx, "agendaitem", str(item.pk), item, "AgendaItem")
    data["order"] = item.position
    if not item.live:
        return {**deleted(data), "order": item.position}
    out = {
        **data,
        "meeting": ctx.obj("meeting", str(item.meeting_id)),
        "number": str(item.public_number or item.position),
        "name": item.title,
        "public": True,
        "consultation": ctx.obj("consultation", f"item-{item.pk}") if has_paper else None,
        "result": result,
        "web": ctx.request.build_absolute_uri(public.public_url(item)),
        "license": LICENSE,
    }
    if not ctx.omit_internal:
        out["auxiliaryFile"] = [file_of_version(ctx, v) for v in versions]
    return clean(out)


def has_file(files: dict[str, Publication], kind: str) -> bool:
    """A publication's PDF is rendered by a task after the act; until it is there, no File points at it."""
    return kind in files and bool(files[kind].file)


def meeting(ctx: Context, obj: Meeting, items: list[dict], files: dict[str, Publication]) -> dict:
    data = base(ctx, "meeting", str(obj.pk), obj, "Meeting")
    if not obj.live:
        return deleted(data)
    out = {
        **data,
        "name": f"{obj.body.name} {timezone.localtime(obj.starts_at):%d-%m-%Y}",
        "meetingState": obj.get_status_display(),
        "cancelled": obj.status == Meeting.Status.CANCELLED,
        "start": stamp(obj.starts_at),
        "end": stamp(obj.ends_at),
        "location": location_of_meeting(ctx, obj),
        "organization": [ctx.obj("organization", f"body-{obj.body_id}")],
        "invitation": file_of_publication(ctx, files[Kind.AGENDA]) if has_file(files, Kind.AGENDA) else None,
        "resultsProtocol": file_of_publication(ctx, files[Kind.MINUTES]) if has_file(files, Kind.MINUTES) else None,
        "web": ctx.web(obj),
        "license": LICENSE,
    }
    if not ctx.omit_internal:
        out["agendaItem"] = items
        if has_file(files, Kind.DECISION_LIST):
            out["auxiliaryFile"] = [file_of_publication(ctx, files[Kind.DECISION_LIST])]
    return clean(out)


def consultation_of_item(ctx: Context, item: AgendaItem, paper_key: str, role: str) -> dict:
    return clean(
        {
            **base(ctx, "consultation", f"item-{item.pk}", item, "Consultation"),
            "paper": ctx.obj("paper", paper_key),
            "agendaItem": ctx.obj("agendaitem", str(item.pk)),
            "meeting": ctx.obj("meeting", str(item.meeting_id)),
            "organization": [ctx.obj("organization", f"body-{item.meeting.body_id}")],
            "authoritative": False,
            "role": role,
        }
    )


def consultation_of_decision(ctx: Context, decision: CollegeDecision, live: bool, file: dict | None) -> dict:
    data = base(ctx, "consultation", f"college-{decision.pk}", decision, "Consultation")
    if not live:
        return deleted(data)
    return clean(
        {
            **data,
            "paper": ctx.obj("paper", f"proposal-{decision.proposal_id}"),
            "organization": [ctx.obj("organization", f"college-{decision.municipality_id}")],
            "authoritative": True,
            "role": "besluit van het college",
            f"{VENDOR}:outcome": decision.get_outcome_display(),
            f"{VENDOR}:outcomeDate": day(decision.decided_on),
            f"{VENDOR}:decisionFile": file,
            "web": ctx.web(decision),
        }
    )


def consultation_of_track(ctx: Context, track: CouncilTrack) -> dict:
    decided = track.status == CouncilTrack.Status.DECIDED and track.outcome
    return clean(
        {
            **base(ctx, "consultation", f"council-{track.pk}", track, "Consultation"),
            "paper": ctx.obj("paper", f"proposal-{track.proposal_id}"),
            "organization": [ctx.obj("organization", f"council-{track.municipality_id}")],
            "authoritative": track.involvement in AUTHORITATIVE_INVOLVEMENTS,
            "role": track.get_involvement_display(),
            f"{VENDOR}:status": track.get_status_display(),
            f"{VENDOR}:councilDate": day(track.council_date),
            f"{VENDOR}:outcome": track.get_outcome_display() if decided else None,
            f"{VENDOR}:outcomeDate": day(track.outcome_date) if decided else None,
        }
    )
