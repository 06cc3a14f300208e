import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from governance.models import Cooperation, Participation
from tests.factories import CooperationFactory, MunicipalityFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("notice", "leaves", "obligations"),
    [
        (D(2024, 1, 1), D(2025, 1, 1), D(2025, 12, 31)),
        (D(2024, 3, 15), D(2025, 1, 1), D(2025, 12, 31)),
        (D(2024, 12, 31), D(2025, 1, 1), D(2025, 12, 31)),
        (D(2025, 1, 1), D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_covenant_notice_takes_effect_on_the_next_first_of_january(notice, leaves, obligations):
    participation = ParticipationFactory(joined_on=D(2021, 1, 1), notice_given_on=notice)
    participation.refresh_from_db()
    assert (participation.leaves_on, participation.obligations_until) == (leaves, obligations)


def test_withdrawal_dates_are_recomputed_when_the_notice_changes_or_is_withdrawn():
    participation = ParticipationFactory(notice_given_on=D(2024, 6, 1))
    participation.notice_given_on = D(2025, 6, 1)
    participation.save()
    assert participation.leaves_on == D(2026, 1, 1)
    participation.notice_given_on = None
    participation.save()
    assert (participation.leaves_on, participation.obligations_until) == (None, None)


def test_immediate_rule_leaves_the_next_day_with_obligations_to_the_end_of_the_year():
    cooperation = CooperationFactory(withdrawal_rule=Cooperation.WithdrawalRule.IMMEDIATE)
    participation = ParticipationFactory(cooperation=cooperation, notice_given_on=D(2024, 3, 15))
    assert (participation.leaves_on, participation.obligations_until) == (D(2024, 3, 16), D(2024, 12, 31))


def test_participants_on_a_date_across_the_year_end():
    cooperation = CooperationFactory()
    staying = ParticipationFactory(cooperation=cooperation, joined_on=D(2021, 1, 1)).municipality
    leaving = ParticipationFactory(
        cooperation=cooperation, joined_on=D(2021, 1, 1), notice_given_on=D(2024, 9, 1)
    ).municipality
    joining = ParticipationFactory(cooperation=cooperation, joined_on=D(2025, 1, 1)).municipality
    ParticipationFactory(joined_on=D(2021, 1, 1))  # another cooperation

    assert set(cooperation.participants_on(D(2020, 12, 31))) == set()
    assert set(cooperation.participants_on(D(2021, 1, 1))) == {staying, leaving}
    assert set(cooperation.participants_on(D(2024, 12, 31))) == {staying, leaving}
    assert set(cooperation.participants_on(D(2025, 1, 1))) == {staying, joining}


def test_a_second_overlapping_participation_is_refused_with_a_clear_message():
    first = ParticipationFactory(joined_on=D(2021, 1, 1), notice_given_on=D(2024, 5, 1))
    overlapping = Participation(cooperation=first.cooperation, municipality=first.municipality, joined_on=D(2024, 7, 1))
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        overlapping.full_clean()
    assert caught.value.messages == [
        f"{first.municipality} neemt al deel aan {first.cooperation} van 1 januari 2021 tot 1 januari 2025; "
        "deelnames mogen elkaar niet overlappen."
    ]


def test_rejoining_on_the_day_the_leave_takes_effect_is_allowed():
    first = ParticipationFactory(joined_on=D(2021, 1, 1), notice_given_on=D(2024, 5, 1))
    Participation(cooperation=first.cooperation, municipality=first.municipality, joined_on=D(2025, 1, 1)).full_clean()


def test_an_open_participation_blocks_any_later_one():
    first = ParticipationFactory(joined_on=D(2021, 1, 1))
    later = Participation(cooperation=first.cooperation, municipality=first.municipality, joined_on=D(2030, 1, 1))
    with pytest.raises(ValidationError):
        later.full_clean()
    # The same municipality may join another cooperation at the same time.
    Participation(
        cooperation=CooperationFactory(), municipality=first.municipality, joined_on=D(2030, 1, 1)
    ).full_clean()


def test_notice_before_joining_is_refused_by_the_form_and_the_database():
    participation = Participation(
        cooperation=CooperationFactory(),
        municipality=MunicipalityFactory(),
        joined_on=D(2021, 1, 1),
        notice_given_on=D(2020, 6, 1),
    )
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        participation.full_clean()
    assert caught.value.message_dict["notice_given_on"] == ["Opzegging kan niet vóór de datum van toetreding."]
    with pytest.raises(IntegrityError), transaction.atomic():
        participation.save()


class Leaving:
    """Haarlem gives notice on 15 March 2026 in a covenant (it leaves on 1 January 2027), with seats that run
    past its last day, seats that do not, and seats that are not Haarlem's in this covenant."""

    def __init__(self):
        from governance.models import ConsultationBody, Membership
        from tests.factories import ConsultationBodyFactory, MembershipFactory, PersonFactory

        self.cooperation = CooperationFactory(name="Zuid-Kennemerland")
        self.haarlem = MunicipalityFactory(name="Haarlem")
        heemstede = MunicipalityFactory(name="Heemstede")
        self.participation = ParticipationFactory(
            cooperation=self.cooperation, municipality=self.haarlem, joined_on=D(2021, 1, 1)
        )
        ParticipationFactory(cooperation=self.cooperation, municipality=heemstede, joined_on=D(2021, 1, 1))
        pho = ConsultationBodyFactory(
            name="PHO Wonen", kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS, cooperation=self.cooperation
        )
        committee = ConsultationBodyFactory(
            name="Regionale agendacommissie",
            kind=ConsultationBody.Kind.REGIONAL_AGENDA_COMMITTEE,
            cooperation=self.cooperation,
        )
        elsewhere = ConsultationBodyFactory(name="Bestuurlijk afstemmingsoverleg Kennemerland")
        ParticipationFactory(cooperation=elsewhere.cooperation, municipality=self.haarlem)

        def seat(body, surname, role=Membership.Role.MEMBER, municipality=self.haarlem, **dates):
            person = PersonFactory(given_name="Lid", surname=surname)
            return MembershipFactory(body=body, person=person, role=role, on_behalf_of=municipality, **dates)

        self.ending = [
            seat(pho, "Open", Membership.Role.CHAIR),
            seat(committee, "Tot zomer 2027", ends_on=D(2027, 6, 30)),
            seat(committee, "Tot de eerste dag", ends_on=D(2027, 1, 1)),
        ]
        self.staying = [
            seat(pho, "Tot de laatste dag", ends_on=D(2026, 12, 31)),
            seat(pho, "Eerder gestopt", ends_on=D(2024, 6, 30)),
            seat(pho, "Heemstede", municipality=heemstede),
            seat(pho, "Secretaris", Membership.Role.SECRETARY, municipality=None),
            seat(elsewhere, "Elders"),
        ]
        self.staying_ends = {m.pk: m.ends_on for m in self.staying}

    def assert_only_the_ending_seats_ended(self, by) -> None:
        for membership in self.ending:
            membership.refresh_from_db()
            assert membership.ends_on == D(2026, 12, 31), membership.person
            last = membership.history.first()
            assert last.ends_on == D(2026, 12, 31) and last.history_user == by
            assert last.history_change_reason == "notice to leave given on 15-03-2026"
        for membership in self.staying:
            membership.refresh_from_db()
            assert membership.ends_on == self.staying_ends[membership.pk], membership.person


@pytest.fixture
def leaving(db) -> Leaving:
    return Leaving()


def test_a_notice_ends_the_seats_that_run_past_the_last_day(leaving, coordinator):
    participation = leaving.participation
    assert list(participation.memberships_ending()) == []  # no notice yet
    participation.notice_given_on = D(2026, 3, 15)
    participation.save()
    assert participation.leaves_on == D(2027, 1, 1) and participation.last_day == D(2026, 12, 31)
    assert set(participation.memberships_ending()) == set(leaving.ending)
    ended = participation.end_memberships(by=coordinator)
    assert set(ended) == set(leaving.ending)
    leaving.assert_only_the_ending_seats_ended(coordinator)
    assert list(participation.memberships_ending()) == []


def participation_form(participation, **extra) -> dict:
    return {
        "cooperation": participation.cooperation.pk,
        "municipality": participation.municipality.pk,
        "joined_on": "01-01-2021",
        "notice_given_on": "15-03-2026",
        **extra,
    }


def test_the_admin_shows_the_seats_that_end_and_saves_only_when_confirmed(leaving, coordinator, client_for):
    from django.urls import reverse

    client = client_for(coordinator)
    participation = leaving.participation
    url = reverse("admin:governance_participation_change", args=[participation.pk])
    assert "Beëindigen van deze lidmaatschappen bevestigen" in client.get(url).content.decode()

    response = client.post(url, participation_form(participation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze opzegging beëindigt de lidmaatschappen hieronder op 31 december 2026" in page
    for membership in leaving.ending:
        line = f"{membership.person} ({membership.get_role_display()}), {membership.body}: eindigt op 31 december 2026"
        assert line in page
    for membership in leaving.staying:
        assert str(membership.person) not in page
    participation.refresh_from_db()
    assert participation.notice_given_on is None
    for membership in leaving.ending:
        membership.refresh_from_db()
        assert membership.ends_on != D(2026, 12, 31)

    response = client.post(url, participation_form(participation, confirm_ending_memberships="on"), follow=True)
    assert response.redirect_chain and response.status_code == 200
    assert "Beëindigd op 31 december 2026" in response.content.decode()
    participation.refresh_from_db()
    assert participation.notice_given_on == D(2026, 3, 15) and participation.leaves_on == D(2027, 1, 1)
    leaving.assert_only_the_ending_seats_ended(coordinator)


def test_a_notice_in_the_cooperation_form_asks_the_same_confirmation(leaving, coordinator, client_for):
    from django.urls import reverse

    cooperation, participation = leaving.cooperation, leaving.participation
    others = list(cooperation.participations.exclude(pk=participation.pk))
    data = {
        "name": cooperation.name,
        "abbreviation": "",
        "kind": cooperation.kind,
        "withdrawal_rule": cooperation.withdrawal_rule,
        "decision_rule": cooperation.decision_rule,
        "participations-TOTAL_FORMS": str(1 + len(others)),
        "participations-INITIAL_FORMS": str(1 + len(others)),
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate([participation, *others]):
        data |= {
            f"participations-{index}-id": row.pk,
            f"participations-{index}-cooperation": cooperation.pk,
            f"participations-{index}-municipality": row.municipality.pk,
            f"participations-{index}-joined_on": "01-01-2021",
        }
    data["participations-0-notice_given_on"] = "15-03-2026"
    url = reverse("admin:governance_cooperation_change", args=[cooperation.pk])
    client = client_for(coordinator)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "eindigt op 31 december 2026" in response.content.decode()
    participation.refresh_from_db()
    assert participation.notice_given_on is None
    response = client.post(url, data | {"participations-0-confirm_ending_memberships": "on"})
    assert response.status_code == 302
    leaving.assert_only_the_ending_seats_ended(coordinator)
