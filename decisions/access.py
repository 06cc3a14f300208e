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

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from decisions.models import CollegeDecision, RegionalProposal
from governance.models import Cooperation
from meetings.access import can_prepare, is_coordinator
from municipalities.models import Municipality


def readable_proposals(user):
    if is_coordinator(user):
        return RegionalProposal.objects.all()
    return RegionalProposal.objects.filter(cooperation__in=Cooperation.objects.where_office_held_by(user))


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
        CouncilTrack.objects.select_related("proposal__cooperation", "proposal__body", "municipality", "sent_version"),
        pk=pk,
    )
    get_proposal_for_user(user, track.proposal_id)
    if keep and not user.has_perm("municipalities.keep_council_tracks", track.municipality):
        raise PermissionDenied
    return track
