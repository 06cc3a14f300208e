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
    items = list(
        meeting.items.select_related("portfolio", "forwarded_from__meeting__body").prefetch_related(
            "documents__versions"
        )
    )
    return {
        "meeting": meeting,
        "items": items,
        "invitations": meeting.invitations(),
        "addenda": list(meeting.addenda.select_related("item")),
        "members": list(meeting.body.members_on(meeting.starts_at.date()).order_by("role", "person__surname")),
    }
