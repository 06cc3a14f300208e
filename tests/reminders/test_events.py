"""Event notices: work that arrived reaches the person who acts on it once, in their language, with one link
to the page to act on, and only while they may open that page."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from decisions.models import CollegeDecision, CouncilTrack
from governance.models import Membership
from meetings.models import Meeting, Minutes, MinutesComment, Purpose, Submission
from municipalities.models import Office, Person
from reminders.models import Reminder
from reminders.planning import plan_all, plan_reminders
from reminders.tasks import send_digests
from tests.decisions.conftest import Covenant
from tests.factories import MembershipFactory, OfficeFactory, PersonFactory
from tests.reminders.conftest import aware

D = datetime.date
Kind = Reminder.Kind
EVENT = aware(2027, 3, 1, 10, 0)
SOON = EVENT + datetime.timedelta(minutes=5)


def notices(kind: str) -> dict[int, Reminder]:
    return {reminder.recipient_id: reminder for reminder in Reminder.objects.filter(kind=kind)}


def to(mails: list, person: Person) -> list:
    return [m for m in mails if m.to == [person.email]]


def links_in(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


PORTAL = settings.PORTAL_URL.rstrip("/")


def seat(body, role=Membership.Role.MEMBER, **person_fields) -> Person:
    person = PersonFactory(with_login=True, **person_fields)
    MembershipFactory(body=body, person=person, role=role, starts_on=D(2021, 1, 1))
    return person


# 7. An agenda published: the invitation to the body's members (the secretaries send it, they get none).


@pytest.fixture
def members(region):
    return {
        "nl": seat(region.secretaries, given_name="Anna", surname="Lid"),
        "en": seat(region.secretaries, given_name="Ben", surname="Member", language=Person.Language.ENGLISH),
        "advisory": seat(region.secretaries, Membership.Role.ADVISORY_MEMBER),
    }


@pytest.fixture
def published(region, secretary, members):
    with time_machine.travel(EVENT - datetime.timedelta(days=7), tick=False):
        meeting = Meeting.for_body(region.secretaries, aware(2027, 3, 15, 14, 0))
        meeting.save()
    with time_machine.travel(EVENT, tick=False):
        meeting.publish(by=secretary)
    return meeting


def test_a_published_agenda_invites_each_member_once_in_their_language(published, secretary, members, run_due):
    """The Dutch subject and text come from the nl catalogue once this change's translations are compiled."""
    planned = notices(Kind.MEETING_INVITATION)
    assert set(planned) == {person.pk for person in members.values()}
    assert secretary.person.pk not in planned
    assert all(n.due_at == published.published_at for n in planned.values())

    # Saving the meeting again and the sweep plan nothing new; the dispatcher sends each notice once.
    with time_machine.travel(SOON, tick=False):
        published.save()
        assert plan_reminders(published) == 0
        assert plan_all() == 0
    mails = run_due(SOON)
    assert sorted(m.to[0] for m in mails) == sorted(p.email for p in members.values())
    assert run_due(SOON + datetime.timedelta(minutes=1)) == []
    assert Reminder.objects.filter(kind=Kind.MEETING_INVITATION, status=Reminder.Status.SENT).count() == 3

    dutch, english = to(mails, members["nl"])[0], to(mails, members["en"])[0]
    assert dutch.subject == f"Uitnodiging: {published.long_name()}"
    assert dutch.body.startswith("Beste Anna Lid,")
    assert english.body.startswith("Dear Ben Member,") and "When: Monday 15 March 2027, 14:00" in english.body
    for message in (dutch, english):
        # The meeting in the portal, and where to send apologies.
        assert links_in(message.body) == [
            PORTAL + f"/vergaderingen/{published.pk}/",
            PORTAL + f"/vergaderingen/{published.pk}/afmelden/",
        ]
        # The calendar item the mail carries.
        [(name, ics, mimetype)] = message.attachments
        ics = ics.decode() if isinstance(ics, bytes) else ics
        assert name == "uitnodiging.ics" and "method=REQUEST" in mimetype
        assert "METHOD:REQUEST" in ics and f"UID:vergadering-{published.pk}@" in ics
    assert Reminder.objects.get(recipient=members["nl"]).link == reverse("apology", args=[published.pk])


