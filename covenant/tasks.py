from celery import shared_task

from governance.models import Cooperation


@shared_task
def plan_evaluations() -> int:
    """Every night: the evaluation each covenant asks for after its evaluation period, planned once (its
    reminder to the coordinator follows from the plan)."""
    from covenant.models import CovenantEvaluation

    planned = 0
    for cooperation in Cooperation.objects.filter(starts_on__isnull=False, evaluation_after_years__isnull=False):
        planned += CovenantEvaluation.plan(cooperation) is not None
    return planned
