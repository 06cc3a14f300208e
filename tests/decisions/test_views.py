import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from pypdf import PdfReader

from decisions.models import CollegeDecision, DecisionPdf, RegionalProposal
from decisions.tasks import render_decision_pdf
from governance.models import Membership
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Outcome = CollegeDecision.Outcome


@pytest.fixture
def sent(covenant, coordinator):
    proposal = covenant.proposal()
    covenant.adopt(proposal, coordinator)
    proposal.send(by=coordinator, on=D(2026, 11, 1))
    return proposal


def record_url(proposal, name):
    return reverse("decision_record", args=[proposal.college_decisions.get(municipality__name=name).pk])


def post_record(client, proposal, name, **fields):
    decision = proposal.college_decisions.get(municipality__name=name)
    data = {
        "lock_version": decision.lock_version,
        "outcome": "agreed",
        "decided_on": "2026-11-10",
        "reference": "B&W 2026/1",
    }
    return client.post(reverse("decision_record", args=[decision.pk]), data | fields)


# role x action x own/other municipality: the statuses a person gets.
@pytest.mark.parametrize(
    ("role", "own", "other"),
    [("secretary", 200, 403), ("mayor", 403, 403), ("coordinator", 200, 200)],
)
def test_who_may_open_the_record_form(covenant, sent, coordinator, client_for, role, own, other):
    users = {
        "secretary": covenant.secretaries["Haarlem"],
        "mayor": covenant.mayors["Haarlem"],
        "coordinator": coordinator,
    }
    client = client_for(users[role])
    assert client.get(record_url(sent, "Haarlem")).status_code == own
    assert client.get(record_url(sent, "Heemstede")).status_code == other


@pytest.mark.parametrize(
    ("role", "own", "other"), [("mayor", 302, 403), ("secretary", 302, 403), ("coordinator", 403, 403)]
)
def test_who_may_sign(covenant, sent, coordinator, client_for, role, own, other):
    """The mayor signs, the secretary co-signs, each for the own college only; the coordinator does neither."""
    for name in ("Haarlem", "Heemstede"):
        post_record(client_for(covenant.secretaries[name]), sent, name)
    users = {
        "secretary": covenant.secretaries["Haarlem"],
        "mayor": covenant.mayors["Haarlem"],
        "coordinator": coordinator,
    }
    client = client_for(users[role])
    for name, expected in (("Haarlem", own), ("Heemstede", other)):
        decision = sent.college_decisions.get(municipality__name=name)
        assert client.post(reverse("decision_sign", args=[decision.pk, "sign"])).status_code == expected
        decision.refresh_from_db()
        part = "mayor" if role == "mayor" else "secretary"
        assert bool(getattr(decision, f"{part}_signed_by_id")) == (expected == 302)
        assert decision.signing == CollegeDecision.Signing.TO_SIGN  # one signature is not enough


def test_people_outside_the_cooperation_see_nothing(covenant, sent, outsider, client_for):
    client = client_for(outsider)
    assert client.get(reverse("proposal_detail", args=[sent.pk])).status_code == 404
    assert client.get(record_url(sent, "Haarlem")).status_code == 404
    assert "Regionale woonagenda" not in client.get(reverse("proposal_matrix")).content.decode()


def test_only_managers_adopt_send_and_withdraw(covenant, coordinator, client_for):
    proposal = covenant.proposal(agenda_item=covenant.held_item())
    secretary = PersonFactory(with_login=True)
    MembershipFactory(body=covenant.body, person=secretary, role=Membership.Role.SECRETARY, starts_on=D(2021, 1, 1))
    mayor = client_for(covenant.mayors["Haarlem"])
    # A draft is its body's: a mayor outside the body does not see it at all.
    assert mayor.post(reverse("proposal_transition", args=[proposal.pk, "adopt"])).status_code == 404
    body_secretary = client_for(secretary.user)
    assert body_secretary.post(reverse("proposal_transition", args=[proposal.pk, "adopt"])).status_code == 302
    # A repeat of the same step changes nothing and says so.
    repeat = body_secretary.post(reverse("proposal_transition", args=[proposal.pk, "adopt"]), follow=True)
    proposal.refresh_from_db()
    with translation.override("nl"):
        said = gettext("The regional position was already adopted on %(date)s.") % {
            "date": date_format(proposal.adopted_on)
        }
    assert [str(m) for m in repeat.context["messages"]][-1] == said
    assert body_secretary.post(reverse("proposal_transition", args=[proposal.pk, "send"])).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RegionalProposal.Status.SENT and proposal.college_decisions.count() == 4


