from celery import shared_task

from core.pdf import store_pdf
from decisions.models import CollegeDecision, DecisionPdf


def pdf_stage(decision: CollegeDecision) -> str | None:
    """Which document this decision state gives: the signed decision, the intended decision, or none."""
    if decision.signing == CollegeDecision.Signing.SIGNED:
        return DecisionPdf.Stage.DEFINITIVE
    if decision.is_intended:
        return DecisionPdf.Stage.INTENDED
    return None


@shared_task
def render_decision_pdf(decision_id: int) -> int | None:
    """Renders a signed college decision, or an intended one; the same decision state is rendered once."""
    decision = (
        CollegeDecision.objects.select_related("proposal", "municipality", "version").filter(pk=decision_id).first()
    )
    stage = pdf_stage(decision) if decision else None
    if stage is None:
        return None
    prefix = "voorgenomen-besluit" if stage == DecisionPdf.Stage.INTENDED else "collegebesluit"
    return store_pdf(
        DecisionPdf,
        key={"decision": decision, "lock_version": decision.lock_version, "stage": stage},
        template_name="pdf/college_decision.html",
        context=lambda: decision_pdf_context(decision, stage),
        file_name=f"{prefix}-{decision.municipality.cbs_code}-{decision.proposal_id}-v{decision.lock_version}.pdf",
        archive=stage == DecisionPdf.Stage.DEFINITIVE,
    )


def as_clause(point: str) -> str:
    """A decision point as a clause after "dat inhield:": "In te stemmen met ..." reads "in te stemmen met ..."."""
    return point[:1].lower() + point[1:]


def decision_pdf_context(decision: CollegeDecision, stage: str, *, concept: bool = False) -> dict:
    intended = stage == DecisionPdf.Stage.INTENDED
    points = decision.intended_decision_points if intended else decision.version.content["decision_points"]
    return {
        "decision": decision,
        "content": decision.version.content,
        "intended": intended,
        "concept": concept,
        "track": decision.track,
        "clauses": [as_clause(point) for point in points],
        "secretary_caption": decision.signature_caption("secretary"),
        "mayor_caption": decision.signature_caption("mayor"),
    }


@shared_task
def render_missing_pdfs() -> int:
    """The sweep for signed or intended decisions whose PDF task never reached a worker."""
    from django.db.models import Exists, OuterRef, Q

    missing = CollegeDecision.objects.filter(
        Q(signing=CollegeDecision.Signing.SIGNED)
        | Q(intended_on__isnull=False, outcome=CollegeDecision.Outcome.PENDING)
    ).filter(~Exists(DecisionPdf.objects.filter(decision=OuterRef("pk"), lock_version=OuterRef("lock_version"))))
    pks = list(missing.values_list("pk", flat=True))
    for pk in pks:
        render_decision_pdf.delay(pk)
    return len(pks)
