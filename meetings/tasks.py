import hashlib

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation

from core.pdf import render_pdf
from meetings.models import AgendaPdf, Meeting


@shared_task
def render_agenda_pdf(meeting_id: int) -> int | None:
    """Renders the published agenda at its current version; a second run for the same version does nothing."""
    meeting = Meeting.objects.select_related("body__cooperation").filter(pk=meeting_id).first()
    if meeting is None or not meeting.is_published:
        return None
    version = meeting.agenda_version
    existing = meeting.pdfs.filter(agenda_version=version).first()
    if existing:
        return existing.pk
    with translation.override("nl"):
        content = render_pdf("pdf/agenda.html", agenda_pdf_context(meeting))
    name = f"agenda-{meeting.body.abbreviation or meeting.body.pk}-{meeting.starts_at:%Y-%m-%d}-v{version}.pdf"
    try:
        with transaction.atomic():
            pdf = AgendaPdf(meeting=meeting, agenda_version=version, sha256=hashlib.sha256(content).hexdigest())
            pdf.file.save(name.replace(" ", "-"), ContentFile(content), save=False)
            pdf.save()
    except IntegrityError:  # another run stored this version first
        return meeting.pdfs.get(agenda_version=version).pk
    return pdf.pk


def agenda_pdf_context(meeting: Meeting) -> dict:
    # The PDF goes to everyone who may see the meeting, advisory members and
    # invited aldermen included, so confidential items stay out of it.
    items = list(
        meeting.items.filter(confidential=False)
        .select_related("portfolio", "forwarded_from__meeting__body")
        .prefetch_related("documents__versions")
    )
    return {
        "meeting": meeting,
        "items": items,
        "invitations": meeting.invitations(),
        "addenda": list(meeting.addenda.select_related("item")),
        "members": list(meeting.body.members_on(meeting.starts_at.date()).order_by("role", "person__surname")),
    }


@shared_task
def render_minutes_pdf(minutes_id: int) -> int | None:
    """Renders the minutes in their current status (a concept until adopted); once per status."""
    from meetings.models import Minutes, MinutesPdf

    minutes = Minutes.objects.select_related("meeting__body", "adopted_in").filter(pk=minutes_id).first()
    if minutes is None or minutes.status == Minutes.Status.DRAFT:
        return None
    existing = minutes.pdfs.filter(status=minutes.status).first()
    if existing:
        return existing.pk
    with translation.override("nl"):
        content = render_pdf("pdf/minutes.html", minutes_pdf_context(minutes))
    body = minutes.meeting.body.abbreviation or minutes.meeting.body_id
    name = f"verslag-{body}-{minutes.meeting.starts_at:%Y-%m-%d}-{minutes.status}.pdf"
    try:
        with transaction.atomic():
            pdf = MinutesPdf(minutes=minutes, status=minutes.status, sha256=hashlib.sha256(content).hexdigest())
            pdf.file.save(name.replace(" ", "-"), ContentFile(content), save=False)
            pdf.save()
    except IntegrityError:
        return minutes.pdfs.get(status=minutes.status).pk
    return pdf.pk


def minutes_pdf_context(minutes) -> dict:
    attendance = list(minutes.meeting.attendance.select_related("person", "on_behalf_of"))
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "present": [a for a in attendance if a.presence == "present"],
        "excused": [a for a in attendance if a.presence == "excused"],
        "items": list(
            minutes.items.select_related("agenda_item")
            .prefetch_related("action_points__owner")
            .filter(agenda_item__confidential=False)
        ),
        "errata": list(minutes.errata.all()),
    }
