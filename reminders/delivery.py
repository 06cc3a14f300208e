"""Sending one reminder, or one person's daily digest, by e-mail."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipalities.models import Person
from reminders.desk import waiting_for
from reminders.kinds import KINDS
from reminders.models import Digest, Reminder, ReminderSettings

logger = logging.getLogger(__name__)

# What a mail server or the network can do to us; anything else is a bug and should be loud.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def absolute(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def backoff(attempts: int) -> timezone.timedelta:
    """1, 2, 4, 8 ... minutes, at most an hour, between attempts."""
    return timezone.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


@dataclass
class Outcome:
    status: str
    detail: str = ""


def compose(reminder: Reminder, about) -> tuple[str, str, str]:
    """Subject, body and link in the recipient's language."""
    spec = KINDS[reminder.kind]
    with translation.override(reminder.recipient.language):
        # One line: a line break in a header is refused (and is a header injection).
        subject = " ".join(spec.subject(about).split())
        link = spec.link(about)
        body = render_to_string(
            spec.template_name,
            {**spec.context(about), "person": reminder.recipient, "url": absolute(link), "subject": subject},
        )
    return subject, body, link


def still_due(reminder: Reminder, about, now, conf: ReminderSettings) -> str:
    """Empty when the reminder should go out now; otherwise why not."""
    if about is None:
        return "what it was about no longer exists"
    for due in KINDS[reminder.kind].plan(about, conf):
        if due.recipient.pk == reminder.recipient_id and due.due_at == reminder.due_at:
            if due.moment is not None and now >= due.moment:
                return "its moment has passed"
            return ""
    return "no longer due"


def send_one(reminder_id: int) -> Outcome:
    """Sends a claimed reminder once. The row stays locked while the mail goes
    out, so a second delivery of the same task waits and then finds it sent.
    A worker that dies here leaves the row claimed; the janitor hands it out
    again, and only a mail accepted just before the death can go twice."""
    now = timezone.now()
    conf = ReminderSettings.get_solo()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("recipient", "content_type")
            .filter(pk=reminder_id, status=Reminder.Status.CLAIMED)
            .first()
        )
        if reminder is None:
            return Outcome("gone", "not claimed (already sent, skipped or handed back)")
        about = _about(reminder)
        reason = still_due(reminder, about, now, conf)
        if reason:
            reminder.status, reminder.note = Reminder.Status.SKIPPED, reason
            reminder.save(update_fields=["status", "note"])
            logger.info("Reminder %s skipped: %s", reminder.key, reason)
            return Outcome(Reminder.Status.SKIPPED, reason)
        reminder.attempts += 1
        try:
            subject, body, link = compose(reminder, about)
            reminder.subject, reminder.link = subject[:300], link
            reminder.delivery = reminder.recipient.reminder_delivery
            if reminder.delivery == Person.Delivery.EMAIL:
                EmailMessage(
                    subject=subject,
                    body=body,
                    to=[reminder.recipient.email],
                    headers={"Message-ID": reminder.stable_message_id, "Auto-Submitted": "auto-generated"},
                ).send()
                reminder.message_id = reminder.stable_message_id
        except MAIL_ERRORS as exc:
            return _failed(reminder, conf, exc, now)
        except Exception as exc:
            # Not the mail server's fault (a template, an address): retrying the
            # same way will not help, but the row must end somewhere visible.
            logger.exception("Reminder %s could not be composed or sent", reminder.key)
            return _failed(reminder, conf, exc, now, final=True)
        reminder.status, reminder.sent_at, reminder.note = Reminder.Status.SENT, now, ""
        reminder.save()
    return Outcome(Reminder.Status.SENT, reminder.delivery)


def _about(reminder: Reminder):
    """What the reminder is about, or None when it was deleted."""
    return reminder.content_type.model_class()._default_manager.filter(pk=reminder.object_id).first()


def _failed(reminder: Reminder, conf: ReminderSettings, exc: Exception, now, *, final: bool = False) -> Outcome:
    reminder.note = f"{type(exc).__name__}: {exc}"[:1000]
    if final or reminder.attempts >= conf.max_attempts:
        reminder.status = Reminder.Status.FAILED
        logger.error("Reminder %s failed after %s attempts: %s", reminder.key, reminder.attempts, reminder.note)
    else:
        # Back to the table with a later moment: the next dispatcher run tries again.
        reminder.status, reminder.retry_after = Reminder.Status.PENDING, now + backoff(reminder.attempts)
        logger.warning("Reminder %s not sent (attempt %s): %s", reminder.key, reminder.attempts, reminder.note)
    reminder.save()
    return Outcome(reminder.status, reminder.note)


def send_digest(person_id: int, day) -> Outcome:
    """Gathers what reached the person for the digest and sends it once for that day."""
    conf = ReminderSettings.get_solo()
    with transaction.atomic():
        person = Person.objects.get(pk=person_id)
        digest, _created = Digest.objects.select_for_update().get_or_create(recipient=person, day=day)
        if digest.sent_at:
            return Outcome("gone", "already sent")
        waiting = Reminder.objects.filter(
            recipient=person, status=Reminder.Status.SENT, delivery=Person.Delivery.DIGEST, digest__isnull=True
        ).select_related("content_type")
        now = timezone.now()
        reminders = []
        for reminder in waiting.order_by("due_at"):
            reminder.digest = digest
            # Done or past in the meantime (an action point closed since it was due): leave it out.
            reason = still_due(reminder, _about(reminder), now, conf)
            if reason:
                reminder.note = f"left out of the digest: {reason}"
            else:
                reminders.append(reminder)
            reminder.save(update_fields=["digest", "note"])
        if not reminders:
            return Outcome(Reminder.Status.SKIPPED, "nothing to send")
        with translation.override(person.language):
            subject = _("Your reminders of %(day)s") % {"day": day.strftime("%d-%m-%Y")}
            # What waits for the person, from the same source as the start page and the menu counts.
            desk = waiting_for(person.user, day) if person.user_id and person.user.is_active else None
            body = render_to_string(
                "reminders/email/digest.txt",
                {
                    "person": person,
                    "reminders": reminders,
                    "desk": desk,
                    "portal": absolute("/meldingen/"),
                    "start": absolute("/"),
                    "base": absolute(""),
                },
            )
        message = EmailMessage(
            subject=subject,
            body=body,
            to=[person.email],
            headers={"Message-ID": digest.stable_message_id, "Auto-Submitted": "auto-generated"},
        )
        try:
            message.send()
        except MAIL_ERRORS as exc:
            # Rolls back: the same reminders are gathered again on the next run.
            transaction.set_rollback(True)
            logger.warning("Digest for %s not sent: %s", person, exc)
            return Outcome(Reminder.Status.PENDING, str(exc))
        digest.sent_at, digest.message_id = timezone.now(), digest.stable_message_id
        digest.save()
    return Outcome(Reminder.Status.SENT, f"{len(reminders)} reminders")
