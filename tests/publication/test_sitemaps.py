"""The DiWoo sitemaps the Woo index harvests: every kind validates against DiWoo 0.9.8, pages paginate,
withdrawn and replaced publications carry their reason, and nothing unpublished is ever listed."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from publication import diwoo
from publication.models import Publication
from tests.query_counts import pin

pytestmark = pytest.mark.django_db
NS = {"s": diwoo.SITEMAP, "diwoo": diwoo.DIWOO}
Kind = Publication.Kind


def fetch(url: str) -> etree._Element:
    response = Client().get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def publish_everything(world, client_for) -> dict[str, Publication]:
    world.send_agenda()
    secretary = client_for(world.secretary)
    secretary.post(reverse("publish", args=[Kind.AGENDA, world.meeting.pk]))
    world.meeting.refresh_from_db()
    minutes = world.adopted_minutes()
    secretary.post(reverse("publish", args=[Kind.DECISION_LIST, world.meeting.pk]))
    secretary.post(reverse("publish", args=[Kind.MINUTES, minutes.pk]))
    decision = world.final_decision("Haarlem")
    client_for(world.secretaries["Haarlem"]).post(reverse("publish", args=[Kind.COLLEGE_DECISION, decision.pk]))
    programme = world.adopted_programme()
    from governance.models import ProgressReport
    from tests.factories import RegionalTaskFactory

    ProgressReport.objects.create(programme=programme, task=RegionalTaskFactory(cooperation=world.cooperation))
    coordinator = client_for(world.coordinator)
    coordinator.post(reverse("publish", args=[Kind.WORK_PROGRAMME, programme.pk]))
    coordinator.post(reverse("publish", args=[Kind.PROGRESS_REPORT, programme.pk]))
    from tests.publication.conftest import pdf_upload

    coordinator.post(
        reverse("publish_covenant", args=[world.cooperation.pk]),
        {"title": "Convenant Zuid-Kennemerland", "signed_on": "2021-01-01", "file": pdf_upload("convenant.pdf")},
    )
    return {p.kind: p for p in Publication.objects.all()}


def test_every_kind_validates_against_diwoo_0_9_8(world, client_for):
    publications = publish_everything(world, client_for)
    assert set(publications) == set(Kind.values)
    urlset = fetch(reverse("sitemap_page", args=[1]))
    documents = urlset.findall("s:url/diwoo:Document", NS)
    assert len(documents) == len(Kind.values)
    for document in documents:
        diwoo.schema().assertValid(document)
    haarlem = world.municipalities["Haarlem"].cbs_code.lower()
    publishers = {d.find("diwoo:DiWoo/diwoo:publisher", NS).get("resource") for d in documents}
    assert publishers == {f"https://identifier.overheid.nl/tooi/id/gemeente/{haarlem}"}
    categories = {d.find(".//diwoo:informatiecategorie", NS).get("resource") for d in documents}
    assert diwoo.InformationCategory.COVENANTS in categories and diwoo.InformationCategory.ANNUAL_PLANS in categories


def test_withdrawn_and_replaced_publications_stay_listed_with_their_reason(world, client_for):
    world.send_agenda()
    client = client_for(world.secretary)
    client.post(reverse("publish", args=[Kind.AGENDA, world.meeting.pk]))
    client.post(reverse("publish", args=[Kind.AGENDA, world.meeting.pk]))
    live = Publication.objects.live().get()
    live.withdraw(by=world.secretary, reason="Verkeerde versie", removal_reason=diwoo.RemovalReason.PRIVACY)
    urlset = fetch(reverse("sitemap_page", args=[1]))
    reasons = [u.find(".//diwoo:redenVerwijderingVervanging", NS) for u in urlset.findall("s:url", NS)]
    assert [r.get("resource") for r in reasons] == [diwoo.REPLACED_REASON, diwoo.RemovalReason.PRIVACY]
    for document in urlset.findall("s:url/diwoo:Document", NS):
        diwoo.schema().assertValid(document)


def test_a_document_with_an_unknown_category_does_not_validate():
    record = diwoo.DiwooRecord(
        url="https://example.org/openbaar/publicatie/1/",
        identifier="https://example.org/openbaar/publicatie/1/",
        lastmod=timezone.now(),
        title="Agenda & besluiten <concept> 😀",
        publisher=diwoo.publisher_for_municipality("GM0392"),
        publisher_label="Haarlem",
        category="https://identifier.overheid.nl/tooi/def/thes/kern/c_00000000",
        handling=diwoo.DocumentHandling.ADOPTION,
        handled_at=datetime.date(2026, 12, 1),
        created_on=datetime.date(2026, 12, 1),
    )
    assert not diwoo.schema().validate(diwoo.document_element(record))
    valid = diwoo.document_element(
        diwoo.DiwooRecord(**{**record.__dict__, "category": diwoo.InformationCategory.BOARD_AGENDAS})
    )
    diwoo.schema().assertValid(valid)
    assert valid.findtext(".//diwoo:officieleTitel", namespaces=NS) == "Agenda & besluiten <concept> 😀"


def test_the_sitemap_index_paginates_and_robots_names_it(world, client_for, settings):
    settings.WOO_SITEMAP_SIZE = 2
    publish_everything(world, client_for)
    robots = Client().get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /\n" in robots
    index = fetch(reverse("sitemap_index"))
    locations = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert len(locations) == 4  # seven publications, two per page
    listed = []
    for location in locations:
        listed += [u.text for u in fetch(location.removeprefix("http://testserver")).findall("s:url/s:loc", NS)]
    assert len(listed) == len(set(listed)) == Publication.objects.count()
    assert Client().get(reverse("sitemap_page", args=[5])).status_code == 404
    assert Client().get("/sitemaps/woo-0.xml").status_code == 404


def test_the_public_checks_of_the_publisher_name_known_organisations():
    assert diwoo.is_known_organisation(diwoo.publisher_for_municipality("GM0392"))
    assert diwoo.is_known_organisation("https://identifier.overheid.nl/tooi/id/so/so0640")
    assert not diwoo.is_known_organisation("https://identifier.overheid.nl/tooi/id/so/so9999999")


def test_public_pages_and_the_sitemap_cost_the_same_queries_at_two_sizes(world, client_for):
    from meetings.models import Meeting

    secretary = client_for(world.secretary)
    world.send_agenda()
    secretary.post(reverse("publish", args=[Kind.AGENDA, world.meeting.pk]))
    made = []

    def grow(count: int) -> None:
        for _ in range(count):
            starts = timezone.now() - datetime.timedelta(days=10 + len(made))
            meeting = Meeting.for_body(world.body, starts)
            meeting.save()
            item = meeting.add_item(version=None, by=world.secretary, title=f"Punt {len(made)}", purpose="decision")
            world.document(item, f"Stuk {len(made)}")
            meeting.publish(by=world.secretary)
            secretary.post(reverse("publish", args=[Kind.AGENDA, meeting.pk]))
            made.append(meeting)

    anonymous = Client()
    pin(anonymous, reverse("public_body", args=[world.body.pk]), grow, sizes=(2, 6), at_most=12)
    pin(anonymous, reverse("sitemap_page", args=[1]), grow, sizes=(8, 12), at_most=5)
    pin(anonymous, reverse("public_home"), grow, sizes=(13, 16), at_most=12)


def test_the_public_meeting_page_costs_the_same_with_more_items(world, client_for):
    world.send_agenda()
    client_for(world.secretary).post(reverse("publish", args=[Kind.AGENDA, world.meeting.pk]))
    added = []

    def grow(count: int) -> None:
        for _ in range(count):
            item = world.meeting.add_item(
                version=world.meeting.agenda_version,
                by=world.secretary,
                reason="Aanvulling",
                title=f"Extra punt {len(added)}",
                purpose="decision",
            )
            world.document(item, f"Bijlage {len(added)}")
            added.append(item)
            world.meeting.refresh_from_db()

    pin(Client(), reverse("public_meeting", args=[world.meeting.pk]), grow, sizes=(2, 6), at_most=12)
