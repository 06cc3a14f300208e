"""Sending one reminder, or one person's daily digest, by e-mail."""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipalities.models import Person
from reminders.desk import waiting_for
from reminders.kinds import KINDS, preloaded
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
    """Empty when the reminder should go out now; otherwise why not. The kind's own check on the one
    object, its recipients read beforehand for the batch (`kinds.preloaded`)."""
    if about is None:
        return "what it was about no longer exists"
    return KINDS[reminder.kind].still_due(reminder, about, conf, now)


def load_about(reminders: list[Reminder]) -> dict[tuple[int, int], object]:
    """What the reminders are about, one query per kind, with what composing the mail reads."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for reminder in reminders:
        wanted[reminder.kind].add(reminder.object_id)
    about = {}
    for kind, ids in wanted.items():
        spec = KINDS[kind]
        content_type = ContentType.objects.get_for_model(spec.model)
        for obj in spec.for_sending().filter(pk__in=ids):
            about[content_type.pk, obj.pk] = obj
    return about


def checked(reminders: list[Reminder], now, conf: ReminderSettings) -> dict[int, tuple[object, str]]:
    """Per reminder: what it is about, and why it is no longer due (empty when it is)."""
    about = load_about(reminders)
    by_kind: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        by_kind[reminder.kind].append(reminder)
    outcome = {}
    for kind, group in by_kind.items():
        spec = KINDS[kind]
        objects = [about[key] for key in {(r.content_type_id, r.object_id) for r in group} if key in about]
        with preloaded(spec, objects):
            for reminder in group:
                obj = about.get((reminder.content_type_id, reminder.object_id))
                outcome[reminder.pk] = (obj, still_due(reminder, obj, now, conf))
    return outcome


def send_one(reminder_id: int) -> Outcome:
    """Sends a claimed reminder once (see `send_many`)."""
    return send_many([reminder_id])[0]


def send_many(reminder_ids: list[int]) -> list[Outcome]:
    """Sends claimed reminders, each once. What they are about and who may still get them is read
    for the whole batch, and the mails share one connection to the mail server; then each row is
    locked while its mail goes out and committed on its own, so a second delivery of the same task
    waits and then finds it sent. A worker that dies here leaves the rest claimed; the janitor hands
    them out again, and only a mail accepted just before the death can go twice."""
    now = timezone.now()
    conf = ReminderSettings.get_solo()
    reminders = list(
        Reminder.objects.filter(pk__in=reminder_ids, status=Reminder.Status.CLAIMED).select_related("recipient__user")
    )
    verdicts = checked(reminders, now, conf)
    by_pk = {reminder.pk: reminder for reminder in reminders}
    outcomes = []
    with mail_connection() as connection:
        for pk in reminder_ids:
            reminder = by_pk.get(pk)
            if reminder is None:
                outcomes.append(GONE)
                continue
            about, reason = verdicts[pk]
            outcomes.append(_send_locked(reminder, about, reason, conf, now, connection))
    return outcomes


@contextmanager
def mail_connection():
    """One connection to the mail server for a run of mails, opened by the first one that goes out."""
    connection = get_connection()
    try:
        yield connection
    finally:
        hang_up(connection)


def deliver(message: EmailMessage) -> None:
    """Sends over the message's connection, opened on first use and left open for the next mail.
    A connection that failed is closed, so the next mail opens a fresh one."""
    try:
        message.connection.open()
        message.send()
    except Exception:
        hang_up(message.connection)
        raise


def hang_up(connection) -> None:
    """Closes the connection; one that already broke is dropped without a word."""
    try:
        connection.close()
    except MAIL_ERRORS as exc:
        logger.debug("Mail connection closed uncleanly: %s", exc)


GONE = Outcome("gone", "not claimed (already sent, skipped or handed back)")


def _send_locked(reminder: Reminder, about, reason: str, conf: ReminderSettings, now, connection) -> Outcome:
    with transaction.atomic():
        # The row as it is now, locked: another delivery of the task may have sent it meanwhile.
        attempts = (
            Reminder.objects.select_for_update()
            .filter(pk=reminder.pk, status=Reminder.Status.CLAIMED)
            .values_list("attempts", flat=True)
            .first()
        )
        if attempts is None:
            return GONE
        reminder.attempts = attempts
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
                message = EmailMessage(
                    subject=subject,
                    body=body,
                    to=[reminder.recipient.email],
                    headers={"Message-ID": reminder.stable_message_id, "Auto-Submitted": "auto-generated"},
                    connection=connection,
                )
                for name, content, mimetype in KINDS[reminder.kind].attachments(about, reminder):
                    message.attach(name, content, mimetype)
                deliver(message)
                reminder.message_id = reminder.stable_message_id
        except MAIL_ERRORS as exc:
            return _failed(reminder, conf, exc, now)
        except Exception as exc:
            # Not the mail server's fault (a template, an address): retrying the
            # same way will not help, but the row must end somewhere visible.
            logger.exception("Reminder %s could not be composed or sent", reminder.key)
            return _failed(reminder, conf, exc, now, final=True)
        reminder.status, reminder.sent_at, reminder.note = Reminder.Status.SENT, now, ""
        reminder.save(update_fields=SENT_FIELDS)
    return Outcome(Reminder.Status.SENT, reminder.delivery)


SENT_FIELDS = ["status", "sent_at", "note", "attempts", "subject", "link", "delivery", "message_id"]


def _failed(reminder: Reminder, conf: ReminderSettings, exc: Exception, now, *, final: bool = False) -> Outcome:
    reminder.note = f"{type(exc).__name__}: {exc}"[:1000]
    if final or reminder.attempts >= conf.max_attempts:
        reminder.status = Reminder.Status.FAILED
        logger.error("Reminder %s failed after %s attempts: %s", reminder.key, reminder.attempts, reminder.note)
    else:
        # Back to the table with a later moment: the next dispatcher run tries again.
        reminder.status, reminder.retry_after = Reminder.Status.PENDING, now + backoff(reminder.attempts)
        logger.warning("Reminder %s not sent (attempt %s): %s", reminder.key, reminder.attempts, reminder.note)
    reminder.save(update_fields=["status", "note", "attempts", "retry_after", "subject", "link", "delivery"])
    return Outcome(reminder.status, reminder.note)


def send_digest(person_id: int, day, connection=None, conf: ReminderSettings | None = None) -> Outcome:
    """Gathers what reached the person for the digest and sends it once for that day; over
    `connection` and with `conf` read once when the caller sends several (see `mail_connection`)."""
    if connection is None:
        with mail_connection() as connection:
            return send_digest(person_id, day, connection, conf)
    conf = conf or ReminderSettings.get_solo()
    with transaction.atomic():
        person = Person.objects.select_related("user").get(pk=person_id)
        digest, _created = Digest.objects.select_for_update().get_or_create(recipient=person, day=day)
        if digest.sent_at:
            return Outcome("gone", "already sent")
        waiting = list(
            Reminder.objects.filter(
                recipient=person, status=Reminder.Status.SENT, delivery=Person.Delivery.DIGEST, digest__isnull=True
            )
            .select_related("recipient__user")
            .order_by("due_at")
        )
        now = timezone.now()
        verdicts = checked(waiting, now, conf)
        reminders = []
        for reminder in waiting:
            reminder.digest, reminder.changed_at = digest, now
            # Done or past in the meantime (an action point closed since it was due): leave it out.
            _about_it, reason = verdicts[reminder.pk]
            if reason:
                reminder.note = f"left out of the digest: {reason}"
            else:
                reminders.append(reminder)
        if waiting:
            Reminder.objects.bulk_update(waiting, ["digest", "note", "changed_at"])
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
            connection=connection,
        )
        try:
            deliver(message)
        except MAIL_ERRORS as exc:
            # Rolls back: the same reminders are gathered again on the next run.
            transaction.set_rollback(True)
            logger.warning("Digest for %s not sent: %s", person, exc)
            return Outcome(Reminder.Status.PENDING, str(exc))
        digest.sent_at, digest.message_id = timezone.now(), digest.stable_message_id
        digest.save(update_fields=["sent_at", "message_id"])
    return Outcome(Reminder.Status.SENT, f"{len(reminders)} reminders")
