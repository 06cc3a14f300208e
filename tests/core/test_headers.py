"""The portal's security headers (docs/adr/0012-browser-hardening.md): first what every response carries, the
report endpoint and security.txt through the test client; then the real application under production
settings (gunicorn behind a TLS proxy, as in production), fetched over HTTP with every header checked."""

import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener

import pytest
from django.core import checks
from django.test import Client, override_settings

from accounts.models import IdentityProvider

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "manifest-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
    "report-uri": "/csp-rapport/",
    "report-to": "csp",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def permissions(header: str) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in header.split(","))


# -- Through the test client --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_log_in_page_has_the_strict_policy_and_every_other_header(client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    for name, value in EXPECTED_CSP.items():
        assert policy.pop(name) == value, name
    # With DEBUG on (the tests), no upgrade-insecure-requests; nothing else either.
    assert policy == {}
    assert "unsafe" not in response["Content-Security-Policy"]
    features = permissions(response["Permissions-Policy"])
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "display-capture"):
        assert features[feature] == "()", feature
    assert features["fullscreen"] == "(self)"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Reporting-Endpoints"] == 'csp="/csp-rapport/"'
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_page_of_the_portal_asks_for_inline_code(coordinator, client_for):
    """The pages are built from templates that carry no inline script, style or handler: the policy can
    stay without 'unsafe-inline' only as long as that holds."""
    response = client_for(coordinator).get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)
    assert "javascript:" not in page
    # htmx would otherwise add a <style> element for its indicators, evaluate hx-on text, and copy style
    # attributes when it settles a swap (the builder's drag and drop leaves them on the moved items).
    config = json.loads(re.search(r"""<meta name="htmx-config" content='([^']*)'>""", page).group(1))
    assert config["includeIndicatorStyles"] is False and config["allowEval"] is False
    assert "style" not in config["attributesToSettle"]


@pytest.mark.django_db
def test_no_template_of_the_portal_has_inline_code():
    """Every template a browser loads (not templates/pdf/, which WeasyPrint renders)."""
    found = []
    for template in (ROOT / "templates").rglob("*.html"):
        if "pdf" in template.relative_to(ROOT / "templates").parts:
            continue
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)", r"\sstyle=", r"\son[a-z]+=\"", r"javascript:", r"<style"):
            if re.search(pattern, text):
                found.append(f"{template.relative_to(ROOT)}: {pattern}")
    assert found == []


@pytest.mark.django_db
def test_the_providers_of_the_organisation_log_in_are_allowed_as_form_targets(client):
    """A form that starts the organisation log-in, or a log-out that ends it at the provider, is redirected
    there; Chromium checks that redirect against form-action."""
    provider = IdentityProvider.objects.create(
        name="Gemeente Haarlem",
        slug="haarlem",
        enabled=True,
        issuer="https://login.haarlem.example/realms/medewerkers",
        client_id="portal",
        allowed_domains="haarlem.nl",
        configuration={
            "authorization_endpoint": "https://auth.haarlem.example/authorize",
            "end_session_endpoint": "https://login.haarlem.example/logout",
        },
    )
    IdentityProvider.objects.create(
        name="Uitgezet", slug="uit", enabled=False, issuer="https://off.example", client_id="x", allowed_domains="x"
    )
    form_action = directives(client.get("/inloggen/")["Content-Security-Policy"])["form-action"]
    assert form_action.split() == ["'self'", "https://auth.haarlem.example", "https://login.haarlem.example"]

    provider.enabled = False
    provider.save()
    assert directives(client.get("/inloggen/")["Content-Security-Policy"])["form-action"] == "'self'"


