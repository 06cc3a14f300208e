from celery import shared_task

from core.pdf import store_pdf
from decisions.models import CollegeDecision, DecisionPdf


@shared_task
def render_decision_pdf(decision_id: int) -> int | None:
    """Renders an approved college decision; the same decision state is rendered once."""
    decision = (
        CollegeDecision.objects.select_related("proposal", "municipality", "version").filter(pk=decision_id).first()
    )
    if decision is None or decision.review != CollegeDecision.Review.APPROVED:
        return None
    return store_pdf(
        DecisionPdf,
        key={"decision": decision, "lock_version": decision.lock_version},
        template_name="pdf/college_decision.html",
        context=lambda: {"decision": decision, "content": decision.version.content},
        file_name=f"collegebesluit-{decision.municipality.cbs_code}-{decision.proposal_id}-v{decision.lock_version}.pdf",
    )


@shared_task
def render_missing_pdfs() -> int:
    """The sweep for approved decisions whose PDF task never reached a worker."""
    from django.db.models import Exists, OuterRef

    missing = CollegeDecision.objects.filter(review=CollegeDecision.Review.APPROVED).filter(
        ~Exists(DecisionPdf.objects.filter(decision=OuterRef("pk"), lock_version=OuterRef("lock_version")))
    )
    pks = list(missing.values_list("pk", flat=True))
    for pk in pks:
        render_decision_pdf.delay(pk)
    return len(pks)
