"""The covenant's life: joining after every college agreed and every council was heard, a notice of leaving
with its dates, agenda item and notices, the planned evaluation, and the signed covenant as a document."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from covenant.models import Accession, CovenantEvaluation
from decisions.models import CollegeDecision, CouncilTrack
from governance.models import Participation
from meetings.models import Meeting
from reminders.models import Reminder
from tests.decisions.conftest import Covenant
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
D = datetime.date
JOINS_ON = D(2027, 1, 1)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def covenant(db):
    made = Covenant()
    made.cooperation.starts_on, made.cooperation.evaluation_after_years = D(2021, 1, 1), 2
    made.cooperation.save()
    return made


@pytest.fixture
def velsen():
    return MunicipalityFactory(name="Velsen")


def joining(covenant, velsen, coordinator):
    accession = Accession.request(
        cooperation=covenant.cooperation, municipality=velsen, joins_on=JOINS_ON, body=covenant.body, by=coordinator
    )
    covenant.adopt(accession.proposal, coordinator)
    accession.proposal.send(by=coordinator, on=D(2026, 11, 1))
    return accession


def college_and_council(covenant, decision: CollegeDecision, outcome=CollegeDecision.Outcome.AGREED, sign=True):
    """The two steps of wensen en bedenkingen: intended decision, the council's say, the definitive decision."""
    name = decision.municipality.name
    decision.record_intended(
        by=covenant.secretaries[name],
        lock_version=decision.lock_version,
        intended_on=D(2026, 11, 5),
        intended_reference=f"{name}/2026/V1",
    )
    track = CouncilTrack.objects.get(decision=decision)
    track.keep(lock_version=track.lock_version, sent_to_council_on=D(2026, 11, 6))
    track.keep(lock_version=track.lock_version, outcome="no_wishes", outcome_date=D(2026, 11, 20))
    decision.refresh_from_db()
    decision.record(
        by=covenant.secretaries[name],
        lock_version=decision.lock_version,
        outcome=outcome,
        decided_on=D(2026, 11, 25),
        reference=f"{name}/2026/1",
        motivation="De gemeente kiest voor een eigen aanpak." if outcome == CollegeDecision.Outcome.NOT_AGREED else "",
    )
    if sign:
        covenant.sign(decision)


def test_joining_creates_the_participation_only_after_every_college_agreed_and_every_council_was_heard(
    covenant, velsen, coordinator
):
    accession = joining(covenant, velsen, coordinator)
    proposal = accession.proposal
    assert {t.involvement for t in proposal.council_tracks.all()} == {CouncilTrack.Involvement.WISHES}
    decisions = list(proposal.college_decisions.select_related("municipality").order_by("municipality__name"))
    # A college cannot decide before its council could give its wishes and objections.
    first = decisions[0]
    from core.workflow import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed, match="voorgenomen besluit"):
        first.record(
            by=covenant.secretaries[first.municipality.name],
            lock_version=first.lock_version,
            outcome=CollegeDecision.Outcome.AGREED,
            decided_on=D(2026, 11, 25),
            reference="x",
        )
    for decision in decisions[:-1]:
        college_and_council(covenant, decision)
        accession.refresh_from_db()
        assert accession.status == Accession.Status.OPEN
        assert not Participation.objects.filter(cooperation=covenant.cooperation, municipality=velsen).exists()
    college_and_council(covenant, decisions[-1])
    accession.refresh_from_db()
    assert accession.status == Accession.Status.JOINED
    participation = Participation.objects.get(cooperation=covenant.cooperation, municipality=velsen)
    assert participation.joined_on == JOINS_ON and accession.participation == participation
    assert not covenant.cooperation.participants_on(D(2026, 12, 31)).filter(pk=velsen.pk).exists()
    assert covenant.cooperation.participants_on(JOINS_ON).filter(pk=velsen.pk).exists()


def test_one_college_that_does_not_agree_refuses_the_joining(covenant, velsen, coordinator):
    accession = joining(covenant, velsen, coordinator)
    decisions = list(accession.proposal.college_decisions.select_related("municipality"))
    college_and_council(covenant, decisions[0], outcome=CollegeDecision.Outcome.NOT_AGREED)
    accession.refresh_from_db()
    assert accession.status == Accession.Status.REFUSED
    for decision in decisions[1:]:
        college_and_council(covenant, decision)
    assert not Participation.objects.filter(municipality=velsen).exists()


def test_a_request_to_join_is_refused_in_dutch_for_a_participant_a_past_date_or_a_second_request(
    covenant, velsen, coordinator, client_for
):
    url = reverse("accession_request", args=[covenant.cooperation.pk])
    client = client_for(coordinator)
    haarlem = covenant.municipalities["Haarlem"]
    response = client.post(url, {"municipality": haarlem.pk, "joins_on": "2027-01-01", "body": covenant.body.pk})
    assert (
        response.status_code == 400 and "neemt op die datum al deel aan Zuid-Kennemerland" in response.content.decode()
    )
    response = client.post(url, {"municipality": velsen.pk, "joins_on": "2020-01-01", "body": covenant.body.pk})
    assert response.status_code == 400 and "kies een datum in de toekomst" in response.content.decode()
    assert (
        client.post(url, {"municipality": velsen.pk, "joins_on": "2027-01-01", "body": covenant.body.pk}).status_code
        == 302
    )
    response = client.post(url, {"municipality": velsen.pk, "joins_on": "2027-01-01", "body": covenant.body.pk})
    assert response.status_code == 400 and "Er loopt al een verzoek van Velsen" in response.content.decode()
    assert Accession.objects.count() == 1
    assert client_for(covenant.secretaries["Haarlem"]).post(url, {}).status_code == 403


