"""robots.txt and the DiWoo sitemaps with which the national Woo index harvests the publications
(docs/adr/0014-woo-publication-and-diwoo.md): an index, and pages of at most 50,000 publications each."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from publication import diwoo
from publication.models import Publication

XML = "application/xml; charset=utf-8"


def page_size() -> int:
    return min(getattr(settings, "WOO_SITEMAP_SIZE", diwoo.SITEMAP_MAX_URLS), diwoo.SITEMAP_MAX_URLS)


def record_for(request: HttpRequest, publication: Publication) -> diwoo.DiwooRecord:
    url = request.build_absolute_uri(publication.get_absolute_url())
    return diwoo.DiwooRecord(
        url=url,
        identifier=url,
        lastmod=publication.lastmod,
        title=publication.title,
        publisher=publication.publisher,
        publisher_label=publication.publisher_name,
        category=publication.information_category,
        handling=publication.handling,
        handled_at=publication.handled_on,
        created_on=publication.created_on,
        format=diwoo.FORMAT_PDF if publication.file else diwoo.FORMAT_HTML,
        removal_reason=publication.removal_reason or None if not publication.is_live else None,
        removed_at=publication.withdrawn_at if not publication.is_live else None,
    )


def _xml(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XML)
    patch_cache_control(response, public=True, max_age=900)
    return response


@login_not_required
@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Allow: /openbaar/",
        "Allow: /sitemap.xml",
        "Allow: /sitemaps/",
        "Disallow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@login_not_required
@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """One entry per page of publications, in the order they were made (a page's contents only grow at the
    end, or change when a publication on it is withdrawn or replaced)."""
    size = page_size()
    pages = max(1, math.ceil(Publication.objects.count() / size))
    entries = []
    for number in range(1, pages + 1):
        chunk = Publication.objects.order_by("pk")[(number - 1) * size : number * size].values("pk")
        lastmod = Publication.objects.filter(pk__in=chunk).aggregate(at=Max(Coalesce("withdrawn_at", "published_at")))
        entries.append((request.build_absolute_uri(reverse("sitemap_page", args=[number])), lastmod["at"]))
    return _xml(diwoo.sitemap_index_xml(entries))


@login_not_required
@require_safe
def sitemap_page(request: HttpRequest, number: int) -> HttpResponse:
    """Every publication, live, withdrawn (with its reason) or replaced, so the index learns of each change."""
    size = page_size()
    if number < 1:
        raise Http404
    publications = list(Publication.objects.order_by("pk")[(number - 1) * size : number * size])
    if not publications and number > 1:
        raise Http404
    return _xml(diwoo.sitemap_xml(record_for(request, p) for p in publications))
