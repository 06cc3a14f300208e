from django.db.models import Count, OuterRef, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from arrangements.access import can_keep_cycle, can_read_register, get_arrangement_for_user
from arrangements.models import FinancialKey, JointArrangement
from core.pagination import paginate
from core.periods import active_on_q
from governance.models import Cooperation, Membership
from municipalities.models import Municipality, Office


def register(request: HttpRequest) -> HttpResponse:
    """Every joint arrangement with its kind, its number of participants today and this year's key total."""
    if not can_read_register(request.user):
        raise Http404
    today = timezone.localdate()
    arrangements = (
        JointArrangement.objects.select_related("organisation", "centre_municipality")
        .annotate(
            participants=Count(
                "participations",
                filter=active_on_q(today, start="participations__joined_on", end="participations__left_on"),
            ),
            # A subquery, not a second join: joined with the participations the sum would count each share
            # once per participant.
            key_total=Subquery(
                FinancialKey.objects.filter(arrangement=OuterRef("pk"), year=today.year)
                .order_by()
                .values("arrangement")
                .annotate(total=Sum("share"))
                .values("total")[:1]
            ),
        )
        .order_by("name")
    )
    page = paginate(request, arrangements)
    covenants = Cooperation.objects.filter(kind=Cooperation.Kind.COVENANT).order_by("name")
    own = Municipality.objects.filter(offices__in=Office.objects.current(today).filter(person__user=request.user))
    context = {
        "page": page,
        "arrangements": page.object_list,
        "year": today.year,
        "covenants": covenants,
        "own": own.distinct().order_by("name"),
    }
    return render(request, "arrangements/register.html", context)


def arrangement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One arrangement: its participants with their dates, its boards with their members per municipality,
    and the financial key of a year (this year unless asked), with its total."""
    arrangement = get_arrangement_for_user(request.user, pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("jaar", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 1900), 2200)
    participations = list(
        arrangement.participations.select_related("municipality").order_by("municipality__name", "joined_on")
    )
    keys = list(
        arrangement.financial_keys.filter(year=year).select_related("municipality").order_by("municipality__name")
    )
    years = list(arrangement.financial_keys.order_by("-year").values_list("year", flat=True).distinct())
    boards = []
    for label, body in (("general", arrangement.general_board), ("daily", arrangement.daily_board)):
        if body is None:
            continue
        seats = list(
            Membership.objects.current(today)
            .filter(body=body)
            .select_related("person", "on_behalf_of")
            .order_by("on_behalf_of__name", "role", "person__surname")
        )
        boards.append((label, body, seats))
    return render(
        request,
        "arrangements/arrangement_detail.html",
        {
            "arrangement": arrangement,
            "participations": participations,
            "current": {
                p.pk for p in participations if p.joined_on <= today and (p.left_on is None or p.left_on >= today)
            },
            "keys": keys,
            "key_total": sum((k.share for k in keys), start=0),
            "contribution_total": sum((k.contribution or 0 for k in keys), start=0),
            "year": year,
            "years": years,
            "boards": boards,
            "cycle": list(
                arrangement.cycle_documents.filter(year__gte=today.year - 1).order_by("-year", "sent_on", "kind")
            ),
            "can_keep": can_keep_cycle(request.user, arrangement),
        },
    )
