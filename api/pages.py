"""The OParl objects of one list page (or one object), serialised in a fixed number of queries: each function
takes the page's rows and fetches what they embed for all of them at once."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, Q

from api import oparl
from api.oparl import Context
from decisions.models import CouncilTrack, RegionalProposal
from governance.models import Cooperation, Membership
from meetings.models import AgendaItem, DocumentVersion, Meeting, MinutesItem
from municipalities.models import Municipality, Person
from publication import public
from publication.models import Publication

Kind = Publication.Kind


class ItemFacts:
    """For the items of some meetings: their public document versions, whether a Paper covers them, the
    result the published minutes record, and each meeting's live publications by kind."""

    def __init__(self, meeting_ids: list[int]):
        self.versions: dict[int, list[DocumentVersion]] = defaultdict(list)
        for version in (
            public.public_versions()
            .filter(document__item__meeting__in=meeting_ids)
            .select_related("document")
            .order_by("document_id")
        ):
            self.versions[version.document.item_id].append(version)
        self.proposal_items = set(
            public.public_proposals().filter(agenda_item__meeting__in=meeting_ids).values_list("agenda_item", flat=True)
        )
        self.files: dict[int, dict[str, Publication]] = defaultdict(dict)
        for publication in (
            Publication.objects.live()
            .filter(Q(meeting__in=meeting_ids) | Q(minutes__meeting__in=meeting_ids))
            .select_related("minutes")
        ):
            meeting_id = publication.meeting_id or publication.minutes.meeting_id
            self.files[meeting_id][publication.kind] = publication
        with_minutes = [m for m, files in self.files.items() if Kind.MINUTES in files]
        self.results = dict(
            MinutesItem.objects.filter(minutes__meeting__in=with_minutes)
            .exclude(conclusions="")
            .values_list("agenda_item", "conclusions")
        )

    def has_paper(self, item: AgendaItem) -> bool:
        return item.pk in self.proposal_items or bool(self.versions.get(item.pk))

    def item(self, ctx: Context, item: AgendaItem) -> dict:
        return oparl.agenda_item(
            ctx, item, self.versions.get(item.pk, []), self.has_paper(item), self.results.get(item.pk, "")
        )


def meetings(ctx: Context, rows: list[Meeting]) -> list[dict]:
    ids = [m.pk for m in rows]
    facts = ItemFacts(ids)
    items = defaultdict(list)
    for item in oparl.agenda_items().filter(meeting__in=ids).order_by("position"):
        if item.live:
            items[item.meeting_id].append(facts.item(ctx, item))
    return [oparl.meeting(ctx, m, items[m.pk], facts.files.get(m.pk, {})) for m in rows]


def agenda_items(ctx: Context, rows: list[AgendaItem]) -> list[dict]:
    facts = ItemFacts(sorted({item.meeting_id for item in rows}))
    return [facts.item(ctx, item) for item in rows]


def papers(ctx: Context, rows: list) -> list[dict]:
    proposals = [row for row in rows if isinstance(row, RegionalProposal)]
    bundles = [row for row in rows if isinstance(row, AgendaItem)]
    decisions = defaultdict(list)
    for decision in (
        public.public_decisions()
        .filter(proposal__in=proposals)
        .select_related("municipality")
        .prefetch_related(Prefetch("publications", queryset=Publication.objects.live(), to_attr="live"))
        .order_by("municipality__name")
    ):
        decisions[decision.proposal_id].append(decision)
    decided = {(d.proposal_id, d.municipality_id) for ds in decisions.values() for d in ds}
    tracks = defaultdict(list)
    for track in (
        CouncilTrack.objects.filter(proposal__in=proposals)
        .select_related("municipality")
        .order_by("municipality__name")
    ):
        if (track.proposal_id, track.municipality_id) in decided:
            tracks[track.proposal_id].append(track)
    item_ids = [p.agenda_item_id for p in proposals if p.agenda_item_id] + [b.pk for b in bundles]
    items = {item.pk: item for item in public.public_items().filter(pk__in=item_ids).select_related("meeting")}
    versions = defaultdict(list)
    for version in (
        public.public_versions().filter(document__item__in=item_ids).select_related("document").order_by("document_id")
    ):
        versions[version.document.item_id].append(version)

    out = []
    for row in rows:
        if isinstance(row, RegionalProposal):
            out.append(_proposal(ctx, row, items, versions, decisions[row.pk], tracks[row.pk]))
        else:
            out.append(_bundle(ctx, row, versions[row.pk]))
    return out


