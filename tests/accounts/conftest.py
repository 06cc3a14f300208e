"""A real OpenID Connect provider (django-oauth-toolkit, tests/oidc_provider/) as its own process on a loopback
port, and the steps a person takes there: log in at the provider, come back to the portal with a code."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import requests

BASE_DIR = Path(__file__).resolve().parents[2]
# The loopback ports of the test providers; the portal's tests use these and no others.
PROVIDER_PORT = int(os.environ.get("OIDC_TEST_PROVIDER_PORT", "8711"))
IMPOSTOR_PORT = PROVIDER_PORT + 1
PROVIDER_PASSWORD = "wachtwoord-bij-de-provider"


@dataclass
class TestProvider:
    """One running provider process, and what the tests ask of it."""

    port: int
    seed_token: str
    process: subprocess.Popen
    counter: list[int] = field(default_factory=lambda: [0])

    __test__ = False  # not a test class, whatever its name

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def seed(self, **data) -> None:
        response = requests.post(
            f"{self.url}/test/seed/", json=data, headers={"X-Seed-Token": self.seed_token}, timeout=10
        )
        response.raise_for_status()

    def add_user(self, email: str, **claims) -> str:
        """A user at the provider with these claims (email_verified, amr, acr; `_id_token_lifetime` a knob)."""
        self.counter[0] += 1
        username = f"user{self.counter[0]}"
        claims = {"email": email, "email_verified": True, "amr": ["pwd", "otp"], "acr": "urn:test:mfa", **claims}
        self.seed(users=[{"username": username, "password": PROVIDER_PASSWORD, "claims": claims}])
        return username

    def add_client(self, client_id: str, secret: str, portal_url: str = "http://testserver") -> None:
        self.seed(
            applications=[
                {
                    "client_id": client_id,
                    "client_secret": secret,
                    "redirect_uris": [f"{portal_url}/inloggen/organisatie/terug/"],
                    "post_logout_redirect_uris": [f"{portal_url}/inloggen/"],
                }
            ]
        )

    def discovery(self) -> dict:
        return requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=10).json()


# The running providers by port: the e2e journey uses the same session fixture from its own module, which pytest
# counts as a second fixture; both get the one process.
_RUNNING: dict[int, TestProvider] = {}


def _start(tmp_path: Path, port: int, *extra: str) -> TestProvider:
    running = _RUNNING.get(port)
    if running is not None and running.process.poll() is None:
        return running
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            pytest.fail(f"Port {port} is in use; set OIDC_TEST_PROVIDER_PORT to a free pair of ports.")
    token = secrets.token_hex(24)
    log = open(tmp_path / f"provider-{port}.log", "wb")  # noqa: SIM115 (open while the process runs)
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "tests.oidc_provider.serve", "--port", str(port)),
            *("--db", str(tmp_path / f"{port}.db"), "--seed-token", token, *extra),
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = TestProvider(port=port, seed_token=token, process=process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The test provider stopped: {(tmp_path / f'provider-{port}.log').read_text()}")
        try:
            if requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=1).ok:
                _RUNNING[port] = provider
                return provider
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail("The test provider did not answer its discovery address within 30 seconds.")


def _stop(provider: TestProvider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory) -> TestProvider:
    """The organisation's provider."""
    provider = _start(tmp_path_factory.mktemp("oidc-provider"), PROVIDER_PORT)
    yield provider
    _stop(provider)


@pytest.fixture(scope="session")
def impostor_provider(tmp_path_factory, oidc_provider) -> TestProvider:
    """Another provider, with its own keys, that writes the organisation's issuer into its ID tokens."""
    provider = _start(tmp_path_factory.mktemp("oidc-impostor"), IMPOSTOR_PORT, "--token-issuer", oidc_provider.issuer)
    yield provider
    _stop(provider)


@pytest.fixture(autouse=True)
def _provider_over_http(settings):
    # The test providers run on plain http on the loopback; production refuses that (see test_http_issuer_...).
    settings.OIDC_ALLOW_HTTP = True


class ProviderBrowser:
    """The person's browser at the provider: its own cookies, following redirects until the portal's address."""

    def __init__(self) -> None:
        self.session = requests.Session()

    def authorize(self, authorize_url: str, username: str | None, password: str = PROVIDER_PASSWORD) -> str:
        """Goes to the provider's authorisation address, logs in there when asked, and returns the portal address
        the provider sends the person back to (the callback with code and state)."""
        url = authorize_url
        for _ in range(10):
            response = self.session.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and "/accounts/login/" in response.url:
                assert username is not None, "the provider asks for a log-in"
                next_url = urlparse(url).query
                response = self.session.post(
                    response.url,
                    data={
                        "username": username,
                        "password": password,
                        "csrfmiddlewaretoken": self.session.cookies["provider_csrftoken"],
                        "next": _next_of(response.url),
                    },
                    headers={"Referer": response.url},
                    allow_redirects=False,
                    timeout=10,
                )
                assert response.status_code == 302, f"log-in at the provider failed ({next_url})"
            assert response.status_code in (301, 302, 303), (response.status_code, response.text[:500])
            url = urljoin(response.url, response.headers["Location"])
            if not url.startswith(("http://127.0.0.1", "http://localhost")) or "/inloggen/" in urlparse(url).path:
                return url
        raise AssertionError("too many redirects at the provider")

    def is_logged_in(self, authorize_url: str) -> bool:
        response = self.session.get(authorize_url, allow_redirects=False, timeout=10)
        location = response.headers.get("Location", "")
        return not (response.status_code == 302 and "/accounts/login/" in location)

    def follow(self, url: str) -> requests.Response:
        return self.session.get(url, allow_redirects=False, timeout=10)


def _next_of(url: str) -> str:
    from urllib.parse import parse_qs

    return parse_qs(urlparse(url).query).get("next", [""])[0]


@pytest.fixture
def provider_browser() -> ProviderBrowser:
    return ProviderBrowser()
