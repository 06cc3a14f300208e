from celery import shared_task

from core.pdf import store_pdf
from meetings.models import AgendaPdf, Meeting


@shared_task
def render_agenda_pdf(meeting_id: int) -> int | None:
    """Renders the published agenda at its current version; a second run for the same version does nothing."""
    meeting = Meeting.objects.select_related("body__cooperation").filter(pk=meeting_id).first()
    if meeting is None or not meeting.is_published:
        return None
    version = meeting.agenda_version
    return store_pdf(
        AgendaPdf,
        key={"meeting": meeting, "agenda_version": version},
        template_name="pdf/agenda.html",
        context=lambda: agenda_pdf_context(meeting),
        file_name=f"agenda-{meeting.body.abbreviation or meeting.body.pk}-{meeting.starts_at:%Y-%m-%d}-v{version}.pdf",
    )


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

    agendas = Meeting.objects.exclude(status__in=[Meeting.Status.PLANNED, Meeting.Status.CANCELLED]).filter(
        ~Exists(AgendaPdf.objects.filter(meeting=OuterRef("pk"), agenda_version=OuterRef("agenda_version")))
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
