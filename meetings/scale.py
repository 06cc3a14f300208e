"""The national-scale dataset, part three: ten years of meetings of every body, with their agendas,
documents, minutes, attendance, action points and the submissions of the municipalities (see
municipalities/scale.py). The documents share one small stored file instead of a file each."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from core.periods import deadline_on_working_day
from governance.scale import CADENCE_PER_YEAR, BodyInfo
from meetings.models import (
    ADOPTION_LINES,
    ActionPoint,
    Addendum,
    AgendaItem,
    AgendaPdf,
    Attendance,
    Document,
    DocumentVersion,
    Erratum,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesItem,
    MinutesPdf,
    Purpose,
    Submission,
)
from municipalities.scale import DAY, Holder, Scale, slug

MEETINGS = 50_000
AGENDA_ITEMS = 500_000
DOCUMENTS = 100_000
ACTION_POINTS = 100_000
SUBMISSIONS = 10_000
SHARED_FILE = "scale/regionaal-stuk.pdf"
# The smallest PDF a reader opens: one empty page.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

SUBJECTS = [
    "regionale woonagenda", "energiestrategie", "mobiliteitsplan", "inkoop jeugdhulp", "arbeidsmarktregio",
    "klimaatadaptatie", "beschermd wonen", "bedrijventerreinen", "recreatieschap", "omgevingsvisie",
    "laadinfrastructuur", "huisvesting statushouders", "ondermijning", "schuldhulpverlening", "cultuurnota",
    "sportakkoord", "warmtetransitie", "fietsroutes", "natuurinclusief bouwen", "digitale weerbaarheid",
    "zorgakkoord", "vrijetijdseconomie", "vervoer op maat", "wijkaanpak", "afvalinzameling",
    "grondwaterbeheer", "onderwijshuisvesting", "toezicht kinderopvang", "crisisbeheersing", "netcongestie",
]  # fmt: skip
FORMS = [
    "Voortgangsrapportage", "Uitvoeringsprogramma", "Evaluatie", "Startnotitie", "Visie", "Begrotingswijziging",
    "Jaarverslag", "Position paper", "Subsidieaanvraag", "Convenant", "Plan van aanpak", "Verkenning",
    "Regionaal standpunt", "Kaderbrief", "Notitie",
]  # fmt: skip
DISCUSSIONS = [
    "De leden wisselen ervaringen uit en vragen om een korte toelichting per gemeente.",
    "Het voorstel wordt besproken; de leden steunen de lijn van het voorstel.",
    "Er zijn vragen over de financiële gevolgen voor de kleinere gemeenten.",
    "De portefeuillehouders zien kansen voor een gezamenlijke lobby richting de provincie.",
]
CONCLUSIONS = [
    "Ingestemd met het voorstel.",
    "Voor kennisgeving aangenomen.",
    "Het voorstel komt terug in de volgende vergadering.",
    "Ingestemd, met de aanvulling dat de raden worden geïnformeerd.",
]
ACTIONS = [
    "Notitie opstellen over", "Reactie verzamelen van de gemeenten op", "Overzicht rondsturen van",
    "Afstemmen met de provincie over", "Raadsinformatiebrief voorbereiden over", "Planning opstellen voor",
]  # fmt: skip
CAPACITY = {"chair": "chair", "secretary": "secretary", "member": "member", "advisory_member": "advisory"}


@dataclass
class MeetingInfo:
    pk: int
    body: BodyInfo
    starts_at: datetime.datetime
    status: str
    agenda_deadline: datetime.datetime
    documents_deadline: datetime.datetime
    minutes: int | None = None
    minutes_status: str = ""


def title(ctx: Scale, year: int) -> str:
    return f"{ctx.rng.choice(FORMS)} {ctx.rng.choice(SUBJECTS)} {year}"


def shared_file() -> tuple[str, int, str]:
    """The one stored file every generated document, agenda and decision points at."""
    if not default_storage.exists(SHARED_FILE):
        default_storage.save(SHARED_FILE, ContentFile(PDF))
    return SHARED_FILE, len(PDF), hashlib.sha256(PDF).hexdigest()


def _meeting_days(ctx: Scale, body: BodyInfo, count: int) -> list[datetime.date]:
    """`count` days on the body's weekday, spread evenly over the ten years."""
    if count <= 0:
        return []
    start, end = ctx.window_start, ctx.window_end
    step = (end - start).days / count
    weekday = body.weekday if body.weekday is not None else ctx.rng.randrange(5)
    days = []
    for index in range(count):
        day = start + datetime.timedelta(days=int(index * step + ctx.rng.random() * step * 0.5))
        day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
        if not days or day > days[-1]:
            days.append(day)
    return days


