"""Browser hardening: the Content Security Policy with the organisations' log-in providers, the
Cross-Origin-Resource-Policy and Reporting-Endpoints headers, the CSP report endpoint, security.txt
(RFC 9116) and the well-known address for changing passwords.

The policy itself is in settings (CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY); see
docs/adr/0012-browser-hardening.md."""

import json
import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from csp.constants import NONE
from csp.middleware import CSPMiddleware, PolicyParts
from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import checks
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.http.request import validate_host
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from config.routers import reads_as_marked

logger = logging.getLogger("portal.csp")

REPORT_PATH = "/csp-rapport/"
# A violation report is a few hundred bytes; a browser may batch a few (Reporting API).
REPORT_MAX_BYTES = 10 * 1024
# Per client address; a page with a violation sends one report per blocked thing.
REPORT_RATE = "30/m"
REPORT_TYPES = ("application/csp-report", "application/reports+json", "application/json")

_PROVIDER_ORIGINS = "hardening:identity-provider-origins"


# -- Content Security Policy ----------------------------------------------------------------------------


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme in ("https", "http") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def identity_provider_origins() -> list[str]:
    """The origins of the enabled organisation log-in providers: their issuer and the authorisation and
    end-session endpoints of their discovery document. Cached; emptied when a provider changes."""
    origins = cache.get(_PROVIDER_ORIGINS)
    if origins is None:
        IdentityProvider = apps.get_model("accounts", "IdentityProvider")
        try:
            providers = list(IdentityProvider.objects.filter(enabled=True).values_list("issuer", "configuration"))
        except DatabaseError:
            # The page is failing already (an error page while the database is away); it has no log-in form
            # worth keeping, and the policy must not turn a 503 into a 500.
            return []
        found: set[str] = set()
        for issuer, configuration in providers:
            configuration = configuration if isinstance(configuration, dict) else {}
            urls = (issuer, configuration.get("authorization_endpoint"), configuration.get("end_session_endpoint"))
            found.update(origin for url in urls if isinstance(url, str) and (origin := _origin(url)))
        origins = sorted(found)
        cache.set(_PROVIDER_ORIGINS, origins, timeout=3600)
    return origins


def _forget_provider_origins(**kwargs: object) -> None:
    cache.delete(_PROVIDER_ORIGINS)


post_save.connect(_forget_provider_origins, sender="accounts.IdentityProvider", dispatch_uid="csp-providers-save")
post_delete.connect(_forget_provider_origins, sender="accounts.IdentityProvider", dispatch_uid="csp-providers-delete")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the organisations' identity providers added to form-action.

    Chromium checks form-action on every redirect that follows a form submission (CSP Level 3, 6.4.1), so
    the log-in form that starts an organisation log-in, and the log-out form that may end the session at
    the provider, must allow the provider's origin; with only 'self' the redirect to the provider is
    blocked. Only HTML documents are concerned: a policy on other responses has no forms."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        content_type = response.get("Content-Type", "")
        if report_only:
            return parts
        if content_type.startswith("application/pdf"):
            # Chromium shows a PDF in a viewer of its own that object-src and default-src 'none' block
            # (crbug.com/271452); a PDF runs none of the portal's scripts, so it keeps only frame-ancestors.
            parts.config = {"frame-ancestors": [NONE]}
            parts.update = parts.replace = None
            return parts
        if not content_type.startswith("text/html"):
            return parts
        # A page served from the replica is read from there to the end, this lookup included.
        with reads_as_marked(request):
            origins = identity_provider_origins()
        if origins:
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", ()), *origins]
            parts.update = update
        return parts


