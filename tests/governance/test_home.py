import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Membership
from municipalities.models import Office
from tests.factories import (
    ConsultationBodyFactory,
    MembershipFactory,
    MunicipalityFactory,
    OfficeFactory,
    ParticipationFactory,
    PersonFactory,
    PortfolioFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def alderman_with_bodies(bodies: int, municipality: str = "Heemstede"):
    person = PersonFactory(with_login=True, given_name="Anna")
    heemstede = MunicipalityFactory(name=municipality)
    OfficeFactory(
        person=person,
        role=Office.Role.ALDERMAN,
        municipality=heemstede,
        portfolios=[PortfolioFactory(name="Wonen"), PortfolioFactory(name="Economie")],
        starts_on=D(2022, 5, 1),
    )
    OfficeFactory(person=person, role=Office.Role.COUNCIL_MEMBER, municipality=heemstede, ended=True)
    for index in range(bodies):
        body = ConsultationBodyFactory(name=f"Portefeuillehoudersoverleg {municipality} {index}")
        ParticipationFactory(cooperation=body.cooperation, municipality=heemstede)
        MembershipFactory(body=body, person=person, on_behalf_of=heemstede, starts_on=D(2022, 5, 1))
    MembershipFactory(
        person=person, body=ConsultationBodyFactory(name=f"Oud overleg {municipality}"), ends_on=D(2021, 12, 31)
    )
    return person.user


def test_home_shows_current_offices_and_bodies(client_for):
    page = client_for(alderman_with_bodies(2)).get(reverse("home")).content.decode()
    assert "Welkom, Anna" in page
    assert "Wethouder" in page and "Heemstede" in page and "Economie, Wonen" in page
    assert "Raadslid" not in page  # ended office
    assert "Portefeuillehoudersoverleg Heemstede 0" in page and "Portefeuillehoudersoverleg Heemstede 1" in page
    assert "Oud overleg" not in page  # ended membership
    assert "Beheer" not in page


def test_home_query_count_does_not_grow_with_bodies(client_for, django_assert_max_num_queries):
    few = client_for(alderman_with_bodies(2))
    with CaptureQueriesContext(connection) as small:
        few.get(reverse("home"))
    many = client_for(alderman_with_bodies(10, "Zandvoort"))
    with django_assert_max_num_queries(len(small)):
        page = many.get(reverse("home")).content.decode()
    assert page.count("Portefeuillehoudersoverleg Zandvoort") == 10


def test_coordinator_home_links_to_management(coordinator, client_for):
    page = client_for(coordinator).get(reverse("home")).content.decode()
    assert "Regionaal coördinator" in page
    assert f'href="{reverse("admin:index")}"' in page


def test_roles_are_shown_by_name_not_colour(client_for):
    person = PersonFactory(with_login=True)
    MembershipFactory(person=person, role=Membership.Role.CHAIR)
    page = client_for(person.user).get(reverse("home")).content.decode()
    assert "Voorzitter" in page
