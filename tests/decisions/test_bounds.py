"""The matrices and the griffier's dashboard at national scale: one cooperation's columns, one council's
tracks, a page at a time, whatever the country holds (issue: national scale)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import RegionalProposal
from municipalities.models import Office
from tests.decisions.conftest import Covenant
from tests.decisions.test_councils import keep, track_of
from tests.factories import (
    CooperationFactory,
    MunicipalityFactory,
    OfficeFactory,
    ParticipationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def elsewhere(covenant):
    """A second cooperation with its own municipalities, and one proposal sent there."""
    cooperation = CooperationFactory(name="Achterhoek")
    for name in ("Winterswijk", "Aalten"):
        ParticipationFactory(
            cooperation=cooperation, municipality=MunicipalityFactory(name=name), joined_on=D(2021, 1, 1)
        )
    return cooperation


def send(covenant, coordinator, count: int, **fields) -> list[RegionalProposal]:
    sent = []
    for n in range(count):
        proposal = covenant.proposal(**{"title": f"Voorstel {n:03d}"} | fields)
        covenant.adopt(proposal, coordinator)
        proposal.send(by=coordinator, on=D(2026, 11, 1))
        sent.append(proposal)
    return sent


def send_elsewhere(cooperation, coordinator, title: str) -> RegionalProposal:
    other = Covenant.__new__(Covenant)
    other.cooperation = cooperation
    other.body = cooperation.bodies.create(name="Portefeuillehoudersoverleg Achterhoek", kind="coordination")
    proposal = other.proposal(title=title)
    other.adopt(proposal, coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal


def test_the_matrix_starts_at_the_busiest_cooperation_with_only_its_columns(
    covenant, elsewhere, coordinator, client_for
):
    send(covenant, coordinator, 2)
    send_elsewhere(elsewhere, coordinator, "Achterhoekse mobiliteitsagenda")
    client = client_for(coordinator)
    page = client.get(reverse("proposal_matrix")).content.decode()
    assert "Voorstel 000" in page and "Achterhoekse mobiliteitsagenda" not in page
    assert ">Haarlem</th>" in page and ">Winterswijk</th>" not in page
    # The coordinator chooses the other cooperation: its proposal, its municipalities as columns.
    page = client.get(reverse("proposal_matrix"), {"cooperation": elsewhere.pk}).content.decode()
    assert "Achterhoekse mobiliteitsagenda" in page and "Voorstel 000" not in page
    assert ">Winterswijk</th>" in page and ">Aalten</th>" in page and ">Haarlem</th>" not in page
    councils = client.get(reverse("council_matrix"), {"cooperation": elsewhere.pk}).content.decode()
    assert "Achterhoekse mobiliteitsagenda" in councils and ">Haarlem</th>" not in councils


def test_a_secretary_cannot_choose_a_cooperation_they_have_no_office_in(covenant, elsewhere, coordinator, client_for):
    send(covenant, coordinator, 1)
    send_elsewhere(elsewhere, coordinator, "Achterhoekse mobiliteitsagenda")
    client = client_for(covenant.secretaries["Haarlem"])
    page = client.get(reverse("proposal_matrix"), {"cooperation": elsewhere.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Achterhoekse mobiliteitsagenda" not in text and "Achterhoek" not in text
    assert "Selecteer een geldige keuze" in text


def test_the_matrix_pages_and_bounds_every_request(covenant, coordinator, client_for):
    send(covenant, coordinator, 55)
    client = client_for(coordinator)
    first = client.get(reverse("proposal_matrix")).content.decode()
    assert first.count(">Voorstel ") == 50 and "Pagina 1 van 2" in first
    beyond = client.get(reverse("proposal_matrix"), {"pagina": "9999"}).content.decode()
    assert beyond.count(">Voorstel ") == 5 and "Pagina 2 van 2" in beyond
    huge = client.get(reverse("proposal_matrix"), {"per_page": "1000000"}).content.decode()
    assert huge.count(">Voorstel ") == 55
    capped = client.get(reverse("proposal_matrix"), {"per_page": "20"}).content.decode()
    assert capped.count(">Voorstel ") == 20 and "Pagina 1 van 3" in capped
    nonsense = client.get(reverse("proposal_matrix"), {"pagina": "x", "per_page": "-3", "year": "abc"})
    assert nonsense.status_code == 200 and "Voer een geheel getal in." in nonsense.content.decode()
    councils = client.get(reverse("council_matrix")).content.decode()
    assert councils.count(">Voorstel ") == 50 and "Pagina 1 van 2" in councils


@pytest.fixture
def griffier(covenant):
    person = PersonFactory(with_login=True, surname="Griffier Haarlem")
    OfficeFactory(
        person=person,
        role=Office.Role.GRIFFIER,
        municipality=covenant.municipalities["Haarlem"],
        starts_on=D(2020, 1, 1),
    )
    return person.user


def test_the_dashboard_shows_the_griffiers_own_council_and_what_is_still_to_do(
    covenant, griffier, coordinator, client_for
):
    done, *_ = send(covenant, coordinator, 3)
    keep(track_of(done, "Haarlem"), status="not_needed")
    done.status = RegionalProposal.Status.DECIDED
    done.save(update_fields=["status"])
    client = client_for(griffier)
    page = client.get(reverse("griffier_dashboard")).content.decode()
    assert "Voorstel 001" in page and "Voorstel 002" in page and ">Voorstel 000<" not in page
    everything = client.get(reverse("griffier_dashboard"), {"show": "all"}).content.decode()
    assert ">Voorstel 000<" in everything
    # Another council's tracks are not the griffier's to choose.
    other = covenant.municipalities["Zandvoort"]
    refused = client.get(reverse("griffier_dashboard"), {"municipality": other.pk}).content.decode()
    assert "Selecteer een geldige keuze" in refused and "Voorstel 001" not in refused


def test_the_coordinator_chooses_a_council(covenant, coordinator, client_for):
    send(covenant, coordinator, 1)
    client = client_for(coordinator)
    page = client.get(reverse("griffier_dashboard")).content.decode()
    assert "Kies een gemeente om haar raadstrajecten te zien." in page and "Voorstel 000" not in page
    haarlem = covenant.municipalities["Haarlem"]
    page = client.get(reverse("griffier_dashboard"), {"municipality": haarlem.pk}).content.decode()
    assert "Voorstel 000" in page and page.count("(Haarlem)") == 1


def test_the_dashboard_costs_the_same_for_5_and_60_tracks(covenant, griffier, coordinator, client_for):
    client = client_for(griffier)

    def make(count, start):
        for proposal in send(covenant, coordinator, count):
            keep(track_of(proposal, "Haarlem"), status="planned", council_date=D(2027, 1, 25))

    make(5, 0)
    client.get(reverse("griffier_dashboard"))  # content types and the like, read once per process
    cache.clear()  # the menu counts worked out afresh in both measurements
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("griffier_dashboard"))
    make(55, 5)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("griffier_dashboard")).content.decode()
    assert len(many) == len(few) <= 25
    assert page.count(">Voorstel ") == 50 and "60 voorstellen" in page and "Pagina 1 van 2" in page


def test_digits_that_are_not_numbers_give_a_page_not_an_error(covenant, coordinator, client_for):
    """ "²" and "٣" are digits to Python but not numbers to int(): every parameter that names an id or a
    year answers with the page and, where it is a form, with its message."""
    send(covenant, coordinator, 1)
    client = client_for(coordinator)
    for value in ("²", "٣", "99999999999999999999999"):
        for url, parameter in (
            (reverse("proposal_matrix"), "cooperation"),
            (reverse("proposal_matrix"), "pagina"),
            (reverse("council_matrix"), "per_page"),
            (reverse("griffier_dashboard"), "municipality"),
            (reverse("body_detail", args=[covenant.body.pk]), "jaar"),
        ):
            if parameter in ("cooperation", "municipality") and value.isascii():
                continue  # an id past the largest integer: SQLite refuses it with its own error
            response = client.get(url, {parameter: value})
            assert response.status_code == 200, (url, parameter, value)