def cross_origin_headers(get_response: Callable[[HttpRequest], HttpResponseBase]) -> Callable:
    """Cross-Origin-Resource-Policy: same-origin on every response (OWASP ASVS 5.0, 3.5.8): no other site may
    load the portal's pages, files or images into its own page. And the Reporting API endpoint that the
    policy's report-to names (Reporting API, 3.1)."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Reporting-Endpoints", f'csp="{REPORT_PATH}"')
        return response

    return middleware


# -- The report endpoint ----------------------------------------------------------------------------------


def _keyword(value: object) -> str:
    """A directive or keyword (style-src-attr, inline, eval) as it may go into the log: nothing else, so a
    report cannot write lines of its own into the log (OWASP ASVS 5.0, 16.4.1)."""
    return value if isinstance(value, str) and re.fullmatch(r"[a-z0-9-]{1,40}", value) else "-"


def _where(url: object) -> str:
    """A reported address as it may be logged: for the portal's own pages the name of the page (an address
    can hold an invitation token or an id), for another site its origin, for 'inline', 'eval' and the like
    the keyword. Never a query string."""
    if not isinstance(url, str) or not url:
        return "-"
    parts = urlsplit(url)
    if not parts.scheme:
        return _keyword(url)
    if parts.scheme not in ("http", "https"):
        return parts.scheme
    if validate_host(parts.hostname or "", settings.ALLOWED_HOSTS) or _origin(url) == _origin(settings.PORTAL_URL):
        try:
            match = resolve(parts.path)
        except Resolver404:
            return "portal: unknown page"
        return f"portal: {match.view_name}"
    return _origin(url) or "-"


def _violations(content_type: str, data: object) -> Iterable[dict]:
    """The violations of a report in either format: report-uri (CSP Level 2, application/csp-report) or the
    Reporting API (application/reports+json, a list of reports)."""
    if content_type == "application/reports+json" or isinstance(data, list):
        for report in data if isinstance(data, list) else []:
            if isinstance(report, dict) and report.get("type") == "csp-violation":
                body = report.get("body") if isinstance(report.get("body"), dict) else {}
                yield {
                    "document": body.get("documentURL"),
                    "blocked": body.get("blockedURL"),
                    "directive": body.get("effectiveDirective"),
                    "source": body.get("sourceFile"),
                    "line": body.get("lineNumber"),
                    "disposition": body.get("disposition"),
                }
    elif isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        body = data["csp-report"]
        yield {
            "document": body.get("document-uri"),
            "blocked": body.get("blocked-uri"),
            "directive": body.get("effective-directive") or body.get("violated-directive"),
            "source": body.get("source-file"),
            "line": body.get("line-number"),
            "disposition": body.get("disposition"),
        }


@login_not_required
@csrf_exempt
@require_POST
@ratelimit(key="ip", rate=REPORT_RATE, method="POST", block=False)
def csp_report(request: HttpRequest) -> HttpResponse:
    """Where browsers send what the Content Security Policy blocked. Logged as a warning with the page, the
    directive and what was blocked, without addresses, cookies or anything a person typed (BIO 12.4.1:
    events are logged; AVG art. 5(1)(c): no more than needed)."""
    if getattr(request, "limited", False):
        # A browser reads no page here: a bare 429 (RFC 6585, 4), so a flood cannot fill the log.
        response = HttpResponse(status=429)
        response["Retry-After"] = "60"
        return response
    content_type = request.content_type or ""
    if content_type not in REPORT_TYPES:
        return HttpResponse(status=415)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponseBadRequest()
    if length > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    raw = request.read(REPORT_MAX_BYTES + 1)
    if len(raw) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        # Not JSON, not UTF-8, or nested deeper than the parser goes.
        return HttpResponseBadRequest()
    for violation in list(_violations(content_type, data))[:10]:
        line = violation["line"] if isinstance(violation["line"], int) else "-"
        logger.warning(
            "Content Security Policy %s: %s blocked %s on %s (%s, line %s)",
            "report" if violation["disposition"] == "report" else "violation",
            _keyword(violation["directive"]),
            _where(violation["blocked"]),
            _where(violation["document"]),
            _where(violation["source"]),
            line,
        )
    return HttpResponse(status=204)


# -- security.txt and change-password ---------------------------------------------------------------------


@login_not_required
@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: how to report a vulnerability. Without SECURITY_CONTACT there is nothing to say (404)."""
    contacts = settings.SECURITY_CONTACT
    if not contacts:
        raise Http404
    # RFC 9116, 2.5.5: Expires is required and should be less than a year ahead.
    expires = (timezone.now() + timedelta(days=364)).replace(microsecond=0)
    lines = [f"Contact: {contact}" for contact in contacts]
    lines.append(f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append("Preferred-Languages: nl, en")
    lines.append(f"Canonical: {settings.PORTAL_URL.rstrip('/')}/.well-known/security.txt")
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "max-age=86400"
    return response


@login_not_required
@require_GET
def change_password(request: HttpRequest) -> HttpResponseRedirect:
    """A Well-Known URL for Changing Passwords (W3C): password managers send a person here."""
    try:
        return HttpResponseRedirect(reverse("password_change"))
    except NoReverseMatch:
        raise Http404 from None


@checks.register(checks.Tags.security, deploy=True)
def check_security_contact(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    if settings.DEBUG or settings.SECURITY_CONTACT:
        return []
    return [
        checks.Warning(
            "SECURITY_CONTACT is not set, so /.well-known/security.txt answers 404.",
            hint="Set SECURITY_CONTACT to the address where vulnerabilities are reported, e.g. "
            "mailto:security@gemeente.example (RFC 9116, 2.5.3).",
            id="portal.W001",
        )
    ]