def test_a_decision_date_before_sending_is_a_form_error(covenant, sent, client_for):
    response = post_record(client_for(covenant.secretaries["Haarlem"]), sent, "Haarlem", decided_on="2026-10-01")
    assert response.status_code == 400
    assert "Het college kan niet besluiten voordat het voorstel is verstuurd" in response.content.decode()
    assert sent.college_decisions.get(municipality__name="Haarlem").outcome == Outcome.PENDING


def test_a_second_save_with_an_old_form_is_refused(covenant, sent, client_for):
    client = client_for(covenant.secretaries["Haarlem"])
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    old = {"lock_version": 0, "outcome": "agreed", "decided_on": "2026-11-10", "reference": "eerste"}
    url = reverse("decision_record", args=[decision.pk])
    assert client.post(url, old).status_code == 302
    # The mayor sends it back, then a stale form comes in.
    decision.refresh_from_db()
    decision.send_back(by=covenant.mayors["Haarlem"], comment="Kenmerk klopt niet")
    assert decision.signing == CollegeDecision.Signing.RETURNED
    response = client.post(url, old | {"reference": "tweede"})
    assert response.status_code == 409
    decision.refresh_from_db()
    assert decision.reference == "eerste"


def test_the_matrix_shows_divergence_in_words(covenant, sent, client_for, coordinator):
    post_record(
        client_for(covenant.secretaries["Heemstede"]), sent, "Heemstede", outcome="not_agreed", motivation="Te duur"
    )
    covenant.sign(sent.college_decisions.get(municipality__name="Heemstede"))
    page = client_for(coordinator).get(reverse("proposal_matrix")).content.decode()
    assert "niet ingestemd" in page and "wijkt af" in page


def test_matrix_queries_do_not_grow_with_proposals(covenant, coordinator, client_for, django_assert_max_num_queries):
    from tests.factories import MunicipalityFactory, ParticipationFactory

    for _ in range(5):
        ParticipationFactory(
            cooperation=covenant.cooperation, municipality=MunicipalityFactory(), joined_on=D(2021, 1, 1)
        )

    def make(count):
        for _ in range(count):
            proposal = covenant.proposal()
            covenant.adopt(proposal, coordinator)
            proposal.send(by=coordinator)

    client = client_for(coordinator)
    make(5)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("proposal_matrix"))
    make(45)
    with django_assert_max_num_queries(len(small)):
        page = client.get(reverse("proposal_matrix")).content.decode()
    assert CollegeDecision.objects.count() == 50 * 9
    assert page.count("Regionale woonagenda") == 50


