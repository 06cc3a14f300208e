"""The search pages: signed in over what the person may see, and on the public side over what is published.
PostgreSQL full-text search with the Dutch configuration (websearch syntax, so operators in a query are
words or phrases, never an error); on SQLite (`make run` on a laptop) a plain substring match."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from core.pagination import paginate
from core.ratelimits import too_many_requests
from governance.models import ConsultationBody
from municipalities.models import Municipality
from publication.public_views import in_dutch
from search.models import SearchEntry
from search.visibility import entries_for

MAX_QUERY = 500


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Search with at most %(limit_value)d characters.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("everything")), *SearchEntry.Kind.choices]
    )
    body = forms.ModelChoiceField(label=_("Body"), required=False, queryset=ConsultationBody.objects.none())
    municipality = forms.ModelChoiceField(label=_("Municipality"), required=False, queryset=Municipality.objects.all())
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, bodies: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies.order_by("name")
        self.fields["body"].empty_label = _("every body")
        self.fields["municipality"].empty_label = _("every municipality")

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period comes before its start."))
        return cleaned


def run(entries: QuerySet[SearchEntry], data: dict) -> QuerySet[SearchEntry]:
    """The entries that match, best first, with `fragment` (highlighted) on PostgreSQL."""
    q = data.get("q", "").strip()
    if data.get("kind"):
        entries = entries.filter(kind=data["kind"])
    if data.get("body"):
        entries = entries.filter(body_id=data["body"].pk)
    if data.get("municipality"):
        entries = entries.filter(municipality_id=data["municipality"].pk)
    if data.get("since"):
        entries = entries.filter(date__gte=data["since"])
    if data.get("until"):
        entries = entries.filter(date__lte=data["until"])
    if connection.vendor != "postgresql":
        return entries.filter(Q(title__icontains=q) | Q(text__icontains=q)).order_by("-date", "pk")
    query = SearchQuery(q, search_type="websearch", config="dutch")
    return (
        entries.filter(vector=query)
        .annotate(
            rank=SearchRank(F("vector"), query),
            fragment=SearchHeadline(
                "text",
                query,
                config="dutch",
                start_sel="<mark>",
                stop_sel="</mark>",
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-date", "pk")
    )


def link_for(entry: SearchEntry, public_side: bool) -> str:
    Kind = SearchEntry.Kind
    if public_side:
        if entry.kind == Kind.MEETING:
            return reverse("public_meeting", args=[entry.object_id])
        if entry.kind in (Kind.ITEM, Kind.MINUTES):
            name = "public_minutes" if entry.kind == Kind.MINUTES else "public_meeting"
            return reverse(name, args=[entry.meeting_id])
        if entry.kind == Kind.DOCUMENT:
            return reverse("public_document", args=[entry.object_id])
        if entry.kind == Kind.DECISION:
            return reverse("public_decision", args=[entry.object_id])
        return reverse("public_proposal", args=[entry.object_id])
    if entry.kind in (Kind.MEETING, Kind.ITEM):
        return reverse("meeting_detail", args=[entry.meeting_id])
    if entry.kind == Kind.DOCUMENT:
        return reverse("document_download", args=[entry.object_id])
    if entry.kind in (Kind.MINUTES, Kind.ACTION_POINT):
        return reverse("meeting_detail", args=[entry.meeting_id])
    return reverse("proposal_detail", args=[entry.proposal_id])


def _search(request: HttpRequest, *, public_side: bool, template: str) -> HttpResponse:
    if public_side:
        from publication.public import public_bodies

        bodies = public_bodies()
    else:
        from meetings.access import bodies_visible_to

        bodies = bodies_visible_to(request.user)
    form = SearchForm(request.GET or None, bodies=bodies)
    page = None
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        entries = run(entries_for(request.user, public_side=public_side), form.cleaned_data)
        page = paginate(request, entries)
        for entry in page.object_list:
            entry.url = link_for(entry, public_side)
    elif form.is_bound and form.errors:
        status = 400
    return render(request, template, {"form": form, "page": page, "public_side": public_side}, status=status)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    return _search(request, public_side=False, template="search/search.html")


@login_not_required
@require_safe
@ratelimit(key="ip", rate=lambda group, request: settings.PUBLIC_SEARCH_RATE_LIMIT, block=False)
@in_dutch
def public_search(request: HttpRequest) -> HttpResponse:
    """Anyone may search, within a budget per client address (each search costs the database a ranking)."""
    if getattr(request, "limited", False):
        return too_many_requests(request)
    return _search(request, public_side=True, template="search/public_search.html")
