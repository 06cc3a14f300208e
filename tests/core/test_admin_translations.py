"""The management site in Dutch, as the coordinator sees it: every page names
the models in Dutch, and no portal wording leaks in through a shared msgid."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

# The agenda builder's "Remove" (an item off the agenda) must not be the admin's "Remove".
AGENDA_BUILDER_WORDING = "Van de agenda halen"


class VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles or attribute values."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def coordinator_models(coordinator):
    request = RequestFactory().get("/beheer/")
    request.user = coordinator
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_permission(request) or model_admin.has_change_permission(request)
    ], request


@pytest.fixture
def region(db):
    from governance import demo
    from meetings.demo import load_meetings

    region = demo.load("demo-wachtwoord")
    load_meetings(region)
    return region


def test_every_model_the_coordinator_sees_has_a_dutch_name(coordinator):
    models, _request = coordinator_models(coordinator)
    assert len(models) > 20
    untranslated = sorted(
        f"{model._meta.label}: {english}"
        for model, _admin in models
        for english, dutch in zip(names_in_order(model, "en"), names_in_order(model, "nl"), strict=True)
        if english.lower() == dutch.lower()
    )
    assert untranslated == [], "\n".join(untranslated)


def names_in_order(model, language: str) -> list[str]:
    with translation.override(language):
        return [str(model._meta.verbose_name), str(model._meta.verbose_name_plural)]


def test_the_admin_pages_show_no_english_model_names(region, coordinator, client_for):
    client = client_for(coordinator)
    models, request = coordinator_models(coordinator)
    dutch = set().union(*(set(names_in_order(model, "nl")) for model, _admin in models))
    # An English name that is a Dutch word as well ("document") proves nothing.
    english = {name for model, _admin in models for name in names_in_order(model, "en")} - dutch
    patterns = {name: re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE) for name in english}

    pages = [reverse("admin:index")]
    for model, model_admin in models:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{prefix}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{prefix}_add"))

    problems = []
    for url in pages:
        response = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200, url
        html = response.content.decode()
        text = visible_text(html)
        problems += [
            f"{url}: {name!r} in “…{text[max(0, m.start() - 60) : m.end() + 30]}…”"
            for name, pattern in patterns.items()
            if (m := pattern.search(text))
        ]
        if AGENDA_BUILDER_WORDING in html:
            problems.append(f"{url}: {AGENDA_BUILDER_WORDING!r}")
    assert problems == [], "\n".join(problems)
