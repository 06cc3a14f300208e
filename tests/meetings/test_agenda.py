import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import Membership
from meetings.models import Addendum, AgendaItem, Meeting, Purpose, StaleAgenda, TransitionNotAllowed
from tests.factories import ConsultationBodyFactory, MembershipFactory, PersonFactory
from tests.meetings.conftest import add_items

pytestmark = pytest.mark.django_db


def titles(meeting: Meeting) -> list[str]:
    return [f"{i.number}. {i.title}" for i in meeting.items.order_by("position")]


def test_a_new_meeting_has_the_fixed_items_and_the_body_deadlines(region):
    region.secretaries.agenda_deadline_days, region.secretaries.documents_deadline_days = 10, 7
    starts = timezone.make_aware(datetime.datetime(2027, 3, 2, 9, 0))
    meeting = Meeting.for_body(region.secretaries, starts)
    meeting.save()
    assert titles(meeting) == [
        "1. Opening en mededelingen",
        "2. Verslag van de vorige vergadering",
        "3. Actielijst",
        "4. Rondvraag",
        "5. Sluiting",
    ]
    # Ten days before is Saturday 20 February: the working-day rule makes it the Friday before.
    assert meeting.agenda_deadline == starts - datetime.timedelta(days=11)
    assert meeting.documents_deadline == starts - datetime.timedelta(days=7)


def test_items_go_before_the_closing_items_and_numbers_follow_the_order(meeting, secretary):
    add_items(meeting, secretary, 2)
    assert titles(meeting)[3:] == ["4. Agendapunt 1", "5. Agendapunt 2", "6. Rondvraag", "7. Sluiting"]


def test_moving_an_item_renumbers_without_gaps_and_fixed_items_stay(meeting, secretary):
    first, _second, third = add_items(meeting, secretary, 3)
    meeting.move_item(third, to_position=4, version=meeting.agenda_version, by=secretary)
    assert titles(meeting)[3:6] == ["4. Agendapunt 3", "5. Agendapunt 1", "6. Agendapunt 2"]
    # Past the opening items is as far as an item goes.
    meeting.move_item(first, to_position=1, version=meeting.agenda_version, by=secretary)
    assert [i.position for i in meeting.items.order_by("position")] == list(range(1, 9))
    assert titles(meeting)[:4] == [
        "1. Opening en mededelingen",
        "2. Verslag van de vorige vergadering",
        "3. Actielijst",
        "4. Agendapunt 1",
    ]
    opening = meeting.items.get(kind=AgendaItem.Kind.OPENING)
    with pytest.raises(TransitionNotAllowed):
        meeting.move_item(opening, to_position=5, version=meeting.agenda_version, by=secretary)
    with pytest.raises(TransitionNotAllowed):
        meeting.remove_item(opening, version=meeting.agenda_version, by=secretary)


def test_a_stale_version_is_refused_and_changes_nothing(meeting, secretary):
    first, second = add_items(meeting, secretary, 2)
    seen = meeting.agenda_version
    meeting.move_item(second, to_position=4, version=seen, by=secretary)  # the first editor
    before = titles(meeting)
    with pytest.raises(StaleAgenda):
        meeting.move_item(first, to_position=5, version=seen, by=secretary)  # the second, with an old page
    with pytest.raises(StaleAgenda):
        meeting.add_item(version=seen, by=secretary, title="Nieuw", purpose=Purpose.INFORMATION)
    assert titles(meeting) == before


def test_removing_before_publication_deletes_and_renumbers(meeting, secretary):
    first, _second = add_items(meeting, secretary, 2)
    meeting.remove_item(first, version=meeting.agenda_version, by=secretary)
    assert titles(meeting)[3:] == ["4. Agendapunt 2", "5. Rondvraag", "6. Sluiting"]
    assert not Addendum.objects.exists()


def test_after_publication_every_change_needs_a_reason_and_becomes_an_addendum(meeting, secretary):
    first, _second = add_items(meeting, secretary, 2)
    meeting.publish(by=secretary)
    with pytest.raises(ValidationError):
        meeting.remove_item(first, version=meeting.agenda_version, by=secretary)
    meeting.remove_item(first, version=meeting.agenda_version, by=secretary, reason="Voorstel ingetrokken")
    added = meeting.add_item(
        version=meeting.agenda_version, by=secretary, reason="Spoed", title="Extra punt", purpose=Purpose.INFORMATION
    )
    first.refresh_from_db()
    assert first.withdrawn and first.number == 4  # stays in place, struck through
    assert added.is_addendum
    assert list(meeting.addenda.values_list("change", "reason")) == [
        (Addendum.Change.WITHDRAWN, "Voorstel ingetrokken"),
        (Addendum.Change.ADDED, "Spoed"),
    ]


