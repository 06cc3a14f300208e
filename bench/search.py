"""Search latency at scale (issue 16): the full-text search over 100,000 agenda items and 20,000 documents
on PostgreSQL, as a member of three bodies and as an anonymous visitor of the public side would search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/search.py

Builds the index rows in that database (dropping and recreating it: never point it at real data), with
Dutch agenda texts drawn from a vocabulary of municipal words, then runs each query `--runs` times through
the same code as the search page (search.views.run, the visibility condition of search.visibility) and
prints p50/p95 in milliseconds and the number of matches. Not a test: the figures depend on the machine."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

WORDS = [
    "woningbouw",
    "jeugdzorg",
    "warmtenet",
    "fietsroute",
    "bereikbaarheid",
    "duurzaamheid",
    "energietransitie",
    "participatie",
    "begroting",
    "jaarrekening",
    "veiligheid",
    "ondermijning",
    "toezicht",
    "handhaving",
    "omgevingswet",
    "mobiliteit",
    "parkeren",
    "spoedzoekers",
    "flexwonen",
    "sociale",
    "huur",
    "statushouders",
    "arbeidsmarkt",
    "onderwijs",
    "cultuur",
    "sport",
    "recreatie",
    "duinlandschap",
    "natuurbeheer",
    "klimaatadaptatie",
    "wateroverlast",
    "riolering",
    "afval",
    "grondstoffen",
    "inkoop",
    "subsidie",
    "zienswijze",
    "gemeenschappelijke",
    "regeling",
    "raadsinformatie",
    "evaluatie",
    "werkprogramma",
    "convenant",
    "samenwerking",
]
QUERIES = ["warmtenet", "sociale huur", '"gemeenschappelijke regeling"', "jeugdzorg -begroting", "spoedzoekers"]


def sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length))


def build(items: int, documents: int, bodies: int) -> None:
    from django.db import connection

    from search.index import update_vectors
    from search.models import SearchEntry

    rng = random.Random(16)
    SearchEntry.objects.all().delete()
    batch = []
    for n in range(items + documents):
        document = n >= items
        batch.append(
            SearchEntry(
                kind="document" if document else "item",
                object_id=n,
                title=sentence(rng, 5).capitalize(),
                text=sentence(rng, 400 if document else 40),
                body_id=rng.randrange(bodies),
                meeting_id=n // 12,
                date=None,
                released=rng.random() > 0.02,
                confidential=rng.random() < 0.03,
                latest=True,
            )
        )
        if len(batch) == 5000:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
    update_vectors(SearchEntry.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_searchentry")


def measure(runs: int, bodies: int) -> None:
    from django.db.models import Q

    from core.pagination import Paginator
    from search.models import SearchEntry
    from search.views import run

    mine = [0, 1, 2]
    member = Q(kind__in=["item", "document"], body_id__in=mine) & Q(released=True) & Q(confidential=False)
    print(f"{'query':<34} {'who':<8} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for query in QUERIES:
        for who, condition in (("member", member), ("everyone", Q(released=True, confidential=False))):
            times, matches = [], 0
            for _ in range(runs):
                started = time.perf_counter()
                page = Paginator(run(SearchEntry.objects.filter(condition), {"q": query}), 20).get_page(1)
                rows = list(page.object_list)
                matches = page.paginator.count
                assert all(r.fragment is not None for r in rows)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"{query:<34} {who:<8} {matches:>8} {statistics.median(times):>8.1f} {p95:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--bodies", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep the rows of an earlier run")
    options = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database for the benchmark (it is emptied).")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not options.reuse:
        started = time.perf_counter()
        build(options.items, options.documents, options.bodies)
        print(f"built {options.items} items and {options.documents} documents in {time.perf_counter() - started:.0f} s")
    measure(options.runs, options.bodies)


if __name__ == "__main__":
    main()
