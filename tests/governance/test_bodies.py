import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from governance.models import ConsultationBody, Membership
from municipalities.models import Office
from tests.factories import (
    ConsultationBodyFactory,
    CooperationFactory,
    MembershipFactory,
    MunicipalityFactory,
    OfficeFactory,
    ParticipationFactory,
    PortfolioFactory,
    RegionalTaskFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def errors_of(instance) -> dict[str, list[str]]:
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_members_of_a_body_on_a_date():
    body = ConsultationBodyFactory()
    former = MembershipFactory(body=body, starts_on=D(2020, 1, 1), ends_on=D(2022, 12, 31))
    current = MembershipFactory(body=body, starts_on=D(2023, 1, 1))
    future = MembershipFactory(body=body, starts_on=D(2027, 1, 1))
    MembershipFactory(starts_on=D(2020, 1, 1))  # another body

    assert set(body.members_on(D(2019, 12, 31))) == set()
    assert set(body.members_on(D(2022, 12, 31))) == {former}
    assert set(body.members_on(D(2023, 1, 1))) == {current}
    assert set(body.members_on(D(2027, 1, 1))) == {current, future}


def test_membership_on_behalf_of_a_municipality_outside_the_cooperation_is_refused():
    body = ConsultationBodyFactory()
    outsider = MunicipalityFactory(name="Velsen")
    membership = MembershipFactory.build(body=body, person=MembershipFactory().person, on_behalf_of=outsider)
    assert errors_of(membership)["on_behalf_of"] == [
        f"Velsen neemt niet gedurende de hele periode van dit lidmaatschap deel aan {body.cooperation}. "
        "Kies een deelnemende gemeente of verkort de periode."
    ]


def test_membership_must_end_before_the_municipality_leaves():
    body = ConsultationBodyFactory()
    participation = ParticipationFactory(
        cooperation=body.cooperation, joined_on=D(2021, 1, 1), notice_given_on=D(2024, 3, 1)
    )
    person = MembershipFactory().person

    def membership(starts_on, ends_on):
        return Membership(
            body=body, person=person, on_behalf_of=participation.municipality, starts_on=starts_on, ends_on=ends_on
        )

    assert "on_behalf_of" in errors_of(membership(D(2022, 1, 1), None))
    assert "on_behalf_of" in errors_of(membership(D(2022, 1, 1), D(2025, 1, 1)))
    assert "on_behalf_of" in errors_of(membership(D(2020, 6, 1), D(2022, 1, 1)))
    membership(D(2022, 1, 1), D(2024, 12, 31)).full_clean()


def test_membership_cannot_end_before_it_starts():
    membership = MembershipFactory.build(
        body=ConsultationBodyFactory(),
        person=MembershipFactory().person,
        starts_on=D(2024, 1, 1),
        ends_on=D(2023, 1, 1),
    )
    assert errors_of(membership)["ends_on"] == ["De einddatum ligt vóór de begindatum."]


def test_a_body_has_one_chair_at_a_time():
    chair = MembershipFactory(role=Membership.Role.CHAIR, starts_on=D(2021, 1, 1), ends_on=D(2024, 12, 31))
    second = Membership(
        body=chair.body, person=MembershipFactory().person, role=Membership.Role.CHAIR, starts_on=D(2024, 6, 1)
    )
    assert errors_of(second)["role"] == [f"{chair.person} is in deze periode al voorzitter van dit overleg."]
    successor = Membership(body=chair.body, person=second.person, role=Membership.Role.CHAIR, starts_on=D(2025, 1, 1))
    successor.full_clean()


def test_a_portfolio_holder_meeting_needs_its_policy_area():
    body = ConsultationBodyFactory.build(
        cooperation=CooperationFactory(), kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS, policy_area=None
    )
    assert errors_of(body)["policy_area"] == ["Een portefeuillehoudersoverleg heeft een beleidsterrein nodig."]


def test_bodies_cannot_prepare_each_other_in_a_circle():
    administrative = ConsultationBodyFactory()
    secretaries = ConsultationBodyFactory(prepares=administrative)
    administrative.prepares = secretaries
    assert "prepares" in errors_of(administrative)
    administrative.prepares = administrative
    assert "prepares" in errors_of(administrative)


def test_documents_are_due_after_the_agenda_closes():
    body = ConsultationBodyFactory.build(
        cooperation=CooperationFactory(), agenda_deadline_days=7, documents_deadline_days=10
    )
    assert "documents_deadline_days" in errors_of(body)


def test_a_monthly_cadence_gives_every_first_tuesday():
    body = ConsultationBodyFactory.build(
        frequency=ConsultationBody.Frequency.MONTHLY,
        weekday=ConsultationBody.Weekday.TUESDAY,
        week_of_month=ConsultationBody.WeekOfMonth.FIRST,
    )
    rule = body.cadence_rule(datetime.datetime(2027, 1, 1, 10, 0))
    assert [d.date() for d in rule[:4]] == [D(2027, 1, 5), D(2027, 2, 2), D(2027, 3, 2), D(2027, 4, 6)]


def test_a_fortnightly_cadence_and_a_body_that_meets_when_needed():
    body = ConsultationBodyFactory.build(
        frequency=ConsultationBody.Frequency.FORTNIGHTLY, weekday=ConsultationBody.Weekday.THURSDAY
    )
    rule = body.cadence_rule(datetime.datetime(2027, 1, 1, 16, 0))
    assert [d.date() for d in rule[:3]] == [D(2027, 1, 7), D(2027, 1, 21), D(2027, 2, 4)]
    body.frequency = ConsultationBody.Frequency.AD_HOC
    assert body.cadence_rule(datetime.datetime(2027, 1, 1)) is None


def test_a_cadence_needs_a_weekday():
    body = ConsultationBodyFactory.build(
        cooperation=CooperationFactory(), frequency=ConsultationBody.Frequency.WEEKLY, weekday=None
    )
    assert "weekday" in errors_of(body)


def test_aldermen_of_the_policy_area_in_the_covered_municipalities():
    housing = PortfolioFactory()
    body = ConsultationBodyFactory(kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS, policy_area=housing)
    inside = ParticipationFactory(cooperation=body.cooperation).municipality
    outside = MunicipalityFactory()
    holder = OfficeFactory(role=Office.Role.ALDERMAN, municipality=inside, portfolios=[housing])
    OfficeFactory(role=Office.Role.ALDERMAN, municipality=outside, portfolios=[housing])
    assert list(body.aldermen_for_policy_area(D(2024, 1, 1))) == [holder]


def test_the_lead_body_of_a_main_task_belongs_to_the_same_cooperation():
    task = RegionalTaskFactory.build(cooperation=CooperationFactory(), lead_body=ConsultationBodyFactory())
    assert errors_of(task)["lead_body"] == ["Het trekkende overleg moet bij dezelfde samenwerking horen."]


@pytest.mark.parametrize(
    ("name", "article"),
    [
        ("Bestuurlijk afstemmingsoverleg", "het"),
        ("Overleg gemeentesecretarissen", "het"),
        ("Portefeuillehoudersoverleg Wonen Zuid-Kennemerland", "het"),
        ("Regionale agendacommissie", "de"),
        ("Regionale raadsbijeenkomst", "de"),
    ],
)
def test_a_body_left_without_article_takes_the_one_of_its_name(name, article):
    body = ConsultationBodyFactory(name=name)
    body.refresh_from_db()
    assert body.article == article


def test_a_chosen_article_is_kept():
    body = ConsultationBodyFactory(name="PHO Wonen", article=ConsultationBody.Article.HET)
    body.refresh_from_db()
    assert body.article == "het"


def test_the_coordinator_sets_the_article_in_the_admin(coordinator, client_for):
    from django.urls import reverse

    body = ConsultationBodyFactory(name="Regionale agendacommissie")
    url = reverse("admin:governance_consultationbody_change", args=[body.pk])
    page = client_for(coordinator).get(url).content.decode()
    assert 'name="article"' in page and "Lidwoord" in page
