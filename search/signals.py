"""The index follows the apps' saves and deletes (STYLE.md: signals for the search index, never the main
flow). A document version's text is extracted by a task after the upload is committed."""

from django.db.models.signals import post_delete, post_save

from search import index


def indexed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    index.index(instance)
    for other in index.related(instance):
        index.index(other)


def unindexed(sender, instance, **kwargs) -> None:
    # By the model alone: in a cascade the instance's parents may be gone already.
    kind = KIND_OF_MODEL.get(sender.__name__)
    if kind:
        index.remove(kind, instance.pk)


KIND_OF_MODEL = {
    "Meeting": "meeting",
    "AgendaItem": "item",
    "DocumentVersion": "document",
    "MinutesItem": "minutes",
    "ActionPoint": "action_point",
    "RegionalProposal": "proposal",
    "CollegeDecision": "decision",
    "CouncilTrack": "council_track",
}


def version_stored(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        from search.tasks import extract_document_text

        extract_document_text.delay_on_commit(instance.pk)


def connect() -> None:
    from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
    from meetings.models import ActionPoint, AgendaItem, DocumentVersion, Meeting, Minutes, MinutesItem

    for model in (
        Meeting,
        AgendaItem,
        DocumentVersion,
        MinutesItem,
        ActionPoint,
        RegionalProposal,
        CollegeDecision,
        CouncilTrack,
    ):
        post_save.connect(indexed, sender=model, dispatch_uid=f"search-index-{model.__name__}")
        post_delete.connect(unindexed, sender=model, dispatch_uid=f"search-unindex-{model.__name__}")
    # Minutes are not an entry themselves; their status decides whether their items are found.
    post_save.connect(indexed, sender=Minutes, dispatch_uid="search-index-Minutes")
    post_save.connect(version_stored, sender=DocumentVersion, dispatch_uid="search-extract")
