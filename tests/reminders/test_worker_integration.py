"""Reminders against the real parts: a Celery worker in its own process, Redis
as the broker, PostgreSQL, and an SMTP server that counts what it accepts.

Each test starts its own Redis server on a free port, so that stopping it (the
outage test) or killing the worker leaves the machine's services alone. The
figures (mails, duplicates, missing, recovery time) are printed and written
to test-results/reminder-figures.json."""

import asyncio
import datetime
import email
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from config.celery import app
from governance.models import Membership
from meetings.models import ActionPoint, AgendaItem, AgendaPdf, Meeting, Minutes, MinutesItem
from municipalities.models import Office
from reminders.models import Reminder, ReminderSettings
from reminders.tasks import dispatch_due_reminders, return_stuck_reminders
from tests.factories import OfficeFactory, PersonFactory
from tests.meetings.conftest import Region

D = datetime.date
BASE_DIR = Path(__file__).resolve().parents[2]
RESULTS = BASE_DIR / "test-results"
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def require(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("INTEGRATION_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def record(name: str, figures: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "reminder-figures.json"
    existing = json.loads(path.read_text()) if path.exists() else {}
    existing[name] = figures
    path.write_text(json.dumps(existing, indent=2))
    print(f"\n{name}: {json.dumps(figures)}")


class RedisServer:
    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        wait_for(lambda: self._answers(client), 10, what="redis-server to answer")

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.exceptions.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class MailCounter:
    """An SMTP server that accepts every message after a short pause (the time a
    real server takes) and keeps the Message-IDs it accepted."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.message_ids: list[str] = []
        self.calendar_parts: list[str] = []  # the calendar items the accepted mails carried
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content)
        calendar = [part.get_content_type() for part in message.walk() if part.get_content_type() == "text/calendar"]
        with self.lock:
            self.message_ids.append(message["Message-ID"])
            self.calendar_parts.extend(calendar)
        return "250 Message accepted"

    def count(self) -> int:
        with self.lock:
            return len(self.message_ids)


@pytest.fixture
def postgres_url() -> str:
    require(connection.vendor == "postgresql", "the worker integration tests need PostgreSQL (DATABASE_URL)")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_server(tmp_path):
    require(shutil.which("redis-server") is not None, "the worker integration tests need redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    counter = MailCounter(delay=0.02)
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    counter.port = controller.port
    yield counter
    controller.stop()


@contextmanager
def broker(url: str):
    """Points this process's Celery app (the web side: dispatcher, requests) at `url`."""
    previous, previous_env = app.conf.get("broker_url"), os.environ.get("CELERY_BROKER_URL")

    def reset() -> None:
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None

    reset()
    # Celery reads the environment variable before its own configuration.
    os.environ["CELERY_BROKER_URL"] = app.conf["broker_url"] = url
    try:
        assert app.connection_for_write().as_uri().endswith(url.rpartition("@")[2].removeprefix("redis://"))
        yield
    finally:
        reset()
        app.conf["broker_url"] = previous
        if previous_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = previous_env


class Worker:
    """`celery worker` in its own process group, as a process manager would run it."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.process = env, log, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "celery,pdf,mail,sweeps",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"itest-{time.monotonic_ns()}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            start_new_session=True,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )

    def log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(postgres_url, redis_server, smtp, tmp_path, settings):
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": postgres_url,
        "CELERY_BROKER_URL": redis_server.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    running = Worker(env, tmp_path / "worker.log")
    running.start()
    yield running
    running.stop()
    print((tmp_path / "worker.log").read_text()[-3000:])


def fast_janitor() -> None:
    """The default is ten minutes; the test cannot wait that long for a dead worker's rows."""
    ReminderSettings.objects.update_or_create(pk=1, defaults={"claim_timeout_seconds": 3})


def sent_count() -> int:
    return Reminder.objects.filter(status=Reminder.Status.SENT).count()


def overdue_action_points(count: int) -> None:
    """`count` open action points, each of another owner, overdue since last week: one due reminder each."""
    region = Region()
    start = timezone.now() - datetime.timedelta(days=20)
    meeting = Meeting.for_body(region.secretaries, start)
    meeting.save()
    minutes = Minutes.objects.create(meeting=meeting)
    item = MinutesItem.objects.create(minutes=minutes, agenda_item=meeting.items.get(kind=AgendaItem.Kind.OPENING))
    due_on = timezone.localdate() - datetime.timedelta(days=7)
    for n in range(count):
        owner = PersonFactory(given_name=f"Eigenaar{n}")
        ActionPoint.objects.create(minutes_item=item, what=f"Actie {n}", owner=owner, due_on=due_on)


def test_200_due_reminders_become_200_mails_even_when_the_worker_is_killed_mid_send(worker, smtp, redis_server):
    overdue_action_points(200)
    due = Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=timezone.now())
    assert due.count() == 200
    expected = {r.stable_message_id for r in due}
    fast_janitor()

    with broker(redis_server.url):
        assert dispatch_due_reminders() == 200
        wait_for(lambda: smtp.count() >= 60, 60, what="the first 60 mails")
        worker.kill()
        killed_at = time.monotonic()
        # The sink may still be finishing a message the worker sent in full just before it died: count once
        # the sink has been quiet for a moment, so such a mail counts as accepted before the kill.
        settled = -1
        while settled != smtp.count():
            settled = smtp.count()
            time.sleep(0.5)
        accepted_at_kill, sent_at_kill = smtp.count(), sent_count()
        worker.start()
        restarted_at = time.monotonic()

        def all_sent() -> bool:
            return_stuck_reminders()
            dispatch_due_reminders()
            return sent_count() == 200

        wait_for(all_sent, 120, interval=1, what="all 200 reminders sent")
        recovered_at = time.monotonic()
    time.sleep(2)  # anything still in flight would show up as an extra mail now

    ids = smtp.message_ids
    duplicates = len(ids) - len(set(ids))
    missing = expected - set(ids)
    record(
        "worker killed with SIGKILL mid-send",
        {
            "reminders": 200,
            "mails accepted": len(ids),
            "unique Message-IDs": len(set(ids)),
            "duplicates": duplicates,
            "missing": len(missing),
            "accepted before the kill": accepted_at_kill,
            "committed as sent before the kill": sent_at_kill,
            "seconds from kill to all sent": round(recovered_at - killed_at, 1),
            "seconds from restart to all sent": round(recovered_at - restarted_at, 1),
        },
    )
    assert not missing
    assert set(ids) == expected
    # A duplicate can only be a mail the server accepted while its status was not yet committed.
    assert duplicates <= accepted_at_kill - sent_at_kill
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 200


def test_with_redis_down_for_a_minute_nobody_gets_an_error_and_every_reminder_goes_out_after(
    worker, smtp, redis_server, client_for, settings
):
    outage = float(os.environ.get("REDIS_OUTAGE_SECONDS", "60"))
    region = Region()
    secretary = region.seat(region.secretaries, Membership.Role.SECRETARY)
    owner = PersonFactory(given_name="Olga")
    OfficeFactory(person=owner, role=Office.Role.PROJECT_LEADER, municipality=region.haarlem, starts_on=D(2020, 1, 1))
    held = Meeting.for_body(region.secretaries, timezone.now() - datetime.timedelta(days=14))
    held.save()
    upcoming = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=30))
    upcoming.save()
    fast_janitor()
    client = client_for(secretary)

    with broker(redis_server.url):
        assert client.post(f"/vergaderingen/{held.pk}/publish/").status_code == 302
        wait_for(lambda: AgendaPdf.objects.filter(meeting=held).exists(), 60, what="the agenda PDF before the outage")
        # Stop Redis with the worker idle, not between a task's end and its acknowledgement.
        wait_for(lambda: "render_agenda_pdf" in worker.log_text() and "succeeded" in worker.log_text(), 30)
        time.sleep(1)
        assert client.get(f"/vergaderingen/{held.pk}/verslag/").status_code == 200
        minutes_item = MinutesItem.objects.get(minutes__meeting=held, agenda_item__kind=AgendaItem.Kind.OPENING)

        redis_server.stop()
        stopped_at = time.monotonic()
        statuses, slowest, n = [], 0.0, 0
        while time.monotonic() - stopped_at < outage:
            started = time.monotonic()
            prefix = f"item{minutes_item.pk}"
            statuses.append(
                client.post(
                    f"/verslagpunten/{minutes_item.pk}/actiepunten/",
                    {
                        f"{prefix}-what": f"Actie tijdens storing {n}",
                        f"{prefix}-owner": owner.pk,
                        f"{prefix}-due_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
                    },
                ).status_code
            )
            statuses.append(client.get("/meldingen/").status_code)
            statuses.append(client.get(f"/vergaderingen/{held.pk}/").status_code)
            if n == 0:
                # Publishing queues the agenda PDF: the broker is gone, the publication is not.
                statuses.append(client.post(f"/vergaderingen/{upcoming.pk}/publish/").status_code)
            dispatch_due_reminders()  # a dispatcher run that cannot reach the broker
            slowest = max(slowest, time.monotonic() - started)
            n += 1
            time.sleep(2)
        assert all(status < 400 for status in statuses), statuses
        upcoming.refresh_from_db()
        assert upcoming.status == Meeting.Status.PUBLISHED
        assert Reminder.objects.filter(kind=Reminder.Kind.ACTION_OVERDUE).count() == n
        assert sent_count() == 0
        # The action points' reminders, and the secretary's for the minutes of the meeting held.
        created = Reminder.objects.filter(due_at__lte=timezone.now()).exclude(status=Reminder.Status.SKIPPED).count()

        redis_server.start()
        back_at = time.monotonic()
        from meetings.tasks import render_missing_pdfs

        render_missing_pdfs()

        def all_sent() -> bool:
            return_stuck_reminders()
            dispatch_due_reminders()
            return sent_count() == created

        wait_for(all_sent, 120, interval=1, what="every reminder after Redis is back")
        recovered_at = time.monotonic()
        wait_for(
            lambda: AgendaPdf.objects.filter(meeting=upcoming).exists(), 60, what="the agenda PDF queued in the outage"
        )
    ids = smtp.message_ids
    record(
        "Redis stopped",
        {
            "outage seconds": outage,
            "requests during the outage": len(statuses),
            "failed requests": sum(status >= 400 for status in statuses),
            "slowest round of requests (s)": round(slowest, 2),
            "reminders created during the outage": created,
            "mails after Redis returned": len(ids),
            "duplicates": len(ids) - len(set(ids)),
            "seconds from Redis back to all sent": round(recovered_at - back_at, 1),
        },
    )
    assert len(ids) == len(set(ids)) == created
    assert set(ids) == {r.stable_message_id for r in Reminder.objects.filter(status=Reminder.Status.SENT)}


