import hashlib

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation

from core.pdf import render_pdf, store_pdf
from meetings.models import AgendaPdf, Meeting


@shared_task
def render_agenda_pdf(meeting_id: int) -> int | None:
    """Renders the published agenda at its current version, once. A version whose PDF has the checksum of
    the one before (nothing the PDF shows changed) gets no new PDF: the one before stands for it."""
    meeting = Meeting.objects.select_related("body__cooperation").filter(pk=meeting_id).first()
    if meeting is None or not meeting.has_published_agenda:
        return None
    version = meeting.agenda_version
    latest = meeting.pdfs.first()
    if latest is not None and latest.agenda_version >= version:
        return latest.pk
    # The agenda is a Dutch document, whoever's change queued it.
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf("pdf/agenda.html", agenda_pdf_context(meeting))
    checksum = hashlib.sha256(content).hexdigest()
    body = meeting.body.abbreviation or meeting.body.pk
    try:
        with transaction.atomic():
            if latest is not None and latest.sha256 == checksum:
                AgendaPdf.objects.filter(pk=latest.pk).update(agenda_version=version)
                return latest.pk
            pdf = AgendaPdf(meeting=meeting, agenda_version=version, sha256=checksum)
            name = f"agenda-{body}-{meeting.starts_at:%Y-%m-%d}-v{version}.pdf".replace(" ", "-")
            pdf.file.save(name, ContentFile(content), save=False)
            pdf.save()
    except IntegrityError:
        # Another worker stored this version first.
        return AgendaPdf.objects.get(meeting=meeting, agenda_version=version).pk
    return pdf.pk


def agenda_pdf_context(meeting: Meeting) -> dict:
    # The PDF goes to everyone who may see the meeting, advisory members and invited aldermen included, so
    # confidential items stay out of it, with their addenda, and the others are numbered without a gap.
    from meetings.models import number_without_confidential, renumber

    items = list(
        meeting.items.filter(confidential=False)
        .select_related("portfolio", "forwarded_from__meeting__body")
        .prefetch_related("documents__versions")
    )
    numbers = number_without_confidential(items)
    addenda = [a for a in meeting.addenda.select_related("item") if a.item is None or not a.item.confidential]
    renumber([a.item for a in addenda], numbers)
    invitations = {}
    for person, invited_items in meeting.invitations().items():
        shown = [item for item in invited_items if not item.confidential]
        renumber(shown, numbers)
        if shown:
            invitations[person] = shown
    return {
        "meeting": meeting,
        "items": items,
        "invitations": invitations,
        "addenda": addenda,
        "members": list(meeting.body.members_on(meeting.starts_at.date()).order_by("role", "person__surname")),
    }


@shared_task
def render_minutes_pdf(minutes_id: int) -> int | None:
    """Renders the minutes in their current status (a concept until adopted); once per status."""
    from meetings.models import Minutes, MinutesPdf

    minutes = Minutes.objects.select_related("meeting__body", "adopted_in").filter(pk=minutes_id).first()
    if minutes is None or minutes.status == Minutes.Status.DRAFT:
        return None
    body = minutes.meeting.body.abbreviation or minutes.meeting.body_id
    return store_pdf(
        MinutesPdf,
        key={"minutes": minutes, "status": minutes.status},
        template_name="pdf/minutes.html",
        context=lambda: minutes_pdf_context(minutes),
        file_name=f"verslag-{body}-{minutes.meeting.starts_at:%Y-%m-%d}-{minutes.status}.pdf",
        # Adopted minutes are archived (PDF/A); the concept sent for comment is replaced by them.
        archive=minutes.status == minutes.Status.ADOPTED,
    )


def minutes_pdf_context(minutes) -> dict:
    from meetings.models import number_without_confidential

    attendance = list(minutes.meeting.attendance.select_related("person", "on_behalf_of"))
    items = list(
        minutes.items.select_related("agenda_item")
        .prefetch_related("action_points__owner")
        .filter(agenda_item__confidential=False)
    )
    number_without_confidential([item.agenda_item for item in items])
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "present": [a for a in attendance if a.presence == "present"],
        "excused": [a for a in attendance if a.presence == "excused"],
        "items": items,
        "errata": list(minutes.errata.all()),
    }


@shared_task
def open_monthly_evaluations() -> int:
    """Daily; from the first working day of the month on, each cooperation's evaluation is opened once."""
    from meetings.actions import open_monthly_evaluations as open_evaluations

    return len(open_evaluations())


@shared_task
def render_missing_pdfs() -> int:
    """The sweep for PDFs whose task never reached a worker (the broker was down
    when the change was saved): queues the agenda and minutes PDFs that should exist."""
    from django.db.models import Exists, OuterRef

    from meetings.models import Minutes, MinutesPdf

    agendas = (
        Meeting.objects.exclude(status=Meeting.Status.PLANNED)
        .exclude(status=Meeting.Status.CANCELLED, published_at__isnull=True)
        .filter(
            ~Exists(AgendaPdf.objects.filter(meeting=OuterRef("pk"), agenda_version__gte=OuterRef("agenda_version")))
        )
    )
    minutes = Minutes.objects.exclude(status=Minutes.Status.DRAFT).filter(
        ~Exists(MinutesPdf.objects.filter(minutes=OuterRef("pk"), status=OuterRef("status")))
    )
    queued = 0
    for pk in agendas.values_list("pk", flat=True):
        render_agenda_pdf.delay(pk)
        queued += 1
    for pk in minutes.values_list("pk", flat=True):
        render_minutes_pdf.delay(pk)
        queued += 1
    return queued
