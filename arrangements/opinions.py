"""The shared (eensluidende) zienswijze: each council's own text against the region's model, paragraph by
paragraph, and the overview per document that goes to the general board."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from decisions import rules as chain_rules
from decisions.models import CouncilTrack


def paragraphs(text: str) -> list[str]:
    """The points of a zienswijze: its paragraphs (or lines), with spacing made even so that a re-wrapped
    paragraph still counts as the same point."""
    parts = re.split(r"\n\s*\n|\n", text or "")
    return [" ".join(part.split()) for part in parts if part.strip()]


@dataclass
class Comparison:
    """One council's zienswijze against the model."""

    state: str  # followed, added, own, none, postponed, open
    diff: list[tuple[str, str]] = field(default_factory=list)  # (sign, paragraph) with '-', '+' or ' '

    @property
    def added(self) -> list[str]:
        return [text for sign, text in self.diff if sign == "+"]

    @property
    def left_out(self) -> list[str]:
        return [text for sign, text in self.diff if sign == "-"]

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


STATE_LABELS = {
    "followed": gettext_lazy("followed the model"),
    "added": gettext_lazy("followed the model and added a point"),
    "own": gettext_lazy("gave its own zienswijze"),
    "none": gettext_lazy("gave no zienswijze"),
    "postponed": gettext_lazy("postponed"),
    "open": gettext_lazy("not yet decided"),
}


def compare(model: str, track: CouncilTrack) -> Comparison:
    if track.outcome == chain_rules.CouncilOutcome.NO_OPINION:
        return Comparison("none")
    if track.outcome == chain_rules.CouncilOutcome.POSTPONED:
        return Comparison("postponed")
    if track.outcome != chain_rules.CouncilOutcome.OPINION_SUBMITTED:
        return Comparison("open")
    own, base = paragraphs(track.council_response), paragraphs(model)
    diff = [(line[0], line[2:]) for line in difflib.ndiff(base, own) if line[:1] in "-+ "]
    if not base:
        return Comparison("own", diff)
    signs = {sign for sign, _text in diff}
    if signs <= {" "}:
        return Comparison("followed", diff)
    if "-" not in signs:
        return Comparison("added", diff)
    return Comparison("own", diff)


def overview(document, tracks: list[CouncilTrack]) -> dict:
    """Every council's zienswijze on a document, compared with the model, and the counts in one sentence."""
    rows = [(track, compare(document.model_opinion, track)) for track in tracks]
    counts = {state: sum(1 for _track, c in rows if c.state == state) for state in STATE_LABELS}
    return {"rows": rows, "counts": counts, "summary": summary(counts)}


def summary(counts: dict[str, int]) -> str:
    parts = []
    if counts["followed"]:
        parts.append(
            ngettext("%(n)s council followed the model", "%(n)s councils followed the model", counts["followed"])
            % {"n": counts["followed"]}
        )
    if counts["added"]:
        parts.append(
            ngettext("%(n)s followed it and added a point", "%(n)s followed it and added points", counts["added"])
            % {"n": counts["added"]}
        )
    if counts["own"]:
        parts.append(
            ngettext("%(n)s gave its own zienswijze", "%(n)s gave their own zienswijze", counts["own"])
            % {"n": counts["own"]}
        )
    if counts["none"]:
        parts.append(ngettext("%(n)s gave none", "%(n)s gave none", counts["none"]) % {"n": counts["none"]})
    waiting = counts["open"] + counts["postponed"]
    if waiting:
        parts.append(ngettext("%(n)s has not yet decided", "%(n)s have not yet decided", waiting) % {"n": waiting})
    if not parts:
        return _("No council takes part.")
    if len(parts) == 1:
        return parts[0] + "."
    return ", ".join(parts[:-1]) + " " + _("and") + " " + parts[-1] + "."