def test_status_transitions_follow_the_table(meeting, secretary):
    with pytest.raises(TransitionNotAllowed):
        meeting.mark_held(by=secretary)
    with pytest.raises(ValidationError):
        meeting.cancel(by=secretary, reason=" ")
    meeting.publish(by=secretary)
    assert meeting.status == Meeting.Status.PUBLISHED and meeting.published_by == secretary
    with pytest.raises(TransitionNotAllowed):
        meeting.publish(by=secretary)
    meeting.cancel(by=secretary, reason="Te weinig agendapunten")
    assert meeting.status == Meeting.Status.CANCELLED
    with pytest.raises(TransitionNotAllowed):
        meeting.add_item(version=None, by=secretary, title="Te laat", purpose=Purpose.INFORMATION)


def test_forwarding_carries_documents_and_both_items_show_the_link(region, meeting, secretary):
    from tests.meetings.conftest import pdf_file

    item = add_items(meeting, secretary, 1, explanation="Uitleg")[0]
    document = item.documents.create(title="Notitie")
    document.add_version(pdf_file(), by=secretary, content_type="application/pdf")
    target = Meeting.for_body(region.administrative, meeting.starts_at + datetime.timedelta(days=7))
    target.save()

    copy = item.forward(to=target, by=secretary)
    assert copy.meeting == target and copy.forwarded_from == item
    assert list(item.forwarded_to.all()) == [copy]
    assert [d.title for d in copy.documents.all()] == ["Notitie"]
    assert copy.documents.get().current.file.name == document.current.file.name
    with pytest.raises(ValidationError):
        item.forward(to=target, by=secretary)  # already there
    earlier = Meeting.for_body(region.administrative, meeting.starts_at - datetime.timedelta(days=1))
    earlier.save()
    with pytest.raises(ValidationError):
        item.forward(to=earlier, by=secretary)  # a preparation comes before what it prepares
    elsewhere = Meeting.for_body(region.other, meeting.starts_at)
    elsewhere.save()
    with pytest.raises(ValidationError):
        item.forward(to=elsewhere, by=secretary)


def test_invitations_follow_portfolios_municipalities_and_dates(region, secretary):
    from municipalities.models import Office
    from tests.factories import OfficeFactory, PortfolioFactory

    housing, economy = PortfolioFactory(name="Wonen"), PortfolioFactory(name="Economie")
    on_date = OfficeFactory(role=Office.Role.ALDERMAN, municipality=region.haarlem, portfolios=[housing])
    OfficeFactory(role=Office.Role.ALDERMAN, municipality=region.velsen, portfolios=[housing])  # not covered
    OfficeFactory(role=Office.Role.ALDERMAN, municipality=region.heemstede, portfolios=[housing], ended=True)
    OfficeFactory(role=Office.Role.ALDERMAN, municipality=region.heemstede, portfolios=[economy])
    meeting = Meeting.for_body(region.administrative, timezone.now() + datetime.timedelta(days=7))
    meeting.save()
    housing_item, _plain = add_items(meeting, secretary, 1, portfolio=housing) + add_items(meeting, secretary, 1)
    assert meeting.invitations() == {on_date.person: [housing_item]}
    # The secretaries' meeting is civil servants only: no aldermen invited there.
    civil = Meeting.for_body(region.secretaries, meeting.starts_at)
    civil.save()
    add_items(civil, secretary, 1, portfolio=housing)
    assert civil.invitations() == {}


