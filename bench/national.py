"""The national benchmark (issue 14): the portal under gunicorn on PostgreSQL,
at a national size, measured from the outside.

    .venv/bin/python bench/national.py --factor 0.1

Builds (or with --reuse, keeps) a PostgreSQL database with the demo region and
`load_scale --factor F`, starts gunicorn with production settings on the
loopback interface, logs in as the demo roles and prints one table of the
pages they use (status, SQL queries, p50/p95, size, ratio to a trivial view
measured in the same run), then the sweeps and tasks (planning sweep,
dispatcher, 10,000 reminders sent by two worker processes, digests,
permission sync, PDF renders against bare WeasyPrint on the same HTML), a
bounded load run of concurrent users and the RSS of the gunicorn workers.
Ends with the targets of docs/performance.md, each marked met or not.

Not a test: the figures depend on the machine. Standard library plus the
portal's own dependencies; Django is set up in this process (after the
database exists) for the parts that run tasks in-process."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import math
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
HOST = "127.0.0.1"  # loopback only, whatever the options say
DEFAULT_PORT = 8200
SMTP_PORT_OFFSET = 1  # the mail sink listens on the web port + 1
QUEUES = "celery,pdf,mail,sweeps"
REMINDERS_TO_SEND = 10_000
BENCH_MARK = "bench:national"  # the text that marks rows this script adds (and removes again)

# The targets of issue 14 (docs/performance.md).
MAX_RATIO = 10
MAX_PAGE_KB = 300
MAX_QUERIES = 25
MAX_SWEEP_S = 30
MAX_QUERIES_PER_REMINDER = 3
MAX_SEND_S = 60
MAX_SYNC_S = 10
MAX_LOAD_P95_MS = 1000
MAX_RSS_MB = 200

# The main tables whose row counts describe the data set.
COUNTED_TABLES = [
    "municipalities_municipality",
    "municipalities_person",
    "municipalities_office",
    "auth_user",
    "governance_cooperation",
    "governance_consultationbody",
    "governance_membership",
    "meetings_meeting",
    "meetings_agendaitem",
    "meetings_submission",
    "meetings_document",
    "meetings_minutes",
    "meetings_actionpoint",
    "decisions_regionalproposal",
    "decisions_collegedecision",
    "decisions_counciltrack",
    "reminders_reminder",
    "guardian_userobjectpermission",
]

_children: list[subprocess.Popen] = []


def say(text: str = "") -> None:
    print(text, flush=True)


# -- processes -------------------------------------------------------------------------------------------


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """A child in its own process group, so that stopping it stops what it started."""
    out = log.open("ab")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    _children.append(process)
    return process


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM to the main process (gunicorn and Celery then stop their workers warmly); the whole
    process group is killed only if that takes longer than `timeout`."""
    if process.poll() is None:
        try:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # anything of the group left behind
    if process in _children:
        _children.remove(process)


def stop_all(*_args) -> None:
    for process in list(_children):
        stop(process)


def manage(env: dict, *arguments: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# -- 1. database -----------------------------------------------------------------------------------------


def database_url(args) -> str:
    if args.database_url:
        return args.database_url
    name = "regioportaal_bench_f" + f"{args.factor:g}".replace(".", "_")
    return f"postgres://postgres@{HOST}:5432/{name}"


def pg_connect(url: str, dbname: str | None = None):
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname or HOST,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or "") or None,
        dbname=dbname or parts.path.lstrip("/"),
    )
    connection.autocommit = True
    return connection


def prepare_database(args, url: str, data_env: dict) -> dict:
    """The database at `url` with the demo region and `load_scale`, analysed; returns its row counts."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    wanted = f"{BENCH_MARK} factor={args.factor:g} seed={args.seed}"
    admin = pg_connect(url, "postgres")
    with admin.cursor() as cursor:
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
        row = cursor.fetchone()
        exists, loaded_as = row is not None, (row[0] if row else None)
        if exists and not args.reuse:
            say(f"Dropping database {name} (use --reuse to keep it)")
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            say(f"Creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()

    started = time.perf_counter()
    manage(data_env, "migrate", "--noinput")
    if args.reuse and loaded_as == wanted:
        say(f"Reusing {name}: already loaded ({wanted})")
    else:
        manage(data_env, "load_demo", "--allow-without-debug")
        if args.factor > 0:
            if not (ROOT / "reminders/management/commands/load_scale.py").exists():
                raise SystemExit("--factor > 0 needs `manage.py load_scale`; use --factor 0 for the demo region only")
            say(f"load_scale --factor {args.factor:g} --seed {args.seed} ...")
            manage(data_env, "load_scale", "--factor", f"{args.factor:g}", "--seed", str(args.seed))
        connection = pg_connect(url, "postgres")
        with connection.cursor() as cursor:
            cursor.execute(f'COMMENT ON DATABASE "{name}" IS %s', [wanted])
        connection.close()
    say(f"Data ready in {time.perf_counter() - started:.0f} s")
    connection = pg_connect(url)
    counts = {}
    with connection.cursor() as cursor:
        # As autovacuum would in time: the visibility map lets index-only scans skip the tables, and the
        # statistics let the planner see the data the bulk load wrote.
        cursor.execute("VACUUM ANALYZE")
        for table in COUNTED_TABLES:
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0]:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def print_counts(counts: dict) -> None:
    say("\nData set (rows per table)")
    for table, count in counts.items():
        say(f"  {table:<34} {count:>10,}")


# -- environment -----------------------------------------------------------------------------------------


def portal_env(args, url: str, media: Path) -> dict:
    """Production settings (DEBUG off) on the loopback interface, behind a pretend TLS proxy:
    the benchmark sends `X-Forwarded-Proto: https`, as the proxy in front of the portal does."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "BEHIND_TLS_PROXY": "1",
        "SECURE_HSTS_SECONDS": "0",
        "SERVER_TIMING": "1",
        "CELERY_BROKER_URL": args.redis_url,
        "EMAIL_URL": f"smtp://{HOST}:{args.port + SMTP_PORT_OFFSET}",
        "MEDIA_ROOT": str(media),
        "PORTAL_URL": f"https://{HOST}:{args.port}",
        "LOG_LEVEL": "WARNING",
        # Every client of the load run logs in from this one address.
        "LOGIN_RATE_LIMIT": "100000/m",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("CACHE_URL", None)
    return env