def _proposal(ctx, proposal, items, versions, decisions, tracks) -> dict:
    key = f"proposal-{proposal.pk}"
    data = oparl.base(ctx, "paper", key, proposal, "Paper")
    if not proposal.live:
        return oparl.deleted(data)
    consultations = []
    item = items.get(proposal.agenda_item_id)
    if item:
        consultations.append(oparl.consultation_of_item(ctx, item, key, "vaststelling regionaal standpunt"))
    files = [oparl.file_of_version(ctx, v) for v in versions.get(proposal.agenda_item_id, [])] if item else []
    for decision in decisions:
        file = oparl.file_of_publication(ctx, decision.live[0]) if decision.live and decision.live[0].file else None
        consultations.append(oparl.consultation_of_decision(ctx, decision, True, file))
        if file:
            files.append(file)
    consultations += [oparl.consultation_of_track(ctx, track) for track in tracks]
    out = {
        **data,
        "body": ctx.obj("body", oparl.cooperation_body_key(proposal.cooperation)),
        "name": proposal.title,
        "reference": f"RV-{proposal.pk}",
        "date": oparl.day(proposal.adopted_on),
        "paperType": "regionaal voorstel",
        "underDirectionOf": [ctx.obj("organization", f"body-{proposal.body_id}")],
        "consultation": consultations,
        "web": ctx.web(proposal),
        "license": oparl.LICENSE,
    }
    if not ctx.omit_internal:
        out["auxiliaryFile"] = files
    return oparl.clean(out)


def _bundle(ctx, item: AgendaItem, versions: list[DocumentVersion]) -> dict:
    key = f"item-{item.pk}"
    data = oparl.base(ctx, "paper", key, item, "Paper")
    files = [oparl.file_of_version(ctx, v) for v in versions]
    out = {
        **data,
        "body": ctx.obj("body", oparl.cooperation_body_key(item.meeting.body.cooperation)),
        "name": item.title,
        "reference": f"AP-{item.pk}",
        "date": oparl.day(item.meeting.starts_at.date()),
        "paperType": "vergaderstuk",
        "mainFile": files[0] if files else None,
        "consultation": [oparl.consultation_of_item(ctx, item, key, item.get_purpose_display() or item.title)],
        "web": ctx.request.build_absolute_uri(public.public_url(item)),
        "license": oparl.LICENSE,
    }
    if not ctx.omit_internal:
        out["auxiliaryFile"] = files[1:]
    return oparl.clean(out)


def people_queryset():
    return oparl.public_people().prefetch_related(
        Prefetch(
            "offices",
            queryset=oparl.public_offices().select_related("municipality").order_by("starts_on", "pk"),
            to_attr="public_offices",
        ),
        Prefetch("memberships", queryset=oparl.public_seats().order_by("starts_on", "pk"), to_attr="public_seats"),
    )


def people(ctx: Context, rows: list[Person]) -> list[dict]:
    out = []
    for holder in rows:
        if holder.public_offices:
            holder.body_key = oparl.municipality_key(holder.public_offices[0].municipality)
        elif holder.public_seats:
            holder.body_key = oparl.cooperation_body_key(holder.public_seats[0].body.cooperation)
        found = [oparl.membership(ctx, which, obj) for which, obj in oparl.memberships_of(holder)]
        out.append(oparl.person(ctx, holder, found))
    return out


def memberships(ctx: Context, rows: list) -> list[dict]:
    out = []
    for row in rows:
        if isinstance(row, Membership):
            out.append(oparl.membership_of_seat(ctx, row))
        else:
            out.append(oparl.membership_of_office(ctx, row, row.which))
    return out


