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
from guardian.shortcuts import get_objects_for_user

from adoption.models import Adoption
from decisions.access import can_manage, get_proposal_for_user
from municipalities.models import Municipality


def advising_municipalities(user) -> set[int]:
    """The municipalities whose adoptions the user advises as their municipal secretary: the user's own grants
    to record college decisions, not the coordinator's general right to act for any municipality."""
    grants = get_objects_for_user(
        user, "municipalities.record_college_decisions", klass=Municipality, accept_global_perms=False
    )
    return set(grants.values_list("pk", flat=True))


def can_advise(user, adoption: Adoption, municipalities: set[int] | None = None) -> bool:
    """The named reviewer, or the secretary of the adopting municipality (`municipalities`: read once for a
    page of several adoptions)."""
    person = getattr(user, "person", None)
    if person is not None and adoption.reviewer_id == person.pk:
        return True
    if municipalities is None:
        municipalities = advising_municipalities(user)
    return adoption.municipality_id in municipalities


def get_adoption_for_user(user, pk: int, *, advise: bool = False) -> Adoption:
    adoption = get_object_or_404(Adoption.objects.select_related("proposal", "municipality", "reviewer"), pk=pk)
    get_proposal_for_user(user, adoption.proposal_id)
    if advise and not can_advise(user, adoption):
        raise PermissionDenied
    return adoption


def can_name_adopters(user, proposal) -> bool:
    return can_manage(user, proposal)