# -- 2. gunicorn -----------------------------------------------------------------------------------------


def start_gunicorn(args, env: dict, logs: Path) -> subprocess.Popen:
    command = [str(VENV_BIN / "gunicorn"), "config.wsgi:application"]
    if (ROOT / "config/gunicorn.py").exists():
        command += ["-c", "config/gunicorn.py"]
        how = "config/gunicorn.py"
    else:
        command += ["--worker-class", "gthread", "--workers", "2", "--threads", "4"]
        how = "gthread, 2 workers x 4 threads (no config/gunicorn.py)"
    command += ["--bind", f"{HOST}:{args.port}"]
    process = start(command, env, logs / "gunicorn.log")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {logs / 'gunicorn.log'}")
        try:
            Client(args.port).get("/favicon.ico")
            say(f"gunicorn on http://{HOST}:{args.port} ({how}), pid {process.pid}")
            return process
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within a minute; see {logs / 'gunicorn.log'}")


def worker_rss_mb(master_pid: int) -> list[float]:
    result = subprocess.run(["ps", "-o", "rss=", "--ppid", str(master_pid)], capture_output=True, text=True)
    return [int(line) / 1024 for line in result.stdout.split()]


# -- 3. HTTP client --------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict
    ms: float


class Client:
    """One browser: a keep-alive connection and its own cookies. Cookies are kept by hand because the
    portal marks them Secure (DEBUG off) while the benchmark talks plain HTTP to the loopback address."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "nl", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                reply = self.connection.getresponse()
                content = reply.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed: open a new one, once.
                self.connection.close()
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt == 2:
                    raise
        ms = (time.perf_counter() - started) * 1000
        for name, value in reply.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "expires=Thu, 01 Jan 1970" in value or "Max-Age=0" in value:
                    self.cookies.pop(cookie_name, None)
                else:
                    self.cookies[cookie_name] = cookie_value
        return Response(reply.status, content, {k.lower(): v for k, v in reply.getheaders()}, ms)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def login(self, username: str, password: str) -> None:
        page = self.get("/inloggen/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or not match:
            raise SystemExit(f"No log-in form at /inloggen/ ({page.status})")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
        ).encode()
        reply = self.request(
            "POST",
            "/inloggen/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}:{self.port}",
                "Referer": f"https://{HOST}:{self.port}/inloggen/",
            },
        )
        if reply.status == 200 and b'name="token-otp_token"' in reply.body:
            reply = self.second_factor(username, reply)
        if reply.status != 302 or not any(name.endswith("sessionid") for name in self.cookies):
            raise SystemExit(f"Log-in as {username} failed ({reply.status})")

    def second_factor(self, username: str, page: Response) -> Response:
        """The code step of an account that needs a second factor (accounts/second_factor.py), answered with one
        of the recovery codes `prepare_second_factors` made: a code is single-use, so parallel log-ins of one
        account each take their own, where one app code per half minute would refuse the second log-in."""
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}:{self.port}",
            "Referer": f"https://{HOST}:{self.port}/inloggen/",
        }
        steps = (
            {"portal_login_view-current_step": "token", "wizard_goto_step": "backup"},
            {"portal_login_view-current_step": "backup", "backup-otp_token": RECOVERY_CODES[username].pop()},
        )
        for fields in steps:
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()
            form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
            page = self.request("POST", "/inloggen/", body=form, headers=headers)
        return page


# -- 4. pages --------------------------------------------------------------------------------------------


# The demo log-ins (governance/demo.py) and what each of them is.
ROLES = {
    "coordinator": "regional coordinator",
    "griffier": "griffier Haarlem",
    "secretaris": "secretary Haarlem (coordinating)",
    "secretaris-zandvoort": "secretary Zandvoort",
    "burgemeester": "mayor Haarlem",
    "projectleider": "project leader Haarlem",
    "raadslid": "council member Haarlem",
    "buitenstaander": "outsider",
}
PAST_THE_END = "?pagina=999999&page=999999"
EVERYTHING = "?per_page=1000000"


@dataclass
class Page:
    user: str
    label: str
    path: str
    expected: int = 200


# Recovery codes per account that needs a second factor, made by prepare_second_factors.
RECOVERY_CODES: dict[str, list[str]] = {}


def prepare_second_factors(count: int = 500) -> None:
    """The demo accounts that need a second factor (the coordinator) get an app and `count` recovery codes,
    as if they had set it up; the benchmark's log-ins use the codes."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import second_factor_required

    for user in get_user_model().objects.filter(is_active=True, person__isnull=False):
        if not second_factor_required(user):
            continue
        TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
        device, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(count)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        RECOVERY_CODES[user.get_username()] = codes