def _meeting_counts(ctx: Scale, bodies: list[BodyInfo]) -> dict[int, int]:
    """Meetings per body, by its cadence, adding up to the wanted total; the demo bodies meet twice as
    often, so the demo log-ins see a national portal's worth of meetings."""
    weights = {b.pk: CADENCE_PER_YEAR[b.frequency] * (2 if b.demo else 1) for b in bodies}
    target = ctx.scaled(MEETINGS)
    total = sum(weights.values())
    counts = {pk: int(weight * target / total) for pk, weight in weights.items()}
    rest = target - sum(counts.values())
    for pk in sorted(weights, key=lambda pk: -weights[pk])[: max(0, rest)]:
        counts[pk] += 1
    return counts


def load_meetings(ctx: Scale) -> None:
    rng = ctx.rng
    now = timezone.now()
    file_name, file_size, file_sha = shared_file()
    ctx.extra["shared_file"] = (file_name, file_size, file_sha)
    bodies = [b for coop in ctx.extra["cooperations"] for b in coop.bodies]
    counts = _meeting_counts(ctx, bodies)
    slots_wanted = ctx.extra.get("proposals_per_body", {})
    with translation.override(settings.LANGUAGE_CODE):
        fixed_titles = {kind: str(text) for kind, text in AgendaItem.FIXED_TITLES.items()}
        adoption_title = gettext("Adoption of the minutes of %(date)s")
        lines = {article: str(line) for article, line in ADOPTION_LINES.items()}
    meetings, minutes_rows, items = ctx.table(Meeting), ctx.table(Minutes), ctx.table(AgendaItem)
    regular_held: list[tuple[int, int, MeetingInfo]] = []  # (item, minutes item, meeting)
    regular_all: list[tuple[int, str, MeetingInfo]] = []
    positions: dict[int, list] = {}
    upcoming: list[MeetingInfo] = []
    every: list[MeetingInfo] = []
    per_meeting = max(0.0, AGENDA_ITEMS / MEETINGS - 5)
    for body in bodies:
        secretary = next(iter(body.holders("secretary")), None)
        secretary_user = secretary.user_id if secretary else None
        chair = next(iter(body.holders("chair")), None)
        plan: list[MeetingInfo] = []
        for day in _meeting_days(ctx, body, counts[body.pk]):
            starts_at = timezone.make_aware(datetime.datetime.combine(day, body.start_time))
            agenda_deadline = deadline_on_working_day(starts_at - body.agenda_days * DAY)
            documents_deadline = deadline_on_working_day(starts_at - body.documents_days * DAY)
            if starts_at < now:
                # Held; adopting the minutes leaves the meeting held (Minutes.adopt), as the portal does.
                status = Meeting.Status.CANCELLED if rng.random() < 0.03 else Meeting.Status.HELD
            else:
                status = Meeting.Status.PUBLISHED if agenda_deadline < now else Meeting.Status.PLANNED
            plan.append(MeetingInfo(0, body, starts_at, status, agenda_deadline, documents_deadline))
        for meeting in plan:
            published = meeting.status != Meeting.Status.PLANNED and (
                meeting.status != Meeting.Status.CANCELLED or rng.random() < 0.5
            )
            meeting.pk = meetings.add(
                body_id=body.pk,
                starts_at=meeting.starts_at,
                ends_at=meeting.starts_at + datetime.timedelta(hours=2),
                location=body.location,
                status=meeting.status,
                agenda_deadline=meeting.agenda_deadline,
                documents_deadline=meeting.documents_deadline,
                agenda_version=1 if published else 0,
                published_at=meeting.agenda_deadline + DAY if published else None,
                published_by_id=secretary_user if published else None,
                cancellation_reason="Te weinig agendapunten." if meeting.status == Meeting.Status.CANCELLED else "",
            )
            if published:
                ctx.table(AgendaPdf).add(
                    meeting_id=meeting.pk, agenda_version=1, file=file_name, sha256=file_sha,
                    created_at=meeting.agenda_deadline + DAY,
                )  # fmt: skip
            every.append(meeting)
            if meeting.starts_at >= now:
                upcoming.append(meeting)
        # Minutes: adopted in the body's next meeting that took place; the last one held sent or in draft.
        taking_place = [m for m in plan if m.status in (Meeting.Status.MINUTES_ADOPTED, Meeting.Status.HELD)]
        for index, meeting in enumerate(taking_place):
            following = taking_place[index + 1] if index + 1 < len(taking_place) else None
            if following:
                status = Minutes.Status.ADOPTED
            else:
                status = Minutes.Status.SENT if rng.random() < 0.6 else Minutes.Status.DRAFT
            on = timezone.localdate(following.starts_at) if following and status == Minutes.Status.ADOPTED else None
            meeting.minutes_status = status
            meeting.minutes = minutes_rows.add(
                meeting_id=meeting.pk,
                status=status,
                sent_at=meeting.starts_at + 5 * DAY if status != Minutes.Status.DRAFT else None,
                adopted_in_id=following.pk if on else None,
                adoption_line=lines[body.article] % {"body": body.name, "date": date_format(on)} if on else "",
                secretary_name=secretary.name if on and secretary else "",
                chair_name=chair.name if on and chair else "",
            )
            if status != Minutes.Status.DRAFT:
                ctx.table(MinutesPdf).add(
                    minutes_id=meeting.minutes, status=status, file=file_name, sha256=file_sha,
                    created_at=meeting.starts_at + 5 * DAY,
                )  # fmt: skip
            if status == Minutes.Status.SENT:
                for holder in body.holders("member", "chair")[:2]:
                    if holder.user_id and rng.random() < 0.5:
                        ctx.table(MinutesComment).add(
                            minutes_id=meeting.minutes, author_id=holder.user_id,
                            text="Graag bij punt 4 toevoegen dat onze gemeente nog een voorbehoud maakt.",
                            created_at=meeting.starts_at + 7 * DAY,
                        )  # fmt: skip
            elif status == Minutes.Status.ADOPTED and secretary_user and rng.random() < 0.005:
                ctx.table(Erratum).add(
                    minutes_id=meeting.minutes, correction="De naam van de voorzitter is gecorrigeerd.",
                    reason="Verschrijving.", made_by_id=secretary_user, made_at=following.starts_at + DAY,
                )  # fmt: skip
        # The slots for the regional positions this body adopts (decisions/scale.py asks for them).
        slots: dict[int, int] = {}
        wanted = slots_wanted.get(body.pk, 0)
        choices = [i for i, m in enumerate(plan) if m.status != Meeting.Status.CANCELLED]
        for _slot in range(wanted if choices else 0):
            index = rng.choice(choices)
            slots[index] = slots.get(index, 0) + 1
        previous = None
        for index, meeting in enumerate(plan):
            year = timezone.localdate(meeting.starts_at).year
            regular = int(per_meeting * 2 * rng.random() + 0.5)
            position_titles = [title(ctx, year) for _ in range(slots.get(index, 0))]
            titles = position_titles + [title(ctx, year) for _ in range(regular)]
            position = 0
            minutes_items = meeting.minutes is not None

            def item(kind: str, text: str, meeting=meeting, minutes_items=minutes_items, **fields) -> int:
                nonlocal position
                position += 1
                pk = items.add(meeting_id=meeting.pk, position=position, kind=kind, title=text, **fields)
                if minutes_items:
                    discussion = rng.choice(DISCUSSIONS) if kind == AgendaItem.Kind.REGULAR else ""
                    conclusions = rng.choice(CONCLUSIONS) if kind == AgendaItem.Kind.REGULAR else ""
                    minutes_item = ctx.table(MinutesItem).add(
                        minutes_id=meeting.minutes, agenda_item_id=pk, discussion=discussion,
                        conclusions=conclusions, version=1 if discussion else 0,
                    )  # fmt: skip
                    if kind == AgendaItem.Kind.REGULAR:
                        regular_held.append((pk, minutes_item, meeting))
                return pk

            item(AgendaItem.Kind.OPENING, fixed_titles[AgendaItem.Kind.OPENING])
            if previous is not None and previous.minutes_status in (Minutes.Status.SENT, Minutes.Status.ADOPTED):
                on = date_format(timezone.localdate(previous.starts_at))
                item(
                    AgendaItem.Kind.PREVIOUS_MINUTES,
                    adoption_title % {"date": on},
                    minutes_to_adopt_id=previous.minutes,
                )
            else:
                item(AgendaItem.Kind.PREVIOUS_MINUTES, fixed_titles[AgendaItem.Kind.PREVIOUS_MINUTES])
            item(AgendaItem.Kind.ACTION_LIST, fixed_titles[AgendaItem.Kind.ACTION_LIST])
            addendum = meeting.status != Meeting.Status.PLANNED and rng.random() < 0.02
            for number, text in enumerate(titles):
                if number < len(position_titles):
                    purpose, portfolio, confidential = Purpose.REGIONAL_POSITION, None, False
                else:
                    purpose = rng.choice(Purpose.values)
                    portfolio = body.policy_area or (rng.choice(list(ctx.portfolios)) if rng.random() < 0.3 else None)
                    confidential = rng.random() < 0.04
                late = addendum and number == len(titles) - 1
                pk = item(
                    AgendaItem.Kind.REGULAR, text, purpose=purpose, portfolio_id=portfolio, confidential=confidential,
                    explanation=f"Toelichting bij {text.lower()}.", is_addendum=late,
                )  # fmt: skip
                if number < len(position_titles):
                    positions.setdefault(body.pk, []).append((pk, meeting, text))
                else:
                    regular_all.append((pk, text, meeting))
                if late and secretary_user:
                    ctx.table(Addendum).add(
                        meeting_id=meeting.pk, item_id=pk, change=Addendum.Change.ADDED,
                        reason="Spoedeisend; na publicatie toegevoegd.", made_by_id=secretary_user,
                        made_at=meeting.agenda_deadline + 2 * DAY,
                    )  # fmt: skip
            item(AgendaItem.Kind.ANY_OTHER_BUSINESS, fixed_titles[AgendaItem.Kind.ANY_OTHER_BUSINESS])
            item(AgendaItem.Kind.CLOSING, fixed_titles[AgendaItem.Kind.CLOSING])
            if meeting.minutes is not None:
                _attendance(ctx, meeting)
            if meeting.status != Meeting.Status.CANCELLED:
                previous = meeting
    ctx.extra.update(positions=positions, meetings=every)
    ctx.flush()
    _action_points(ctx, regular_held)
    _documents_and_submissions(ctx, regular_all, upcoming)
    ctx.flush()


