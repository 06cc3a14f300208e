"""The OParl 1.1 API as a harvester meets it: every object valid against the official schemas, every URL
leading to an object of the announced type, nothing that the public side does not show, withdrawn things
as deleted objects, the filters and pages of the specification, and a fixed number of queries per page."""

import datetime
import hashlib
import json
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting, MinutesItem, Purpose
from publication import actions
from publication.models import Publication
from publication.tasks import render_publication_pdf
from tests.publication.conftest import World, media_root  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
Kind = Publication.Kind
SCHEMAS = Path(__file__).resolve().parents[2] / "api" / "data" / "oparl-1.1-schema"
ROOT = "http://testserver/oparl/v1/"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text())


def get(url: str, **params):
    parsed = urlparse(url)
    return Client().get(parsed.path + (f"?{parsed.query}" if parsed.query else ""), params)


@pytest.fixture
def world(db, coordinator):
    """Everything published that can be: the agenda (with a public, a withheld, a partly public document and
    a confidential item), the minutes with a result, Haarlem's college decision; Heemstede's unsigned."""
    world = World(coordinator)
    world.meeting.location = "Stadhuis Haarlem, Grote Markt 2"
    world.meeting.save()
    world.send_agenda()
    agenda = actions.publish(Kind.AGENDA, world.meeting, by=world.secretary)
    minutes = world.adopted_minutes()
    MinutesItem.objects.create(minutes=minutes, agenda_item=world.public_item, conclusions="Vastgesteld.")
    published_minutes = actions.publish(Kind.MINUTES, minutes, by=world.secretary)
    world.decision = world.final_decision("Haarlem")
    world.proposal = world.decision.proposal
    world.proposal.agenda_item = world.public_item
    world.proposal.save()
    decision = actions.publish(Kind.COLLEGE_DECISION, world.decision, by=world.secretaries["Haarlem"])
    for publication in (agenda, published_minutes, decision):
        render_publication_pdf(publication.pk)
    world.unsigned = world.proposal.college_decisions.get(municipality__name="Heemstede")
    world.planned = Meeting.for_body(world.body, world.meeting.starts_at + datetime.timedelta(days=30))
    world.planned.save()  # a draft agenda: never in the API
    return world


def crawl(start: str = ROOT) -> dict[str, dict]:
    """Every object and list page reachable from the System object, by URL."""
    seen: dict[str, dict] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        assert response["Content-Type"].startswith("application/json")
        assert response["Access-Control-Allow-Origin"] == "*"
        seen[url] = data = response.json()
        queue += [u for u in urls_in(data) if u not in seen]
        assert len(seen) < 2000
    return seen


def urls_in(data):
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and value.startswith(ROOT) and key != "id":
                yield value
            else:
                yield from urls_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from urls_in(value)


def objects_in(data):
    """Every OParl object in a response, embedded ones included."""
    if isinstance(data, dict):
        if "type" in data and str(data["type"]).startswith("https://schema.oparl.org/1.1/"):
            yield data
        for value in data.values():
            yield from objects_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from objects_in(value)


def check_urls(obj: dict, definition: dict) -> None:
    """`"format": "url"` is no JSON-Schema format: every such value must be an absolute http(s) URL."""
    for name, spec in definition["properties"].items():
        value = obj.get(name)
        if value is None:
            continue
        values = value if isinstance(value, list) and spec.get("type") == "array" else [value]
        item_spec = spec.get("items", spec) if spec.get("type") == "array" else spec
        if item_spec.get("format") == "url":
            for url in values:
                assert urlparse(url).scheme in ("http", "https") and urlparse(url).netloc, (obj["id"], name, url)


def test_every_object_of_the_demo_world_validates_and_every_url_leads_to_the_announced_type(world):
    pages = crawl()
    by_id = {}
    for data in pages.values():
        for obj in objects_in(data):
            by_id.setdefault(obj["id"], obj)
    kinds = {obj["type"].rsplit("/", 1)[-1] for obj in by_id.values()}
    assert kinds >= {
        "System", "Body", "Organization", "Person", "Membership", "Meeting", "AgendaItem", "Paper",
        "Consultation", "File", "Location",
    }  # fmt: skip
    for obj in by_id.values():
        name = obj["type"].rsplit("/", 1)[-1]
        definition = schema(name)
        jsonschema.Draft7Validator(definition).validate(obj)
        check_urls(obj, definition)
        # An object's own URL answers with that object.
        assert get(obj["id"]).json()["id"] == obj["id"]
        for prop, spec in definition["properties"].items():
            target = spec.get("references")
            if obj.get(prop) is None or target in (None, "externalList"):
                continue
            for url in obj[prop] if isinstance(obj[prop], list) else [obj[prop]]:
                assert get(url).json()["type"].endswith("/" + target), (obj["id"], prop, url)
            # An external list holds objects of its items' schema.
        for prop, spec in definition["properties"].items():
            if spec.get("references") == "externalList" and obj.get(prop):
                listed = get(obj[prop]).json()
                assert set(listed) >= {"data", "pagination", "links"}
                wanted = spec["items"]["schema"].removesuffix(".json")
                assert all(item["type"].endswith("/" + wanted) for item in listed["data"]), (obj["id"], prop)