def test_120_invitations_with_their_calendar_item_arrive_once_through_a_worker_restart(worker, smtp, redis_server):
    """Publishing an agenda invites every member; the worker dies mid-send and the invitations still arrive,
    each with the meeting as a calendar item."""
    from governance.models import Membership as Seat
    from tests.factories import MembershipFactory

    region = Region()
    secretary = region.seat(region.secretaries, Seat.Role.SECRETARY)
    for n in range(120):
        MembershipFactory(body=region.secretaries, person=PersonFactory(given_name=f"Lid{n}"), starts_on=D(2021, 1, 1))
    meeting = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=14))
    meeting.save()
    meeting.publish(by=secretary)
    due = Reminder.objects.filter(kind=Reminder.Kind.MEETING_INVITATION, status=Reminder.Status.PENDING)
    assert due.count() == 120
    expected = {r.stable_message_id for r in due}
    fast_janitor()

    with broker(redis_server.url):
        assert dispatch_due_reminders() == 120
        wait_for(lambda: smtp.count() >= 30, 60, what="the first 30 invitations")
        worker.kill()
        worker.start()

        def all_sent() -> bool:
            return_stuck_reminders()
            dispatch_due_reminders()
            return (
                Reminder.objects.filter(kind=Reminder.Kind.MEETING_INVITATION, status=Reminder.Status.SENT).count()
                == 120
            )

        wait_for(all_sent, 120, interval=1, what="all 120 invitations sent")
    time.sleep(2)
    ids = smtp.message_ids
    record("invitations through a worker kill", {"invitations": 120, "accepted": len(ids), "unique": len(set(ids))})
    assert set(ids) == expected
    assert all("text/calendar" in kind for kind in smtp.calendar_parts)
    assert len(smtp.calendar_parts) == len(ids)