@pytest.mark.django_db
def test_the_provider_lookup_is_cached_between_pages(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def lookups() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/inloggen/")
        return sum('"issuer"' in query["sql"] and '"configuration"' in query["sql"] for query in queries)

    assert lookups() == 1
    assert lookups() == 0


@pytest.mark.django_db
def test_a_static_file_and_a_plain_text_answer_have_the_headers_too(client):
    response = client.get("/.well-known/change-password")
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_pdf_keeps_only_frame_ancestors_so_the_browsers_viewer_works(rf):
    """Chromium's PDF viewer is blocked by default-src and object-src 'none' on the PDF itself."""
    from django.http import HttpResponse

    from core.hardening import ContentSecurityPolicyMiddleware

    def pdf(request):
        return HttpResponse(b"%PDF-1.7", content_type="application/pdf")

    response = ContentSecurityPolicyMiddleware(pdf)(rf.get("/vergaderingen/1/agenda.pdf"))
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'"


# -- The report endpoint ----------------------------------------------------------------------------------

LEGACY_REPORT = {
    "csp-report": {
        "document-uri": "https://portaal.example.nl/uitnodiging/MQ/cb3-geheim-token/?email=jan@example.nl",
        "referrer": "",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "original-policy": "default-src 'none'",
        "blocked-uri": "inline",
        "source-file": "https://portaal.example.nl/static/js/forms.js",
        "line-number": 12,
        "disposition": "enforce",
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://portaal.example.nl/besluiten/3/",
        "user_agent": "Chromium",
        "body": {
            "documentURL": "https://portaal.example.nl/besluiten/3/?q=geheim",
            "blockedURL": "https://tracker.example.com/pixel.gif?user=42",
            "effectiveDirective": "img-src",
            "disposition": "enforce",
            "sourceFile": "https://portaal.example.nl/besluiten/3/",
            "lineNumber": 1,
        },
    }
]


@pytest.fixture
def production_host(settings):
    settings.ALLOWED_HOSTS = ["portaal.example.nl", "testserver"]
    settings.PORTAL_URL = "https://portaal.example.nl"


@pytest.mark.django_db
def test_a_violation_report_is_logged_without_tokens_queries_or_addresses(client, caplog, production_host):
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        response = client.post("/csp-rapport/", json.dumps(LEGACY_REPORT), content_type="application/csp-report")
    assert response.status_code == 204
    (record,) = caplog.records
    message = record.getMessage()
    assert "style-src-attr" in message
    assert "inline" in message
    assert "portal: invitation_confirm" in message
    assert "geheim" not in message and "jan@example.nl" not in message and "MQ" not in message


@pytest.mark.django_db
def test_a_report_of_the_reporting_api_names_only_the_origin_of_another_site(client, caplog, production_host):
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        response = client.post("/csp-rapport/", json.dumps(REPORTING_API), content_type="application/reports+json")
    assert response.status_code == 204
    message = caplog.records[0].getMessage()
    assert "img-src" in message
    assert "https://tracker.example.com" in message
    assert "portal: proposal_detail" in message
    assert "pixel" not in message and "user=42" not in message and "geheim" not in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/csp-report", 400),
        ('"a string"', "application/csp-report", 204),
        ("[1, 2, {}]", "application/reports+json", 204),
        ('{"csp-report": "no object"}', "application/csp-report", 204),
        ("{}", "text/plain", 415),
        ("\xff\xfe", "application/csp-report", 400),
        ("[" * 5000 + "]" * 5000, "application/reports+json", 400),
    ],
)
def test_the_report_endpoint_refuses_what_is_not_a_report_without_an_error(client, body, content_type, status):
    assert client.post("/csp-rapport/", body, content_type=content_type).status_code == status


@pytest.mark.django_db
def test_a_report_cannot_write_lines_of_its_own_into_the_log(client, caplog):
    forged = {"csp-report": {"effective-directive": "img-src\nCRITICAL admin logged in", "blocked-uri": "x\ny"}}
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        client.post("/csp-rapport/", json.dumps(forged), content_type="application/csp-report")
    (record,) = caplog.records
    assert "\n" not in record.getMessage()
    assert "CRITICAL" not in record.getMessage()


@pytest.mark.django_db
def test_a_report_larger_than_ten_kilobytes_is_refused(client, caplog):
    big = json.dumps({"csp-report": {"blocked-uri": "x" * 11_000}})
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        response = client.post("/csp-rapport/", big, content_type="application/csp-report")
    assert response.status_code == 413
    assert [r for r in caplog.records if r.name == "portal.csp"] == []


@pytest.mark.django_db
def test_the_report_endpoint_takes_only_posts_without_a_log_in_or_csrf_token(client):
    assert client.get("/csp-rapport/").status_code == 405
    checked = Client(enforce_csrf_checks=True)
    body = json.dumps(LEGACY_REPORT)
    assert checked.post("/csp-rapport/", body, content_type="application/csp-report").status_code == 204


