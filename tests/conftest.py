import datetime
import io
import os
import pickle
from contextlib import contextmanager

import pytest
from django.test import Client

from municipalities.models import Office
from tests.factories import OfficeFactory, PersonFactory, UserFactory

# `make test` runs the suite in two parts, each spread over several processes (pytest-xdist):
#   --db-isolation=rollback  the tests that run inside a transaction rolled back at their end, and
#   --db-isolation=commit    the tests that commit (transaction=True, a live server, the browser journeys,
#                            a real Celery worker): Django empties the tables after each of them, the rows
#                            the migrations wrote (the beat schedules) included.
# In one run pytest-django orders the committing tests last; spread over processes by file, a committing test
# could run before a test that reads the migrations' rows. Without the option every test runs.


def pytest_addoption(parser):
    parser.addoption(
        "--db-isolation",
        choices=("rollback", "commit"),
        help="run only the tests that roll back, or only those that commit (see tests/conftest.py)",
    )


def _commits(item) -> bool:
    if item.get_closest_marker("e2e") or item.get_closest_marker("integration"):
        return True
    if {"transactional_db", "live_server", "django_db_serialized_rollback"} & set(item.fixturenames):
        return True
    mark = item.get_closest_marker("django_db")
    return mark is not None and bool(mark.kwargs.get("transaction") or mark.kwargs.get("serialized_rollback"))