def test_the_api_shows_what_the_public_side_shows_and_nothing_else(world):
    everything = json.dumps(crawl(), ensure_ascii=False)
    assert "Regionale woonagenda" in everything  # the public item and the proposal
    # Never the confidential item or its document, never a withheld document, never the unredacted version.
    for secret in ("Grondaankoop Spaarnwoude", "Taxatierapport Spaarnwoude", "Advies over de grondprijs"):
        assert secret not in everything
    partial = world.partial_document.versions.get(redacted=False)
    assert f"/file/document-{partial.pk}/" not in everything
    assert f"/file/document-{world.redacted_version.pk}/" in everything
    # Heemstede's decision is not published: no consultation of its college, no council track.
    assert f"/consultation/college-{world.unsigned.pk}/" not in everything
    # No civil servant: the secretaries of the body have no Person object.
    for user in (world.secretary, world.secretaries["Heemstede"]):
        assert f"/person/{user.person.pk}/" not in everything
        assert user.person.email not in everything


@pytest.mark.parametrize(
    "path",
    [
        "meeting/999999/",
        "meeting/{planned}/",
        "meeting/abc/",
        "meeting/١٢/",
        "agendaitem/{secret}/",
        "paper/proposal-abc/",
        "file/document-{withheld}/",
        "file/document-{unredacted}/",
        "consultation/college-{unsigned}/",
        "organization/body-99999/",
        "body/gm9999/",
        "body/gm9999/meeting/",
        "person/{secretary}/",
        "nothing/1/",
        f"meeting/{10**30}/",
    ],
)
def test_what_is_not_public_answers_404_whatever_it_is(world, path):
    path = path.format(
        secret=world.secret_item.pk,
        withheld=world.withheld_document.versions.get().pk,
        unredacted=world.partial_document.versions.get(redacted=False).pk,
        unsigned=world.unsigned.pk,
        secretary=world.secretary.person.pk,
        planned=world.planned.pk,
    )
    response = get(ROOT + path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_withdrawn_agenda_leaves_deleted_objects_that_only_modified_since_lists(world):
    meeting_url = f"{ROOT}meeting/{world.meeting.pk}/"
    item_url = f"{ROOT}agendaitem/{world.public_item.pk}/"
    before = get(meeting_url).json()
    assert before["name"] and "deleted" not in before
    publication = Publication.objects.live().get(kind=Kind.AGENDA, meeting=world.meeting)
    # A minute later (OParl's times have whole seconds).
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        publication.withdraw(by=world.secretary, reason="Verkeerde versie")

    for url in (meeting_url, item_url):
        response = get(url)
        assert response.status_code == 200
        gone = response.json()
        assert gone["deleted"] is True and gone["created"] == get(url).json()["created"]
        assert "name" not in gone
        jsonschema.Draft7Validator(schema(gone["type"].rsplit("/", 1)[-1])).validate(gone)
    assert get(meeting_url).json()["modified"] > before["modified"]
    # The meeting list leaves it out, unless a harvester asks what changed since its last visit.
    body_key = before["organization"][0]
    meetings = get(get(body_key).json()["meeting"]).json()
    assert meetings["data"] == []
    changed = get(get(body_key).json()["meeting"], modified_since=before["modified"]).json()
    assert [m["id"] for m in changed["data"]] == [meeting_url] and changed["data"][0]["deleted"] is True


def test_filters_pages_and_bad_parameters(world):
    body = get(get(f"{ROOT}meeting/{world.meeting.pk}/").json()["organization"][0]).json()
    items = get(f"{ROOT}body/", limit=2).json()
    assert items["pagination"]["elementsPerPage"] == 2 and len(items["data"]) == 2
    assert items["links"]["next"].endswith("limit=2&page=2")
    last = get(items["links"]["last"]).json()
    assert "next" not in last["links"] and last["data"]
    # Beyond the end: an empty page, not an error.
    assert get(f"{ROOT}body/", page=10**9).json()["data"] == []
    future = "2100-01-01T00:00:00+01:00"
    assert get(body["meeting"], modified_since=future).json()["data"] == []
    assert get(body["meeting"], created_until=future).json()["data"]
    for bad in (
        {"modified_since": "gisteren"},
        {"modified_since": "2026-01-01"},
        {"modified_since": "2026-13-45T00:00:00+01:00"},
        {"created_until": "x" * 10_000},
        {"page": "0"},
        {"limit": "x"},
    ):
        response = get(body["meeting"], **bad)
        assert response.status_code == 400
        assert response.json()["error"]
    # omit_internal leaves the embedded lists out.
    meeting = get(f"{ROOT}meeting/{world.meeting.pk}/", omit_internal="true").json()
    assert "agendaItem" not in meeting and "name" in meeting
    assert "agendaItem" in get(f"{ROOT}meeting/{world.meeting.pk}/").json()


def test_the_paper_carries_a_consultation_per_college_and_council_with_the_published_outcome(world):
    paper = get(f"{ROOT}paper/proposal-{world.proposal.pk}/").json()
    consultations = {c["id"].rsplit("/", 2)[-2]: c for c in paper["consultation"]}
    assert f"item-{world.public_item.pk}" in consultations
    college = consultations[f"college-{world.decision.pk}"]
    assert college["authoritative"] is True
    assert college["organization"] == [f"{ROOT}organization/college-{world.decision.municipality_id}/"]
    assert college["regioportaal:outcome"] == "ingestemd"
    assert college["regioportaal:decisionFile"]["mimeType"] == "application/pdf"
    assert get(college["regioportaal:decisionFile"]["accessUrl"]).status_code == 200
    # The regional meeting adopts a position; the colleges decide.
    assert consultations[f"item-{world.public_item.pk}"]["authoritative"] is False


def test_files_answer_with_their_bytes_inline_and_as_a_download(world):
    version = world.public_document.versions.get()
    file = get(f"{ROOT}file/document-{version.pk}/").json()
    assert file["size"] == version.size and file["mimeType"] == "application/pdf"
    assert file["sha512Checksum"] == hashlib.sha512(version.file.open("rb").read()).hexdigest()
    inline = get(file["accessUrl"])
    assert inline.status_code == 200 and not inline["Content-Disposition"].startswith("attachment")
    download = get(file["downloadUrl"])
    assert download["Content-Disposition"].startswith("attachment")


def _grow(world, n: int) -> None:
    """n more published meetings of the body, each with two public items and a public document."""
    for index in range(n):
        meeting = Meeting.for_body(world.body, world.meeting.starts_at + datetime.timedelta(days=7 * (index + 1)))
        meeting.save()
        for number in range(2):
            item = meeting.add_item(
                version=None, by=world.secretary, title=f"Punt {index}.{number}", purpose=Purpose.DISCUSSION
            )
            world.document(item, f"Stuk {index}.{number}")
        meeting.publish(by=world.secretary)
        actions.publish(Kind.AGENDA, meeting, by=world.secretary)


def _queries(url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = get(url, limit=100)
    assert response.status_code == 200
    return len(queries)


def test_every_list_takes_the_same_number_of_queries_at_two_sizes(world):
    body_url = get(f"{ROOT}meeting/{world.meeting.pk}/").json()["organization"][0]
    body = get(get(body_url).json()["body"]).json()
    lists = [body[name] for name in ("meeting", "agendaItem", "paper", "person", "membership", "organization")]
    lists += [f"{ROOT}body/", get(body_url).json()["meeting"]]
    _grow(world, 1)  # so that every kind of row is there at both sizes (a bundle of documents among the papers)
    small = {url: _queries(url) for url in lists}
    _grow(world, 4)
    large = {url: _queries(url) for url in lists}
    assert large == small


def test_a_proposal_withdrawn_after_a_college_published_its_decision_leaves_a_deleted_paper(world, coordinator):
    world.proposal.withdraw(by=coordinator, reason="De regio ziet af van het voorstel.")
    paper = get(f"{ROOT}paper/proposal-{world.proposal.pk}/")
    assert paper.status_code == 200 and paper.json()["deleted"] is True
    # The college's published decision still stands as its own consultation.
    consultation = get(f"{ROOT}consultation/college-{world.decision.pk}/")
    assert consultation.status_code == 200
    assert consultation.json()["regioportaal:outcome"] == "ingestemd"
    jsonschema.Draft7Validator(schema("Consultation")).validate(consultation.json())
