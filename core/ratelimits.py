"""Request rate limits (django-ratelimit): a request over its limit gets a page that says so, with 429."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.models import client_address


def client_ip(request: HttpRequest) -> str:
    """RATELIMIT_IP_META_KEY: the client's address as django-axes reads it, so that behind the TLS proxy
    (AXES_PROXY_COUNT) each client has its own budget rather than all sharing the proxy's."""
    return client_address(request) or request.META.get("REMOTE_ADDR", "")


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: RFC 6585, 4 (429 Too Many Requests), with a Retry-After the limits can honour."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