def _attendance(ctx: Scale, meeting: MeetingInfo) -> None:
    seen = set()
    for holder, role, on_behalf_of in meeting.body.members:
        if holder.person_id in seen:
            continue
        seen.add(holder.person_id)
        presence = ctx.rng.choices(["present", "excused", "absent"], weights=[90, 8, 2])[0]
        ctx.table(Attendance).add(
            meeting_id=meeting.pk, person_id=holder.person_id, capacity=CAPACITY[role],
            on_behalf_of_id=on_behalf_of, presence=presence, took_minutes=role == "secretary",
        )  # fmt: skip


def _action_points(ctx: Scale, held: list[tuple[int, int, MeetingInfo]]) -> None:
    rng = ctx.rng
    today = ctx.today
    held = [row for row in held if row[2].body.members]
    chosen = sorted(rng.sample(range(len(held)), min(len(held), ctx.scaled(ACTION_POINTS))))
    points = []
    for index in chosen:
        _item, minutes_item, meeting = held[index]
        owners = meeting.body.holders()
        if not owners:
            continue
        owner = rng.choice(owners)
        due_on = timezone.localdate(meeting.starts_at) + rng.randrange(7, 90) * DAY
        if due_on < today - 60 * DAY:
            status = rng.choices(["done", "dropped", "open"], weights=[85, 10, 5])[0]
        else:
            status = rng.choices(["open", "done"], weights=[70, 30])[0]
        closer = owner.user_id or next((h.user_id for h in meeting.body.holders("secretary") if h.user_id), None)
        closed = status != "open"
        pk = ctx.table(ActionPoint).add(
            minutes_item_id=minutes_item,
            body_id=meeting.body.pk,
            what=f"{rng.choice(ACTIONS)} {rng.choice(SUBJECTS)}",
            owner_id=owner.person_id,
            due_on=due_on,
            status=status,
            dropped_reason="Ingehaald door het nieuwe werkprogramma." if status == "dropped" else "",
            closed_by_id=closer if closed else None,
            closed_at=timezone.make_aware(datetime.datetime.combine(min(due_on, today), datetime.time(11)))
            if closed
            else None,
        )
        points.append((pk, owner, due_on, status, meeting))
    ctx.extra["action_points"] = points


