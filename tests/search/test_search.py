"""Full-text search on PostgreSQL (Dutch configuration): ranking, document text, and who finds what."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.pdf import render_pdf
from governance.models import Membership
from meetings.models import Document
from publication.models import Publication
from search.models import DocumentText, SearchEntry
from search.tasks import extract_document_text
from tests.publication.conftest import pdf_upload
from tests.query_counts import pin

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the full-text search runs on PostgreSQL"),
]


def text_pdf(title: str, text: str) -> ContentFile:
    return ContentFile(render_pdf("pdf/demo_document.html", {"title": title, "text": text}), name=f"{title}.pdf")


def after_form(page: str) -> str:
    """The page after the search form (whose field repeats the query)."""
    return page.split('role="search"', 1)[1].split("</form>", 1)[1]


def results(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_title_match_ranks_above_a_match_in_the_text(world, client_for):
    world.meeting.add_item(version=None, by=world.secretary, title="Warmtenet Haarlem-Noord", purpose="decision")
    world.meeting.add_item(
        version=None,
        by=world.secretary,
        title="Energieagenda",
        purpose="decision",
        explanation="Ook het warmtenet komt aan bod, met de aansluiting van wijken.",
    )
    page = results(client_for(world.secretary), reverse("search"), q="warmtenet")
    assert "2 resultaten" in page
    assert page.index("Warmtenet Haarlem-Noord") < page.index("Energieagenda")
    assert "<mark>warmtenet</mark>" in page


def test_a_word_inside_a_pdf_is_found_and_highlighted(world, client_for):
    world.send_agenda()
    document = Document.objects.create(item=world.public_item, title="Notitie")
    version = document.add_version(
        text_pdf("Notitie", "De regio bouwt tiny houses voor spoedzoekers."),
        by=world.secretary,
        content_type="application/pdf",
    )
    assert extract_document_text(version.pk) == DocumentText.Status.EXTRACTED
    page = results(client_for(world.member), reverse("search"), q="spoedzoekers")
    assert "Notitie" in page and "<mark>spoedzoekers</mark>" in page
    assert reverse("document_download", args=[version.pk]) in page


def test_a_broken_file_is_recorded_as_failed_and_the_upload_stands(world):
    document = Document.objects.create(item=world.public_item, title="Kapot")
    version = document.add_version(
        pdf_upload("kapot.pdf", b"\x00" * 20), by=world.secretary, content_type="application/pdf"
    )
    status = extract_document_text(version.pk)
    text = DocumentText.objects.get(version=version)
    assert status == text.status == DocumentText.Status.FAILED and text.error
    assert SearchEntry.objects.filter(kind="document", object_id=version.pk).exists()
    # A second run does not try again.
    assert extract_document_text(version.pk) == DocumentText.Status.FAILED


def test_nobody_finds_a_confidential_item_they_may_not_see(world, client_for):
    world.secret_item.explanation = "Het bod op de grond bij Spaarnwoude."
    world.secret_item.save()
    world.send_agenda()
    advisory = world.seat(world.body, Membership.Role.ADVISORY_MEMBER)
    for user in (advisory, world.secretaries["Heemstede"]):
        page = results(client_for(user), reverse("search"), q="Spaarnwoude")
        assert "Grondaankoop" not in page and "Spaarnwoude" not in after_form(page)
        assert "0 resultaten" in page
    # The members see it (they may see the confidential items of their body).
    page = results(client_for(world.member), reverse("search"), q="Spaarnwoude")
    assert "Grondaankoop Spaarnwoude" in page


def test_a_draft_agenda_is_found_only_by_its_secretariat(world, client_for):
    assert "Regionale woonagenda" in results(client_for(world.secretary), reverse("search"), q="woonagenda")
    assert "0 resultaten" in results(client_for(world.member), reverse("search"), q="woonagenda")


def test_an_unsigned_decision_is_found_only_in_its_own_municipality(world, client_for):
    from decisions.models import CollegeDecision

    haarlem = world.final_decision("Haarlem")
    heemstede = haarlem.proposal.college_decisions.get(municipality__name="Heemstede")
    heemstede.record(
        by=world.secretaries["Heemstede"],
        lock_version=heemstede.lock_version,
        outcome=CollegeDecision.Outcome.NOT_AGREED,
        decided_on=haarlem.decided_on,
        reference="2026/H9",
        motivation="Te hoge bijdrage voor parkeervoorzieningen.",
    )
    assert "Heemstede" in results(
        client_for(world.secretaries["Heemstede"]), reverse("search"), q="parkeervoorzieningen"
    )
    page = results(client_for(world.secretaries["Haarlem"]), reverse("search"), q="parkeervoorzieningen")
    assert "0 resultaten" in page and "parkeervoorzieningen" not in after_form(page)


def test_the_public_search_finds_only_what_is_published(world, client_for):
    world.partial_document.versions.filter(redacted=False).update()  # the unredacted version stays internal
    unredacted = world.partial_document.versions.get(redacted=False)
    DocumentText.objects.create(version=unredacted, status="extracted", text="Huurder De Vries woont op nummer 12.")
    from search import index

    index.index(unredacted)
    anonymous = Client()
    assert "0 resultaten" in results(anonymous, reverse("public_search"), q="woonagenda")
    world.send_agenda()
    client_for(world.secretary).post(reverse("publish", args=[Publication.Kind.AGENDA, world.meeting.pk]))
    page = results(anonymous, reverse("public_search"), q="woonagenda")
    assert "Regionale woonagenda" in page and reverse("public_meeting", args=[world.meeting.pk]) in page
    assert "0 resultaten" in results(anonymous, reverse("public_search"), q="Vries")
    assert "0 resultaten" in results(anonymous, reverse("public_search"), q="Spaarnwoude")
    Publication.objects.get().withdraw(by=world.secretary, reason="Te vroeg")
    assert "0 resultaten" in results(anonymous, reverse("public_search"), q="woonagenda")


@pytest.mark.parametrize(
    "query", ['woon & | ! ( "', "-", "'; DROP TABLE search_searchentry; --", "<script>alert(1)</script>", "x:*"]
)
def test_queries_with_operators_are_words_not_errors(world, client_for, query):
    page = results(client_for(world.secretary), reverse("search"), q=query)
    assert "<script>alert(1)</script>" not in page


def test_a_query_of_ten_thousand_characters_and_a_wild_page_number(world, client_for):
    client = client_for(world.secretary)
    response = client.get(reverse("search"), {"q": "woon" * 2500})
    assert response.status_code == 400 and "hoogstens 500 tekens" in response.content.decode()
    for number in ("1000000000", "abc", "-3"):
        assert client.get(reverse("search"), {"q": "woonagenda", "pagina": number}).status_code == 200
    assert Client().get(reverse("public_search"), {"q": "x", "pagina": "1000000000"}).status_code == 200
    assert client.get(reverse("search"), {"q": "a", "since": "2026-12-01", "until": "2026-01-01"}).status_code == 400


def test_the_search_pages_cost_the_same_queries_at_two_sizes(world, client_for):
    world.send_agenda()
    client_for(world.secretary).post(reverse("publish", args=[Publication.Kind.AGENDA, world.meeting.pk]))
    added = []

    def grow(count: int) -> None:
        for _ in range(count):
            world.meeting.add_item(
                version=world.meeting.agenda_version,
                by=world.secretary,
                reason="Aanvulling",
                title=f"Fietsroute deel {len(added)}",
                purpose="decision",
            )
            world.meeting.refresh_from_db()
            added.append(1)

    pin(client_for(world.member), reverse("search"), grow, sizes=(3, 25), data={"q": "fietsroute"}, at_most=40)
    pin(Client(), reverse("public_search"), grow, sizes=(26, 30), data={"q": "fietsroute"}, at_most=10)


def test_the_public_search_has_a_budget_per_client(world, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PUBLIC_SEARCH_RATE_LIMIT = "3/m"
    client = Client()
    codes = [client.get(reverse("public_search"), {"q": "woonagenda"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    cache.clear()


def test_deleting_a_meeting_with_documents_removes_its_entries(world):
    meeting_pk = world.meeting.pk
    assert SearchEntry.objects.filter(meeting_id=meeting_pk, kind="document").exists()
    from meetings.models import Meeting, Minutes

    Minutes.objects.filter(meeting_id=meeting_pk).delete()
    Meeting.objects.filter(pk=meeting_pk).delete()
    assert not SearchEntry.objects.filter(meeting_id=meeting_pk).exists()
