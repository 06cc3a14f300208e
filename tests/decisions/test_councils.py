import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import CouncilTrack, StaleDecision
from governance.models import ConsultationBody, Membership
from municipalities.models import Office
from tests.factories import MembershipFactory, MunicipalityFactory, OfficeFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Track = CouncilTrack


def track_of(proposal, name) -> CouncilTrack:
    return proposal.council_tracks.select_related("municipality", "proposal").get(municipality__name=name)


def keep(track, **fields):
    track.keep(lock_version=track.lock_version, **fields)


def test_sending_opens_a_council_track_for_every_participant(sent):
    assert sorted(sent.council_tracks.values_list("municipality__name", flat=True)) == [
        "Bloemendaal",
        "Haarlem",
        "Heemstede",
        "Zandvoort",
    ]


@pytest.mark.parametrize(
    ("involvement", "lead", "council", "college", "regional"),
    [
        ("consent", 6, D(2027, 2, 4), D(2026, 12, 24), D(2026, 12, 10)),
        ("wishes", 6, D(2027, 1, 7), D(2026, 11, 26), D(2026, 11, 12)),
        ("informed", 3, D(2027, 1, 14), D(2026, 12, 24), D(2026, 12, 10)),
    ],
)
def test_deadlines_work_backwards_across_the_year_end(sent, involvement, lead, council, college, regional):
    track = track_of(sent, "Haarlem")
    track.municipality.council_lead_weeks = lead
    track.involvement, track.council_date = involvement, council
    assert track.latest_college_decision == college
    assert track.latest_administrative_meeting == regional


def test_the_opinion_deadlines_work_back_from_the_end_of_the_period(sent):
    """Zienswijze: the period runs from the regional body's sending; the council must decide inside it."""
    sent.opinion_document, sent.opinion_sent_on, sent.opinion_weeks = "arrangement", D(2026, 12, 3), 8
    sent.save()
    track = track_of(sent, "Haarlem")
    track.involvement, track.council_date = "opinion", D(2027, 2, 4)
    assert sent.opinion_period_end == D(2027, 1, 28)
    assert track.latest_college_decision == D(2026, 12, 17)  # six weeks before the end of the period
    assert track.latest_administrative_meeting == D(2026, 12, 3)
    assert ("einde zienswijzetermijn (uiterlijk de zienswijze)", D(2027, 1, 28)) in track.deadlines()


def test_a_council_outside_the_window_needs_a_reason_and_is_flagged(sent):
    track = track_of(sent, "Zandvoort")
    with pytest.raises(ValidationError) as caught:
        keep(track, council_date=D(2026, 12, 15), status="planned")
    assert "outside_window_reason" in caught.value.message_dict
    assert "buiten het venster 08-11-2026 – 29-11-2026" in caught.value.message_dict["outside_window_reason"][0]
    track.refresh_from_db()
    assert track.council_date is None
    keep(track, council_date=D(2026, 12, 15), status="planned", outside_window_reason="Raad verschoven")
    assert track.outside_window and not track_of(sent, "Haarlem").outside_window


def intend(proposal, name, covenant):
    """The college takes its intended decision (the council is asked for consent)."""
    track = track_of(proposal, name)
    keep(track, involvement="consent")
    decision = track.decision
    decision.record_intended(
        by=covenant.secretaries[name],
        lock_version=decision.lock_version,
        intended_on=D(2026, 11, 9),
        intended_reference="V1",
    )


def test_a_council_that_received_other_decision_points_is_flagged_with_the_difference(sent, covenant):
    intend(sent, "Heemstede", covenant)
    intend(sent, "Haarlem", covenant)
    track = track_of(sent, "Heemstede")
    keep(
        track,
        sent_to_council_on=D(2026, 11, 10),
        council_points="In te stemmen met de regionale woonagenda\nDe raad te laten besluiten",
    )
    assert track.other_version and track.received_sha256 != track.sent_version.sha256
    assert ("-", "De raad te informeren") in track.diff() and ("+", "De raad te laten besluiten") in track.diff()
    same = track_of(sent, "Haarlem")
    keep(same, sent_to_council_on=D(2026, 11, 10))
    assert not same.other_version
    assert same.sent_version == sent.versions.get() and same.received_sha256 == sent.versions.get().sha256


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"council_date": D(2026, 10, 1), "status": "planned"}, "council_date"),
        ({"committee_date": D(2027, 2, 1), "council_date": D(2027, 1, 20), "status": "planned"}, "committee_date"),
        ({"outcome": "noted"}, "outcome_date"),
        ({"outcome": "consented", "outcome_date": D(2026, 11, 20)}, "outcome"),
        ({"outcome": "wishes_expressed"}, "outcome"),
        ({"status": "decided"}, "outcome"),
        ({"status": "planned"}, "council_date"),
    ],
)
def test_bad_council_input_is_refused_and_nothing_saved(sent, fields, field):
    track = track_of(sent, "Haarlem")
    with pytest.raises(ValidationError) as caught:
        keep(track, **fields)
    assert field in caught.value.message_dict
    track.refresh_from_db()
    assert (track.status, track.lock_version) == (Track.Status.NOT_PLANNED, 0)


