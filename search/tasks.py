import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def extract_document_text(version_id: int) -> str | None:
    """Extracts the text of a stored document version once, and indexes it; a file that cannot be read is
    recorded as failed with its error (the upload itself stands)."""
    from meetings.models import DocumentVersion
    from search import extract, index
    from search.models import DocumentText

    version = DocumentVersion.objects.filter(pk=version_id).select_related("document__item__meeting").first()
    if version is None:
        return None
    if DocumentText.objects.filter(version=version).exists():
        return DocumentText.objects.get(version=version).status
    try:
        with version.file.open("rb") as stored:
            text = extract.extract(stored.read(), version.content_type)
        status, error = DocumentText.Status.EXTRACTED, ""
    except extract.Unsupported:
        text, status, error = "", DocumentText.Status.UNSUPPORTED, ""
    except Exception as failure:
        logger.warning("Text extraction of document version %s failed: %s", version_id, failure)
        text, status, error = "", DocumentText.Status.FAILED, f"{type(failure).__name__}: {failure}"[:500]
    DocumentText.objects.update_or_create(version=version, defaults={"status": status, "text": text, "error": error})
    index.index(version)
    return status
