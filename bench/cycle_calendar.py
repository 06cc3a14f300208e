"""The budget cycle calendar at national scale (issue 18): 342 municipalities, joint arrangements of twelve
participants each, ten years of their cycle, a zienswijze round on every draft budget of the last two years,
and two council meetings a month per municipality.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cycle .venv/bin/python bench/cycle_calendar.py \
        --arrangements 120

Drops and creates that database first (never point it at real data), loads the data with the models' own
methods, then asks the calendar (one municipality, and all) and the register in-process through Django's test
client, and prints the seconds and SQL queries of each. Not a test: the figures depend on the machine."""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

MUNICIPALITIES = 342
PER_ARRANGEMENT = 12
YEARS = 10


def prepare() -> None:
    name = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True)


def load(arrangements: int, year: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from arrangements.models import ArrangementParticipation, CycleDocument, JointArrangement
    from governance.models import ConsultationBody, Cooperation, Participation
    from municipalities.models import CouncilMeetingDate, Municipality, Office, Person

    D = datetime.date
    towns = Municipality.objects.bulk_create(
        [Municipality(name=f"Gemeente {n:03d}", cbs_code=f"{n:04d}") for n in range(MUNICIPALITIES)]
    )
    cooperation = Cooperation.objects.create(name="Nederland", kind=Cooperation.Kind.SUBREGION)
    Participation.objects.bulk_create(
        [Participation(cooperation=cooperation, municipality=m, joined_on=D(2010, 1, 1)) for m in towns]
    )
    board = ConsultationBody.objects.create(
        name="Algemeen bestuur", kind=ConsultationBody.Kind.GENERAL_BOARD, cooperation=cooperation
    )
    by = get_user_model().objects.create_user("bench", password="bench-wachtwoord")
    person = Person.objects.create(given_name="Bench", surname="Griffier", email="bench@example.org", user=by)
    Office.objects.create(person=person, role=Office.Role.GRIFFIER, municipality=towns[0], starts_on=D(2010, 1, 1))
    tz = timezone.get_current_timezone()
    CouncilMeetingDate.objects.bulk_create(
        [
            CouncilMeetingDate(
                municipality=m,
                starts_at=datetime.datetime(y, month, day, 19, 30, tzinfo=tz),
                name="Gemeenteraad",
                source_id=f"{y}-{month}-{day}",
            )
            for m in towns
            for y in (year - 1, year)
            for month in range(1, 13)
            for day in (8, 22)
        ]
    )
    rounds = 0
    for index in range(arrangements):
        arrangement = JointArrangement.objects.create(
            name=f"Regeling {index:03d}", abbreviation=f"R{index:03d}", kind="public_body", general_board=board
        )
        first = (index * 7) % MUNICIPALITIES
        members = [towns[(first + k) % MUNICIPALITIES] for k in range(PER_ARRANGEMENT)]
        ArrangementParticipation.objects.bulk_create(
            [
                ArrangementParticipation(arrangement=arrangement, municipality=m, joined_on=D(2010, 1, 1))
                for m in members
            ]
        )
        for cycle_year in range(year - YEARS + 1, year + 1):
            CycleDocument.plan_year(arrangement, cycle_year)
        for cycle_year in (year - 1, year):
            budget = CycleDocument.objects.get(arrangement=arrangement, year=cycle_year, kind="draft_budget")
            budget.sent_on, budget.board_meeting_on = D(cycle_year, 4, 1), D(cycle_year, 7, 1)
            budget.save()
            budget.open_round(by=by)
            rounds += 1
    return by, towns[0], rounds


def measure(client, url: str, data: dict, repeat: int = 3) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, data)
    best, queries, size = float("inf"), 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, data)
            best = min(best, time.perf_counter() - started)
        assert response.status_code == 200, url
        queries, size = len(captured), len(response.content)
    return best, queries, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arrangements", type=int, default=120)
    args = parser.parse_args()
    prepare()
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from arrangements.models import CycleDocument
    from decisions.models import CouncilTrack

    setup_test_environment()
    year = datetime.date.today().year
    started = time.perf_counter()
    user, town, rounds = load(args.arrangements, year)
    print(
        f"loaded {args.arrangements} arrangements, {CycleDocument.objects.count()} documents, {rounds} rounds, "
        f"{CouncilTrack.objects.count()} council tracks in {time.perf_counter() - started:.0f} s"
    )
    client = Client()
    client.force_login(user)
    for label, url, data in (
        ("calendar, one municipality", reverse("cycle_calendar"), {"jaar": year, "gemeente": town.pk}),
        ("calendar, all municipalities", reverse("cycle_calendar"), {"jaar": year, "gemeente": ""}),
        ("register", reverse("arrangement_register"), {}),
    ):
        seconds, queries, size = measure(client, url, data)
        print(f"{label:<30} {seconds * 1000:7.0f} ms  {queries:3d} queries  {size / 1024:6.0f} KiB")


if __name__ == "__main__":
    main()
