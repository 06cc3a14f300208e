"""The adoption arrangement: naming adopters (by an even rotation or by hand), their sounding-board comment on a
draft and their advice to every participant, who may do what, and the reminders of a reviewer."""

import collections
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from adoption.models import Adoption, name_adopters, rotation
from governance.models import ConsultationBody
from municipalities.models import Office
from reminders.models import Reminder
from tests.decisions.conftest import Covenant
from tests.factories import (
    ConsultationBodyFactory,
    CooperationFactory,
    MunicipalityFactory,
    OfficeFactory,
    ParticipationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
DUE = D(2027, 1, 15)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def covenant(db):
    return Covenant()


@pytest.fixture
def griffier_of_haarlem(covenant):
    person = PersonFactory(with_login=True, surname="Griffier Haarlem")
    OfficeFactory(person=person, role=Office.Role.GRIFFIER, municipality=covenant.municipalities["Haarlem"])
    return person.user


@pytest.fixture
def sent(covenant, coordinator):
    proposal = covenant.proposal()
    covenant.adopt(proposal, coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal


def test_the_rotation_spreads_a_year_of_adoptions_evenly(coordinator):
    cooperation = CooperationFactory(name="Brabant Noord")
    body = ConsultationBodyFactory(kind=ConsultationBody.Kind.COORDINATION, cooperation=cooperation)
    for index in range(7):
        ParticipationFactory(cooperation=cooperation, municipality=MunicipalityFactory(name=f"Gemeente {index}"))
    from decisions.models import RegionalProposal

    for number in range(30):
        proposal = RegionalProposal.objects.create(
            title=f"Regionaal stuk {number}", key_message="-", decision_points="-", body=body, cooperation=cooperation
        )
        made = name_adopters(proposal, by=coordinator, due_on=D(2030, 1, 1))
        assert len({a.municipality_id for a in made}) == 3
    counts = collections.Counter(Adoption.objects.values_list("municipality__name", flat=True))
    assert len(counts) == 7 and sum(counts.values()) == 90
    assert max(counts.values()) - min(counts.values()) <= 1, counts


def test_a_municipality_adopts_a_proposal_once_and_only_as_a_participant(covenant, sent, coordinator):
    haarlem = covenant.municipalities["Haarlem"]
    name_adopters(sent, by=coordinator, due_on=DUE, municipalities=[haarlem])
    with pytest.raises(ValidationError, match="Deze gemeente adopteert dit voorstel al"):
        name_adopters(sent, by=coordinator, due_on=DUE, municipalities=[haarlem])
    assert sent.adoptions.count() == 1
    # The rotation passes over who adopts it already.
    assert haarlem not in rotation(sent, count=3)
    # A withdrawn adoption makes room for a new one.
    Adoption.objects.filter(proposal=sent).update(withdrawn=True)
    name_adopters(sent, by=coordinator, due_on=DUE, municipalities=[haarlem])
    outside = MunicipalityFactory(name="Velsen")
    with pytest.raises(ValidationError, match="Velsen neemt niet deel aan Zuid-Kennemerland"):
        name_adopters(sent, by=coordinator, due_on=DUE, municipalities=[outside])
    with pytest.raises(ValidationError, match="niet eerder verwacht"):
        name_adopters(sent, by=coordinator, due_on=D(2020, 1, 1), municipalities=[covenant.municipalities["Zandvoort"]])


def test_the_coordinator_names_adopters_by_rotation_in_the_browser_form(covenant, sent, coordinator, client_for):
    url = reverse("adopters_name", args=[sent.pk])
    response = client_for(coordinator).post(url, {"due_on": "2027-01-15", "how": "rotation", "count": 3})
    assert response.status_code == 302
    assert sent.adoptions.count() == 3
    by_hand = client_for(coordinator).post(url, {"due_on": "2027-01-15", "how": "hand", "count": 3})
    assert by_hand.status_code == 400 and "Kies de adoptiegemeenten." in by_hand.content.decode()
    assert client_for(covenant.secretaries["Haarlem"]).get(url).status_code == 403


def test_who_may_read_and_give_the_advice(covenant, sent, coordinator, client_for, griffier_of_haarlem, outsider):
    adoption = name_adopters(sent, by=coordinator, due_on=DUE, municipalities=[covenant.municipalities["Heemstede"]])[0]
    other = MunicipalityFactory(name="Velsen")
    outsider_secretary = PersonFactory(with_login=True)
    OfficeFactory(person=outsider_secretary, role=Office.Role.MUNICIPAL_SECRETARY, municipality=other)
    edit, detail = reverse("adoption_edit", args=[adoption.pk]), reverse("proposal_detail", args=[sent.pk])
    expected = {
        covenant.secretaries["Heemstede"]: (200, 200),  # the adopter
        covenant.secretaries["Haarlem"]: (200, 403),  # another participant
        griffier_of_haarlem: (200, 403),
        coordinator: (200, 403),  # names adopters, but does not advise
        outsider_secretary.user: (404, 404),  # not a participant
    }
    for user, codes in expected.items():
        client = client_for(user)
        assert (client.get(detail).status_code, client.get(edit).status_code) == codes, user
    assert client_for(outsider).get(edit).status_code in (302, 404)
    # A post by a municipality that was not named is refused, and saves nothing.
    refused = client_for(covenant.secretaries["Haarlem"]).post(
        edit, {"lock_version": 0, "recommendation": "agree", "findings": "Eens."}
    )
    assert refused.status_code == 403
    adoption.refresh_from_db()
    assert adoption.advised_on is None


def test_the_advice_reaches_every_participant_on_the_proposal_the_college_form_and_the_council_track(
    covenant, sent, coordinator, client_for, griffier_of_haarlem
):
    adoption = name_adopters(sent, by=coordinator, due_on=DUE, municipalities=[covenant.municipalities["Heemstede"]])[0]
    url = reverse("adoption_edit", args=[adoption.pk])
    empty = client_for(covenant.secretaries["Heemstede"]).post(url, {"lock_version": 0, "findings": " "})
    assert empty.status_code == 400 and "Dit veld is verplicht" in empty.content.decode()
    given = client_for(covenant.secretaries["Heemstede"]).post(
        url,
        {
            "lock_version": 0,
            "recommendation": "agree_with_remarks",
            "findings": "Eens, maar de monitoring moet per kwartaal.",
        },
    )
    assert given.status_code == 302
    stale = client_for(covenant.secretaries["Heemstede"]).post(
        url, {"lock_version": 0, "recommendation": "agree", "findings": "Toch eens."}
    )
    assert stale.status_code == 409
    adoption.refresh_from_db()
    assert adoption.recommendation == "agree_with_remarks"
    assert adoption.history.first().history_user == covenant.secretaries["Heemstede"]
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    track = sent.council_tracks.get(municipality__name="Haarlem")
    pages = [
        client_for(covenant.secretaries["Zandvoort"]).get(reverse("proposal_detail", args=[sent.pk])),
        client_for(covenant.secretaries["Haarlem"]).get(reverse("decision_record", args=[decision.pk])),
        client_for(griffier_of_haarlem).get(reverse("council_track_edit", args=[track.pk])),
    ]
    for page in pages:
        text = page.content.decode()
        assert page.status_code == 200
        assert "Advies van Heemstede" in text and "instemmen, met opmerkingen" in text
        assert "de monitoring moet per kwartaal" in text


def test_adopters_are_the_sounding_board_of_a_draft_and_advise_only_after(covenant, coordinator, client_for):
    draft = covenant.proposal()
    from tests.factories import MembershipFactory

    secretary_of_body = PersonFactory(with_login=True)
    MembershipFactory(body=covenant.body, person=secretary_of_body, role="secretary")
    adoption = name_adopters(
        draft, by=coordinator, due_on=DUE, municipalities=[covenant.municipalities["Bloemendaal"]]
    )[0]
    url = reverse("adoption_edit", args=[adoption.pk])
    response = client_for(covenant.secretaries["Bloemendaal"]).post(
        url, {"lock_version": 0, "sounding_comment": "Neem de bibliotheken mee."}
    )
    assert response.status_code == 302
    page = client_for(secretary_of_body.user).get(reverse("proposal_detail", args=[draft.pk])).content.decode()
    assert "Reactie van Bloemendaal op het concept" in page and "Neem de bibliotheken mee." in page
    adoption.refresh_from_db()
    from core.workflow import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed, match="zodra het regionale standpunt is vastgesteld"):
        adoption.advise(lock_version=adoption.lock_version, by=coordinator, recommendation="agree", findings="Eens.")
    covenant.adopt(draft, coordinator)
    adoption.refresh_from_db()
    with pytest.raises(TransitionNotAllowed, match="geen concept meer"):
        adoption.comment_on_draft(lock_version=adoption.lock_version, by=coordinator, text="Nog iets.")


def test_the_reviewer_gets_reminders_and_the_municipality_page_lists_what_is_due(
    covenant, sent, coordinator, client_for
):
    adoption = name_adopters(sent, by=coordinator, due_on=DUE, municipalities=[covenant.municipalities["Zandvoort"]])[0]
    reminders = Reminder.objects.filter(kind=Reminder.Kind.ADOPTION_DUE)
    assert {r.recipient.user for r in reminders} == {covenant.secretaries["Zandvoort"]}
    reviewer = PersonFactory(with_login=True, surname="Beleidsadviseur")
    OfficeFactory(person=reviewer, role=Office.Role.PROJECT_LEADER, municipality=covenant.municipalities["Zandvoort"])
    response = client_for(covenant.secretaries["Zandvoort"]).post(
        reverse("adoption_edit", args=[adoption.pk]), {"lock_version": 0, "reviewer": reviewer.pk}
    )
    assert response.status_code == 302
    pending = Reminder.objects.filter(kind=Reminder.Kind.ADOPTION_DUE, status=Reminder.Status.PENDING)
    assert {r.recipient for r in pending} == {reviewer}
    page = (
        client_for(reviewer.user)
        .get(reverse("municipality_adoptions", args=[covenant.municipalities["Zandvoort"].pk]))
        .content.decode()
    )
    assert sent.title in page and "1 advies te geven" in page
    # It waits for the reviewer on the start page too, with its due date, and no longer for the secretary.
    start = client_for(reviewer.user).get(reverse("home")).content.decode()
    assert "Adoptieadviezen te geven" in start and sent.title in start
    assert (
        "Adoptieadviezen te geven"
        not in client_for(covenant.secretaries["Zandvoort"]).get(reverse("home")).content.decode()
    )
