"""The history of a meeting: the meeting, its agenda items and their documents, who changed what.

| who                                   | sees the history                       |
|---------------------------------------|----------------------------------------|
| regional coordinator                  | yes                                    |
| secretary or chair of the body        | yes (those who prepare the meeting)    |
| anyone else who sees the meeting      | no (403)                               |
| anyone else                           | no (404)                               |

A confidential item (one that was confidential at any time) and its documents appear only to those who
see the body's confidential items, the rule of the meeting page (docs/adr/0006-who-sees-what.md)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.history import Source, history_page
from meetings import access
from meetings.minutes_views import BodyRights
from meetings.models import AgendaItem, Document, Meeting


def _item(record) -> str:
    return _("item %(number)s, %(title)s") % {"number": record.position, "title": record.title}


def _document(record) -> str:
    return _("document %(title)s") % {"title": record.title}


def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    rights = BodyRights(request.user, meeting.body)
    if not rights.prepares:
        raise PermissionDenied
    items = AgendaItem.history.filter(meeting_id=meeting.pk)
    documents = Document.history.filter(item_id__in=items.values("id"))
    if not rights.sees_confidential:
        ever_confidential = AgendaItem.history.filter(meeting_id=meeting.pk, confidential=True).values("id")
        items = items.exclude(id__in=ever_confidential)
        documents = documents.exclude(item_id__in=ever_confidential)
    sources = [
        Source(Meeting.history.filter(id=meeting.pk), lambda record: _("the meeting"), hidden=("body",)),
        # The item a copy was forwarded from, and the minutes it adopts, would be named by their titles.
        Source(items, _item, hidden=("meeting", "forwarded_from", "minutes_to_adopt")),
        Source(documents, _document, hidden=("item", "submission")),
    ]
    page, rows = history_page(request, sources)
    return render(
        request,
        "components/history.html",
        {
            "heading": _("History of %(meeting)s") % {"meeting": meeting.long_name()},
            "back_url": reverse("meeting_detail", args=[meeting.pk]),
            "back_label": _("Back to the meeting"),
            "rows": rows,
            "page": page,
        },
    )
