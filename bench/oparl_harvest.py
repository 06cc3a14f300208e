"""A full OParl harvest of the generated national dataset (issue 17), as Open Raadsinformatie would do it:
the System, every page of the body list, and of each Body every page of its organization, person,
membership, meeting, agendaItem and paper lists; then an incremental harvest (modified_since, omit_internal).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_oparl .venv/bin/python bench/oparl_harvest.py --factor 0.05

Loads the dataset with `load_scale` into that database (dropping it first unless --reuse: never point it at
real data), publishes the agenda of every meeting that was held (a Publication row each, as the act would
make), then harvests in-process through Django's test client and prints the requests, the seconds, the
objects and the SQL queries per page (the largest and the median). Not a test: the figures depend on the
machine and the factor."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def prepare(args) -> None:
    env = {**os.environ, "DEBUG": "1"}
    url = os.environ["DATABASE_URL"]
    name = urlsplit(url).path.lstrip("/")
    if not args.reuse:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], check=True, env=env)
        subprocess.run([*manage, "load_scale", "--factor", str(args.factor)], check=True, env=env)


def publish_held_agendas() -> int:
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from meetings.models import Meeting
    from publication import diwoo
    from publication.models import Publication

    by = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.first()
    held = Meeting.objects.filter(status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_ADOPTED]).exclude(
        Exists(Publication.objects.filter(kind=Publication.Kind.AGENDA, meeting=OuterRef("pk")))
    )
    rows = [
        Publication(
            kind=Publication.Kind.AGENDA,
            meeting=meeting,
            target_key=Publication.key_for(Publication.Kind.AGENDA, meeting),
            title=f"Agenda {meeting}",
            publisher="https://identifier.overheid.nl/tooi/id/gemeente/gm0392",
            publisher_name="Gemeente Haarlem",
            information_category=diwoo.InformationCategory.choices[0][0],
            handling=diwoo.DocumentHandling.choices[0][0],
            handled_on=meeting.starts_at.date(),
            created_on=meeting.starts_at.date(),
            published_by=by,
        )
        for meeting in held.iterator()
    ]
    Publication.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def harvest(query: str = "") -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    figures = {"requests": 0, "objects": 0, "queries": [], "seconds": 0.0}

    def get(url: str) -> dict:
        path = url.replace("http://localhost", "")
        started = time.perf_counter()
        connection.queries_log.clear()  # the log keeps 9,000 queries; a count per request needs it empty
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        figures["seconds"] += time.perf_counter() - started
        figures["requests"] += 1
        figures["queries"].append(len(queries))
        assert response.status_code == 200, (path, response.status_code)
        return response.json()

    def every_page(url: str) -> list[dict]:
        found = []
        while url:
            page = get(url)
            found += page["data"]
            url = page["links"].get("next")
        figures["objects"] += len(found)
        return found

    system = get("http://localhost/oparl/v1/")
    for body in every_page(system["body"]):  # every Body, then what changed in each
        for name in ("organization", "person", "membership", "meeting", "agendaItem", "paper"):
            if body.get(name):
                every_page(body[name] + query)
    return figures


def report(label: str, figures: dict) -> None:
    queries = figures["queries"]
    print(
        f"{label}: {figures['requests']} requests, {figures['objects']} objects, {figures['seconds']:.1f} s "
        f"({1000 * figures['seconds'] / max(figures['requests'], 1):.0f} ms a request), "
        f"queries per page: max {max(queries)}, median {statistics.median(queries):.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=float, default=0.05)
    parser.add_argument("--reuse", action="store_true", help="Harvest the database as it is.")
    args = parser.parse_args()
    prepare(args)

    import django

    django.setup()
    from django.utils import timezone

    from meetings.models import Meeting

    published = publish_held_agendas()
    print(f"factor {args.factor}: {Meeting.objects.count()} meetings, {published} agendas published now")
    before = timezone.now()
    report("full harvest", harvest())
    since = before.isoformat(timespec="seconds").replace("+", "%2B")
    report("incremental harvest", harvest(f"?modified_since={since}&omit_internal=true"))


if __name__ == "__main__":
    main()
