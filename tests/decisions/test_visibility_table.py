"""The table of docs/adr/0006-who-sees-what.md, checked row by row against the demo region: the table is
read from the ADR, so the rule as written and the rule as built cannot drift apart."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from decisions.demo import SEED_000
from decisions.models import CollegeDecision, RegionalProposal
from decisions.tasks import render_decision_pdf
from meetings.demo import CONFIDENTIAL_ITEM
from meetings.models import Meeting
from tests.conftest import verify_second_factor, whole_demo_region

pytestmark = pytest.mark.django_db
ADR = Path(__file__).resolve().parents[2] / "docs" / "adr" / "0006-who-sees-what.md"
PASSWORD = "demo-wachtwoord"


def table_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in ADR.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("object", "---") and not set(cells[0]) <= {"-"}:
            rows.append(tuple(cells))
    return rows


def test_the_adr_has_a_table_worth_checking():
    rows = table_rows()
    assert len(rows) >= 30
    assert {row[3] for row in rows} <= {"sees", "in behandeling", "not shown", "403", "404"}


def test_every_row_of_the_visibility_table_holds_in_the_demo_region(transactional_db, database_snapshot):
    region = whole_demo_region(database_snapshot, PASSWORD)
    seed = RegionalProposal.objects.get(title=SEED_000["title"])
    decisions = {d.municipality.name: d for d in seed.college_decisions.select_related("municipality")}
    render_decision_pdf(decisions["Haarlem"].pk)  # the intended decision, as the worker would
    held = Meeting.objects.filter(body=region.bodies["secretaries"], items__title=CONFIDENTIAL_ITEM).get()
    draft = RegionalProposal.objects.get(title="Regionale aanpak energiearmoede")
    seed_page = reverse("proposal_detail", args=[seed.pk])
    meeting_page = reverse("meeting_detail", args=[held.pk])
    # object, state -> the page and what a reader who sees it finds there.
    pages = {
        ("college decision", "recorded, not signed"): (seed_page, decisions["Zandvoort"].reference),
        ("college decision", "signed"): (seed_page, decisions["Heemstede"].reference),
        ("intended decision PDF", "intended, not yet definitive"): (
            reverse("decision_intended_pdf", args=[decisions["Haarlem"].pk]),
            None,
        ),
        ("regional proposal", "draft"): (reverse("proposal_detail", args=[draft.pk]), draft.title),
        ("meeting", "published"): (meeting_page, "Evaluatie coördinatiestructuur"),
        ("confidential item", "on a published agenda"): (meeting_page, CONFIDENTIAL_ITEM),
        ("invitation list", "published meeting"): (reverse("invitation_list", args=[held.pk]), None),
    }
    # The role as the table names it, per object: the demo log-in that holds it.
    own = {"college decision": "zandvoort", "intended decision PDF": "haarlem"}
    logins = {
        "coordinator": "coordinator",
        "outsider": "buitenstaander",
        "alderman": "wethouder",
        "project leader": "projectleider",
        "advisory member": "directeur",
        "member of the preparing body": "burgemeester",
        "member of the body": "secretaris-zandvoort",
        "secretariat of the body": "secretaris",
        "griffier of another municipality": "griffier",
        "council member of another municipality": "raadslid",
        "mayor of another municipality": "burgemeester",
    }

    def login_for(kind: str, role: str) -> str:
        municipality = own.get(kind)
        if role == "own secretary":
            return "secretaris" if municipality == "haarlem" else f"secretaris-{municipality}"
        if role == "own mayor":
            return "burgemeester" if municipality == "haarlem" else f"burgemeester-{municipality}"
        if role == "own griffier":
            assert municipality == "haarlem", "the demo has a griffier log-in for Haarlem only"
            return "griffier"
        if role == "secretary of another municipality":
            return "secretaris-zandvoort" if municipality == "haarlem" else "secretaris"
        return logins[role]

    clients: dict[str, Client] = {}
    failures = []
    for kind, state, role, expected in table_rows():
        url, marker = pages[kind, state]
        username = login_for(kind, role)
        if username not in clients:
            clients[username] = Client()
            user = get_user_model().objects.get(username=username)
            clients[username].force_login(user)
            verify_second_factor(clients[username], user)
        response = clients[username].get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="ignore")
        found = marker in text if marker else True
        got = {
            404: "404",
            403: "403",
        }.get(response.status_code)
        if got is None and response.status_code == 200:
            if found:
                got = "sees"
            elif "in behandeling" in text:
                got = "in behandeling"
            else:
                got = "not shown"
        if got != expected:
            failures.append(
                f"{kind} | {state} | {role} ({username}): expected {expected}, got {got or response.status_code}"
            )
    assert failures == []
    # And the rows hold for what the test does not read from the pages: signed decisions only count.
    assert re.search(r"nog niet bekend \(\d van 9 besloten\)", clients["coordinator"].get(seed_page).content.decode())
    assert (
        not CollegeDecision.objects.filter(proposal=seed, signing="to_sign")
        .filter(pk__in=[d.pk for d in decisions.values() if d.is_final])
        .exists()
    )