def test_a_meeting_cancelled_before_sending_sends_no_agenda_notice(published, secretary, run_due):
    with time_machine.travel(EVENT + datetime.timedelta(minutes=1), tick=False):
        published.cancel(by=secretary, reason="Te weinig agendapunten.")
    assert run_due(SOON) == []
    assert {(n.status, n.note) for n in notices(Kind.MEETING_INVITATION).values()} == {
        (Reminder.Status.SKIPPED, "no longer due")
    }


def test_a_member_who_left_the_body_before_sending_is_skipped_with_a_note(published, members, run_due):
    membership = Membership.objects.get(person=members["en"])
    membership.ends_on = D(2027, 2, 28)
    with time_machine.travel(EVENT + datetime.timedelta(minutes=1), tick=False):
        membership.save()
    mails = run_due(SOON)
    assert to(mails, members["en"]) == [] and len(to(mails, members["nl"])) == 1
    left = Reminder.objects.get(kind=Kind.MEETING_INVITATION, recipient=members["en"])
    assert left.status == Reminder.Status.SKIPPED and left.note == "no longer due" and not left.sent_at


def test_an_invitation_that_could_not_go_out_before_the_meeting_is_skipped_not_sent_late(published, run_due):
    # Two days late is late, but the meeting is still to come: the invitation still helps then. Not after.
    assert run_due(published.starts_at + datetime.timedelta(minutes=1)) == []
    assert {(n.status, n.note) for n in notices(Kind.MEETING_INVITATION).values()} == {
        (Reminder.Status.SKIPPED, "its moment has passed")
    }


def test_notices_follow_the_delivery_choice(published, members, run_due, client_for):
    Person.objects.filter(pk=members["nl"].pk).update(reminder_delivery=Person.Delivery.DIGEST)
    Person.objects.filter(pk=members["en"].pk).update(reminder_delivery=Person.Delivery.PORTAL)
    mails = run_due(SOON)
    assert [m.to for m in mails] == [[members["advisory"].email]]
    sent = notices(Kind.MEETING_INVITATION)
    assert sent[members["nl"].pk].delivery == Person.Delivery.DIGEST
    assert sent[members["en"].pk].delivery == Person.Delivery.PORTAL

    with time_machine.travel(aware(2027, 3, 2, 8, 15), tick=False):
        assert send_digests() == 1
    digest = mail.outbox[-1]
    assert digest.to == [members["nl"].email]
    assert published.long_name() in digest.body
    assert f"/vergaderingen/{published.pk}/" in digest.body

    with time_machine.travel(SOON, tick=False):
        page = client_for(members["nl"].user).get("/meldingen/").content.decode()
    assert published.body.name in page and "vergaderuitnodiging" in page  # the kind, as the list labels it


# 1. An item answered, sent back or put on an agenda: its submitter.


@pytest.fixture
def submitter(db) -> Person:
    return PersonFactory(
        with_login=True, given_name="Pieter", surname="Projectleider", language=Person.Language.ENGLISH
    )


@pytest.fixture
def submission(region, submitter) -> Submission:
    return Submission.objects.create(
        title="Regionale energiestrategie",
        explanation="Graag bespreken.",
        purpose=Purpose.DISCUSSION,
        submitted_by=submitter.user,
        municipality=region.haarlem,
    )


def test_an_answered_item_tells_its_submitter_the_answer(submission, submitter, coordinator, run_due):
    with time_machine.travel(EVENT, tick=False):
        submission.answer_directly(by=coordinator, answer="Dit valt onder de Omgevingsdienst; zie hun notitie.")
    assert set(notices(Kind.SUBMISSION_ANSWERED)) == {submitter.pk}
    mails = run_due(SOON)
    assert len(mails) == 1 and mails[0].to == [submitter.email]
    assert mails[0].subject == "Your item “Regionale energiestrategie” has been answered"
    assert "Dit valt onder de Omgevingsdienst; zie hun notitie." in mails[0].body
    assert links_in(mails[0].body) == [PORTAL + f"/inzendingen/{submission.pk}/"]
    assert run_due(SOON + datetime.timedelta(minutes=1)) == []