@pytest.mark.django_db
def test_a_flood_of_reports_from_one_address_is_answered_429(client):
    body = json.dumps(LEGACY_REPORT)
    answers = [client.post("/csp-rapport/", body, content_type="application/csp-report").status_code for _ in range(31)]
    assert answers[:30] == [204] * 30
    assert answers[30] == 429
    assert client.post("/csp-rapport/", body, content_type="application/csp-report")["Retry-After"] == "60"
    other = client.post("/csp-rapport/", body, content_type="application/csp-report", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 204


# -- security.txt and change-password ---------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(
    SECURITY_CONTACT=["mailto:security@zuid-kennemerland.example", "https://example.nl/melden"],
    SECURITY_POLICY_URL="https://example.nl/beleid",
    PORTAL_URL="https://portaal.example.nl",
)
def test_security_txt_has_the_fields_of_rfc_9116(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    fields = [line.split(": ", 1) for line in lines]
    assert fields[0] == ["Contact", "mailto:security@zuid-kennemerland.example"]
    assert fields[1] == ["Contact", "https://example.nl/melden"]
    values = dict(fields)
    expires = datetime.strptime(values["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime.now(UTC)
    assert now + timedelta(days=300) < expires < now + timedelta(days=365)
    assert values["Preferred-Languages"] == "nl, en"
    assert values["Canonical"] == "https://portaal.example.nl/.well-known/security.txt"
    assert values["Policy"] == "https://example.nl/beleid"
    assert [name for name, _ in fields].count("Expires") == 1


@pytest.mark.django_db
@override_settings(SECURITY_CONTACT=[])
def test_without_a_contact_there_is_no_security_txt(client):
    assert client.get("/.well-known/security.txt").status_code == 404


@override_settings(DEBUG=False, SECURITY_CONTACT=[])
def test_in_production_a_missing_contact_is_a_deploy_warning():
    import core.hardening  # noqa: F401 - registers the check

    found = [m.id for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])]
    assert "portal.W001" in found
    with override_settings(SECURITY_CONTACT=["mailto:security@example.nl"]):
        found = [m.id for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])]
    assert "portal.W001" not in found


@pytest.mark.django_db
def test_change_password_sends_to_the_password_page_or_answers_404(client):
    from django.urls import NoReverseMatch, reverse

    response = client.get("/.well-known/change-password")
    try:
        target = reverse("password_change")
    except NoReverseMatch:
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert response["Location"] == target


# -- The real application under production settings ---------------------------------------------------------

PORT = 8741
HOST = "portaal.example.nl"
PASSWORD = "een-lang-wachtwoord-voor-de-headertest"


def production_environment(database: Path) -> dict[str, str]:
    inherited = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in inherited}
    environment.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "a-long-random-production-key-for-the-header-test-0123456789-abcdefghij",
            "ALLOWED_HOSTS": HOST,
            "BEHIND_TLS_PROXY": "1",
            "PORTAL_URL": f"https://{HOST}",
            "SECURITY_CONTACT": "mailto:security@zuid-kennemerland.example",
            "DATABASE_URL": f"sqlite:///{database}",
            "CACHE_URL": "locmemcache://",
            "CELERY_BROKER_URL": "memory://",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "2",
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        }
    )
    return environment


def manage(environment: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]


def static_files_are_collected() -> bool:
    """collectstatic with the production storage (hashing and compressing every file) takes a minute or
    more; it is skipped while staticfiles/ is newer than every file of static/ and every installed package."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    collected = manifest.stat().st_mtime
    sources = [ROOT / "static", ROOT / "package-lock.json", ROOT / ".venv" / ".installed", *ROOT.glob("requirements/*")]
    newest = max(
        (path.stat().st_mtime for source in sources if source.exists() for path in [source, *source.rglob("*")]),
        default=0,
    )
    return newest < collected


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Portal:
    """The portal as a browser behind the TLS proxy reaches it: Host and X-Forwarded-Proto as the proxy sets
    them, the cookies it was given sent back."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.opener = build_opener(NoRedirects)

    def fetch(self, path: str, data: dict | None = None):
        body = urlencode(data).encode() if data is not None else None
        request = Request(f"http://127.0.0.1:{PORT}{path}", data=body)
        request.add_header("Host", HOST)
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Accept-Language", "nl")
        if data is not None:
            request.add_header("Referer", f"https://{HOST}{path}")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=30)
        except HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        response.text = response.read().decode(errors="replace")
        return response


