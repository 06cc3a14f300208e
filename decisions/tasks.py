import hashlib

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation

from core.pdf import render_pdf
from decisions.models import CollegeDecision, DecisionPdf


@shared_task
def render_decision_pdf(decision_id: int) -> int | None:
    """Renders an approved college decision; the same decision state is rendered once."""
    decision = (
        CollegeDecision.objects.select_related("proposal", "municipality", "version").filter(pk=decision_id).first()
    )
    if decision is None or decision.review != CollegeDecision.Review.APPROVED:
        return None
    existing = decision.pdfs.filter(lock_version=decision.lock_version).first()
    if existing:
        return existing.pk
    with translation.override("nl"):
        content = render_pdf("pdf/college_decision.html", {"decision": decision, "content": decision.version.content})
    name = f"collegebesluit-{decision.municipality.cbs_code}-{decision.proposal_id}-v{decision.lock_version}.pdf"
    try:
        with transaction.atomic():
            pdf = DecisionPdf(
                decision=decision, lock_version=decision.lock_version, sha256=hashlib.sha256(content).hexdigest()
            )
            pdf.file.save(name, ContentFile(content), save=False)
            pdf.save()
    except IntegrityError:  # another run stored this state first
        return decision.pdfs.get(lock_version=decision.lock_version).pk
    return pdf.pk
