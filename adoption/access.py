"""Who does what under the adoption arrangement.

| who                                                   | read the advice | name adopters | comment / advise |
|-------------------------------------------------------|-----------------|---------------|------------------|
| regional coordinator                                  | yes             | yes           | no               |
| secretary of the body that prepares the proposal      | yes             | yes           | no               |
| reviewer named for an adopting municipality           | yes             | no            | its own adoption |
| municipal secretary of an adopting municipality       | yes             | no            | its own adoption |
| anyone else who reads the proposal (decisions/access) | yes             | no            | no               |
| anyone else                                           | no (404)        | no            | no               |

The advice goes to every participant at once: whoever reads the proposal reads it. A municipality that was not
named adopter cannot advise (403)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from adoption.models import Adoption
from decisions.access import can_manage, get_proposal_for_user


def can_advise(user, adoption: Adoption) -> bool:
    person = getattr(user, "person", None)
    if person is not None and adoption.reviewer_id == person.pk:
        return True
    return user.has_perm("municipalities.record_college_decisions", adoption.municipality) and not _coordinator_only(
        user, adoption
    )


def _coordinator_only(user, adoption: Adoption) -> bool:
    """The coordinator's general rights to record decisions do not make it an adopter."""
    from guardian.core import ObjectPermissionChecker

    return not ObjectPermissionChecker(user).has_perm("record_college_decisions", adoption.municipality)


def get_adoption_for_user(user, pk: int, *, advise: bool = False) -> Adoption:
    adoption = get_object_or_404(Adoption.objects.select_related("proposal", "municipality", "reviewer"), pk=pk)
    get_proposal_for_user(user, adoption.proposal_id)
    if advise and not can_advise(user, adoption):
        raise PermissionDenied
    return adoption


def can_name_adopters(user, proposal) -> bool:
    return can_manage(user, proposal)
