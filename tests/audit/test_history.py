"""The history pages: who changed what, from what to what, shown to those who manage the object."""

import pytest
from django.urls import reverse
from django.utils import translation
from guardian.shortcuts import assign_perm

from decisions.models import ProposalDocument, RegionalProposal
from governance.models import Membership
from tests.audit.conftest import add_item
from tests.decisions.conftest import Covenant
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
SECRET = "Ontslag directeur"


def change(obj, by, reason: str = "", **fields):
    """A save as a page makes it: by a person (HistoryRequestMiddleware), with the reason given."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.save()


def page_of(client, name: str, pk: int, **params):
    return client.get(reverse(name, args=[pk]), params)


# A meeting.


def test_the_secretariat_sees_who_changed_which_field_from_what_to_what(meeting, body_secretary, client_for):
    item = add_item(meeting, body_secretary, "Woonagenda")
    change(item, body_secretary, reason="Titel verduidelijkt", title="Regionale woonagenda 2027")
    change(meeting, body_secretary, location="Raadzaal Haarlem")
    response = page_of(client_for(body_secretary), "meeting_history", meeting.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Woonagenda" in page and "Regionale woonagenda 2027" in page
    assert "<del" in page and "<ins" in page
    assert "Titel verduidelijkt" in page
    assert "Raadzaal Haarlem" in page
    person = body_secretary.person
    assert person.full_name in page
    rows = response.context["rows"]
    title_change = next(r for r in rows if r.reason == "Titel verduidelijkt")
    assert [(c.old, c.new) for c in title_change.changes] == [("Woonagenda", "Regionale woonagenda 2027")]
    assert title_change.kind == "changed" and title_change.who == person.full_name
    assert rows[0].when >= rows[-1].when  # newest first
    # Adding the item bumped the meeting's agenda version, a field the history leaves out: no empty row.
    assert all(r.changes or r.reason for r in rows if r.kind == "changed")


def test_the_coordinator_sees_the_history_too(meeting, body_secretary, coordinator, client_for):
    add_item(meeting, body_secretary, "Woonagenda")
    assert page_of(client_for(coordinator), "meeting_history", meeting.pk).status_code == 200


def test_a_member_who_sees_the_meeting_may_not_see_its_history(meeting, body_secretary, member, client_for):
    add_item(meeting, body_secretary, "Woonagenda")
    meeting.publish(by=body_secretary)
    client = client_for(member)
    assert page_of(client, "meeting_detail", meeting.pk).status_code == 200
    assert page_of(client, "meeting_history", meeting.pk).status_code == 403


def test_someone_who_does_not_see_the_meeting_gets_404(meeting, outsider, secretary, client_for):
    assert page_of(client_for(secretary), "meeting_history", meeting.pk).status_code == 404
    assert page_of(client_for(secretary), "meeting_history", 999_999).status_code == 404


def test_the_meeting_page_links_to_the_history_only_for_the_secretariat(meeting, body_secretary, member, client_for):
    add_item(meeting, body_secretary, "Woonagenda")
    meeting.publish(by=body_secretary)
    link = reverse("meeting_history", args=[meeting.pk])
    assert link in page_of(client_for(body_secretary), "meeting_detail", meeting.pk).content.decode()
    assert link not in page_of(client_for(member), "meeting_detail", meeting.pk).content.decode()


def test_a_confidential_item_stays_out_of_the_history_of_who_may_not_see_it(
    region, meeting, body_secretary, client_for
):
    """A preparer without the confidential grant (given by hand here: no group has that combination today)."""
    secret = add_item(meeting, body_secretary, "Personeel", confidential=True)
    change(secret, body_secretary, title=SECRET)
    public = add_item(meeting, body_secretary, "Woonagenda")
    change(public, body_secretary, title="Regionale woonagenda")
    preparer = PersonFactory(with_login=True).user
    for codename in ("view_meetings", "prepare_meetings"):
        assign_perm(f"governance.{codename}", preparer, region.secretaries)
    page = page_of(client_for(preparer), "meeting_history", meeting.pk).content.decode()
    assert "Regionale woonagenda" in page
    assert SECRET not in page and "Personeel" not in page
    full = page_of(client_for(body_secretary), "meeting_history", meeting.pk).content.decode()
    assert SECRET in full and "Personeel" in full


def test_a_document_of_the_meeting_has_its_history(meeting, body_secretary, client_for):
    from meetings.models import Document

    item = add_item(meeting, body_secretary, "Woonagenda")
    document = Document.objects.create(item=item, title="Notitie")
    change(document, body_secretary, title="Notitie woonagenda")
    page = page_of(client_for(body_secretary), "meeting_history", meeting.pk).content.decode()
    assert "Notitie woonagenda" in page


@pytest.mark.parametrize("changes", [3, 40])
def test_the_history_page_asks_the_same_number_of_queries_however_long(
    meeting, body_secretary, client_for, django_assert_max_num_queries, changes
):
    items = [add_item(meeting, body_secretary, f"Punt {n}") for n in range(3)]
    for n in range(changes):
        change(items[n % 3], body_secretary, title=f"Punt {n} herzien")
    client = client_for(body_secretary)
    client.get(reverse("meeting_history", args=[meeting.pk]))  # the session and caches
    # The session, the log-in, the coordinator check, the body's permissions (4), the timeline's count and
    # page, the records and their predecessors per model on the page, the people who made them, the menu.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("meeting_history", args=[meeting.pk]))
    assert 0 < len(response.context["rows"]) <= 25


def test_a_long_history_comes_in_pages(meeting, body_secretary, client_for):
    item = add_item(meeting, body_secretary, "Punt")
    for n in range(30):
        change(item, body_secretary, title=f"Punt {n}")
    client = client_for(body_secretary)
    first = page_of(client, "meeting_history", meeting.pk)
    second = page_of(client, "meeting_history", meeting.pk, pagina=2)
    assert first.context["page"].has_next()
    seen = {r.changes[0].new for r in first.context["rows"] + second.context["rows"] if r.changes}
    assert "Punt 29" in seen and "Punt 0" in seen
    assert page_of(client, "meeting_history", meeting.pk, pagina="²").status_code == 200


# A regional proposal.


@pytest.fixture
def covenant(db) -> Covenant:
    return Covenant()


def seat(body, role):
    person = PersonFactory(with_login=True)
    MembershipFactory(body=body, person=person, role=role)
    return person.user


def test_a_proposal_history_shows_the_text_changes_to_who_manages_it(covenant, coordinator, client_for):
    body_secretary = seat(covenant.body, Membership.Role.SECRETARY)
    proposal = covenant.proposal()
    change(proposal, body_secretary, reason="Na overleg", key_message="Samen bouwen aan betaalbare woningen.")
    ProposalDocument.objects.create(
        proposal=proposal,
        title="Raadsinformatiebrief",
        original_name="rib.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=body_secretary,
    )
    for user in (body_secretary, coordinator):
        response = page_of(client_for(user), "proposal_history", proposal.pk)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Samen bouwen aan betaalbare woningen." in page and "Na overleg" in page
        assert "Raadsinformatiebrief" in page
    detail = page_of(client_for(body_secretary), "proposal_detail", proposal.pk).content.decode()
    assert reverse("proposal_history", args=[proposal.pk]) in detail


def test_a_reader_of_the_proposal_gets_403_and_others_404(covenant, coordinator, outsider, client_for):
    proposal = covenant.proposal()
    proposal.status = RegionalProposal.Status.ADOPTED  # read by every office holder of the cooperation
    proposal.save()
    mayor = client_for(covenant.mayors["Haarlem"])
    assert page_of(mayor, "proposal_detail", proposal.pk).status_code == 200
    history = reverse("proposal_history", args=[proposal.pk])
    assert history not in page_of(mayor, "proposal_detail", proposal.pk).content.decode()
    assert page_of(mayor, "proposal_history", proposal.pk).status_code == 403
    draft = covenant.proposal(title="Concept")
    assert page_of(mayor, "proposal_history", draft.pk).status_code == 404
    assert page_of(client_for(outsider), "proposal_history", proposal.pk).status_code == 404


# A consultation body.


def test_a_body_history_shows_memberships_to_its_secretariat(region, body_secretary, member, secretary, client_for):
    person = PersonFactory(with_login=True, given_name="Petra", surname="Jansen")
    membership = MembershipFactory(body=region.secretaries, person=person, role=Membership.Role.MEMBER)
    change(membership, body_secretary, role=Membership.Role.ADVISORY_MEMBER)
    response = page_of(client_for(body_secretary), "body_history", region.secretaries.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Petra Jansen" in page
    change_row = next(r for r in response.context["rows"] if r.kind == "changed" and "Petra" in r.what)
    with translation.override("nl"):  # the page's language
        expected = [(str(Membership.Role.MEMBER.label), str(Membership.Role.ADVISORY_MEMBER.label))]
    assert [(c.old, c.new) for c in change_row.changes] == expected
    assert page_of(client_for(member), "body_history", region.secretaries.pk).status_code == 403
    assert page_of(client_for(secretary), "body_history", region.secretaries.pk).status_code == 404


def test_the_body_page_links_to_its_history_only_for_the_secretariat(region, body_secretary, member, client_for):
    link = reverse("body_history", args=[region.secretaries.pk])
    assert link in page_of(client_for(body_secretary), "body_detail", region.secretaries.pk).content.decode()
    assert link not in page_of(client_for(member), "body_detail", region.secretaries.pk).content.decode()


def test_an_item_taken_off_a_draft_agenda_shows_as_deleted(meeting, body_secretary, client_for):
    item = add_item(meeting, body_secretary, "Verkeersplan")
    meeting.remove_item(item, version=None, by=body_secretary)
    rows = page_of(client_for(body_secretary), "meeting_history", meeting.pk).context["rows"]
    deleted = [r for r in rows if r.kind == "deleted"]
    assert len(deleted) == 1 and "Verkeersplan" in deleted[0].what and deleted[0].changes == []
