"""The main menu per person: only what they can use, grouped, with the counts of what waits there.

The counts come from the desk (reminders/desk.py), the same source as the start page and the
digest. Which items show follows the person's offices and object permissions (`desk.Roles`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reminders.desk import Desk


@dataclass
class Item:
    label: Promise
    url_name: str
    count: int = 0
    current: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass
class Group:
    key: str
    label: Promise
    items: list[Item] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(item.count for item in self.items)

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)


# Pages that belong to a menu item without being its own url (a detail page under a list).
SECTIONS = {
    "my_work": {"meeting_agenda", "item_create", "item_update", "meeting_create", "meeting_series_create"},
    "body_list": {"body_detail", "meeting_detail", "meeting_update", "minutes_detail", "minutes_edit"},
    "proposal_matrix": {
        "proposal_detail",
        "proposal_create",
        "proposal_update",
        "decision_record",
        "decision_intended",
        "adopters_name",
        "adoption_edit",
    },
    "griffier_dashboard": {"council_track_edit", "council_system_edit"},
    "arrangement_register": {"arrangement_detail", "covenant_detail", "municipality_adoptions"},
    "cycle_calendar": {"cycle_document_detail", "cycle_document_edit", "cycle_model_edit", "cycle_document_create"},
    "my_submissions": {"submission_detail", "submission_create"},
    "programme_list": {"programme_detail", "programme_create"},
    "evaluation_list": {"evaluation_list_year", "evaluation_edit"},
}


def menu_for(desk: Desk, url_name: str | None) -> list[Group]:
    roles = desk.roles
    count = desk.count

    def item(label, name, n=0) -> Item:
        return Item(label, name, n, url_name == name or url_name in SECTIONS.get(name, ()))

    groups = [
        Group(
            "work",
            _("My work"),
            [
                *(
                    [item(_("To sign"), "my_signatures", count("sign"))]
                    if roles.signs or roles.records or count("sign")
                    else []
                ),
                # The coordinator may record for any municipality (decisions/access.py), so she keeps the list.
                *(
                    [item(_("To record"), "my_to_record", count("record"))]
                    if roles.records or roles.coordinator
                    else []
                ),
                *([item(_("Triage inbox"), "triage_inbox", count("triage"))] if roles.coordinator else []),
                *(
                    [item(_("Agendas to prepare"), "my_work", count("agenda") + count("minutes"))]
                    if roles.prepares
                    else []
                ),
                *(
                    [
                        item(_("Submit an item"), "submission_create"),
                        item(_("My submissions"), "my_submissions", count("documents") + count("returned")),
                    ]
                    if roles.submits
                    else []
                ),
                *(
                    [item(_("My action points"), "my_action_points", count("actions"))]
                    if roles.member or count("actions")
                    else []
                ),
                *(
                    [item(_("My invitations"), "my_invitations", count("invitation"))]
                    if roles.invited_for_portfolios
                    else []
                ),
            ],
        ),
        Group(
            "meetings",
            _("Meetings"),
            # Minutes to comment on are found through the body they belong to.
            [item(_("Consultation bodies"), "body_list", count("comment"))]
            if roles.reads_meetings or roles.member
            else [],
        ),
        Group(
            "decisions",
            _("Decisions"),
            [
                *(
                    [
                        item(_("Regional proposals"), "proposal_matrix"),
                        item(_("Work programmes"), "programme_list"),
                        item(_("Joint arrangements"), "arrangement_register"),
                        item(_("Budget cycle"), "cycle_calendar"),
                    ]
                    if roles.reads_proposals
                    else []
                ),
                *(
                    [item(_("Evaluations"), "evaluation_list", count("evaluation"))]
                    if roles.evaluates or count("evaluation")
                    else []
                ),
            ],
        ),
        Group(
            "councils",
            _("Councils"),
            [
                *([item(_("Councils"), "council_matrix")] if roles.follows_councils else []),
                # The coordinator keeps council tracks for any municipality too (decisions/access.py).
                *(
                    [item(_("Griffie"), "griffier_dashboard", count("council"))]
                    if roles.keeps_council_tracks or roles.coordinator
                    else []
                ),
            ],
        ),
        Group(
            "management",
            _("Management"),
            [item(_("Operations"), "operations_status"), item(_("Management site"), "admin:index")]
            if roles.coordinator
            else [],
        ),
    ]
    return [group for group in groups if group.items]