def pick_objects() -> dict:
    """The objects with the most data, for the detail pages (needs Django set up)."""
    from django.db.models import Count

    from decisions.models import RegionalProposal
    from governance.models import ConsultationBody, Membership, WorkProgramme
    from meetings.models import Meeting, Minutes

    def most(queryset, relation: str):
        return queryset.annotate(n=Count(relation)).order_by("-n", "pk").values_list("pk", flat=True).first()

    return {
        "body": most(ConsultationBody.objects.all(), "meetings"),
        "body_actions": most(ConsultationBody.objects.all(), "action_points"),
        "meeting": most(Meeting.objects.all(), "items"),
        "open_meeting": most(Meeting.objects.filter(status__in=Meeting.AGENDA_OPEN), "items"),
        "minutes": most(Minutes.objects.all(), "items"),
        "proposal": most(RegionalProposal.objects.all(), "college_decisions"),
        "programme": WorkProgramme.objects.order_by("-year", "pk").values_list("pk", flat=True).first(),
        # A meeting of a body the secretary sits in: one the coordinator picked may not be theirs to see.
        "own_meeting": most(
            Meeting.objects.filter(
                body__in=Membership.objects.current().filter(person__user__username="secretaris").values("body")
            ),
            "items",
        ),
    }


def pages_for(objects: dict) -> list[Page]:
    pages = [
        Page("coordinator", "start page", "/"),
        Page("coordinator", "triage inbox", "/triage/"),
        Page("coordinator", "proposal matrix", "/besluiten/"),
        Page("coordinator", "proposal matrix, all", "/besluiten/" + EVERYTHING),
        Page("coordinator", "proposal matrix, past the end", "/besluiten/" + PAST_THE_END),
        Page("coordinator", "council matrix", "/raden/"),
        Page("coordinator", "council matrix, all", "/raden/" + EVERYTHING),
        Page("coordinator", "my work", "/mijn-werk/"),
        Page("coordinator", "notifications", "/meldingen/"),
        Page("coordinator", "notifications, all", "/meldingen/" + EVERYTHING),
        Page("coordinator", "notifications, past the end", "/meldingen/" + PAST_THE_END),
        Page("coordinator", "bodies", "/overleggen/"),
        Page("coordinator", "work programmes", "/werkprogramma/"),
        Page("coordinator", "evaluations", "/evaluaties/"),
        Page("coordinator", "operations", "/werking/"),
        Page("coordinator", "admin reminders", "/beheer/reminders/reminder/"),
        Page("coordinator", "admin reminders ?q=", "/beheer/reminders/reminder/?q=de"),
        Page("coordinator", "admin reminders, past the end", "/beheer/reminders/reminder/?p=999999", 302),
        Page("coordinator", "admin reminders, all", "/beheer/reminders/reminder/?all="),
        Page("coordinator", "admin people", "/beheer/municipalities/person/"),
        Page("coordinator", "admin people ?q=", "/beheer/municipalities/person/?q=jan"),
        Page("coordinator", "admin meetings", "/beheer/meetings/meeting/"),
        Page("coordinator", "admin meetings ?q=", "/beheer/meetings/meeting/?q=overleg"),
        Page("coordinator", "admin agenda items", "/beheer/meetings/agendaitem/"),
        Page("coordinator", "admin agenda items ?q=", "/beheer/meetings/agendaitem/?q=regionale"),
        Page("griffier", "start page", "/"),
        Page("griffier", "griffier dashboard", "/griffie/"),
        Page("griffier", "council matrix", "/raden/"),
        Page("griffier", "my work", "/mijn-werk/"),
        Page("griffier", "notifications", "/meldingen/"),
        Page("secretaris", "start page", "/"),
        Page("secretaris", "proposal matrix", "/besluiten/"),
        Page("secretaris", "to sign", "/besluiten/ondertekenen/"),
        Page("secretaris", "to record", "/besluiten/vastleggen/"),
        Page("secretaris", "my work", "/mijn-werk/"),
        Page("secretaris", "my invitations", "/mijn-uitnodigingen/"),
        Page("secretaris", "bodies", "/overleggen/"),
        Page("secretaris-zandvoort", "start page", "/"),
        Page("secretaris-zandvoort", "to sign", "/besluiten/ondertekenen/"),
        Page("secretaris-zandvoort", "to record", "/besluiten/vastleggen/"),
        Page("burgemeester", "start page", "/"),
        Page("burgemeester", "to sign", "/besluiten/ondertekenen/"),
        Page("burgemeester", "my invitations", "/mijn-uitnodigingen/"),
        Page("projectleider", "start page", "/"),
        Page("projectleider", "my submissions", "/mijn-inzendingen/"),
        Page("projectleider", "my action points", "/mijn-actiepunten/"),
        Page("projectleider", "my work", "/mijn-werk/"),
        Page("raadslid", "start page", "/"),
        Page("raadslid", "my invitations", "/mijn-uitnodigingen/"),
        Page("buitenstaander", "start page", "/"),
    ]
    details = [
        ("body", "body detail", "/overleggen/{}/"),
        ("body_actions", "body action list", "/overleggen/{}/actielijst/"),
        ("meeting", "meeting detail", "/vergaderingen/{}/"),
        ("open_meeting", "agenda builder", "/vergaderingen/{}/agenda/"),
        ("minutes", "minutes", "/verslagen/{}/"),
        ("proposal", "proposal detail", "/besluiten/{}/"),
        ("programme", "work programme", "/werkprogramma/{}/"),
    ]
    for key, label, pattern in details:
        if objects.get(key):
            pages.append(Page("coordinator", label, pattern.format(objects[key])))
    if objects.get("own_meeting"):
        pages.append(Page("secretaris", "meeting detail", f"/vergaderingen/{objects['own_meeting']}/"))
    return pages


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


