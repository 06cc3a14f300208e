from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from governance.models import Membership
from municipalities.models import Office, today


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A person's start page: the offices they hold and the bodies they sit in today."""
    person = getattr(request.user, "person", None)
    offices = memberships = []
    if person is not None:
        on = today()
        offices = (
            Office.objects.current(on)
            .of_person(person)
            .select_related("municipality", "organisation")
            .prefetch_related("portfolios")
            .order_by("starts_on")
        )
        memberships = (
            Membership.objects.current(on)
            .filter(person=person)
            .select_related("body__cooperation", "on_behalf_of")
            .order_by("body__name")
        )
    return render(
        request,
        "governance/home.html",
        {
            "person": person,
            "offices": offices,
            "memberships": memberships,
        },
    )
