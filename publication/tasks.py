import hashlib

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation

from core.pdf import render_pdf


def public_agenda_context(meeting) -> dict:
    """The agenda PDF's context (without confidential items already) less the documents withheld on a Woo
    ground, title and all."""
    from meetings.models import Disclosure
    from meetings.tasks import agenda_pdf_context

    context = agenda_pdf_context(meeting)
    for item in context["items"]:
        # The template reads item.documents.all, which answers the prefetched rows: keep the public ones.
        cache = item._prefetched_objects_cache
        cache["documents"] = [d for d in cache["documents"] if d.disclosure != Disclosure.WITHHELD]
    return context


def public_minutes_context(minutes) -> dict:
    """The minutes' context without guests: the public side names office holders only."""
    from meetings.tasks import minutes_pdf_context

    context = minutes_pdf_context(minutes)
    context["present"] = [a for a in context["present"] if a.person_id]
    context["excused"] = [a for a in context["excused"] if a.person_id]
    return context


def pdf_for(publication) -> tuple[str, dict]:
    """The template and context of a publication's PDF."""
    from decisions.models import DecisionPdf, RegionalProposal
    from decisions.tasks import decision_pdf_context
    from publication.models import Publication

    Kind = Publication.Kind
    if publication.kind == Kind.AGENDA:
        return "pdf/agenda.html", public_agenda_context(publication.meeting)
    if publication.kind == Kind.DECISION_LIST:
        meeting = publication.meeting
        proposals = RegionalProposal.objects.filter(agenda_item__meeting=meeting, agenda_item__confidential=False)
        proposals = proposals.exclude(status__in=[RegionalProposal.Status.DRAFT, RegionalProposal.Status.WITHDRAWN])
        return "pdf/decision_list.html", {"meeting": meeting, "proposals": proposals}
    if publication.kind == Kind.MINUTES:
        return "pdf/minutes.html", public_minutes_context(publication.minutes)
    if publication.kind == Kind.COLLEGE_DECISION:
        return "pdf/college_decision.html", decision_pdf_context(
            publication.college_decision, DecisionPdf.Stage.DEFINITIVE
        )
    programme = publication.work_programme
    tasks = list(programme.cooperation.regional_tasks.select_related("lead_body"))
    entries = list(programme.entries.select_related("task"))
    progress = {p.task_id: p for p in programme.progress.all()}
    for task in tasks:
        task.entries = [e for e in entries if e.task_id == task.pk]
        task.report = progress.get(task.pk)
    kind = "werkprogramma" if publication.kind == Kind.WORK_PROGRAMME else "voortgangsrapportage"
    return f"pdf/{kind}.html", {"programme": programme, "tasks": tasks}


@shared_task
def render_publication_pdf(publication_id: int) -> int | None:
    """Renders the PDF of a publication as it was published, once: a second run finds the file there."""
    from publication.models import Publication

    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is None or publication.file or publication.kind == Publication.Kind.COVENANT:
        return None
    template, context = pdf_for(publication)
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(template, context, archive=publication.kind != Publication.Kind.AGENDA)
    publication.file.save(publication.file_name, ContentFile(content), save=False)
    publication.sha256 = hashlib.sha256(content).hexdigest()
    publication.sha512 = hashlib.sha512(content).hexdigest()
    publication.size = len(content)
    publication.save(update_fields=["file", "sha256", "sha512", "size"])
    return publication.pk