@dataclass
class Measured:
    user: str
    label: str
    path: str
    status: int
    queries: str
    p50: float
    p95: float
    kb: float
    ratio: float = 0.0
    marks: list[str] = field(default_factory=list)


def measure(client: Client, user: str, label: str, path: str, runs: int) -> Measured:
    client.get(path)  # warm-up: template loading, the first query plans
    samples, last = [], None
    for _ in range(max(runs - 1, 1)):
        last = client.get(path)
        samples.append(last.ms)
    return Measured(
        user,
        label,
        path,
        last.status,
        last.headers.get("x-query-count", "?"),
        statistics.median(samples),
        percentile(samples, 95),
        len(last.body) / 1024,
    )


def measure_pages(args, pages: list[Page], clients: dict[str, Client]) -> tuple[Measured, list[Measured]]:
    # The floor: the trivial view of the same process (/gezond/: the middleware and one SELECT 1).
    floor = measure(clients["coordinator"], "coordinator", "floor: /gezond/", "/gezond/", args.runs * 3)
    # For scale only (no target): the cheapest page that renders a template, without a session.
    login = measure(Client(args.port), "(anonymous)", "reference: log-in page", "/inloggen/", args.runs)
    login.ratio = login.p95 / floor.p50 if floor.p50 else 0
    results = [login]
    for page in pages:
        row = measure(clients[page.user], page.user, page.label, page.path, args.runs)
        results.append(row)
        row.ratio = row.p95 / floor.p50 if floor.p50 else 0
        if row.status != page.expected:
            row.marks.append(f"✗ status {row.status}")
        if row.queries.isdigit() and int(row.queries) > MAX_QUERIES:
            row.marks.append(f"✗ >{MAX_QUERIES} queries")
        if row.kb > MAX_PAGE_KB:
            row.marks.append(f"✗ >{MAX_PAGE_KB} KB")
        if row.ratio > MAX_RATIO:
            row.marks.append(f"✗ >{MAX_RATIO}x")
    return floor, results


def print_pages(floor: Measured, rows: list[Measured]) -> None:
    say("\nPages (p50/p95 over the runs after one warm-up; ratio = p95 / floor p50)")
    header = (
        f"{'page':<34} {'user':<21} {'status':>6} {'queries':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'KB':>7} {'ratio':>6}  mark"
    )
    say(header)
    say("-" * len(header))
    for row in [floor, *rows]:
        say(
            f"{row.label[:34]:<34} {row.user[:21]:<21} {row.status:>6} {row.queries:>7} {row.p50:>7.1f} "
            f"{row.p95:>7.1f} {row.kb:>7.1f} {row.ratio:>6.1f}  {' '.join(row.marks)}"
        )


# -- 6. load run -----------------------------------------------------------------------------------------


