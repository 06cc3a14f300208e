"""Query-count pins: a page costs the same number of queries with a few rows as with many, and never more
than `MAX_QUERIES` (issue: national scale). The tests use small data; the benchmark the big data."""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

MAX_QUERIES = 25


def queries_of(client: Client, url: str, data: dict | None = None) -> tuple[int, str]:
    """The number of queries of one GET of the page (after a first GET, so caches are warm), and the page."""
    assert client.get(url, data).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


def pin(
    client: Client,
    url: str,
    grow: Callable[[int], object],
    sizes=(3, 30),
    data: dict | None = None,
    at_most: int = MAX_QUERIES,
) -> str:
    """Grows the data to each size in turn (`grow(n)` adds n rows), measures the page at each size and
    asserts the counts are equal and at most `at_most`. Returns the page at the bigger size.

    A page above MAX_QUERIES names its own `at_most`: today the menu's counts of what waits
    (reminders/desk.py) cost about fifteen queries on every page."""
    counts, page, done = [], "", 0
    for size in sizes:
        grow(size - done)
        done = size
        count, page = queries_of(client, url, data)
        counts.append(count)
    assert counts[0] == counts[-1], f"{url}: {counts[0]} queries at {sizes[0]} rows, {counts[-1]} at {sizes[-1]}"
    assert counts[-1] <= at_most, f"{url}: {counts[-1]} queries"
    return page


def paginated(page: str) -> bool:
    """The page shows the pager of components/pagination.html, on its first page with a next one."""
    return 'aria-current="page"' in page and 'rel="next"' in page and 'rel="prev"' not in page
