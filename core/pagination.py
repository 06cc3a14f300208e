"""Every list in the portal is paginated or bounded (issue: national scale).

`paginate()` reads `?pagina=` and `?per_page=` from the request and never lets
either ask for everything: the page size is capped at `MAX_PER_PAGE`, a page
number past the end (or not a number) shows the last (or first) page.
Paginator's COUNT is one query per list, on a list that a filter already
bounds (one municipality, one cooperation, one person)."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property

PER_PAGE = 50
MAX_PER_PAGE = 200
PAGE_PARAMETER = "pagina"


def per_page_of(request: HttpRequest, default: int = PER_PAGE, most: int = MAX_PER_PAGE) -> int:
    try:
        asked = int(request.GET.get("per_page", default))
    except (TypeError, ValueError):
        return default
    return min(max(asked, 1), most)


def paginate(request: HttpRequest, object_list, per_page: int = PER_PAGE, most: int = MAX_PER_PAGE) -> Page:
    """`most`: the largest page a request may ask for; lower for wide rows (a matrix row holds a cell per
    municipality of the cooperation)."""
    paginator = Paginator(object_list, per_page_of(request, per_page, most))
    return paginator.get_page(request.GET.get(PAGE_PARAMETER))


class CappedCountPaginator(Paginator):
    """For the management site's lists of the biggest tables (reminders, agenda items): counts at most CAP
    rows, as a page needs no exact total of a million."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.CAP].count()