def _documents_and_submissions(ctx: Scale, regular: list[tuple[int, str, MeetingInfo]], upcoming) -> None:
    """Submissions: most on an agenda, some answered or sent back, and the triage inbox; then the
    documents, on agenda items and on submissions."""
    rng = ctx.rng
    file_name, file_size, file_sha = ctx.extra["shared_file"]
    coordinator = ctx.extra.get("coordinator_user")
    total = ctx.scaled(SUBMISSIONS)
    statuses = ["routed"] * 60 + ["answered"] * 22 + ["returned"] * 10 + ["submitted"] * 8
    routed_items = rng.sample(range(len(regular)), min(len(regular), total * 60 // 100))
    open_meetings = [m for m in upcoming if m.status == Meeting.Status.PLANNED]
    submissions: list[tuple[int, Holder, str, datetime.datetime, int | None]] = []
    routed_iter = iter(routed_items)

    def submitter(coop_places):
        for _attempt in range(20):
            place = rng.choice(coop_places)
            people = [h for h in (place.secretary, *place.project_leaders, place.mayor) if h and h.user_id]
            if people:
                return place, rng.choice(people)
        return None, None

    coops = {c.pk: c for c in ctx.extra["cooperations"]}
    for number in range(total):
        status = statuses[number % len(statuses)]
        item_id, meeting = None, None
        if status == "routed":
            index = next(routed_iter, None)
            if index is None:
                status = "submitted"
            else:
                item_id, text, meeting = regular[index]
        if meeting is None:
            meeting = rng.choice(open_meetings) if open_meetings and status == "submitted" else None
            text = title(ctx, ctx.today.year)
        coop = coops[meeting.body.cooperation_id] if meeting else rng.choice(list(coops.values()))
        place, person = submitter(coop.places or ctx.places)
        if person is None:
            continue
        if status == "routed":
            submitted_at = meeting.agenda_deadline - rng.randrange(3, 40) * DAY
        elif status == "submitted":
            submitted_at = timezone.now() - rng.randrange(1, 30 * 24) * datetime.timedelta(hours=1)
        else:
            submitted_at = timezone.now() - rng.randrange(30, 3000) * DAY
        triaged = status != "submitted"
        pk = ctx.table(Submission).add(
            kind=rng.choice(["question", "proposal", "proposal"]),
            title=text,
            explanation=f"Verzoek van {place.name}: {text.lower()}.",
            municipality_id=place.pk,
            portfolio_id=meeting.body.policy_area if meeting else None,
            purpose=rng.choice(Purpose.values),
            preferred_meeting_id=meeting.pk if meeting and status in ("submitted", "returned") else None,
            submitted_by_id=person.user_id,
            submitted_at=submitted_at,
            status=status,
            answer="Beantwoord door de coördinator: dit loopt al via het overleg." if status == "answered" else "",
            return_reason="Graag eerst ambtelijk afstemmen." if status == "returned" else "",
            agenda_item_id=item_id,
            triaged_by_id=coordinator if triaged else None,
            triaged_at=submitted_at + 2 * DAY if triaged else None,
        )
        submissions.append((pk, person, status, submitted_at, item_id))
    ctx.extra["submissions"] = submissions

    documents, versions = ctx.table(Document), ctx.table(DocumentVersion)
    wanted = ctx.scaled(DOCUMENTS)
    on_submissions = [s for s in submissions if s[2] != "routed"][: wanted // 10]
    on_items = rng.sample(range(len(regular)), min(len(regular), wanted - len(on_submissions)))
    fallback = ctx.extra.get("coordinator_user")
    rows = [(regular[i][0], None, regular[i][1], regular[i][2]) for i in sorted(on_items)]
    rows += [(None, s[0], None, None) for s in on_submissions]
    uploader_of = {s[0]: s[1].user_id for s in submissions}
    for item_id, submission_id, text, meeting in rows:
        text = text or "Toelichting op het verzoek"
        name = f"{rng.choice(['Notitie', 'Bijlage', 'Voorstel', 'Rapportage'])} {text}"[:250]
        document = documents.add(title=name, item_id=item_id, submission_id=submission_id)
        if meeting is not None:
            uploader = next((h.user_id for h in meeting.body.holders("secretary") if h.user_id), fallback)
            uploaded_at = meeting.documents_deadline - rng.randrange(0, 10) * DAY
        else:
            uploader, uploaded_at = uploader_of[submission_id], timezone.now() - 20 * DAY
        for number in range(1, 3 if rng.random() < 0.2 else 2):
            late = meeting is not None and rng.random() < 0.05
            versions.add(
                document_id=document, number=number, file=file_name, original_name=f"{slug(name)[:60]}-v{number}.pdf",
                content_type="application/pdf", size=file_size, sha256=file_sha, uploaded_by_id=uploader or fallback,
                uploaded_at=uploaded_at + (number - 1) * DAY + (2 * DAY if late else datetime.timedelta(0)),
                is_late=late,
            )  # fmt: skip
