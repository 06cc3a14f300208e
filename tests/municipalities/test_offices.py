import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from municipalities.models import Municipality, Office, Person
from tests.factories import MunicipalityFactory, OfficeFactory, PersonFactory, PortfolioFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TERM_2022 = D(2022, 5, 1)


def errors_of(instance) -> dict[str, list[str]]:
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_cbs_code_must_be_gm_and_four_digits():
    for wrong in ["0392", "GM392", "gm0392", "GM03920", "XX0392"]:
        errors = errors_of(Municipality(name="Haarlem", cbs_code=wrong))
        assert "Een CBS-code is 'GM' gevolgd door vier cijfers, bijvoorbeeld GM0392 voor Haarlem." in errors["cbs_code"]
    Municipality(name="Haarlem", cbs_code="GM0392").full_clean()


def test_cbs_code_is_unique():
    MunicipalityFactory(cbs_code="GM0392")
    assert "cbs_code" in errors_of(Municipality(name="Tweede", cbs_code="GM0392"))


def test_office_cannot_end_before_it_starts():
    office = OfficeFactory.build(
        person=PersonFactory(), municipality=MunicipalityFactory(), starts_on=D(2024, 5, 1), ends_on=D(2024, 4, 30)
    )
    assert errors_of(office)["ends_on"] == [
        "De einddatum ligt vóór de begindatum; een ambt kan niet eindigen voordat het begint."
    ]


def test_database_refuses_an_office_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeFactory(starts_on=D(2024, 5, 1), ends_on=D(2024, 4, 1))


def test_office_ending_on_its_first_day_is_valid():
    office = OfficeFactory.build(
        person=PersonFactory(), municipality=MunicipalityFactory(), starts_on=D(2024, 5, 1), ends_on=D(2024, 5, 1)
    )
    office.full_clean()


def test_a_mayor_holds_office_in_a_municipality_not_an_organisation():
    from tests.factories import RegionalOrganisationFactory

    office = Office(
        person=PersonFactory(),
        role=Office.Role.MAYOR,
        organisation=RegionalOrganisationFactory(),
        starts_on=D(2024, 1, 1),
    )
    assert errors_of(office)["municipality"] == ["Een burgemeester is ambtsdrager in een gemeente."]


def test_the_same_office_twice_in_overlapping_periods_is_refused():
    first = OfficeFactory(role=Office.Role.MAYOR, starts_on=D(2020, 1, 1), ends_on=D(2025, 12, 31))
    second = Office(
        person=first.person, role=Office.Role.MAYOR, municipality=first.municipality, starts_on=D(2025, 6, 1)
    )
    assert "__all__" in errors_of(second)
    later = Office(
        person=first.person, role=Office.Role.MAYOR, municipality=first.municipality, starts_on=D(2026, 1, 1)
    )
    later.full_clean()


def test_current_offices_include_the_first_and_last_day():
    office = OfficeFactory(starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31))
    assert not Office.objects.current(D(2023, 12, 31)).filter(pk=office.pk).exists()
    assert Office.objects.current(D(2024, 1, 1)).filter(pk=office.pk).exists()
    assert Office.objects.current(D(2024, 12, 31)).filter(pk=office.pk).exists()
    assert not Office.objects.current(D(2025, 1, 1)).filter(pk=office.pk).exists()


def test_offices_of_a_person_on_a_date():
    person = PersonFactory()
    secretary = OfficeFactory(person=person, role=Office.Role.MUNICIPAL_SECRETARY, starts_on=D(2019, 1, 1))
    coordinating = OfficeFactory(
        person=person,
        role=Office.Role.COORDINATING_SECRETARY,
        municipality=secretary.municipality,
        starts_on=D(2020, 5, 1),
        ends_on=D(2022, 4, 30),
    )
    OfficeFactory(role=Office.Role.MUNICIPAL_SECRETARY)  # someone else's

    def held(on):
        return set(Office.objects.of_person(person).current(on))

    assert held(D(2018, 12, 31)) == set()
    assert held(D(2021, 1, 1)) == {secretary, coordinating}
    assert held(D(2023, 1, 1)) == {secretary}


def test_aldermen_holding_a_portfolio_in_given_municipalities_on_a_date():
    housing, economy = PortfolioFactory(name="Wonen"), PortfolioFactory(name="Economie")
    haarlem, heemstede, velsen = MunicipalityFactory(), MunicipalityFactory(), MunicipalityFactory()

    def alderman(municipality, portfolios, starts_on=TERM_2022, ends_on=None):
        return OfficeFactory(
            role=Office.Role.ALDERMAN,
            municipality=municipality,
            portfolios=portfolios,
            starts_on=starts_on,
            ends_on=ends_on,
        )

    in_haarlem = alderman(haarlem, [housing, economy])
    former_in_heemstede = alderman(heemstede, [housing], D(2018, 5, 1), D(2022, 4, 30))
    new_in_heemstede = alderman(heemstede, [housing], D(2022, 5, 1))
    alderman(heemstede, [economy])  # other portfolio
    alderman(velsen, [housing])  # municipality not asked for
    OfficeFactory(role=Office.Role.GRIFFIER, municipality=haarlem, portfolios=[housing])  # not a portfolio holder
    mayor = OfficeFactory(role=Office.Role.MAYOR, municipality=heemstede, portfolios=[housing], starts_on=D(2023, 1, 1))

    def holding(on):
        return set(Office.objects.aldermen_holding(housing, [haarlem, heemstede], on))

    assert holding(D(2017, 1, 1)) == set()
    assert holding(D(2020, 1, 1)) == {former_in_heemstede}
    assert holding(D(2022, 4, 30)) == {former_in_heemstede}
    assert holding(D(2022, 5, 1)) == {in_haarlem, new_in_heemstede}
    assert holding(D(2023, 1, 1)) == {in_haarlem, new_in_heemstede, mayor}  # mayors may hold portfolios too


def test_the_mayor_holds_public_order_and_safety_by_law():
    """Gemeentewet art. 172: whatever portfolios the office lists, the mayor holds public order."""
    safety = PortfolioFactory(name="Openbare orde en veiligheid", held_by_mayor=True)
    haarlem = MunicipalityFactory()
    mayor = OfficeFactory(role=Office.Role.MAYOR, municipality=haarlem, starts_on=D(2021, 9, 1))
    OfficeFactory(role=Office.Role.ALDERMAN, municipality=haarlem, starts_on=D(2022, 5, 1))
    assert set(Office.objects.aldermen_holding(safety, [haarlem], D(2026, 1, 1))) == {mayor}


def test_people_sort_by_surname_without_the_prefix():
    PersonFactory(given_name="Anna", surname_prefix="van den", surname="Berg")
    PersonFactory(given_name="Bram", surname_prefix="", surname="Aalders")
    PersonFactory(given_name="Carla", surname_prefix="de", surname="Corte")
    assert [p.full_name for p in Person.objects.all()] == ["Bram Aalders", "Anna van den Berg", "Carla de Corte"]
    assert Person.objects.get(surname="Berg").sort_name == "Berg, Anna van den"


def test_office_history_is_recorded():
    office = OfficeFactory(starts_on=D(2024, 1, 1))
    office.ends_on = D(2024, 12, 31)
    office.save()
    assert [h.ends_on for h in office.history.all()] == [D(2024, 12, 31), None]