@pytest.fixture(scope="module")
def production_portal(tmp_path_factory):
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("gunicorn is not installed")
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            pytest.fail(f"port {PORT} is taken")
    database = tmp_path_factory.mktemp("production") / "portal.sqlite3"
    environment = production_environment(database)
    manage(environment, "migrate", "--noinput", "--verbosity", "0")
    if not static_files_are_collected():
        manage(environment, "collectstatic", "--noinput", "--verbosity", "0")
    manage(
        environment,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_user('headertest', 'h@example.nl', {PASSWORD!r})",
    )
    log = (database.parent / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.py"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                    break
            if process.poll() is not None:
                pytest.fail((database.parent / "gunicorn.log").read_text()[-3000:])
            time.sleep(0.5)
        yield Portal()
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def assert_document_headers(response) -> None:
    headers = response.headers
    policy = directives(headers["Content-Security-Policy"])
    for name, value in EXPECTED_CSP.items():
        assert policy.pop(name) == value, name
    assert policy == {"upgrade-insecure-requests": ""}
    assert headers["Reporting-Endpoints"] == 'csp="/csp-rapport/"'
    assert_every_response_headers(response)


def assert_every_response_headers(response) -> None:
    headers = response.headers
    features = permissions(headers["Permissions-Policy"])
    assert {f for f, allowed in features.items() if allowed != "()"} == {
        "fullscreen",
        "publickey-credentials-create",
        "publickey-credentials-get",
    }
    assert {"camera", "microphone", "geolocation", "payment", "usb", "display-capture"} <= set(features)
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.get_all("Set-Cookie") or []}


def assert_host_cookie(header: str, http_only: bool = True) -> None:
    attributes = [part.strip().lower() for part in header.split(";")[1:]]
    assert header.startswith("__Host-")
    assert "secure" in attributes
    assert "path=/" in attributes
    assert not any(a.startswith("domain=") for a in attributes)
    assert "samesite=lax" in attributes
    assert ("httponly" in attributes) is http_only


def test_under_production_settings_every_page_has_every_header(production_portal):
    portal = production_portal

    # Plain HTTP is sent to HTTPS by the portal itself, with the headers.
    plain = Request(f"http://127.0.0.1:{PORT}/inloggen/", headers={"Host": HOST})
    try:
        answer = portal.opener.open(plain, timeout=30)
    except HTTPError as error:
        answer = error
    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{HOST}/inloggen/"

    login = portal.fetch("/inloggen/")
    assert login.status == 200
    assert_document_headers(login)
    assert login.headers["X-Frame-Options"] == "DENY"
    cookies = set_cookies(login)
    assert set(cookies) == {"__Host-csrftoken"}
    assert_host_cookie(cookies["__Host-csrftoken"])

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    answer = portal.fetch("/inloggen/", {"csrfmiddlewaretoken": token, "username": "headertest", "password": PASSWORD})
    assert answer.status == 302, answer.text[:500]
    cookies = set_cookies(answer)
    assert "__Host-sessionid" in cookies
    assert_host_cookie(cookies["__Host-sessionid"])
    assert "sessionid" not in portal.cookies

    home = portal.fetch("/")
    assert home.status == 200
    assert_document_headers(home)

    # The log-in gave a new CSRF secret; the page after it carries its token.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text).group(1)
    language = portal.fetch("/taal/", {"csrfmiddlewaretoken": token, "language": "en", "next": "/"})
    assert language.status == 302
    assert_host_cookie(set_cookies(language)["__Host-django_language"])

    static = portal.fetch(re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', home.text).group(1))
    assert static.status == 200
    assert "default-src 'none'" in static.headers["Content-Security-Policy"]
    assert_every_response_headers(static)

    security = portal.fetch("/.well-known/security.txt")
    assert security.status == 200
    assert security.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Contact: mailto:security@zuid-kennemerland.example" in security.text
    assert f"Canonical: https://{HOST}/.well-known/security.txt" in security.text
    assert_every_response_headers(security)

    missing = portal.fetch("/bestaat-niet/")
    assert missing.status == 404
    assert_document_headers(missing)

    report = Request(
        f"http://127.0.0.1:{PORT}/csp-rapport/",
        data=json.dumps(LEGACY_REPORT).encode(),
        headers={"Host": HOST, "X-Forwarded-Proto": "https", "Content-Type": "application/csp-report"},
    )
    assert portal.opener.open(report, timeout=30).status == 204