def test_a_notice_of_leaving_puts_an_item_on_the_coordination_meeting_and_tells_every_participant(
    covenant, coordinator, client_for
):
    starts = timezone.now() + datetime.timedelta(days=20)
    meeting = Meeting.for_body(covenant.body, starts)
    meeting.save()
    zandvoort = covenant.cooperation.participations.get(municipality__name="Zandvoort")
    url = reverse("leaving_notice", args=[covenant.cooperation.pk])
    letter = SimpleUploadedFile("opzegging.pdf", PDF)
    response = client_for(coordinator).post(
        url, {"participation": zandvoort.pk, "notice_on": "2026-11-10", "letter": letter}
    )
    assert response.status_code == 302
    zandvoort.refresh_from_db()
    assert (zandvoort.leaves_on, zandvoort.obligations_until) == (D(2027, 1, 1), D(2027, 12, 31))
    item = meeting.items.get(title="Opzegging door Zandvoort")
    assert "Vanaf 1 januari 2027 neemt de gemeente niet meer deel" in item.explanation
    assert "tot en met 31 december 2027" in item.explanation
    told = {r.recipient.user for r in Reminder.objects.filter(kind=Reminder.Kind.LEAVING_NOTICE)}
    assert told == set(covenant.secretaries.values())
    # A second notice, or one from someone else than the coordinator, changes nothing.
    again = client_for(coordinator).post(url, {"participation": zandvoort.pk, "notice_on": "2026-11-12"})
    assert again.status_code == 400
    assert client_for(covenant.secretaries["Haarlem"]).post(url, {}).status_code == 403
    page = client_for(covenant.secretaries["Haarlem"]).get(reverse("covenant_detail", args=[covenant.cooperation.pk]))
    assert "Zandvoort heeft op 10 november 2026 schriftelijk opgezegd" in page.content.decode()


def test_the_evaluation_is_planned_with_a_reminder_and_its_report_goes_to_the_councils(
    covenant, coordinator, client_for
):
    from covenant.tasks import plan_evaluations

    plan_evaluations()  # the nightly task
    page = client_for(coordinator).get(reverse("covenant_detail", args=[covenant.cooperation.pk]))
    evaluation = CovenantEvaluation.objects.get(cooperation=covenant.cooperation)
    assert evaluation.due_on == D(2023, 1, 1)
    assert "Evaluatie uiterlijk 1 januari 2023" in page.content.decode()
    assert Reminder.objects.filter(kind=Reminder.Kind.COVENANT_EVALUATION, recipient__user=coordinator).exists()
    url = reverse("evaluation_report", args=[covenant.cooperation.pk, evaluation.pk])
    empty = client_for(coordinator).post(url, {"report": " ", "reported_on": "2026-11-30", "body": covenant.body.pk})
    assert empty.status_code == 400
    response = client_for(coordinator).post(
        url,
        {"report": "Het convenant werkt; de agenda kan korter.", "reported_on": "2026-11-30", "body": covenant.body.pk},
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.proposal.title == "Evaluatie van Zuid-Kennemerland" and evaluation.reported_on == D(2026, 11, 30)
    assert not Reminder.objects.filter(kind=Reminder.Kind.COVENANT_EVALUATION, status=Reminder.Status.PENDING).exists()


def test_the_signed_covenant_is_a_document_of_the_cooperation_checked_by_content(covenant, coordinator, client_for):
    url = reverse("covenant_document_upload", args=[covenant.cooperation.pk])
    fake = SimpleUploadedFile("convenant.pdf", b"MZ\x90\x00 not a pdf")
    form = {"kind": "covenant", "title": "Convenant Zuid-Kennemerland", "signed_on": "2021-01-01"}
    assert client_for(coordinator).post(url, {**form, "file": fake}).status_code == 400
    response = client_for(coordinator).post(url, {**form, "file": SimpleUploadedFile("convenant.pdf", PDF)})
    assert response.status_code == 302
    document = covenant.cooperation.covenant_documents.get()
    download = client_for(covenant.secretaries["Heemstede"]).get(
        reverse("covenant_document_download", args=[covenant.cooperation.pk, document.pk])
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        client_for(covenant.secretaries["Heemstede"])
        .post(url, {**form, "file": SimpleUploadedFile("c.pdf", PDF)})
        .status_code
        == 403
    )


def test_the_nightly_task_plans_each_covenants_evaluation_once(covenant):
    from covenant.tasks import plan_evaluations

    assert plan_evaluations() == 1 and plan_evaluations() == 1
    assert CovenantEvaluation.objects.filter(cooperation=covenant.cooperation).count() == 1
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.get(name="covenant: evaluations").task == "covenant.tasks.plan_evaluations"


def test_a_draft_request_to_join_shows_on_the_covenant_page_only_to_those_who_may_read_the_draft(
    covenant, velsen, coordinator, client_for
):
    accession = Accession.request(
        cooperation=covenant.cooperation, municipality=velsen, joins_on=JOINS_ON, body=covenant.body, by=coordinator
    )
    url = reverse("covenant_detail", args=[covenant.cooperation.pk])
    link = reverse("proposal_detail", args=[accession.proposal_id])
    assert link in client_for(coordinator).get(url).content.decode()
    assert link not in client_for(covenant.secretaries["Haarlem"]).get(url).content.decode()
    covenant.adopt(accession.proposal, coordinator)
    accession.proposal.send(by=coordinator, on=D(2026, 11, 1))
    assert link in client_for(covenant.secretaries["Haarlem"]).get(url).content.decode()
