"""The register of joint arrangements: who may read it, what a page shows, the rules on participants and
financial keys, and a fixed number of queries however many arrangements there are."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from arrangements.models import ArrangementParticipation, FinancialKey, JointArrangement
from governance.models import ConsultationBody, Membership
from tests.factories import ConsultationBodyFactory, CooperationFactory, MembershipFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = timezone.localdate().year


@pytest.fixture
def towns():
    return [MunicipalityFactory(name=name) for name in ("Haarlem", "Heemstede", "Zandvoort")]


def arrangement(name: str, towns, shares=(Decimal("60"), Decimal("25"), Decimal("15"))) -> JointArrangement:
    made = JointArrangement.objects.create(name=name, abbreviation=name[:3], kind=JointArrangement.Kind.PUBLIC_BODY)
    for town, share in zip(towns, shares, strict=True):
        ArrangementParticipation.objects.create(arrangement=made, municipality=town, joined_on=D(2015, 1, 1))
        FinancialKey.objects.create(
            arrangement=made, municipality=town, year=YEAR, share=share, contribution=share * 1000
        )
    return made


def test_the_register_is_for_office_holders_and_shows_each_arrangement(
    towns, client_for, secretary, former_coordinator
):
    made = arrangement("GGD Kennemerland", towns)
    page = client_for(secretary).get(reverse("arrangement_register")).content.decode()
    assert "GGD Kennemerland" in page and "100%" in page and "telt niet op" not in page
    # Someone whose office has ended reads it no more (sent to the start page, or 404).
    for url in (reverse("arrangement_register"), reverse("arrangement_detail", args=[made.pk])):
        response = client_for(former_coordinator).get(url)
        assert response.status_code in (302, 404) and "GGD Kennemerland" not in response.content.decode()


def test_an_arrangement_page_shows_participants_boards_and_the_key_with_its_total(towns, client_for, secretary):
    made = arrangement("Veiligheidsregio Kennemerland", towns, shares=(Decimal("60"), Decimal("25"), Decimal("10")))
    cooperation = CooperationFactory(name="VRK")
    board = ConsultationBodyFactory(
        name="Algemeen bestuur VRK", kind=ConsultationBody.Kind.GENERAL_BOARD, cooperation=cooperation
    )
    MembershipFactory(body=board, role=Membership.Role.CHAIR, on_behalf_of=None, starts_on=D(2022, 1, 1))
    made.general_board = board
    made.save()
    left = made.participations.get(municipality=towns[2])
    left.left_on = D(2020, 12, 31)
    left.save()
    page = client_for(secretary).get(reverse("arrangement_detail", args=[made.pk])).content.decode()
    assert "Algemeen bestuur VRK" in page and "voorzitter" in page
    assert "Zandvoort" in page and "tot en met 31 december 2020" in page and "vandaag geen deelnemer" in page
    assert "95%" in page and "telt niet op tot 100%" in page  # the key of this year
    # Any year asked, a number or not, gives a page (of that year, or this year).
    for asked in ("1999", "abc", "99999999999"):
        assert (
            client_for(secretary).get(reverse("arrangement_detail", args=[made.pk]), {"jaar": asked}).status_code == 200
        )


def test_participants_and_keys_follow_the_rules_in_dutch(towns):
    made = arrangement("Omgevingsdienst", towns[:2], shares=(Decimal("50"), Decimal("40")))
    twice = ArrangementParticipation(arrangement=made, municipality=towns[0], joined_on=D(2020, 1, 1))
    with pytest.raises(ValidationError, match="neemt in een deel van deze periode al deel"):
        twice.full_clean()
    backwards = ArrangementParticipation(
        arrangement=made, municipality=towns[2], joined_on=D(2020, 1, 1), left_on=D(2019, 1, 1)
    )
    with pytest.raises(ValidationError, match="ligt vóór de dag van toetreding"):
        backwards.full_clean()
    outsider = FinancialKey(arrangement=made, municipality=towns[2], year=YEAR, share=Decimal("10"))
    with pytest.raises(ValidationError, match=f"neemt in {YEAR} niet deel aan"):
        outsider.full_clean()
    ArrangementParticipation.objects.create(arrangement=made, municipality=towns[2], joined_on=D(2015, 1, 1))
    too_much = FinancialKey(arrangement=made, municipality=towns[2], year=YEAR, share=Decimal("10.5"))
    with pytest.raises(ValidationError, match="samen 100,50% zijn, meer dan 100%"):
        too_much.full_clean()
    centre = JointArrangement(name="Leerplicht", kind=JointArrangement.Kind.CENTRE_MUNICIPALITY)
    with pytest.raises(ValidationError, match="centrumgemeente"):
        centre.full_clean()


@pytest.mark.parametrize("count", [5, 50])
def test_the_register_takes_the_same_queries_for_5_and_50_arrangements(towns, client_for, secretary, count):
    for n in range(count):
        arrangement(f"Regeling {n:02d}", towns)
    client = client_for(secretary)
    client.get(reverse("arrangement_register"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("arrangement_register"))
    assert response.status_code == 200 and "Regeling 04" in response.content.decode()
    assert len(queries) <= 12, len(queries)