def test_each_return_of_an_item_is_its_own_notice_with_its_reason(submission, submitter, coordinator, run_due):
    with time_machine.travel(EVENT, tick=False):
        submission.send_back(by=coordinator, reason="Graag een kernboodschap toevoegen.")
    first = run_due(SOON)
    assert len(first) == 1 and first[0].subject == "Your item “Regionale energiestrategie” has been sent back"
    assert "Graag een kernboodschap toevoegen." in first[0].body
    with time_machine.travel(EVENT + datetime.timedelta(hours=1), tick=False):
        submission.resubmit(by=submitter.user)
        assert plan_all() == 0  # the first return was sent: nothing new
        submission.send_back(by=coordinator, reason="De financiële paragraaf ontbreekt nog.")
    second = run_due(EVENT + datetime.timedelta(hours=1, minutes=5))
    assert len(second) == 1 and "De financiële paragraaf ontbreekt nog." in second[0].body
    assert Reminder.objects.filter(kind=Kind.SUBMISSION_RETURNED, status=Reminder.Status.SENT).count() == 2


def test_an_item_put_on_an_agenda_names_the_meeting_unless_that_meeting_is_cancelled(
    region, submission, submitter, coordinator, secretary, run_due
):
    with time_machine.travel(EVENT - datetime.timedelta(days=7), tick=False):
        meeting = Meeting.for_body(region.secretaries, aware(2027, 3, 22, 14, 0))
        meeting.save()
        later = Meeting.for_body(region.secretaries, aware(2027, 4, 19, 14, 0))
        later.save()
    with time_machine.travel(EVENT, tick=False):
        submission.route(by=coordinator, meeting=meeting)
    mails = run_due(SOON)
    assert (
        len(mails) == 1 and mails[0].subject == f"Your item “Regionale energiestrategie” is on the agenda of {meeting}"
    )
    assert links_in(mails[0].body) == [PORTAL + f"/inzendingen/{submission.pk}/"]

    other = Submission.objects.create(
        title="Woonagenda", explanation="Ter bespreking.", purpose=Purpose.DISCUSSION,
        submitted_by=submitter.user, municipality=region.haarlem,
    )  # fmt: skip
    with time_machine.travel(EVENT + datetime.timedelta(hours=1), tick=False):
        other.route(by=coordinator, meeting=later)
        later.cancel(by=secretary, reason="Vervalt.")
    assert run_due(EVENT + datetime.timedelta(hours=1, minutes=5)) == []
    skipped = Reminder.objects.get(kind=Kind.SUBMISSION_ROUTED, object_id=other.pk)
    assert skipped.status == Reminder.Status.SKIPPED and skipped.note == "no longer due"


# 2, 3 and 4: a proposal sent, a decision to sign, a council step.


@pytest.fixture
def covenant(db) -> Covenant:
    covenant = Covenant()
    haarlem = covenant.municipalities["Haarlem"]
    covenant.loco_secretary = PersonFactory(
        with_login=True, given_name="Lotte", surname="Loco", language=Person.Language.ENGLISH
    )
    OfficeFactory(
        person=covenant.loco_secretary, role=Office.Role.LOCO_SECRETARY, municipality=haarlem, starts_on=D(2020, 1, 1)
    )
    covenant.loco_mayor = PersonFactory(with_login=True, given_name="Lars", surname="Locoburgemeester")
    OfficeFactory(
        person=covenant.loco_mayor, role=Office.Role.LOCO_MAYOR, municipality=haarlem, starts_on=D(2020, 1, 1)
    )
    covenant.griffier = PersonFactory(
        with_login=True, given_name="Gert", surname="Griffier", language=Person.Language.ENGLISH
    )
    OfficeFactory(person=covenant.griffier, role=Office.Role.GRIFFIER, municipality=haarlem, starts_on=D(2020, 1, 1))
    return covenant


SENT = aware(2027, 2, 1, 10, 0)


@pytest.fixture
def sent(covenant):
    proposal = covenant.proposal()
    by = covenant.secretaries["Haarlem"]
    covenant.adopt(proposal, by, D(2027, 1, 25))
    with time_machine.travel(SENT, tick=False):
        proposal.send(by=by, on=D(2027, 2, 1))
    return proposal


def haarlem_decision(covenant, proposal) -> CollegeDecision:
    return CollegeDecision.objects.get(proposal=proposal, municipality=covenant.municipalities["Haarlem"])


