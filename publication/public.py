"""What the public side shows: one rule per object kind, read by every public page, the sitemaps and the
public search. Only what a live publication covers is public; never a confidential or withdrawn agenda item,
never a document withheld on a Woo ground (art. 5.1, 5.2), of a document public in part only its redacted
version, and never a college decision before its municipality's secretary published it."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from decisions.models import CollegeDecision, RegionalProposal
from governance.models import ConsultationBody, Cooperation, WorkProgramme
from meetings.models import AgendaItem, Disclosure, DocumentVersion, Meeting, Minutes
from municipalities.models import Municipality
from publication.models import Publication

Kind = Publication.Kind


def _live(kind: str, field: str) -> Exists:
    return Exists(Publication.objects.live().filter(kind=kind, **{field: OuterRef("pk")}))


def public_meetings() -> QuerySet[Meeting]:
    """Meetings whose agenda is published under the Woo."""
    return Meeting.objects.filter(_live(Kind.AGENDA, "meeting"))


def public_items() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(
        Exists(Publication.objects.live().filter(kind=Kind.AGENDA, meeting=OuterRef("meeting"))),
        confidential=False,
        withdrawn=False,
    )


def public_versions() -> QuerySet[DocumentVersion]:
    """Of each public document the one version that may be shown: the latest, or for a document public in
    part its latest redacted version."""
    later = DocumentVersion.objects.filter(document=OuterRef("document")).order_by("-number").values("number")[:1]
    later_redacted = (
        DocumentVersion.objects.filter(document=OuterRef("document"), redacted=True)
        .order_by("-number")
        .values("number")[:1]
    )
    return DocumentVersion.objects.filter(document__item__in=public_items()).filter(
        Q(document__disclosure=Disclosure.PUBLIC, number=Subquery(later))
        | Q(document__disclosure=Disclosure.PARTIAL, redacted=True, number=Subquery(later_redacted))
    )


def public_minutes() -> QuerySet[Minutes]:
    return Minutes.objects.filter(_live(Kind.MINUTES, "minutes"))


def decision_list_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(_live(Kind.DECISION_LIST, "meeting"))


def public_decisions() -> QuerySet[CollegeDecision]:
    return CollegeDecision.objects.filter(_live(Kind.COLLEGE_DECISION, "college_decision"))


def public_proposals() -> QuerySet[RegionalProposal]:
    """A regional proposal is public once it is on a published agenda as a public item, or once one
    college's decision on it is published."""
    return RegionalProposal.objects.filter(
        Q(agenda_item__in=public_items()) | Q(pk__in=public_decisions().values("proposal"))
    ).exclude(status__in=[RegionalProposal.Status.DRAFT, RegionalProposal.Status.WITHDRAWN])


def public_programmes() -> QuerySet[WorkProgramme]:
    return WorkProgramme.objects.filter(_live(Kind.WORK_PROGRAMME, "work_programme"))


def public_bodies() -> QuerySet[ConsultationBody]:
    """Bodies with at least one published meeting."""
    return ConsultationBody.objects.filter(pk__in=public_meetings().values("body"))


def public_cooperations() -> QuerySet[Cooperation]:
    return Cooperation.objects.filter(
        Q(pk__in=public_bodies().values("cooperation"))
        | Q(pk__in=Publication.objects.live().exclude(cooperation=None).values("cooperation"))
        | Q(pk__in=public_programmes().values("cooperation"))
    )


def public_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.filter(pk__in=public_decisions().values("municipality"))


def public_url(obj) -> str:
    """The public page of anything the public side shows."""
    if isinstance(obj, Publication):
        return reverse("public_publication", args=[obj.pk])
    if isinstance(obj, Meeting):
        return reverse("public_meeting", args=[obj.pk])
    if isinstance(obj, AgendaItem):
        return reverse("public_meeting", args=[obj.meeting_id]) + f"#punt-{obj.pk}"
    if isinstance(obj, DocumentVersion):
        return reverse("public_document", args=[obj.pk])
    if isinstance(obj, Minutes):
        return reverse("public_minutes", args=[obj.meeting_id])
    if isinstance(obj, CollegeDecision):
        return reverse("public_decision", args=[obj.pk])
    if isinstance(obj, RegionalProposal):
        return reverse("public_proposal", args=[obj.pk])
    if isinstance(obj, WorkProgramme):
        return reverse("public_programme", args=[obj.pk])
    if isinstance(obj, ConsultationBody):
        return reverse("public_body", args=[obj.pk])
    if isinstance(obj, Cooperation):
        return reverse("public_cooperation", args=[obj.pk])
    if isinstance(obj, Municipality):
        return reverse("public_municipality", args=[obj.pk])
    raise TypeError(f"No public page for {type(obj).__name__}")
