"""What waits for a person today ("Wat wacht op mij"), from every app.

One source for the start page, the counts in the menu and the daily digest,
so the three never disagree. Each kind of work is one or two queries whatever
the person's load (a person with 500 things waiting costs what a person with
5 does); which kinds are looked at at all follows the person's offices and
object permissions, read once (`Roles`). What a person may see follows the
visibility rules of the apps (docs/adr/0006-who-sees-what.md): only their own
municipalities' decisions, the bodies they prepare or sit in, their own
submissions and action points.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermission, UserObjectPermission

from adoption.models import Adoption
from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
from governance.models import ConsultationBody, Cooperation, Membership, MonthlyEvaluation
from meetings.access import invited_items
from meetings.models import ActionPoint, AgendaItem, AgendaPdf, Document, Meeting, Minutes, MinutesComment, Submission
from municipalities.models import Office, Person
from reminders.models import ReminderSettings

# How many entries of one kind the start page lists; the count in the menu is always the full number.
SHOWN_PER_KIND = 10
# How far ahead an agenda to prepare shows, and how far back minutes still to send.
AGENDA_AHEAD = datetime.timedelta(days=28)
MINUTES_BACK = datetime.timedelta(days=90)
NEXT_MEETINGS = 5


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    page: str  # the url name of the page that lists them all


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("sign", _("Decisions to sign"), "my_signatures"),
        Kind("record", _("Decisions to record"), "my_to_record"),
        Kind("council", _("Council steps to record"), "griffier_dashboard"),
        Kind("triage", _("Items to triage"), "triage_inbox"),
        Kind("agenda", _("Agendas to close or publish"), "my_work"),
        Kind("minutes", _("Minutes to write and send"), "my_work"),
        Kind("comment", _("Minutes to comment on"), "body_list"),
        Kind("documents", _("Documents due"), "my_submissions"),
        Kind("returned", _("Items sent back to you"), "my_submissions"),
        Kind("actions", _("Action points"), "my_action_points"),
        Kind("adoption", _("Adoption advice to give"), "arrangement_register"),
        Kind("evaluation", _("Evaluations to record"), "evaluation_list"),
        Kind("invitation", _("Invitations"), "my_invitations"),
        Kind("publish", _("Adopted, not yet public (Woo)"), "home"),
    )
}


@dataclass
class Entry:
    kind: str
    what: str
    where: str
    url: str
    due: datetime.date | None = None
    step: str = ""  # what is asked, e.g. "the agenda closes"

    @property
    def kind_label(self) -> Promise:
        return KINDS[self.kind].label

    def overdue(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today


@dataclass
class Roles:
    """What the person is, asked once: offices held today and the object permissions they have anywhere."""

    user: object
    person: Person | None
    coordinator: bool
    office_roles: set[str]
    grants: set[str]

    # (role, body kind) of every seat the person holds today.
    seats: set[tuple[str, str]] = field(default_factory=set)
    # Per permission codename, the municipalities it is held for (from the same query as `grants`).
    municipality_grants: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, user) -> Roles:
        person = getattr(user, "person", None) if user.is_authenticated else None
        if person is None:
            return cls(user, None, bool(user.is_authenticated and user.is_superuser), set(), set())
        roles = set(Office.objects.current().filter(person=person).values_list("role", flat=True))
        fields = ("permission__codename", "object_pk", "content_type__app_label", "content_type__model")
        by_group = GroupObjectPermission.objects.filter(group__user=user).values_list(*fields)
        by_user = UserObjectPermission.objects.filter(user=user).values_list(*fields)
        grants, municipality_grants = set(), {}
        for codename, object_pk, app_label, model in by_group.union(by_user):
            grants.add(codename)
            if (app_label, model) == ("municipalities", "municipality"):
                municipality_grants.setdefault(codename, set()).add(int(object_pk))
        seats = set(Membership.objects.current().filter(person=person).values_list("role", "body__kind"))
        coordinator = user.is_superuser or Office.Role.REGIONAL_COORDINATOR in roles
        user._is_regional_coordinator = Office.Role.REGIONAL_COORDINATOR in roles
        return cls(user, person, coordinator, roles, grants, seats, municipality_grants)

    def municipalities(self, *codenames: str) -> list[int]:
        """The municipalities the person holds any of these permissions for by their own offices (the
        object grants; not the coordinator's right to act for any): as ids, so the database plans for the
        one or two it holds rather than for a subquery it expects to return most of the country."""
        return sorted(set().union(*(self.municipality_grants.get(codename, set()) for codename in codenames)))

    @property
    def member(self) -> bool:
        return bool(self.seats)

    @property
    def secretary(self) -> bool:
        return any(role == Membership.Role.SECRETARY for role, _kind in self.seats)

    def has(self, codename: str) -> bool:
        return codename in self.grants

    @property
    def signs(self) -> bool:
        return self.has("sign_college_decisions")

    @property
    def records(self) -> bool:
        return self.has("record_college_decisions")

    @property
    def keeps_council_tracks(self) -> bool:
        return self.has("keep_council_tracks")

    @property
    def prepares(self) -> bool:
        return self.coordinator or self.has("prepare_meetings")

    @property
    def reads_meetings(self) -> bool:
        return self.coordinator or self.has("view_meetings")

    @property
    def submits(self) -> bool:
        from meetings.access import SUBMITTING_ROLES

        return self.coordinator or bool(self.office_roles & SUBMITTING_ROLES) or self.member

    @property
    def invited_for_portfolios(self) -> bool:
        """Aldermen, and the chairs of portfolio-holder meetings (invited to the coordination meeting)."""
        chair = (Membership.Role.CHAIR, ConsultationBody.Kind.PORTFOLIO_HOLDERS)
        return Office.Role.ALDERMAN in self.office_roles or chair in self.seats

    @property
    def reads_proposals(self) -> bool:
        return self.coordinator or bool(self.office_roles)

    @property
    def evaluates(self) -> bool:
        """Evaluations are the coordinator's and the administrative meetings' (its secretariat and members)."""
        return self.coordinator or bool(
            self.office_roles & (Office.MAYOR_ROLES | Office.SECRETARY_ROLES | {Office.Role.ALDERMAN})
        )

    @property
    def follows_councils(self) -> bool:
        return self.coordinator or bool(
            self.office_roles
            & ({Office.Role.GRIFFIER, Office.Role.COUNCIL_MEMBER} | Office.MAYOR_ROLES | Office.SECRETARY_ROLES)
        )


def own_municipalities(user, *codenames: str):
    """The municipalities the user acts for by their own offices (not the coordinator's right to act for any),
    with any of the given permissions."""
    from guardian.shortcuts import get_objects_for_user

    from municipalities.models import Municipality

    return get_objects_for_user(
        user,
        [f"municipalities.{codename}" for codename in codenames],
        klass=Municipality,
        any_perm=True,
        accept_global_perms=False,
        with_superuser=False,
    )


def own_bodies(user, codename: str):
    from guardian.shortcuts import get_objects_for_user

    return get_objects_for_user(
        user, f"governance.{codename}", klass=ConsultationBody, accept_global_perms=False, with_superuser=False
    )


def secretariat_of(person: Person):
    """The bodies whose agendas and minutes the person writes: where they sit as secretary today (a chair may
    prepare too, but the secretariat does the work)."""
    return Membership.objects.current().filter(person=person, role=Membership.Role.SECRETARY).values("body")


@dataclass
class Desk:
    roles: Roles
    today: datetime.date
    entries: list[Entry] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    next_meetings: list[Meeting] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    @property
    def sections(self) -> list[tuple[Kind, list[Entry], int]]:
        """Per kind with work: its entries (at most SHOWN_PER_KIND) and how many there are in all."""
        shown: dict[str, list[Entry]] = {}
        for entry in self.entries:
            shown.setdefault(entry.kind, []).append(entry)
        return [(KINDS[key], shown[key], self.counts[key]) for key in KINDS if shown.get(key)]

    @property
    def more(self) -> list[tuple[Kind, int]]:
        """The kinds of which the start page does not list everything, with how many more there are."""
        listed: dict[str, int] = {}
        for entry in self.entries:
            listed[entry.kind] = listed.get(entry.kind, 0) + 1
        return [(KINDS[k], n - listed.get(k, 0)) for k, n in self.counts.items() if n > listed.get(k, 0)]

    def snapshot(self) -> dict:
        """What the menu needs of this desk (who the person is and the counts), small enough to cache."""
        roles = self.roles
        return {
            "today": self.today,
            "coordinator": roles.coordinator,
            "regional_coordinator": Office.Role.REGIONAL_COORDINATOR in roles.office_roles,
            "office_roles": roles.office_roles,
            "grants": roles.grants,
            "seats": roles.seats,
            "has_person": roles.person is not None,
            "counts": self.counts,
        }

    @classmethod
    def from_snapshot(cls, user, snapshot: dict) -> Desk:
        """A desk for the menu from `snapshot()`: counts without entries; the person is read only if asked."""
        # Only the menu reads the snapshot's roles: what the page may show is asked afresh (is_coordinator).
        person = getattr(user, "person", None) if snapshot["has_person"] else None
        roles = Roles(
            user, person, snapshot["coordinator"], snapshot["office_roles"], snapshot["grants"], snapshot["seats"]
        )
        return cls(roles, snapshot["today"], counts=dict(snapshot["counts"]))

    def add(self, key: str, entries: list[Entry], count: int | None = None) -> None:
        if entries or count:
            self.counts[key] = len(entries) if count is None else count
            self.entries += entries[:SHOWN_PER_KIND]


def waiting_for(user, today: datetime.date | None = None) -> Desk:
    """Everything that waits for the user today, most urgent first."""
    roles = Roles.of(user)
    desk = Desk(roles, today or timezone.localdate())
    if roles.person is None and not roles.coordinator:
        return desk
    conf = ReminderSettings.get_solo()
    for collect in COLLECTORS:
        collect(desk, conf)
    order = list(KINDS)
    far = datetime.date.max
    desk.entries.sort(key=lambda e: (e.due or far, order.index(e.kind)))
    return desk


# One collector per kind of work: (desk, settings) -> adds its entries and count.


def first(queryset, count: int) -> list:
    """The entries the start page lists; no second query when the count says there are none."""
    return list(queryset[:SHOWN_PER_KIND]) if count else []


def _link(name: str, *args) -> str:
    return reverse(name, args=args)


def collect_signatures(desk: Desk, conf) -> None:
    user = desk.roles.user
    if not desk.roles.signs and not desk.roles.records:
        return
    offices = CollegeDecision.signing_offices_of(user)
    mine = desk.roles.municipalities("sign_college_decisions", "record_college_decisions")
    decisions = (
        CollegeDecision.objects.to_sign()
        .filter(municipality__in=mine)
        .select_related("proposal", "municipality", "council_track__proposal", "council_track__municipality")
        .order_by("decided_on", "pk")
    )
    entries = [
        Entry(
            "sign",
            decision.proposal.title,
            str(decision.municipality),
            _link("my_signatures") + f"#decision-{decision.pk}",
            # By when the college must have decided for its council to make it, where a council date is known.
            track.latest_college_decision if (track := getattr(decision, "council_track", None)) else None,
            str(_("to sign as %(parts)s") % {"parts": ", ".join(str(PARTS[p]) for p in parts)}),
        )
        for decision in decisions
        if (parts := decision.parts_to_sign_by(user, offices))
    ]
    desk.add("sign", entries)


PARTS = {"mayor": _("mayor"), "secretary": _("secretary")}


def collect_records(desk: Desk, conf) -> None:
    if not desk.roles.records:
        return
    secretary = str(_("municipal secretary"))
    decisions = (
        CollegeDecision.objects.to_record()
        .filter(municipality__in=desk.roles.municipalities("record_college_decisions"))
        .select_related(
            "proposal",
            "municipality",
            "council_track__proposal",
            "council_track__municipality",
        )
        .order_by("proposal__sent_on", "pk")
    )
    entries = []
    for decision in decisions:
        track = getattr(decision, "council_track", None)
        step, whose = track.next_step() if track is not None else ("", secretary)
        if track is not None and whose != secretary:
            continue  # waiting for the council: the griffier's step first
        due = track.latest_college_decision if track is not None else None
        intended = track is not None and track.is_two_step and not decision.intended_on
        entries.append(
            Entry(
                "record",
                decision.proposal.title,
                str(decision.municipality),
                _link("decision_intended" if intended else "decision_record", decision.pk),
                due,
                step or str(_("definitive decision of the college")),
            )
        )
    desk.add("record", entries)


def collect_council_steps(desk: Desk, conf) -> None:
    if not desk.roles.keeps_council_tracks:
        return
    griffier = str(_("griffier"))
    tracks = (
        CouncilTrack.objects.with_leaving()
        .filter(
            municipality__in=desk.roles.municipalities("keep_council_tracks"),
            proposal__status__in=[RegionalProposal.Status.SENT, RegionalProposal.Status.DECIDED],
        )
        .exclude(status__in=[CouncilTrack.Status.DECIDED, CouncilTrack.Status.NOT_NEEDED])
        .select_related("proposal", "municipality", "decision")
        .order_by("council_date", "pk")
    )
    entries = []
    for track in tracks:
        step, whose = track.next_step()
        if whose != griffier:
            continue
        due = track.council_date or track.proposal.opinion_period_end
        entries.append(
            Entry(
                "council",
                track.proposal.title,
                str(track.municipality),
                _link("council_track_edit", track.pk),
                due,
                step,
            )
        )
    desk.add("council", entries)


def collect_triage(desk: Desk, conf) -> None:
    if not desk.roles.coordinator:
        return
    waiting = Submission.objects.waiting().select_related("municipality", "preferred_meeting").order_by("submitted_at")
    count = waiting.count()
    entries = [
        Entry(
            "triage",
            submission.title,
            str(submission.municipality),
            _link("submission_detail", submission.pk),
            timezone.localdate(submission.preferred_meeting.agenda_deadline) if submission.preferred_meeting else None,
            str(
                _("waiting since %(date)s") % {"date": timezone.localdate(submission.submitted_at).strftime("%d-%m-%Y")}
            ),
        )
        for submission in first(waiting, count)
    ]
    desk.add("triage", entries, count)


def collect_agendas(desk: Desk, conf) -> None:
    if not desk.roles.secretary:
        return
    now = timezone.now()
    meetings = (
        Meeting.objects.open_for_items(now)
        .filter(body__in=secretariat_of(desk.roles.person), starts_at__lte=now + AGENDA_AHEAD)
        .select_related("body")
    )
    count = meetings.count()
    entries = []
    for meeting in first(meetings, count):
        closes = meeting.agenda_deadline > now
        entries.append(
            Entry(
                "agenda",
                str(meeting),
                meeting.body.name,
                _link("meeting_agenda", meeting.pk),
                timezone.localdate(meeting.agenda_deadline if closes else meeting.starts_at),
                str(_("the agenda closes") if closes else _("publish the agenda before the meeting")),
            )
        )
    desk.add("agenda", entries, count)


def collect_minutes(desk: Desk, conf) -> None:
    roles = desk.roles
    now = timezone.now()
    entries: list[Entry] = []
    count = 0
    if roles.secretary:
        unsent = (
            Meeting.objects.filter(
                body__in=secretariat_of(roles.person),
                status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD],
                starts_at__lt=now,
                starts_at__gte=now - MINUTES_BACK,
            )
            .exclude(minutes__status__in=[Minutes.Status.SENT, Minutes.Status.ADOPTED])
            .select_related("body")
            .order_by("starts_at")
        )
        count = unsent.count()
        days = datetime.timedelta(conf.minutes_unsent_days)
        entries += [
            Entry(
                "minutes",
                str(meeting),
                meeting.body.name,
                _link("minutes_edit", meeting.pk),
                timezone.localdate(meeting.starts_at) + days,
                str(_("write and send the minutes")),
            )
            for meeting in first(unsent, count)
        ]
    desk.add("minutes", entries, count)


def collect_comments(desk: Desk, conf) -> None:
    """Minutes sent for comment to a body the person sits in (and does not write the minutes of)."""
    roles = desk.roles
    if not roles.member:
        return
    adoption = AgendaItem.objects.filter(minutes_to_adopt=OuterRef("pk")).values("meeting__starts_at")[:1]
    to_comment = (
        Minutes.objects.filter(
            status=Minutes.Status.SENT,
            meeting__body__in=Membership.objects.current().filter(person=roles.person).values("body"),
        )
        .exclude(meeting__body__in=own_bodies(roles.user, "prepare_meetings"))
        .exclude(Exists(MinutesComment.objects.filter(minutes=OuterRef("pk"), author=roles.user)))
        .annotate(adopted_at=Subquery(adoption))
        .select_related("meeting__body")
        .order_by("sent_at")
    )
    count = to_comment.count()
    entries = [
        Entry(
            "comment",
            str(minutes.meeting),
            minutes.meeting.body.name,
            _link("minutes_detail", minutes.pk),
            timezone.localdate(minutes.adopted_at) if minutes.adopted_at else None,
            str(_("read and comment before they are adopted")),
        )
        for minutes in first(to_comment, count)
    ]
    desk.add("comment", entries, count)


def collect_submissions(desk: Desk, conf) -> None:
    roles = desk.roles
    if roles.person is None:
        return
    now = timezone.now()
    missing = (
        AgendaItem.objects.filter(
            submission__submitted_by=roles.user,
            meeting__starts_at__gte=now,
            meeting__status__in=Meeting.AGENDA_OPEN,
            withdrawn=False,
        )
        .exclude(Exists(Document.objects.filter(item=OuterRef("pk"))))
        .select_related("meeting__body", "submission")
        .order_by("meeting__documents_deadline")
    )
    count = missing.count()
    desk.add(
        "documents",
        [
            Entry(
                "documents",
                # The submission as the submitter wrote it, on its own page (the item may be retitled,
                # confidential, or on a draft agenda that does not exist for the submitter yet).
                item.submission.title,
                str(item.meeting),
                _link("submission_detail", item.submission.pk),
                timezone.localdate(item.meeting.documents_deadline),
                str(_("send the documents")),
            )
            for item in first(missing, count)
        ],
        count,
    )
    returned = (
        Submission.objects.filter(submitted_by=roles.user, status=Submission.Status.RETURNED)
        .select_related("municipality", "preferred_meeting")
        .order_by("triaged_at")
    )
    count = returned.count()
    desk.add(
        "returned",
        [
            Entry(
                "returned",
                submission.title,
                str(submission.municipality),
                _link("submission_detail", submission.pk),
                timezone.localdate(submission.preferred_meeting.agenda_deadline)
                if submission.preferred_meeting
                else None,
                str(_("improve and submit again")),
            )
            for submission in first(returned, count)
        ],
        count,
    )


def collect_actions(desk: Desk, conf) -> None:
    if desk.roles.person is None:
        return
    actions = ActionPoint.objects.open().filter(owner=desk.roles.person).select_related("body").order_by("due_on")
    count = actions.count()
    desk.add(
        "actions",
        [
            Entry(
                "actions",
                action.what,
                action.body.name,
                _link("my_action_points") + f"#action-{action.pk}",
                action.due_on,
                str(_("action point")),
            )
            for action in first(actions, count)
        ],
        count,
    )


def collect_adoptions(desk: Desk, conf) -> None:
    """The advice the person owes as reviewer of an adoption, or as the secretary of an adopting municipality
    that has named no reviewer yet (adoption/)."""
    roles = desk.roles
    if roles.person is None:
        return
    mine = Q(reviewer=roles.person)
    recording = roles.municipality_grants.get("record_college_decisions", set())
    if recording:
        mine |= Q(reviewer__isnull=True, municipality__in=recording)
    due = Adoption.objects.due().filter(mine).select_related("proposal", "municipality").order_by("due_on")
    count = due.count()
    desk.add(
        "adoption",
        [
            Entry(
                "adoption",
                adoption.proposal.title,
                adoption.municipality.name,
                _link("adoption_edit", adoption.pk),
                adoption.due_on,
                str(_("advice of the adopting municipality")),
            )
            for adoption in first(due, count)
        ],
        count,
    )


def collect_evaluations(desk: Desk, conf) -> None:
    roles = desk.roles
    if not roles.coordinator and not roles.secretary:
        return
    if roles.coordinator:
        cooperations = Cooperation.objects.all()
    else:
        bodies = ConsultationBody.objects.filter(
            pk__in=secretariat_of(roles.person), kind=ConsultationBody.Kind.ADMINISTRATIVE_COORDINATION
        )
        cooperations = Cooperation.objects.filter(pk__in=bodies.values("cooperation"))
    evaluations = (
        MonthlyEvaluation.objects.filter(cooperation__in=cooperations, findings="")
        .filter(month__gte=desk.today.replace(day=1) - datetime.timedelta(days=92))
        .select_related("cooperation", "agenda_item__meeting")
        .order_by("month")
    )
    count = evaluations.count()
    desk.add(
        "evaluation",
        [
            Entry(
                "evaluation",
                str(evaluation.title),
                str(evaluation.cooperation),
                _link("evaluation_edit", evaluation.pk),
                timezone.localdate(evaluation.agenda_item.meeting.starts_at) if evaluation.agenda_item else None,
                str(_("record the findings")),
            )
            for evaluation in first(evaluations, count)
        ],
        count,
    )


def collect_invitations(desk: Desk, conf) -> None:
    if desk.roles.person is None or not desk.roles.invited_for_portfolios:
        return
    items = invited_items(desk.roles.user).select_related("meeting__body")
    meetings: dict[int, Meeting] = {}
    for item in items:
        meetings.setdefault(item.meeting_id, item.meeting)
    desk.add(
        "invitation",
        [
            Entry(
                "invitation",
                str(meeting),
                meeting.body.name,
                _link("meeting_detail", meeting.pk),
                timezone.localdate(meeting.starts_at),
                str(_("you are invited for items in your portfolio")),
            )
            for meeting in meetings.values()
        ],
    )


def collect_next_meetings(desk: Desk, conf) -> None:
    """Not work, but what a person prepares for: the next meetings of the bodies they sit in, with the agenda PDF."""
    if not desk.roles.member:
        return
    latest_pdf = AgendaPdf.objects.filter(meeting=OuterRef("pk")).order_by("-agenda_version").values("pk")[:1]
    desk.next_meetings = list(
        Meeting.objects.upcoming()
        .filter(body__in=Membership.objects.current().filter(person=desk.roles.person).values("body"))
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(agenda_pdf_id=Subquery(latest_pdf))
        .select_related("body")[:NEXT_MEETINGS]
    )


def collect_publications(desk: Desk, conf) -> None:
    """What the person publishes under the Woo (art. 3.3) and has not yet: agendas sent, decision lists of
    held meetings and adopted minutes of the bodies whose secretary they are, the definitive decisions of
    their own college, and for the coordinator the adopted work programmes (publication/actions.py)."""
    from publication.models import Publication

    roles = desk.roles
    since = timezone.now() - MINUTES_BACK
    live = Publication.objects.live()
    found: list[tuple[object, Entry]] = []
    if roles.secretary:
        bodies = secretariat_of(roles.person)
        meetings = Meeting.objects.filter(body__in=bodies, starts_at__gte=since).select_related("body")
        agendas = meetings.exclude(status=Meeting.Status.PLANNED).exclude(published_at=None)
        agendas = agendas.exclude(Exists(live.filter(kind="agenda", meeting=OuterRef("pk"))))
        for meeting in agendas.order_by("starts_at")[:SHOWN_PER_KIND]:
            found.append(
                (
                    meeting,
                    Entry(
                        "publish",
                        str(_("Agenda")) + f" {meeting}",
                        meeting.body.name,
                        _link("publication_target", "agenda", meeting.pk),
                        step=str(_("make the agenda public")),
                    ),
                )
            )
        held = meetings.filter(status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_ADOPTED])
        held = held.exclude(Exists(live.filter(kind="decision_list", meeting=OuterRef("pk"))))
        for meeting in held.order_by("starts_at")[:SHOWN_PER_KIND]:
            found.append(
                (
                    meeting,
                    Entry(
                        "publish",
                        str(_("Decision list")) + f" {meeting}",
                        meeting.body.name,
                        _link("publication_target", "decision_list", meeting.pk),
                        step=str(_("make the decision list public")),
                    ),
                )
            )
        minutes = Minutes.objects.filter(
            meeting__body__in=bodies, status=Minutes.Status.ADOPTED, meeting__starts_at__gte=since
        ).select_related("meeting__body")
        minutes = minutes.exclude(Exists(live.filter(kind="minutes", minutes=OuterRef("pk"))))
        for item in minutes[:SHOWN_PER_KIND]:
            found.append(
                (
                    item,
                    Entry(
                        "publish",
                        str(item),
                        item.meeting.body.name,
                        _link("publication_target", "minutes", item.pk),
                        step=str(_("make the minutes public")),
                    ),
                )
            )
    own = roles.municipalities("record_college_decisions")
    if own:
        decisions = CollegeDecision.objects.filter(
            municipality__in=own,
            signing=CollegeDecision.Signing.SIGNED,
            outcome__in=CollegeDecision.DECIDED_OUTCOMES,
            mayor_signed_at__gte=since,
        ).exclude(Exists(live.filter(kind="college_decision", college_decision=OuterRef("pk"))))
        for decision in decisions.select_related("proposal", "municipality")[:SHOWN_PER_KIND]:
            found.append(
                (
                    decision,
                    Entry(
                        "publish",
                        decision.proposal.title,
                        str(decision.municipality),
                        _link("publication_target", "college_decision", decision.pk),
                        step=str(_("make the college decision public")),
                    ),
                )
            )
    desk.add("publish", [entry for _target, entry in found])


COLLECTORS = (
    collect_signatures,
    collect_records,
    collect_council_steps,
    collect_triage,
    collect_agendas,
    collect_minutes,
    collect_comments,
    collect_submissions,
    collect_actions,
    collect_adoptions,
    collect_evaluations,
    collect_invitations,
    collect_next_meetings,
    collect_publications,
)