def test_a_sent_proposal_reaches_every_secretary_and_loco_secretary_of_the_colleges(covenant, sent, run_due):
    planned = Reminder.objects.filter(kind=Kind.PROPOSAL_SENT)
    expected = {user.person.pk for user in covenant.secretaries.values()} | {covenant.loco_secretary.pk}
    assert set(planned.values_list("recipient", flat=True)) == expected and planned.count() == 5
    with time_machine.travel(SENT + datetime.timedelta(minutes=1), tick=False):
        assert plan_all() == 0
    mails = run_due(SENT + datetime.timedelta(minutes=5))
    assert len(mails) == 5
    decision = haarlem_decision(covenant, sent)
    [loco] = to(mails, covenant.loco_secretary)
    assert loco.subject == "For the college of Haarlem: “Regionale woonagenda”"
    assert links_in(loco.body) == [PORTAL + f"/collegebesluiten/{decision.pk}/vastleggen/"]
    assert run_due(SENT + datetime.timedelta(minutes=6)) == []


def record(covenant, proposal, by=None) -> CollegeDecision:
    decision = haarlem_decision(covenant, proposal)
    decision.record(
        by=by or covenant.secretaries["Haarlem"],
        lock_version=decision.lock_version,
        outcome=CollegeDecision.Outcome.AGREED,
        decided_on=D(2027, 2, 9),
        reference="2027/123",
    )
    return decision


RECORDED = aware(2027, 2, 9, 10, 0)


def test_a_recorded_decision_asks_the_signatories_who_still_have_to_sign(covenant, sent, run_due):
    """The mayor and the loco-burgemeester sign, the loco-secretaris may co-sign; the secretary who
    recorded it knows. Once the mayor has signed, the loco-burgemeester is no longer waited for."""
    with time_machine.travel(RECORDED, tick=False):
        decision = record(covenant, sent)
    mayor = covenant.mayors["Haarlem"].person
    assert set(notices(Kind.DECISION_TO_SIGN)) == {mayor.pk, covenant.loco_mayor.pk, covenant.loco_secretary.pk}

    with time_machine.travel(RECORDED + datetime.timedelta(minutes=1), tick=False):
        decision.sign(by=mayor.user)
    mails = run_due(RECORDED + datetime.timedelta(minutes=5))
    assert [m.to for m in mails] == [[covenant.loco_secretary.email]]
    assert mails[0].subject == "To sign: the decision of Haarlem on “Regionale woonagenda”"
    assert links_in(mails[0].body) == [PORTAL + "/besluiten/ondertekenen/"]
    planned = notices(Kind.DECISION_TO_SIGN)
    assert planned[covenant.loco_mayor.pk].status == Reminder.Status.SKIPPED
    assert planned[mayor.pk].status == Reminder.Status.SKIPPED


def test_a_decision_recorded_again_after_it_was_sent_back_is_a_new_notice(covenant, sent, run_due):
    mayor = covenant.mayors["Haarlem"].person
    with time_machine.travel(RECORDED, tick=False):
        decision = record(covenant, sent)
    assert len(to(run_due(RECORDED + datetime.timedelta(minutes=5)), mayor)) == 1
    with time_machine.travel(RECORDED + datetime.timedelta(hours=1), tick=False):
        decision.send_back(by=mayor.user, comment="Kenmerk klopt niet.")
        record(covenant, sent)
    assert len(to(run_due(RECORDED + datetime.timedelta(hours=1, minutes=5)), mayor)) == 1
    assert Reminder.objects.filter(kind=Kind.DECISION_TO_SIGN, recipient=mayor, status="sent").count() == 2


def test_an_intended_decision_tells_the_griffier_once_to_send_it_to_the_council(covenant, sent, run_due):
    decision = haarlem_decision(covenant, sent)
    track = CouncilTrack.objects.get(pk=decision.track.pk)
    track.involvement = CouncilTrack.Involvement.WISHES
    track.save()
    assert not Reminder.objects.filter(kind=Kind.COUNCIL_STEP).exists()  # the college's turn first
    with time_machine.travel(RECORDED, tick=False):
        decision.record_intended(
            by=covenant.secretaries["Haarlem"],
            lock_version=decision.lock_version,
            intended_on=D(2027, 2, 9),
            intended_reference="2027/100",
        )
        track.refresh_from_db()
        track.notes = "Agenderen in de commissie Bestuur."
        track.save()  # the griffier's own saves are no new step
    assert set(notices(Kind.COUNCIL_STEP)) == {covenant.griffier.pk}
    mails = run_due(RECORDED + datetime.timedelta(minutes=5))
    assert len(mails) == 1 and mails[0].to == [covenant.griffier.email]
    assert mails[0].subject == ("Council of Haarlem, “Regionale woonagenda”: send the intended decision to the council")
    assert links_in(mails[0].body) == [PORTAL + f"/raadstrajecten/{track.pk}/"]
    with time_machine.travel(RECORDED + datetime.timedelta(minutes=10), tick=False):
        assert plan_all() == 0
    assert run_due(RECORDED + datetime.timedelta(minutes=11)) == []


