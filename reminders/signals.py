"""Reminders follow the objects they are about.

A decoupled concern: the workflows do not know about reminders. The handlers
run inside the transaction of the save, so the reminder table changes
together with the object (or not at all)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from adoption.models import Adoption
from covenant.models import CovenantEvaluation, LeavingNotice
from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal, proposal_sent
from governance.models import MonthlyEvaluation
from meetings.models import ActionPoint, AgendaItem, Document, Meeting, Minutes, MinutesComment, Submission
from reminders.kinds import KINDS, DocumentsMissing
from reminders.models import Reminder, ReminderSettings
from reminders.planning import plan_many, plan_reminders

# Saves that touch only these fields change no reminder (renumbering, version counters).
IRRELEVANT_FIELDS = {"position", "agenda_version", "lock_version", "version"}


def relevant(update_fields) -> bool:
    return update_fields is None or bool(set(update_fields) - IRRELEVANT_FIELDS)


@receiver(post_save, sender=Meeting)
def meeting_saved(sender, instance: Meeting, update_fields=None, raw=False, **kwargs) -> None:
    if raw or not relevant(update_fields):
        return
    plan_reminders(instance)
    plan_many(list(DocumentsMissing.with_submitter(instance.items.filter(submission__isnull=False))))


@receiver(post_save, sender=AgendaItem)
def item_saved(sender, instance: AgendaItem, update_fields=None, raw=False, **kwargs) -> None:
    if not raw and relevant(update_fields):
        plan_reminders(instance)


@receiver(post_save, sender=Submission)
def submission_saved(sender, instance: Submission, raw=False, **kwargs) -> None:
    if raw:
        return
    plan_reminders(instance)  # the notice to its submitter when it is answered, sent back or put on an agenda
    if instance.preferred_meeting_id:
        plan_reminders(instance.preferred_meeting, [KINDS[Reminder.Kind.AGENDA_DEADLINE]])
    if instance.agenda_item_id:
        plan_reminders(instance.agenda_item)


@receiver(post_save, sender=Document)
def document_saved(sender, instance: Document, raw=False, **kwargs) -> None:
    if not raw and instance.item_id:
        plan_reminders(instance.item)


@receiver(post_save, sender=Minutes)
def minutes_saved(sender, instance: Minutes, raw=False, **kwargs) -> None:
    if not raw:
        plan_reminders(instance.meeting, [KINDS[Reminder.Kind.MINUTES_UNSENT]])


@receiver(post_save, sender=CollegeDecision)
@receiver(post_save, sender=CouncilTrack)
@receiver(post_save, sender=Adoption)
@receiver(post_save, sender=LeavingNotice)
@receiver(post_save, sender=CovenantEvaluation)
@receiver(post_save, sender=ActionPoint)
@receiver(post_save, sender=MonthlyEvaluation)
@receiver(post_save, sender=MinutesComment)
def saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if not raw and relevant(update_fields):
        plan_reminders(instance)


@receiver(post_save, sender=CollegeDecision)
def college_step_taken(sender, instance: CollegeDecision, update_fields=None, raw=False, **kwargs) -> None:
    """An intended or a signed decision can hand the council track to the griffier."""
    if not raw and relevant(update_fields) and instance.track is not None:
        plan_reminders(instance.track, [KINDS[Reminder.Kind.COUNCIL_STEP]])


@receiver(proposal_sent)
def plan_proposal(sender, proposal: RegionalProposal, **kwargs) -> None:
    """The reminders of every college decision and council track of the proposal."""
    plan_many(list(proposal.college_decisions.select_related("proposal__body", "municipality", "version")))
    plan_many(list(proposal.council_tracks.select_related("proposal", "municipality", "decision__version")))


@receiver(post_save, sender=RegionalProposal)
def proposal_saved(sender, instance: RegionalProposal, update_fields=None, raw=False, **kwargs) -> None:
    """Withdrawing or closing a proposal sets its pending reminders aside at once."""
    if not raw and relevant(update_fields) and instance.status != RegionalProposal.Status.SENT:
        plan_proposal(sender, instance)


@receiver(post_save, sender=ReminderSettings)
def lead_times_changed(sender, instance: ReminderSettings, raw=False, **kwargs) -> None:
    """New lead times apply at once, not only at the next quarter-hourly sweep."""
    if not raw:
        from reminders.planning import replan_everything_later
        from reminders.tasks import plan_reminders as plan_task

        # Every open object, in chunks over as many runs as it takes.
        replan_everything_later()
        plan_task.delay_on_commit()
