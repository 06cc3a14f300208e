"""`manage.py load_scale`: the scale dataset at a tiny factor, on top of the demo region."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction

from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
from governance.models import ConsultationBody
from meetings.models import ActionPoint, AgendaItem, Document, Meeting, Minutes, Submission
from municipalities.models import Municipality
from reminders.models import Reminder

PASSWORD = "demo-wachtwoord"
SMALL = {"factor": 0.0005, "municipalities": 24, "seed": 7, "password": PASSWORD}
COUNTED = [Municipality, ConsultationBody, Meeting, AgendaItem, Document, ActionPoint, Submission]
COUNTED += [RegionalProposal, CollegeDecision, CouncilTrack, Reminder]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def fingerprint() -> tuple:
    return (
        counts(),
        list(RegionalProposal.objects.order_by("pk").values_list("title", "status")),
        list(AgendaItem.objects.order_by("pk").values_list("title", flat=True)),
        list(Reminder.objects.order_by("pk").values_list("kind", "recipient__email", "status")),
    )


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", password=PASSWORD)
    return counts()


def test_the_scale_dataset_is_proportional_consistent_and_reproducible(demo):
    with transaction.atomic():
        call_command("load_scale", **SMALL)
        loaded = counts()
        first = fingerprint()

        assert loaded["Municipality"] == 24
        assert loaded["Meeting"] - demo["Meeting"] == 25  # 50,000 at factor 1
        assert 200 <= loaded["AgendaItem"] - demo["AgendaItem"] <= 320  # about ten per meeting
        assert loaded["Reminder"] - demo["Reminder"] == 500
        assert loaded["Document"] - demo["Document"] == 50
        assert loaded["ActionPoint"] - demo["ActionPoint"] == 50
        assert loaded["Submission"] - demo["Submission"] == 5
        # Every college decision has its council track; a joint arrangement's zienswijze round has council
        # tracks only (arrangements/: the council alone gives a zienswijze).
        rounds = CouncilTrack.objects.filter(proposal__cycle_document__isnull=False).count()
        assert rounds == 9 * 2 + 9  # the demo's frameworks of two arrangements, and one draft budget
        assert loaded["CollegeDecision"] == loaded["CouncilTrack"] - rounds > demo["CollegeDecision"]
        # What the pages count on: a decided proposal has every college's signed decision; adopted minutes
        # belong to a held meeting and were adopted in a later meeting of the same body.
        for proposal in RegionalProposal.objects.filter(status=RegionalProposal.Status.DECIDED):
            assert all(decision.is_final for decision in proposal.college_decisions.all())
        adopted = Minutes.objects.filter(status=Minutes.Status.ADOPTED).select_related("meeting", "adopted_in")
        for minutes in adopted:
            assert minutes.meeting.status == Meeting.Status.HELD
            assert minutes.adopted_in.body_id == minutes.meeting.body_id
            assert minutes.adopted_in.starts_at > minutes.meeting.starts_at
        for municipality in Municipality.objects.all():
            assert Group.objects.filter(name=f"municipality:{municipality.pk}:mayor").exists()

        with pytest.raises(CommandError, match="besides the demo region"):
            call_command("load_scale", **SMALL)
        assert counts() == loaded
        transaction.set_rollback(True)  # back to the demo region alone

    assert counts() == demo
    call_command("load_scale", **SMALL)  # the same seed once more
    assert fingerprint() == first


def test_a_database_with_real_people_is_refused(db, settings):
    """The demo region uses the real municipalities; its people all have .example addresses. A portal with
    real people is never loaded with generated log-ins and due reminders."""
    from tests.factories import PersonFactory

    settings.DEBUG = True
    PersonFactory(email="j.jansen@haarlem.nl")
    with pytest.raises(CommandError, match="real e-mail address"):
        call_command("load_scale", **SMALL)
    assert not Meeting.objects.exists() and Municipality.objects.count() == 0