def test_a_signed_decision_tells_the_griffier_to_inform_the_council(covenant, sent, run_due):
    with time_machine.travel(RECORDED, tick=False):
        decision = record(covenant, sent)
        covenant.sign(decision)
    step = notices(Kind.COUNCIL_STEP)
    assert set(step) == {covenant.griffier.pk}
    mails = to(run_due(RECORDED + datetime.timedelta(minutes=5)), covenant.griffier)
    assert len(mails) == 1 and mails[0].subject.endswith(": inform the council (raadsinformatiebrief)")


# 5 and 6: a comment on minutes, an item forwarded.


def test_a_comment_on_minutes_reaches_the_secretary_who_writes_them(region, secretary, members, run_due):
    Person.objects.filter(user=secretary).update(language=Person.Language.ENGLISH)
    with time_machine.travel(aware(2027, 2, 1, 9, 0), tick=False):
        meeting = Meeting.for_body(region.secretaries, aware(2027, 2, 15, 14, 0))
        meeting.save()
        meeting.publish(by=secretary)
    with time_machine.travel(aware(2027, 2, 20, 9, 0), tick=False):
        minutes = Minutes.objects.create(meeting=meeting)
        minutes.send(by=secretary)
    with time_machine.travel(EVENT, tick=False):
        MinutesComment.objects.create(minutes=minutes, author=members["en"].user, text="Punt 3: het was 12 mei.")
        MinutesComment.objects.create(minutes=minutes, author=secretary, text="Eigen aantekening.")
    assert set(notices(Kind.MINUTES_COMMENT)) == {secretary.person.pk}
    assert Reminder.objects.filter(kind=Kind.MINUTES_COMMENT).count() == 1  # not for the secretary's own
    mails = run_due(SOON)
    assert len(mails) == 1 and mails[0].to == [secretary.person.email]
    assert mails[0].subject == f"Comment on the minutes of {meeting}"
    assert "Ben Member" in mails[0].body and "Punt 3: het was 12 mei." in mails[0].body
    assert links_in(mails[0].body) == [PORTAL + f"/verslagen/{minutes.pk}/"]


def test_a_forwarded_item_reaches_the_secretary_of_the_receiving_body(region, secretary, run_due):
    receiving = seat(
        region.administrative,
        Membership.Role.SECRETARY,
        given_name="Sara",
        surname="Secretaris",
        language=Person.Language.ENGLISH,
    )
    with time_machine.travel(aware(2027, 2, 1, 9, 0), tick=False):
        preparing = Meeting.for_body(region.secretaries, aware(2027, 3, 8, 14, 0))
        preparing.save()
        target = Meeting.for_body(region.administrative, aware(2027, 3, 29, 14, 0))
        target.save()
        item = preparing.add_item(version=None, by=secretary, title="Regionale woonagenda", purpose=Purpose.ADVICE)
    with time_machine.travel(EVENT, tick=False):
        copy = item.forward(to=target, by=secretary)
    assert set(notices(Kind.ITEM_FORWARDED)) == {receiving.pk}
    with time_machine.travel(SOON, tick=False):
        assert plan_all() == 0
    mails = to(run_due(SOON), receiving)  # the preparing secretary has a reminder of her own that day
    assert len(mails) == 1
    assert mails[0].subject == f"“Regionale woonagenda” has been forwarded to {target}"
    assert str(preparing) in mails[0].body
    assert links_in(mails[0].body) == [PORTAL + f"/vergaderingen/{target.pk}/agenda/"]
    assert Reminder.objects.get(kind=Kind.ITEM_FORWARDED).object_id == copy.pk