class LeadPortfolioHolders:
    """Housing in Zuid-Kennemerland: a portfolio-holder meeting whose chair changed, its members, and an
    alderman of the portfolio who sits in no portfolio-holder meeting."""

    def __init__(self, region, secretary):
        from governance.models import ConsultationBody
        from municipalities.models import Office
        from tests.factories import OfficeFactory, PortfolioFactory

        self.housing, self.economy = PortfolioFactory(name="Wonen"), PortfolioFactory(name="Economie")
        self.coordination = ConsultationBodyFactory(
            name="Coördinatieoverleg", kind=ConsultationBody.Kind.COORDINATION, cooperation=region.cooperation
        )
        self.pho = ConsultationBodyFactory(
            name="PHO Wonen",
            kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS,
            cooperation=region.cooperation,
            policy_area=self.housing,
        )
        starts = timezone.now() + datetime.timedelta(days=7)
        on = timezone.localdate(starts)

        def alderman(municipality, given_name):
            person = PersonFactory(with_login=True, given_name=given_name)
            OfficeFactory(
                person=person, role=Office.Role.ALDERMAN, municipality=municipality, portfolios=[self.housing]
            )
            return person

        self.chair = alderman(region.heemstede, "Trekker")
        self.former_chair = alderman(region.haarlem, "Vorige")
        self.member = alderman(region.haarlem, "Lid")
        self.outside_pho = alderman(region.heemstede, "Zonder")
        chair, member = Membership.Role.CHAIR, Membership.Role.MEMBER
        switch = on - datetime.timedelta(days=30)
        MembershipFactory(
            body=self.pho, person=self.former_chair, role=chair, on_behalf_of=region.haarlem, ends_on=switch
        )
        MembershipFactory(
            body=self.pho,
            person=self.chair,
            role=chair,
            on_behalf_of=region.heemstede,
            starts_on=switch + datetime.timedelta(days=1),
        )
        MembershipFactory(body=self.pho, person=self.former_chair, role=member, on_behalf_of=region.haarlem)
        MembershipFactory(body=self.pho, person=self.member, role=member, on_behalf_of=region.haarlem)
        # The chair of housing elsewhere does not lead it here.
        other_pho = ConsultationBodyFactory(kind=ConsultationBody.Kind.PORTFOLIO_HOLDERS, policy_area=self.housing)
        MembershipFactory(body=other_pho, role=chair)
        self.meetings = {}
        for body in (self.coordination, region.administrative):
            meeting = Meeting.for_body(body, starts)
            meeting.save()
            meeting.add_item(
                version=None,
                by=secretary,
                title=f"Woonagenda {body.name}",
                purpose="discussion",
                portfolio=self.housing,
            )
            meeting.add_item(
                version=None, by=secretary, title="Werklocaties", purpose="discussion", portfolio=self.economy
            )
            meeting.publish(by=secretary)
            self.meetings[body.kind] = meeting


def test_the_coordination_meeting_invites_the_chair_of_the_portfolio_holder_meeting(region, secretary, client_for):
    from governance.models import ConsultationBody

    leads = LeadPortfolioHolders(region, secretary)
    meeting = leads.meetings[ConsultationBody.Kind.COORDINATION]
    housing_item = meeting.items.get(portfolio=leads.housing)
    invitations = meeting.invitations()
    assert invitations == {leads.chair: [housing_item]}
    assert next(iter(invitations)).invited_for == region.heemstede
    coordination_secretary = region.seat(leads.coordination, Membership.Role.SECRETARY)
    page = client_for(coordination_secretary).get(reverse("invitation_list", args=[meeting.pk])).content.decode()
    assert leads.chair.full_name in page and "trekkende portefeuillehouders" in page
    for other in (leads.former_chair, leads.member, leads.outside_pho):
        assert other.full_name not in page
    mine = client_for(leads.chair.user).get(reverse("my_invitations")).content.decode()
    assert "Woonagenda Coördinatieoverleg" in mine and "Woonagenda Bestuurlijk afstemmingsoverleg" in mine
    assert "Werklocaties" not in mine


def test_the_administrative_meeting_keeps_inviting_every_alderman_of_the_portfolio(region, secretary, client_for):
    from governance.models import ConsultationBody

    leads = LeadPortfolioHolders(region, secretary)
    meeting = leads.meetings[ConsultationBody.Kind.ADMINISTRATIVE_COORDINATION]
    housing_item = meeting.items.get(portfolio=leads.housing)
    invited = {leads.chair, leads.former_chair, leads.member, leads.outside_pho}
    assert meeting.invitations() == {person: [housing_item] for person in invited}
    for person in invited - {leads.chair}:
        mine = client_for(person.user).get(reverse("my_invitations")).content.decode()
        assert "Woonagenda Bestuurlijk afstemmingsoverleg" in mine
        assert "Woonagenda Coördinatieoverleg" not in mine


def test_a_joint_council_meeting_invites_the_councils_of_the_participants(region, secretary):
    from governance.models import ConsultationBody
    from municipalities.models import Office
    from tests.factories import OfficeFactory

    joint = ConsultationBody.objects.create(
        name="Regionale raadsbijeenkomst", kind=ConsultationBody.Kind.JOINT_COUNCIL, cooperation=region.cooperation
    )
    member = OfficeFactory(role=Office.Role.COUNCIL_MEMBER, municipality=region.haarlem)
    griffier = OfficeFactory(role=Office.Role.GRIFFIER, municipality=region.heemstede)
    OfficeFactory(role=Office.Role.COUNCIL_MEMBER, municipality=region.velsen)  # not in the cooperation
    OfficeFactory(role=Office.Role.COUNCIL_MEMBER, municipality=region.haarlem, ended=True)
    meeting = Meeting.for_body(joint, timezone.now() + datetime.timedelta(days=30))
    meeting.save()
    assert set(meeting.invited_councils()) == {member, griffier}
    assert Meeting.for_body(region.secretaries, meeting.starts_at).invited_councils() == []