def load_run(args, pages: list[Page], password: str) -> dict:
    """`users` threads, each logged in as one of the demo roles, cycling through that role's pages."""
    by_user: dict[str, list[Page]] = {}
    for page in pages:
        if page.expected == 200:
            by_user.setdefault(page.user, []).append(page)
    users = list(by_user)
    samples: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + args.load_seconds + 5  # a few seconds for the log-ins

    def one_user(index: int) -> None:
        username = users[index % len(users)]
        client = Client(args.port)
        client.login(username, password)
        own = by_user[username]
        position = index
        while time.monotonic() < stop_at:
            page = own[position % len(own)]
            position += 1
            try:
                reply = client.get(page.path)
                failed = reply.status != page.expected and f"{reply.status} {page.path}"
            except OSError as exc:
                reply, failed = None, f"{type(exc).__name__} {page.path}"
            with lock:
                if reply is not None:
                    samples.append(reply.ms)
                if failed:
                    errors.append(failed)

    threads = [threading.Thread(target=one_user, args=(i,), daemon=True) for i in range(args.load_users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.load_seconds + 120)
    elapsed = time.monotonic() - started
    return {
        "users": args.load_users,
        "seconds": round(elapsed, 1),
        "requests": len(samples),
        "per_second": round(len(samples) / elapsed, 1),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "p50_ms": round(statistics.median(samples), 1) if samples else None,
        "p95_ms": round(percentile(samples, 95), 1) if samples else None,
    }


# -- 5. sweeps and tasks (in this process, Django set up) ------------------------------------------------


class SqlCounter:
    """Counts the queries of a block, without DEBUG (connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._context = connection.execute_wrapper(self)
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)


def timed(function) -> tuple[object, float, int]:
    """The result, wall-clock seconds and SQL queries of one call."""
    with SqlCounter() as counter:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return result, seconds, counter.count


class MailSink:
    """An SMTP server on the loopback interface that accepts and counts every message, so the workers
    send real SMTP (one connection per batch of reminders, as in production)."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.received += 1
                return "250 OK"

        self.received = 0
        self.controller = Controller(Handler(), hostname=HOST, port=port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def remove_bench_rows() -> int:
    """Removes the action points (and their reminders) an earlier run added."""
    from django.contrib.contenttypes.models import ContentType

    from meetings.models import ActionPoint
    from reminders.models import Reminder

    ids = list(ActionPoint.objects.filter(what__startswith=BENCH_MARK).values_list("pk", flat=True))
    if ids:
        content_type = ContentType.objects.get_for_model(ActionPoint)
        Reminder.objects.filter(content_type=content_type, object_id__in=ids).delete()
        ActionPoint.history.filter(id__in=ids).delete()
        ActionPoint.objects.filter(pk__in=ids).delete()
    return len(ids)


def make_due_reminders(count: int) -> list[int]:
    """`count` reminders that are really due now: overdue action points, each planned as the sweep
    plans them, so sending them is the full path (nothing skipped as no longer due)."""
    from meetings.models import ActionPoint, MinutesItem
    from municipalities.models import Office, Person
    from reminders.kinds import ActionOverdue
    from reminders.models import Reminder, ReminderSettings
    from reminders.planning import plan_many

    item = MinutesItem.objects.select_related("minutes__meeting").order_by("pk").first()
    if item is None:
        raise SystemExit("No minutes item in the database to hang the benchmark's action points on")
    conf = ReminderSettings.get_solo()
    owners = list(
        Person.objects.filter(pk__in=Office.objects.current(datetime.date.today()).values("person"))
        .exclude(email="")
        .order_by("pk")[:2000]
    )
    due_on = datetime.date.today() - datetime.timedelta(days=conf.action_overdue_days + 1)
    points = ActionPoint.objects.bulk_create(
        [
            ActionPoint(
                minutes_item=item,
                body_id=item.minutes.meeting.body_id,
                what=f"{BENCH_MARK} {n}",
                owner=owners[n % len(owners)],
                due_on=due_on,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    for first in range(0, len(points), 500):
        plan_many(points[first : first + 500], [ActionOverdue()])
    ids = [point.pk for point in points]
    due = Reminder.objects.due().filter(object_id__in=ids, kind=Reminder.Kind.ACTION_OVERDUE)
    return list(due.values_list("pk", flat=True))


def wait_for_line(log: Path, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return True
        time.sleep(0.3)
    return False


SEND_ONE_SAMPLE = 200  # reminders sent in-process, for the queries per reminder


def part(out: dict, name: str, function) -> None:
    """One measurement; an error is recorded and shown, and the run goes on with the next."""
    from django.db import connection

    try:
        out[name] = function()
    except Exception as exc:  # the figures of the other parts are still worth having
        out[name] = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"}
        say(f"  {name}: ✗ failed: {out[name]['error']}")
        connection.close()


def measure_sweeps() -> dict:
    """The full sweep once, then the periodic task twice: the second periodic run has nothing new to plan,
    so an incremental sweep adds nothing and runs far fewer queries than the full one."""
    from reminders.planning import plan_all
    from reminders.tasks import plan_reminders

    out = {}
    for name, function in (("full", plan_all), ("periodic_1", plan_reminders), ("periodic_2", plan_reminders)):
        added, seconds, queries = timed(function)
        out[name] = {"seconds": round(seconds, 2), "queries": queries, "added": added}
        say(f"  planning sweep, {name.replace('_', ' run ')}: {seconds:.2f} s, {queries} queries, {added} added")
    return out


def measure_sync() -> dict:
    from governance.tasks import sync_access

    changed, seconds, queries = timed(sync_access)
    say(f"  permission sync: {seconds:.2f} s, {queries} queries, {changed} changes")
    return {"seconds": round(seconds, 2), "queries": queries, "changed": changed}


def measure_send_one(ids: list[int]) -> dict:
    from django.utils import timezone

    from reminders import delivery
    from reminders import tasks as reminder_tasks
    from reminders.models import Reminder

    Reminder.objects.filter(pk__in=ids).update(status=Reminder.Status.CLAIMED, claimed_at=timezone.now())
    # As the worker sends them: in the batches the dispatcher queues, where the delivery sends batches.
    batch = getattr(reminder_tasks, "SEND_BATCH", 1) if hasattr(delivery, "send_many") else 1

    def send() -> list:
        if batch == 1:
            return [delivery.send_one(pk) for pk in ids]
        return [o for first in range(0, len(ids), batch) for o in delivery.send_many(ids[first : first + batch])]

    outcomes, seconds, queries = timed(send)
    sent = sum(o.status == Reminder.Status.SENT for o in outcomes)
    say(
        f"  sending in-process over {len(ids)} (batches of {batch}): {queries / len(ids):.2f} queries and "
        f"{seconds * 1000 / len(ids):.1f} ms per reminder ({sent} sent)"
    )
    return {
        "reminders": len(ids),
        "batch": batch,
        "sent": sent,
        "queries_per_reminder": round(queries / len(ids), 2),
        "ms_per_reminder": round(seconds * 1000 / len(ids), 1),
    }


def measure_digests() -> dict:
    from reminders.tasks import send_digests

    sent, seconds, queries = timed(send_digests)
    say(f"  digests: {seconds:.2f} s, {queries} queries, {sent} sent")
    return {"seconds": round(seconds, 2), "queries": queries, "sent": sent}


def run_tasks(args, env: dict, logs: Path) -> dict:
    from django.db import connection

    out: dict = {}
    removed = remove_bench_rows()
    if removed:
        say(f"  (removed {removed:,} action points left by an earlier run)")
    part(out, "sweeps", measure_sweeps)
    part(out, "sync", measure_sync)
    part(out, "pdf", measure_pdfs)
    with MailSink(args.port + SMTP_PORT_OFFSET) as sink:
        due: list[int] = []

        def make_due() -> dict:
            started = time.perf_counter()
            due.extend(make_due_reminders(REMINDERS_TO_SEND + SEND_ONE_SAMPLE))
            seconds = time.perf_counter() - started
            say(f"  made {len(due):,} due reminders (overdue action points) in {seconds:.1f} s")
            return {"reminders": len(due), "seconds": round(seconds, 1)}

        part(out, "made_due", make_due)
        if due:
            part(out, "send_one", lambda: measure_send_one(due[:SEND_ONE_SAMPLE]))
            part(out, "sending", lambda: send_with_workers(args, env, logs, due[SEND_ONE_SAMPLE:], sink))
        # While the sink still listens: the digests go by SMTP too.
        part(out, "digests", measure_digests)
    removed = remove_bench_rows()
    say(f"  removed the {removed:,} action points the benchmark added")
    connection.close()
    return out


def send_with_workers(args, env: dict, logs: Path, ids: list[int], sink: MailSink) -> dict:
    """Two worker processes (one Celery worker, concurrency 2) and the dispatcher run here until every
    reminder in `ids` is out."""
    from django.db.models import Count

    from reminders.models import Reminder
    from reminders.tasks import dispatch_due_reminders

    celery = str(VENV_BIN / "celery")
    subprocess.run(
        [celery, "-A", "config", "purge", "-f", "-Q", QUEUES], cwd=ROOT, env=env, capture_output=True, check=False
    )
    log = logs / "celery.log"
    log.unlink(missing_ok=True)
    worker = start(
        [celery, "-A", "config", "worker", "-Q", QUEUES, "--concurrency", "2", "--loglevel", "INFO",
         "-n", f"bench{args.port}@%h", "--without-gossip", "--without-mingle"],
        env,
        log,
    )  # fmt: skip
    try:
        if not wait_for_line(log, "ready.", 60):
            raise SystemExit(f"The Celery worker did not start; see {log}")
        received_before = sink.received
        open_statuses = [Reminder.Status.PENDING, Reminder.Status.CLAIMED]
        first_dispatch = None
        started = time.perf_counter()
        deadline = started + 600
        dispatch_runs = 0
        while time.perf_counter() < deadline:
            queued, seconds, queries = timed(dispatch_due_reminders)
            dispatch_runs += 1
            if first_dispatch is None:
                first_dispatch = {"claimed": queued, "seconds": round(seconds, 3), "queries": queries}
                say(f"  dispatcher run: {queued} claimed and queued in {seconds * 1000:.0f} ms, {queries} queries")
            if not Reminder.objects.filter(pk__in=ids, status__in=open_statuses).exists():
                break
            if queued == 0:
                time.sleep(0.25)
        seconds = time.perf_counter() - started
        statuses = dict(Reminder.objects.filter(pk__in=ids).values_list("status").annotate(n=Count("pk")))
    finally:
        stop(worker)
    result = {
        "reminders": len(ids),
        "seconds": round(seconds, 1),
        "per_second": round(len(ids) / seconds, 1),
        "statuses": statuses,
        "mails_received": sink.received - received_before,
        "dispatcher": first_dispatch,
        "dispatcher_runs": dispatch_runs,
    }
    say(
        f"  sent {statuses.get('sent', 0):,} of {len(ids):,} with 2 worker processes in {seconds:.1f} s "
        f"({result['per_second']}/s; statuses {statuses}; {result['mails_received']:,} mails at the SMTP sink)"
    )
    return result


def measure_pdfs() -> dict:
    """Each PDF task in full (the stored PDF removed first, in a transaction rolled back afterwards)
    against `weasyprint.HTML(string=html).write_pdf()` on the HTML the task renders."""
    from django.conf import settings
    from django.db import transaction
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from decisions.models import CollegeDecision
    from decisions.tasks import decision_pdf_context, pdf_stage, render_decision_pdf
    from meetings.models import Meeting
    from meetings.tasks import agenda_pdf_context, render_agenda_pdf

    results = {}

    class Rollback(Exception):
        pass

    def task_seconds(function, delete) -> float:
        samples = []
        for _ in range(3):
            try:
                with transaction.atomic():
                    delete()
                    started = time.perf_counter()
                    function()
                    samples.append(time.perf_counter() - started)
                    raise Rollback
            except Rollback:
                pass
        return statistics.median(samples)

    def bare_seconds(html: str) -> float:
        samples = []
        for _ in range(3):
            started = time.perf_counter()
            HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    from django.db.models import Count

    meeting = (
        Meeting.objects.filter(published_at__isnull=False)
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .select_related("body__cooperation")
        .first()
    )
    if meeting is not None:
        with translation.override(settings.LANGUAGE_CODE):
            html = render_to_string("pdf/agenda.html", agenda_pdf_context(meeting))
        task = task_seconds(lambda: render_agenda_pdf(meeting.pk), lambda: meeting.pdfs.all().delete())
        bare = bare_seconds(html)
        results["agenda"] = {"items": meeting.n, "task_s": round(task, 3), "weasyprint_s": round(bare, 3)}
        say(f"  agenda PDF ({meeting.n} items): task {task * 1000:.0f} ms, bare WeasyPrint {bare * 1000:.0f} ms")
    decision = next(
        (
            d
            for d in CollegeDecision.objects.select_related("proposal", "municipality", "version").order_by("pk")
            if pdf_stage(d)
        ),
        None,
    )
    if decision is not None:
        stage = pdf_stage(decision)
        with translation.override(settings.LANGUAGE_CODE):
            html = render_to_string("pdf/college_decision.html", decision_pdf_context(decision, stage))
        task = task_seconds(lambda: render_decision_pdf(decision.pk), lambda: decision.pdfs.all().delete())
        bare = bare_seconds(html)
        results["decision"] = {"stage": stage, "task_s": round(task, 3), "weasyprint_s": round(bare, 3)}
        say(f"  decision PDF ({stage}): task {task * 1000:.0f} ms, bare WeasyPrint {bare * 1000:.0f} ms")
    return results


# -- 7. targets ------------------------------------------------------------------------------------------


def targets(results: dict) -> list[tuple[str, str, bool | None]]:
    rows: list[tuple[str, str, bool | None]] = []
    pages = results.get("pages")
    if pages:
        worst_ratio = max(pages, key=lambda r: r["ratio"])
        worst_kb = max(pages, key=lambda r: r["kb"])
        counted = [r for r in pages if r["queries"].isdigit()]
        rows.append((
            f"every page p95 < {MAX_RATIO}x the floor",
            f"worst {worst_ratio['ratio']:.1f}x ({worst_ratio['label']}, {worst_ratio['user']})",
            worst_ratio["ratio"] < MAX_RATIO,
        ))  # fmt: skip
        rows.append((
            f"every page < {MAX_PAGE_KB} KB of HTML",
            f"largest {worst_kb['kb']:.0f} KB ({worst_kb['label']}, {worst_kb['user']})",
            worst_kb["kb"] < MAX_PAGE_KB,
        ))  # fmt: skip
        if counted:
            worst_q = max(counted, key=lambda r: int(r["queries"]))
            rows.append((
                f"no page > {MAX_QUERIES} SQL queries",
                f"most {worst_q['queries']} ({worst_q['label']}, {worst_q['user']})",
                int(worst_q["queries"]) <= MAX_QUERIES,
            ))  # fmt: skip
        else:
            rows.append((f"no page > {MAX_QUERIES} SQL queries", "no X-Query-Count header (SERVER_TIMING)", None))
        failed = [r for r in pages if any(m.startswith("✗ status") for m in r["marks"])]
        rows.append(("every page answers as expected", f"{len(failed)} did not", not failed))
    tasks = results.get("tasks")
    if tasks:
        rows += task_targets(tasks)
    load = results.get("load")
    if load:
        rows.append((f"{load['users']} concurrent users, 0 errors", f"{load['errors']} errors", load["errors"] == 0))
        rows.append((
            f"{load['users']} concurrent users, p95 < {MAX_LOAD_P95_MS} ms",
            f"{load['p95_ms']} ms",
            load["p95_ms"] is not None and load["p95_ms"] < MAX_LOAD_P95_MS,
        ))  # fmt: skip
    rss = results.get("worker_rss_mb")
    if rss:
        rows.append((f"gunicorn worker RSS < {MAX_RSS_MB} MB", f"max {max(rss):.0f} MB", max(rss) < MAX_RSS_MB))
    return rows


def task_targets(tasks: dict) -> list[tuple[str, str, bool | None]]:
    rows: list[tuple[str, str, bool | None]] = []

    def failed(name: str) -> str | None:
        entry = tasks.get(name)
        return "not measured" if entry is None else entry.get("error") if isinstance(entry, dict) else None

    if error := failed("sweeps"):
        rows.append(("planning sweep", error, None))
    else:
        sweeps = tasks["sweeps"]
        slowest = max(run["seconds"] for run in sweeps.values())
        rows.append((f"planning sweep < {MAX_SWEEP_S} s per run", f"slowest {slowest:.1f} s", slowest < MAX_SWEEP_S))
        second, full = sweeps["periodic_2"], sweeps["full"]
        rows.append((
            "planning sweep incremental (2nd periodic run)",
            f"added {second['added']}, {second['queries']} queries vs {full['queries']} for the full sweep",
            second["added"] == 0 and second["queries"] <= full["queries"] / 2,
        ))  # fmt: skip
    if error := failed("send_one"):
        rows.append(("queries per reminder sent", error, None))
    else:
        per = tasks["send_one"]["queries_per_reminder"]
        limit = MAX_QUERIES_PER_REMINDER
        rows.append((f"< {limit} queries per reminder sent", str(per), per < limit))
    if error := failed("sending"):
        rows.append((f"{REMINDERS_TO_SEND:,} due reminders sent, 2 workers", error, None))
    else:
        sending = tasks["sending"]
        sent = sending["statuses"].get("sent", 0)
        rows.append((
            f"{sending['reminders']:,} due reminders sent < {MAX_SEND_S} s, 2 workers",
            f"{sending['seconds']} s, {sent:,} sent",
            sent == sending["reminders"] and sending["seconds"] < MAX_SEND_S,
        ))  # fmt: skip
    if error := failed("sync"):
        rows.append(("permission sync", error, None))
    else:
        sync = tasks["sync"]["seconds"]
        rows.append((f"permission sync < {MAX_SYNC_S} s", f"{sync} s", sync < MAX_SYNC_S))
    return rows


def print_targets(rows) -> None:
    say("\nTargets")
    for name, measured, met in rows:
        mark = "?" if met is None else ("✓" if met else "✗")
        say(f"  {mark} {name:<52} {measured}")


# -- main ------------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=float, default=0.1, help="load_scale factor; 0 is the demo region only")
    parser.add_argument("--seed", type=int, default=342, help="load_scale seed (its default: 342)")
    parser.add_argument("--database-url", help="default postgres://postgres@127.0.0.1:5432/regioportaal_bench_f<F>")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it was loaded for this factor")
    parser.add_argument("--pages-only", action="store_true", help="only the page table (and the load run)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="gunicorn port; the SMTP sink uses port + 1")
    parser.add_argument("--redis-url", default=f"redis://{HOST}:6379/2", help="Celery broker for the sending run")
    parser.add_argument("--runs", type=int, default=20, help="requests per page (the first one is a warm-up)")
    parser.add_argument("--load-users", type=int, default=20)
    parser.add_argument("--load-seconds", type=int, default=60, help="length of the load run; 0 skips it")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "regio-demo"))
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    args.load_seconds = min(max(args.load_seconds, 0), 600)
    args.load_users = min(max(args.load_users, 1), 200)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results: dict = {"factor": args.factor, "seed": args.seed, "started": datetime.datetime.now().isoformat()}
    url = database_url(args)
    logs = Path(tempfile.mkdtemp(prefix="regioportaal-bench-"))
    media = logs / "media"
    env = portal_env(args, url, media)
    try:
        results["counts"] = prepare_database(args, url, {**env, "DEBUG": "1"})
        print_counts(results["counts"])
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")

        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection

        objects = pick_objects()
        prepare_second_factors()
        connection.close()

        gunicorn = start_gunicorn(args, env, logs)
        pages = pages_for(objects)
        clients = {}
        for user in dict.fromkeys(page.user for page in pages):
            clients[user] = Client(args.port)
            clients[user].login(user, args.password)
        floor, rows = measure_pages(args, pages, clients)
        print_pages(floor, rows)
        results["floor"] = asdict(floor)
        results["pages"] = [asdict(row) for row in rows]

        if args.load_seconds:
            say(f"\nLoad run: {args.load_users} users for {args.load_seconds} s ...")
            results["load"] = load_run(args, pages, args.password)
            load = results["load"]
            say(
                f"  {load['requests']:,} requests, {load['per_second']}/s, {load['errors']} errors "
                f"{load['error_examples'] or ''}, p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms"
            )
        results["worker_rss_mb"] = [round(mb, 1) for mb in worker_rss_mb(gunicorn.pid)]
        say(f"  gunicorn worker RSS: {', '.join(f'{mb:.0f} MB' for mb in results['worker_rss_mb'])}")
        stop(gunicorn)

        if not args.pages_only:
            say("\nSweeps and tasks")
            results["tasks"] = run_tasks(args, env, logs)

        rows = targets(results)
        results["targets"] = [{"target": n, "measured": m, "met": ok} for n, m, ok in rows]
        print_targets(rows)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, default=str))
            say(f"\nResults written to {args.json}")
        say(f"Logs in {logs}")
    except KeyboardInterrupt:
        say("\nInterrupted")
        raise SystemExit(130) from None
    finally:
        stop_all()


if __name__ == "__main__":
    main()
