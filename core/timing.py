"""How long a request took and how many SQL queries it ran.

A request slower than `SLOW_REQUEST_MS` is logged as a warning with its
method, path (without the query string, which can carry names or e-mail
addresses), status, duration and query count. With `SERVER_TIMING` on (by
default only with `DEBUG`) every response carries the figures in the headers
`Server-Timing` and `X-Query-Count`, for the browser's developer tools and
for load tests."""

import logging
import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


class QueryTally:
    """An execute wrapper (see "Database instrumentation" in the Django docs) that counts and times queries."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class RequestTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tally = QueryTally()
        start = time.perf_counter()
        with ExitStack() as stack:
            # Every database alias: reads routed to a replica count as well.
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(tally))
            response = self.get_response(request)
        app_ms = (time.perf_counter() - start) * 1000
        db_ms = tally.seconds * 1000
        if app_ms >= settings.SLOW_REQUEST_MS:
            logger.warning(
                "slow request: %s %s status=%s ms=%.0f queries=%s db_ms=%.0f",
                request.method,
                request.path,
                response.status_code,
                app_ms,
                tally.count,
                db_ms,
            )
        if settings.SERVER_TIMING:
            response["Server-Timing"] = f'app;dur={app_ms:.1f}, db;desc="{tally.count} queries";dur={db_ms:.1f}'
            response["X-Query-Count"] = str(tally.count)
        return response
