"""Who reads and keeps the register of joint arrangements and their budget cycle.

| who                                          | read | keep the cycle | model zienswijze | a council's |
|----------------------------------------------|------|----------------|------------------|-------------|
| regional coordinator                         | all  | yes            | yes              | no          |
| secretary of the general or daily board      | all  | yes            | yes              | no          |
| secretary of the body that drafts the model  | all  | no             | yes              | no          |
| griffier of a participant                    | all  | no             | no               | its own     |
| anyone else with an office or seat in the region | all  | no             | no               | no          |
| anyone else                                  | no   | no             | no               | no          |

The arrangements, their keys and their documents are no secret, but the portal is for office holders and civil
servants; the public side publishes what is adopted. A council's zienswijze is recorded on its council track
(decisions/access.py: the griffier's grant)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from arrangements.models import CycleDocument, JointArrangement
from governance.models import Membership
from meetings.access import can_prepare, is_coordinator
from municipalities.models import Office


def can_read_register(user) -> bool:
    """Anyone who holds an office in the region, or a seat (a secretariat) in one of its bodies."""
    if not user.is_authenticated:
        return False
    if is_coordinator(user) or Office.objects.current().filter(person__user=user).exists():
        return True
    return Membership.objects.current().filter(person__user=user).exists()


def get_arrangement_for_user(user, pk: int, *, manage: bool = False) -> JointArrangement:
    if not can_read_register(user):
        raise Http404
    arrangement = get_object_or_404(
        JointArrangement.objects.select_related("organisation", "centre_municipality", "general_board", "daily_board"),
        pk=pk,
    )
    if manage and not can_keep_cycle(user, arrangement):
        raise PermissionDenied
    return arrangement


def can_keep_cycle(user, arrangement: JointArrangement) -> bool:
    """The coordinator and the secretariat of the arrangement's boards keep its budget cycle."""
    if is_coordinator(user):
        return True
    return any(
        body is not None and can_prepare(user, body) for body in (arrangement.general_board, arrangement.daily_board)
    )


def can_draft_model(user, document: CycleDocument) -> bool:
    if can_keep_cycle(user, document.arrangement):
        return True
    return document.model_body is not None and can_prepare(user, document.model_body)


def get_cycle_document_for_user(user, pk: int, *, manage: bool = False, draft: bool = False) -> CycleDocument:
    if not can_read_register(user):
        raise Http404
    document = get_object_or_404(
        CycleDocument.objects.select_related(
            "arrangement__general_board", "arrangement__daily_board", "model_body", "proposal"
        ),
        pk=pk,
    )
    if manage and not can_keep_cycle(user, document.arrangement):
        raise PermissionDenied
    if draft and not can_draft_model(user, document):
        raise PermissionDenied
    return document
