"""Who reads the register of joint arrangements: the regional coordinator and anyone who holds an office in
one of the municipalities or regional organisations (the arrangements and their keys are no secret, but the
portal is for office holders and civil servants; the public side publishes what is adopted)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from arrangements.models import JointArrangement
from meetings.access import is_coordinator
from municipalities.models import Office


def can_read_register(user) -> bool:
    if not user.is_authenticated:
        return False
    return is_coordinator(user) or Office.objects.current().filter(person__user=user).exists()


def get_arrangement_for_user(user, pk: int) -> JointArrangement:
    if not can_read_register(user):
        raise Http404
    return get_object_or_404(
        JointArrangement.objects.select_related("organisation", "centre_municipality", "general_board", "daily_board"),
        pk=pk,
    )
