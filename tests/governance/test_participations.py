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