def test_a_track_for_a_municipality_outside_the_cooperation_is_refused(sent):
    track = CouncilTrack(proposal=sent, municipality=MunicipalityFactory(name="Velsen"))
    with pytest.raises(ValidationError) as caught:
        track.full_clean()
    assert "municipality" in caught.value.message_dict


def test_two_griffiers_saving_at_once(sent):
    track = track_of(sent, "Haarlem")
    seen = track.lock_version
    track.keep(lock_version=seen, notes="Motie 12 aangenomen")
    with pytest.raises(StaleDecision):
        track_of(sent, "Haarlem").keep(lock_version=seen, notes="Anders")
    assert track_of(sent, "Haarlem").notes == "Motie 12 aangenomen"


# Who may do what: role x action x own/other municipality.


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [("griffier", 200, 403), ("secretary", 403, 403), ("mayor", 403, 403), ("coordinator", 200, 200)],
)
def test_who_keeps_a_council_track(covenant, sent, griffiers, coordinator, client_for, role, own, other):
    users = {
        "griffier": griffiers["Haarlem"],
        "secretary": covenant.secretaries["Haarlem"],
        "mayor": covenant.mayors["Haarlem"],
        "coordinator": coordinator,
    }
    client = client_for(users[role])
    assert client.get(reverse("council_track_edit", args=[track_of(sent, "Haarlem").pk])).status_code == own
    assert client.get(reverse("council_track_edit", args=[track_of(sent, "Heemstede").pk])).status_code == other


def test_council_members_and_secretaries_read_the_council_matrix_outsiders_do_not(covenant, sent, outsider, client_for):
    member = PersonFactory(with_login=True)
    OfficeFactory(person=member, role=Office.Role.COUNCIL_MEMBER, municipality=covenant.municipalities["Zandvoort"])
    for user in (member.user, covenant.secretaries["Haarlem"], covenant.mayors["Bloemendaal"]):
        assert "Regionale woonagenda" in client_for(user).get(reverse("council_matrix")).content.decode()
    assert "Regionale woonagenda" not in client_for(outsider).get(reverse("council_matrix")).content.decode()
    assert (
        client_for(outsider).get(reverse("council_track_edit", args=[track_of(sent, "Haarlem").pk])).status_code == 404
    )


def test_the_griffier_plans_through_the_form(sent, griffiers, client_for):
    track = track_of(sent, "Haarlem")
    client = client_for(griffiers["Haarlem"])
    data = {
        "lock_version": 0,
        "involvement": "wishes",
        "status": "planned",
        "committee_date": "2027-01-11",
        "council_date": "2027-01-25",
        "outside_window_reason": "Eerste raad na het venster",
    }
    assert client.post(reverse("council_track_edit", args=[track.pk]), data).status_code == 302
    page = client.get(reverse("griffier_dashboard")).content.decode()
    # The intended decision comes six weeks before 25 January; the next step is the college's.
    assert "Regionale woonagenda" in page and "Voorgenomen collegebesluit uiterlijk: 14 december 2026" in page
    assert "voorgenomen besluit van het college" in page and "(gemeentesecretaris)" in page
    # Sending it to the council before the college took its intended decision is refused.
    response = client.post(
        reverse("council_track_edit", args=[track.pk]), data | {"lock_version": 1, "sent_to_council_on": "2026-11-10"}
    )
    assert response.status_code == 400 and "nog geen voorgenomen besluit genomen" in response.content.decode()
    response = client.post(reverse("council_track_edit", args=[track.pk]), data | {"notes": "oud formulier"})
    assert response.status_code == 409


def test_the_two_members_rule_of_the_agenda_committee(covenant):
    committee = ConsultationBody.objects.create(
        name="Regionale agendacommissie",
        kind=ConsultationBody.Kind.REGIONAL_AGENDA_COMMITTEE,
        cooperation=covenant.cooperation,
    )
    for name, municipality in covenant.municipalities.items():
        for _ in range(2 if name != "Zandvoort" else 1):
            person = PersonFactory()
            OfficeFactory(person=person, role=Office.Role.COUNCIL_MEMBER, municipality=municipality)
            MembershipFactory(body=committee, person=person, on_behalf_of=municipality, role=Membership.Role.MEMBER)
    problems = committee.membership_rule_problems(D(2026, 11, 1))
    assert problems == ["Zandvoort: 1 van de twee raadsleden in de commissie."]


def test_dashboard_and_matrix_queries_do_not_grow(
    covenant, coordinator, griffiers, client_for, django_assert_max_num_queries
):
    def make(count):
        for _ in range(count):
            proposal = covenant.proposal()
            covenant.adopt(proposal, coordinator)
            proposal.send(by=coordinator, on=D(2026, 11, 1))
            track = track_of(proposal, "Haarlem")
            keep(track, status="planned", council_date=D(2027, 1, 25))

    griffier, reader = client_for(griffiers["Haarlem"]), client_for(coordinator)
    make(5)
    with CaptureQueriesContext(connection) as dashboard:
        griffier.get(reverse("griffier_dashboard"))
    with CaptureQueriesContext(connection) as matrix:
        reader.get(reverse("council_matrix"))
    make(45)
    with django_assert_max_num_queries(len(dashboard)):
        page = griffier.get(reverse("griffier_dashboard")).content.decode()
    assert page.count(">Regionale woonagenda</a>") == 50
    with django_assert_max_num_queries(len(matrix)):
        reader.get(reverse("council_matrix"))
