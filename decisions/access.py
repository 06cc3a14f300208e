"""The permission-checked fetches of the decisions app: not visible -> 404, visible but not allowed -> 403.

| who                                              | read | manage | record           | sign                     |
|--------------------------------------------------|------|--------|------------------|--------------------------|
| regional coordinator                             | all  | yes    | any              | no (the signatories)     |
| secretary or chair of the adopting body          | yes  | yes    | no               | no                       |
| municipal secretary or loco-secretaris           | yes  | no     | own municipality | co-signs, own            |
| mayor, waarnemend or loco-burgemeester           | yes  | no     | no               | signs, own municipality  |
| anyone else with an office in a participant      | yes  | no     | no               | no                       |
| anyone else                                      | no   | no     | no               | no                       |

Recording and signing are django-guardian object permissions on the
municipality, granted to groups derived from offices (municipalities/access.py);
whether a substitute may sign one decision depends on the substitute's period on
its decision date (CollegeDecision.capacities_of)."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from decisions.models import CollegeDecision, RegionalProposal
from governance.models import ConsultationBody, Cooperation
from meetings.access import can_prepare, is_coordinator
from municipalities.models import Municipality


def readable_proposals(user):
    """Proposals of the cooperations in which the user holds an office; a draft only for the secretariat and
    members of the body that prepares it (the grant that also opens its confidential items) and for the
    reviewer and the municipal secretary of a municipality that adopts it (its sounding board)."""
    if is_coordinator(user):
        return RegionalProposal.objects.all()
    drafting = get_objects_for_user(
        user, "governance.view_confidential_items", klass=ConsultationBody, accept_global_perms=False
    )
    # The adopters of a draft are its sounding board (adoption/): its reviewer and its municipal secretary.
    recording = get_objects_for_user(
        user, "municipalities.record_college_decisions", klass=Municipality, accept_global_perms=False
    )
    adopting = RegionalProposal.objects.filter(
        Q(adoptions__reviewer__user=user) | Q(adoptions__municipality__in=recording), adoptions__withdrawn=False
    ).values("pk")
    return RegionalProposal.objects.filter(cooperation__in=Cooperation.objects.where_office_held_by(user)).filter(
        ~Q(status=RegionalProposal.Status.DRAFT) | Q(body__in=drafting) | Q(pk__in=adopting)
    )


def acting_for(user) -> tuple[set[int], set[int]]:
    """The municipalities whose college decisions the user records (and co-signs), and those whose they sign."""
    recordable = set(municipalities_for(user, "record_college_decisions").values_list("pk", flat=True))
    signable = set(municipalities_for(user, "sign_college_decisions").values_list("pk", flat=True))
    return recordable, signable


def unsigned_decisions_visible(
    user, acting: tuple[set[int], set[int]] | None = None
) -> Callable[[CollegeDecision], bool]:
    """Whether the user sees a college decision's content (outcome, reference, text, motivation, intended
    decision): once it is signed everyone who reads the proposal does; before that it belongs to its
    municipality, so only its secretary, mayor and their substitutes (the record and sign grants) and the
    coordinator do. Everyone else sees "in behandeling"."""
    if is_coordinator(user):
        return lambda decision: True
    recordable, signable = acting if acting is not None else acting_for(user)
    own = recordable | signable
    return lambda decision: decision.is_final or decision.municipality_id in own


def mark_visible(user, decisions, acting: tuple[set[int], set[int]] | None = None) -> list[CollegeDecision]:
    """Sets `shown` on each decision for the templates (decisions/_outcome.html reads it)."""
    visible = unsigned_decisions_visible(user, acting)
    decisions = list(decisions)
    for decision in decisions:
        decision.shown = visible(decision)
    return decisions


def can_manage(user, proposal: RegionalProposal) -> bool:
    return is_coordinator(user) or can_prepare(user, proposal.body)


def municipalities_for(user, codename: str):
    if is_coordinator(user) and codename in ("record_college_decisions", "keep_council_tracks"):
        return Municipality.objects.all()
    return get_objects_for_user(user, f"municipalities.{codename}", klass=Municipality, accept_global_perms=False)


def get_proposal_for_user(user, pk: int, *, manage: bool = False) -> RegionalProposal:
    proposal = get_object_or_404(RegionalProposal.objects.select_related("body", "cooperation"), pk=pk)
    if not (readable_proposals(user).filter(pk=pk).exists() or can_prepare(user, proposal.body)):
        raise Http404
    if manage and not can_manage(user, proposal):
        raise PermissionDenied
    return proposal


def get_decision_for_user(user, pk: int, *, perm: str | None = None) -> CollegeDecision:
    decision = get_object_or_404(
        CollegeDecision.objects.select_related("proposal__body", "proposal__cooperation", "municipality", "version"),
        pk=pk,
    )
    get_proposal_for_user(user, decision.proposal_id)
    if perm == "record" and not (
        is_coordinator(user) or user.has_perm("municipalities.record_college_decisions", decision.municipality)
    ):
        raise PermissionDenied
    # Signing is the signatories' alone: only the guardian grants count, not the coordinator's general rights.
    checker = ObjectPermissionChecker(user)
    if perm == "sign" and not (
        checker.has_perm("sign_college_decisions", decision.municipality)
        or checker.has_perm("record_college_decisions", decision.municipality)
    ):
        raise PermissionDenied
    return decision


def get_track_for_user(user, pk: int, *, keep: bool = False):
    from decisions.models import CouncilTrack

    track = get_object_or_404(
        CouncilTrack.objects.select_related(
            "proposal__cooperation", "proposal__body", "municipality", "sent_version", "decision__version"
        ),
        pk=pk,
    )
    get_proposal_for_user(user, track.proposal_id)
    if keep and not user.has_perm("municipalities.keep_council_tracks", track.municipality):
        raise PermissionDenied
    return track
