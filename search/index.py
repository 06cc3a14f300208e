"""Keeping the index current: what each kind of object puts in its entry. The apps are read here, and only
here; nothing imports the search app (STYLE.md: search reads the others)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from search.models import DocumentText, SearchEntry

Kind = SearchEntry.Kind


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _meeting_fields(meeting) -> dict:
    return {
        "body_id": meeting.body_id,
        "meeting_id": meeting.pk,
        "date": timezone.localdate(meeting.starts_at),
        "released": meeting.is_published,
    }


def fields_for(obj) -> tuple[str, dict] | None:
    """The kind and the entry's fields of an indexed object, or None for what is not indexed."""
    from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
    from meetings.models import ActionPoint, AgendaItem, DocumentVersion, Meeting, Minutes, MinutesItem

    if isinstance(obj, Meeting):
        return Kind.MEETING, {
            "title": f"{obj.body.name} {timezone.localdate(obj.starts_at):%d-%m-%Y}",
            "text": _join(obj.location),
            **_meeting_fields(obj),
        }
    if isinstance(obj, AgendaItem):
        return Kind.ITEM, {
            "title": obj.title,
            "text": obj.explanation,
            "confidential": obj.confidential or obj.withdrawn,
            **_meeting_fields(obj.meeting),
        }
    if isinstance(obj, DocumentVersion):
        document = obj.document
        if document.item_id is None:
            return None  # a submission's document is its submitter's, not searched
        text = DocumentText.objects.filter(version=obj).values_list("text", flat=True).first() or ""
        latest = not document.versions.filter(number__gt=obj.number).exists()
        return Kind.DOCUMENT, {
            "title": document.title,
            "text": _join(obj.original_name, text),
            "confidential": document.item.confidential,
            "latest": latest,
            **_meeting_fields(document.item.meeting),
        }
    if isinstance(obj, MinutesItem):
        minutes = obj.minutes
        item = obj.agenda_item
        return Kind.MINUTES, {
            "title": item.title,
            "text": _join(obj.discussion, obj.conclusions),
            "confidential": item.confidential,
            **_meeting_fields(minutes.meeting),
            "released": minutes.status != Minutes.Status.DRAFT,
        }
    if isinstance(obj, ActionPoint):
        minutes_item = obj.minutes_item
        return Kind.ACTION_POINT, {
            "title": obj.what[:300],
            "text": obj.what,
            "confidential": minutes_item.agenda_item.confidential,
            **_meeting_fields(minutes_item.minutes.meeting),
            "released": minutes_item.minutes.status != Minutes.Status.DRAFT,
            "date": obj.due_on,
        }
    if isinstance(obj, RegionalProposal):
        return Kind.PROPOSAL, {
            "title": obj.title,
            "text": _join(obj.key_message, obj.decision_points, obj.introduction, obj.arguments),
            "body_id": obj.body_id,
            "proposal_id": obj.pk,
            "date": obj.adopted_on,
            "released": obj.status != RegionalProposal.Status.DRAFT,
        }
    if isinstance(obj, CollegeDecision):
        return Kind.DECISION, {
            "title": f"{obj.municipality.name}: {obj.proposal.title}",
            "text": _join(obj.reference, obj.deviating_points, obj.motivation),
            "body_id": obj.proposal.body_id,
            "proposal_id": obj.proposal_id,
            "municipality_id": obj.municipality_id,
            "date": obj.decided_on,
            "released": obj.is_final,
        }
    if isinstance(obj, CouncilTrack):
        return Kind.COUNCIL_TRACK, {
            "title": f"{obj.municipality.name}: {obj.proposal.title}",
            "text": _join(obj.council_points, obj.council_response, obj.notes),
            "body_id": obj.proposal.body_id,
            "proposal_id": obj.proposal_id,
            "municipality_id": obj.municipality_id,
            "date": obj.outcome_date or obj.council_date,
            "released": True,
        }
    return None


def update_vectors(entries) -> None:
    """The Dutch tsvector of the entries: the title weighs A, the text B (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    vector = SearchVector("title", weight="A", config="dutch") + SearchVector("text", weight="B", config="dutch")
    entries.update(vector=vector)


def index(obj) -> None:
    found = fields_for(obj)
    if found is None:
        return
    kind, fields = found
    with transaction.atomic():
        SearchEntry.objects.update_or_create(kind=kind, object_id=obj.pk, defaults=fields)
        update_vectors(SearchEntry.objects.filter(kind=kind, object_id=obj.pk))


def remove(kind: str, pk: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=pk).delete()


def related(obj) -> list:
    """What else changes with this object: a meeting's items and documents (published or not), an item's
    documents (confidential or not), the minutes' items and action points, a document's older versions."""
    from meetings.models import ActionPoint, AgendaItem, DocumentVersion, Meeting, Minutes, MinutesItem

    if isinstance(obj, Meeting):
        return [
            *obj.items.all(),
            *DocumentVersion.objects.filter(document__item__meeting=obj).select_related("document__item__meeting"),
        ]
    if isinstance(obj, AgendaItem):
        return list(DocumentVersion.objects.filter(document__item=obj).select_related("document__item__meeting"))
    if isinstance(obj, Minutes):
        return [
            *MinutesItem.objects.filter(minutes=obj).select_related("agenda_item", "minutes__meeting"),
            *ActionPoint.objects.filter(minutes_item__minutes=obj).select_related("minutes_item__agenda_item"),
        ]
    if isinstance(obj, DocumentVersion):
        return list(obj.document.versions.exclude(pk=obj.pk))
    return []


def rebuild() -> int:
    """The whole index again, from the objects (`manage.py rebuild_search_index`)."""
    from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
    from meetings.models import ActionPoint, AgendaItem, DocumentVersion, Meeting, MinutesItem

    querysets = [
        Meeting.objects.select_related("body"),
        AgendaItem.objects.select_related("meeting"),
        DocumentVersion.objects.select_related("document__item__meeting"),
        MinutesItem.objects.select_related("agenda_item", "minutes__meeting"),
        ActionPoint.objects.select_related("minutes_item__agenda_item", "minutes_item__minutes__meeting"),
        RegionalProposal.objects.all(),
        CollegeDecision.objects.select_related("municipality", "proposal"),
        CouncilTrack.objects.select_related("municipality", "proposal"),
    ]
    count = 0
    for queryset in querysets:
        batch = []
        for obj in queryset.iterator(chunk_size=2000):
            found = fields_for(obj)
            if found:
                kind, fields = found
                batch.append(SearchEntry(kind=kind, object_id=obj.pk, **fields))
        SearchEntry.objects.bulk_create(
            batch,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=[
                f.name for f in SearchEntry._meta.concrete_fields if f.name not in ("id", "kind", "object_id", "vector")
            ],
        )
        count += len(batch)
    update_vectors(SearchEntry.objects.all())
    return count
