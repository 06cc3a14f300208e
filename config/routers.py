"""Reads of the public pages and the API from a PostgreSQL read replica.

With `DATABASE_REPLICA_URL` set, the settings add a database alias `replica`.
A request reads from it only when it asked to and only for GET, HEAD and
OPTIONS, either

- by its path: it starts with one of the prefixes in `READ_REPLICA_PATHS`
  (`ReadReplicaMiddleware`), or
- by its view: the view is decorated with `@read_from_replica`.

Such a request is marked `request.reads_from_replica`, so that a middleware
reading after the view (the Content Security Policy's identity providers)
reads from the replica as well.

Everything else reads from `default`, and so does a read inside a
transaction on `default` (it must see what the transaction wrote). Writes and
migrations always go to `default`. Without a replica alias everything goes
to `default`. See docs/production.md, "Read replica"."""

import functools
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# Per thread (gunicorn gthread) and per task (asgi): whether this request reads from the replica.
_reads_from_replica = ContextVar("reads_from_replica", default=False)


@contextmanager
def replica_reads(request=None):
    """Within the block, reads go to the replica; for a request, only when its method cannot write."""
    if request is not None and request.method not in SAFE_METHODS:
        yield
        return
    token = _reads_from_replica.set(True)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


def reads_as_marked(request):
    """For code that runs after the view (a middleware on the response): reads go where the view's did."""
    return replica_reads(request) if getattr(request, "reads_from_replica", False) else nullcontext()


def read_from_replica(view):
    """Marks a function view that only reads (a public page, an API list) as served from the replica."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.reads_from_replica = True
        with replica_reads(request):
            return view(request, *args, **kwargs)

    return wrapper


class ReadReplicaMiddleware:
    """Serves the requests under the path prefixes in `READ_REPLICA_PATHS` from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.READ_REPLICA_PATHS)

    def __call__(self, request):
        if self.prefixes and request.path_info.startswith(self.prefixes):
            request.reads_from_replica = True
            with replica_reads(request):
                return self.get_response(request)
        return self.get_response(request)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and replica_configured() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as default: an object read from one may refer to one from the other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows default through PostgreSQL's replication, never through migrate.
        return db == DEFAULT_DB_ALIAS