def cooperations_held_by(body_key: str) -> list[Cooperation]:
    """The known cooperations whose organisations a regional Body holds: a regional organisation's, or a
    cooperation of its own; none for a municipality or a key of no Body."""
    parsed = oparl.split_key(body_key)
    if not parsed or parsed[0] not in ("organisation", "cooperation"):
        return []
    kind, pk = parsed
    cooperations = oparl.known_cooperations().select_related("organisation")
    if kind == "organisation":
        cooperations = cooperations.filter(organisation_id=pk)
    else:
        cooperations = cooperations.filter(pk=pk, organisation=None)
    return list(cooperations.order_by("pk"))


def organizations_of(body_key: str) -> list:
    """The organisations a Body holds, as (kind, object) pairs, in a fixed order."""
    if body_key.startswith("gm"):
        municipality = Municipality.objects.filter(cbs_code__iexact=body_key).first()
        if not municipality:
            return []
        return [("college", municipality), ("council", municipality)]
    cooperations = cooperations_held_by(body_key)
    bodies = list(
        oparl.known_bodies()
        .filter(cooperation__in=cooperations)
        .select_related("cooperation")
        .prefetch_related(Prefetch("memberships", queryset=oparl.public_seats().order_by("pk"), to_attr="public_seats"))
        .order_by("pk")
    )
    return [("cooperation", c) for c in cooperations] + [("body", b) for b in bodies]


def organizations(ctx: Context, rows: list) -> list[dict]:
    municipalities = [obj for kind, obj in rows if kind in ("college", "council")]
    offices = defaultdict(list)
    for office in oparl.public_offices().filter(municipality__in=municipalities).order_by("starts_on", "pk"):
        offices[office.municipality_id].append(office)
    visible = set(
        public.public_bodies()
        .filter(pk__in=[obj.pk for kind, obj in rows if kind == "body"])
        .values_list("pk", flat=True)
    )
    out = []
    for kind, obj in rows:
        if kind == "body":
            out.append(oparl.organization_of_body(ctx, obj, visible))
        elif kind == "cooperation":
            out.append(oparl.organization_of_cooperation(ctx, obj))
        else:
            obj.public_offices = offices[obj.pk]
            out.append(oparl.organization_of_municipality(ctx, obj, kind))
    return out


# --- Which rows belong to a Body ---------------------------------------------------------------------------


def cooperations_of(body_key: str) -> list[int]:
    """The ids of the cooperations a regional Body holds (see cooperations_held_by)."""
    return [cooperation.pk for cooperation in cooperations_held_by(body_key)]


def bodies_list() -> list[tuple[str, object]]:
    """Every Body: municipalities, then regional organisations and cooperations of their own that carry a
    public cooperation."""
    from municipalities.models import RegionalOrganisation

    cooperations = oparl.known_cooperations()
    shown = set(public.public_cooperations().values_list("pk", flat=True))
    rows: list[tuple[str, object]] = [("municipality", m) for m in Municipality.objects.order_by("pk")]
    rows += [
        ("organisation", o)
        for o in RegionalOrganisation.objects.filter(cooperations__in=cooperations).distinct().order_by("pk")
    ]
    for cooperation in cooperations.filter(organisation=None).order_by("pk"):
        cooperation.shown = cooperation.pk in shown
        rows.append(("cooperation", cooperation))
    return rows


def bodies(ctx: Context, rows: list) -> list[dict]:
    out = []
    for kind, obj in rows:
        if kind == "municipality":
            out.append(oparl.body_of_municipality(ctx, obj))
        elif kind == "organisation":
            out.append(oparl.body_of_organisation(ctx, obj))
        else:
            out.append(oparl.body_of_cooperation(ctx, obj))
    return out


def meetings_of(cooperation_ids: list[int]):
    return oparl.meetings().filter(body__cooperation__in=cooperation_ids)


def with_which(offices, which: str) -> list:
    for office in offices:
        office.which = which
    return offices