def test_the_decision_pdf_holds_key_message_points_and_signatories(covenant, sent, client_for):
    post_record(client_for(covenant.secretaries["Haarlem"]), sent, "Haarlem")
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    covenant.sign(decision)
    pdf = DecisionPdf.objects.get(pk=render_decision_pdf(decision.pk))
    assert render_decision_pdf(decision.pk) == pdf.pk  # rendered once per decision state
    with pdf.file.open("rb") as handle:
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Gemeente Haarlem" in text and "Kernboodschap" in text
    assert "De gemeenten werken samen aan voldoende betaalbare woningen." in text
    for point in ("In te stemmen met de regionale woonagenda", "De raad te informeren"):
        assert point in text
    assert decision.secretary_name in text and decision.mayor_name in text
    assert "de secretaris," in text and "de burgemeester," in text
    for heading in ("1. Inleiding", "2. Besluitpunten college", "3. Beoogd resultaat", "6. Uitvoering"):
        assert heading in text
    response = client_for(covenant.mayors["Haarlem"]).get(reverse("decision_pdf", args=[decision.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")


def test_the_signatories_see_what_waits_for_signing_and_the_secretary_what_to_record(covenant, sent, client_for):
    secretary = client_for(covenant.secretaries["Haarlem"])
    assert "Regionale woonagenda" in secretary.get(reverse("my_to_record")).content.decode()
    post_record(secretary, sent, "Haarlem")
    assert "Regionale woonagenda" not in secretary.get(reverse("my_to_record")).content.decode()
    mayor = client_for(covenant.mayors["Haarlem"])
    assert "Regionale woonagenda" in mayor.get(reverse("my_signatures")).content.decode()
    assert "Regionale woonagenda" in secretary.get(reverse("my_signatures")).content.decode()
    assert (
        "Regionale woonagenda"
        not in client_for(covenant.mayors["Heemstede"]).get(reverse("my_signatures")).content.decode()
    )
    mayor.post(reverse("decision_sign", args=[sent.college_decisions.get(municipality__name="Haarlem").pk, "sign"]))
    # Signed by the mayor: it leaves the mayor's list and stays on the secretary's until co-signed.
    assert "Regionale woonagenda" not in mayor.get(reverse("my_signatures")).content.decode()
    assert "Regionale woonagenda" in secretary.get(reverse("my_signatures")).content.decode()


def test_the_decision_list_of_a_meeting_holds_its_proposals(covenant, coordinator, client_for):

    item = covenant.held_item()
    meeting = item.meeting
    adopted = covenant.proposal(agenda_item=item)
    adopted.adopt(by=coordinator)
    covenant.proposal(agenda_item=item, title="Nog een concept")  # a draft is not on the list
    response = client_for(coordinator).get(reverse("decision_list_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Besluitenlijst" in text and "Regionale woonagenda" in text
    assert "In te stemmen met de regionale woonagenda" in text and "Nog een concept" not in text


def test_writing_a_proposal_with_bad_input_saves_nothing(covenant, coordinator, client_for):
    client = client_for(coordinator)
    data = {
        "title": "",
        "body": covenant.body.pk,
        "cooperation": covenant.cooperation.pk,
        "key_message": "K",
        "agenda_item": covenant.held_item().pk,
    }
    response = client.post(reverse("proposal_create"), data)
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    assert not RegionalProposal.objects.exists()
    response = client.post(
        reverse("proposal_create"), data | {"title": "Woonagenda", "decision_points": "Punt 1\nPunt 2"}
    )
    assert response.status_code == 302
    proposal = RegionalProposal.objects.get()
    assert proposal.points == ["Punt 1", "Punt 2"] and proposal.status == RegionalProposal.Status.DRAFT
    client.post(reverse("proposal_transition", args=[proposal.pk, "adopt"]))
    # After adoption the text is frozen: the form offers only the council window.
    response = client.post(
        reverse("proposal_update", args=[proposal.pk]),
        data
        | {
            "title": "Anders",
            "council_window_from": "2027-02-01",
            "council_window_to": "2027-01-01",
        },
    )
    assert response.status_code == 200
    assert "Het venster eindigt voordat het begint." in response.content.decode()
    response = client.post(
        reverse("proposal_update", args=[proposal.pk]),
        data
        | {
            "title": "Anders",
            "council_window_from": "2027-01-01",
            "council_window_to": "2027-02-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    proposal.refresh_from_db()
    assert proposal.title == "Woonagenda" and proposal.council_window_to == D(2027, 2, 1)


def test_signing_never_redirects_to_another_site(covenant, sent, client_for):
    post_record(client_for(covenant.secretaries["Haarlem"]), sent, "Haarlem")
    decision = sent.college_decisions.get(municipality__name="Haarlem")
    response = client_for(covenant.mayors["Haarlem"]).post(
        reverse("decision_sign", args=[decision.pk, "sign"]), {"next": "//elders.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("my_signatures")