def pytest_collection_modifyitems(config, items):
    part = config.getoption("--db-isolation")
    if part is None:
        return
    kept, left = [], []
    for item in items:
        (kept if _commits(item) == (part == "commit") else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the menu counts are cached per log-in, and log-ins are reused."""
    from django.core.cache import cache

    cache.clear()
    yield


# Role fixtures: a log-in per role, each a person holding a current office.


def _login_with_office(role: str, **office_fields):
    person = PersonFactory(with_login=True)
    OfficeFactory(person=person, role=role, **office_fields)
    return person.user


@pytest.fixture
def coordinator(db):
    return _login_with_office(Office.Role.REGIONAL_COORDINATOR, coordinator=True)


@pytest.fixture
def secretary(db):
    return _login_with_office(Office.Role.MUNICIPAL_SECRETARY)


@pytest.fixture
def mayor(db):
    return _login_with_office(Office.Role.MAYOR)


@pytest.fixture
def alderman(db):
    return _login_with_office(Office.Role.ALDERMAN)


@pytest.fixture
def griffier(db):
    return _login_with_office(Office.Role.GRIFFIER)


@pytest.fixture
def council_member(db):
    return _login_with_office(Office.Role.COUNCIL_MEMBER)


@pytest.fixture
def former_coordinator(db):
    return _login_with_office(Office.Role.REGIONAL_COORDINATOR, coordinator=True, ends_on=datetime.date(2020, 12, 31))


@pytest.fixture
def outsider(db):
    return UserFactory()


@pytest.fixture
def client_for():
    """A test client logged in as the given user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        verify_second_factor(client, user)
        return client

    return make


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin client, with the second factor a superuser must give (accounts/second_factor.py)."""
    client = Client()
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    verify_second_factor(client, admin_user)
    return client


def verify_second_factor(client: Client, user) -> None:
    """For an account that needs a second factor (accounts/second_factor.py): a confirmed app and a session that
    has given its code, as after a log-in with password and code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import second_factor_required

    required = second_factor_required(user)
    user.__dict__.pop("_is_regional_coordinator", None)  # the test may change the offices after this
    if not required:
        return
    device = TOTPDevice.objects.filter(user=user, name="default", confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests log in dozens of people; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class DatabaseSnapshots:
    """A setup that builds a whole region through the ORM (thousands of queries and signal handlers) runs once
    per test run; each later test that asks for the same setup gets the same rows back by a bulk copy, in the
    state a transactional test starts from (flushed, post_migrate run). The copied rows keep their primary keys,
    so what earlier tests left in the task queues is dropped, and the tasks the setup queued are queued again:
    a worker that a test starts finds what it would have found after building the setup itself.

    Ask for it before any other fixture writes rows: putting a snapshot back empties every table first."""

    def __init__(self):
        self.saved = {}

    def __call__(self, name: str, build):
        from django.core import mail
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        if connection.in_atomic_block or connection.vendor not in ("postgresql", "sqlite"):
            return build()  # a test in a rolled-back transaction: building is as cheap as copying
        key = (name, timezone.localdate())  # the setups count days from today
        if key in self.saved:
            return self._restore(*self.saved[key])
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
        _purge_task_queues()
        sent_before = len(getattr(mail, "outbox", []))
        with _published_tasks() as published:
            result = build()
        if len(getattr(mail, "outbox", [])) == sent_before:  # mail sent is not in the database: build each time
            self.saved[key] = (_dump_tables(), list(published), pickle.dumps(result))
        return result

    @staticmethod
    def _restore(tables, published, result):
        from django.contrib.contenttypes.models import ContentType
        from django.core.cache import caches

        from config.celery import app

        _load_tables(tables)
        ContentType.objects.clear_cache()  # the ids post_migrate gave after the last flush are gone
        for cache in caches.all():
            cache.clear()  # what an earlier test cached under the same keys (a person's menu counts by pk)
        _purge_task_queues()
        for task, args, kwargs in published:
            app.send_task(task, args=args, kwargs=kwargs)
        return pickle.loads(result)


@pytest.fixture(scope="session")
def database_snapshot():
    """`database_snapshot(name, build)`: the result of `build()`, run once per test run (see DatabaseSnapshots)."""
    return DatabaseSnapshots()


def whole_demo_region(database_snapshot, password: str):
    """The demo region with its meetings, minutes, regional proposals and publications, as `load_demo` makes
    it, built once per run and password."""
    from decisions.demo import load_proposals
    from governance import demo
    from meetings.demo import load_meetings, load_minutes
    from publication.demo import load_publications

    def build():
        region = demo.load(password)
        load_meetings(region)
        load_minutes(region)
        load_proposals(region)
        load_publications(region)
        return region

    return database_snapshot(f"demo region, meetings, minutes, proposals, publications ({password})", build)


def _purge_task_queues() -> None:
    from config.celery import app

    app.control.purge()


@contextmanager
def _published_tasks():
    from celery.signals import before_task_publish

    published = []

    def record(sender=None, body=None, **kwargs):
        args, task_kwargs, _ = body
        published.append((sender, list(args), dict(task_kwargs)))

    before_task_publish.connect(record, weak=False)
    try:
        yield published
    finally:
        before_task_publish.disconnect(record)


def _dump_tables() -> dict:
    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                cursor.copy_expert(f"COPY {name} TO STDOUT", buffer)
                if buffer.tell():
                    tables[table] = buffer.getvalue()
            else:
                cursor.execute(f"SELECT * FROM {name}")
                # As SQLite stores them: the dates and times the connection parses come back as text.
                rows = [[str(v) if isinstance(v, datetime.date | datetime.time) else v for v in row] for row in cursor]
                if rows:
                    tables[table] = ([column[0] for column in cursor.description], rows)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences"
                " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
            )
            tables[None] = dict(cursor.fetchall())
    return tables


def _load_tables(tables: dict) -> None:
    """Empties every table as the flush does, then copies the saved rows back (foreign keys are checked at commit)."""
    from django.core.management.color import no_style
    from django.core.management.sql import sql_flush
    from django.db import connection, transaction

    sequences = tables.get(None, {})
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in sql_flush(no_style(), connection, reset_sequences=False):
            cursor.execute(statement)
        for table, saved in tables.items():
            if table is None:
                continue
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.copy_expert(f"COPY {name} FROM STDIN", io.StringIO(saved))
            else:
                columns, rows = saved
                names = ", ".join(connection.ops.quote_name(column) for column in columns)
                cursor.executemany(f"INSERT INTO {name} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)
        if sequences:
            # The flush keeps the sequences counting; never move one back below a key a test already used.
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
            current = dict(cursor.fetchall())
            for sequence, value in sequences.items():
                if (current.get(sequence) or 0) < value:
                    cursor.execute("SELECT setval(%s, %s)", [connection.ops.quote_name(sequence), value])


@pytest.fixture(scope="session", autouse=True)
def empty_tables_by_delete():
    """A transactional test ends with a flush. On PostgreSQL that is one TRUNCATE of ninety tables, which gives
    every table and index a new file: seconds per test on this machine, where deleting the few rows a test left
    takes a tenth of one. All foreign keys are deferred, so the deletes in the flush's one transaction need no
    order. (TRUNCATE ... RESTART IDENTITY or CASCADE, asked for explicitly, is left as it is.)"""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session", autouse=True)
def static_root_of_this_test_process(tmp_path_factory):
    """WhiteNoise scans STATIC_ROOT each time a test client loads the middleware, while the production-header
    test (tests/core/test_headers.py) may be collecting into staticfiles/ in the other test process: a file
    that vanishes mid-scan failed a test. This process serves static files through the finders (DEBUG), so
    its own STATIC_ROOT is an empty folder of its own."""
    from django.test.utils import override_settings

    with override_settings(STATIC_ROOT=str(tmp_path_factory.mktemp("static_root"))):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database commits without waiting for its log to reach the disk (each commit a few
    milliseconds less): a commit is still seen at once by every other connection, the live server's and the
    workers' included; only a crash of the database server itself could lose the last ones, and the test
    database is thrown away after the run anyway."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
            cursor.execute("SET synchronous_commit = off")
    yield


@pytest.fixture(autouse=True)
def task_queues_of_this_test_process(request):
    """With `pytest -n`, each test process has its own database (pytest-django) and here its own task queues
    on the broker: a worker that one process's test starts must never take what another process's test queued.
    The worker integration tests start a Redis server of their own, with a worker that knows no such prefix;
    they close this process's broker connections as they go, so the next test starts with fresh ones."""
    name = os.environ.get("PYTEST_XDIST_WORKER")
    integration = request.node.get_closest_marker("integration") is not None
    _use_transport_options(_transport_options_of(name) if name and not integration else None)
    yield
    if integration:
        _use_transport_options(None, reconnect=True)


def _transport_options_of(name: str) -> dict:
    from pathlib import Path

    from django.conf import settings

    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            options[folder] = str(Path(options[folder]) / name)
            Path(options[folder]).mkdir(parents=True, exist_ok=True)
    else:
        options["global_keyprefix"] = f"test-{name}:"
    return options


def _use_transport_options(options: dict | None, reconnect: bool = False) -> None:
    """Points this process's Celery app at its own queues (None: those of the settings)."""
    from django.conf import settings
    from kombu import pools

    from config.celery import app

    wanted = options if options is not None else settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if app.conf.broker_transport_options == wanted and not reconnect:
        return
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # closes and forgets every pooled connection, closed ones included
    app.conf.broker_transport_options = wanted
