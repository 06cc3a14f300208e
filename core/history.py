"""Who changed what, from what to what, when and why: the records django-simple-history keeps of the domain
models, turned into rows a person can read, for the history page of a meeting, a proposal or a body.

A page merges the records of several models (a meeting, its items, their documents) into one timeline,
newest first, and reads a page of it in a fixed number of queries, however long the history: one UNION for
the page's keys and its count, then per model the page's records (each with the id of the record before
it) and those earlier records, and per foreign key that changed the names it points to."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db import models
from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.pagination import paginate

# The fields of a record that say something about the record, not about the object.
BOOKKEEPING = {
    "id",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    # core.models.Timestamped: when a row changed, which the record's own date already says.
    "created_at",
    "modified_at",
}
KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Source:
    """The records of one model that belong on the page: `records` is a queryset of its historical model;
    `describe(record)` names the object in a few words (from the record's own fields, or those
    `select_related` reads along); `hidden` are fields not to show (the parent it belongs to, a link whose
    name could say more than the reader may see)."""

    records: models.QuerySet
    describe: Callable[[models.Model], str]
    hidden: Sequence[str] = ()
    select_related: Sequence[str] = ()


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Row:
    when: datetime.datetime
    who: str
    kind: str  # "created", "changed" or "deleted"
    what: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def history_page(request: HttpRequest, sources: Sequence[Source], per_page: int = 25) -> tuple[Page, list[Row]]:
    """The page of the merged timeline that the request asks for (core.pagination), and its rows."""
    keyed = [
        source.records.order_by()
        .annotate(source_index=Value(index, output_field=IntegerField()))
        .values_list("history_date", "history_id", "source_index")
        for index, source in enumerate(sources)
    ]
    timeline = keyed[0].union(*keyed[1:], all=True) if len(keyed) > 1 else keyed[0]
    page = paginate(request, timeline.order_by("-history_date", "-history_id"), per_page=per_page, most=100)
    wanted: dict[int, list[int]] = defaultdict(list)
    for _when, history_id, index in page.object_list:
        wanted[index].append(history_id)
    rows: dict[tuple[int, int], Row] = {}
    for index, ids in wanted.items():
        for history_id, row in _rows_of(sources[index], ids).items():
            rows[index, history_id] = row
    ordered = [rows[index, history_id] for _when, history_id, index in page.object_list]
    # A save that changed only what the page does not show (a field left out of the history, or a save
    # without changes) says nothing to the reader: left out, so a page may hold fewer rows than its size.
    return page, [row for row in ordered if row.changes or row.reason or row.kind != "changed"]


def _rows_of(source: Source, ids: list[int]) -> dict[int, Row]:
    historical = source.records.model
    manager = historical._default_manager
    earlier = (
        manager.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = list(
        manager.filter(history_id__in=ids)
        .select_related("history_user__person", *source.select_related)
        .annotate(previous_id=Subquery(earlier))
    )
    previous = manager.in_bulk([r.previous_id for r in records if r.previous_id], field_name="history_id")
    shown = [f for f in historical.tracked_fields if f.name not in BOOKKEEPING and f.name not in source.hidden]
    pairs = [(record, previous.get(record.previous_id)) for record in records]
    changed = {record.history_id: _changed_fields(record, before, shown) for record, before in pairs}
    names = _related_names(pairs, changed)
    return {
        record.history_id: Row(
            when=record.history_date,
            who=_who(record),
            kind=KINDS.get(record.history_type, "changed"),
            what=source.describe(record),
            reason=record.history_change_reason or "",
            changes=[
                Change(
                    str(f.verbose_name),
                    _shown(f, getattr(before, f.attname), names) if before is not None else "",
                    _shown(f, getattr(record, f.attname), names),
                )
                for f in changed[record.history_id]
            ],
        )
        for record, before in pairs
    }


def _changed_fields(record, before, fields) -> list[models.Field]:
    if record.history_type == "-":
        return []
    if before is None:
        # Created: what it was created with (the fields given a value).
        return [f for f in fields if getattr(record, f.attname) not in (None, "", False)]
    return [f for f in fields if getattr(record, f.attname) != getattr(before, f.attname)]


def _related_names(pairs, changed) -> dict[tuple[type, object], str]:
    """The names the changed foreign keys point to, one query per related model."""
    keys: dict[type, set] = defaultdict(set)
    for record, before in pairs:
        for f in changed[record.history_id]:
            if f.is_relation and f.many_to_one:
                for value in (getattr(record, f.attname), getattr(before, f.attname, None) if before else None):
                    if value is not None:
                        keys[f.related_model].add(value)
    names = {}
    for model, values in keys.items():
        for pk, obj in model._default_manager.in_bulk(list(values)).items():
            names[model, pk] = str(obj)
    return names


def _shown(f: models.Field, value, names: dict) -> str:
    if value is None or value == "":
        return "–"
    if f.is_relation and f.many_to_one:
        return names.get((f.related_model, value), _("(removed, #%(id)s)") % {"id": value})
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("the portal")
    person = getattr(user, "person", None)
    return person.full_name if person is not None else user.get_username()
