import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES"


def po_entries() -> list[dict]:
    """Every entry of the Dutch catalogue (header and obsolete entries excluded), as
    a dict of its keywords (msgid, msgid_plural, msgstr, msgstr[0], ...) plus fuzzy."""
    entries, current, key = [], {"fuzzy": False}, None
    for line in [*(LOCALE / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("#~"):
            continue
        elif line.startswith(("msgctxt", "msgid", "msgstr")):
            key, _, literal = line.partition(" ")
            current[key] = ast.literal_eval(literal)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            if current.get("msgid"):
                entries.append(current)
            current, key = {"fuzzy": False}, None
    return entries


def translation(entry: dict) -> str:
    return entry.get("msgstr") or entry.get("msgstr[0]", "")


def test_every_dutch_message_is_translated_and_none_is_fuzzy():
    entries = po_entries()
    assert len(entries) > 300
    assert [e["msgid"] for e in entries if not translation(e) or e["fuzzy"]] == []


def test_the_compiled_catalogue_matches_the_source():
    with open(LOCALE / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for entry in po_entries():
        if "msgctxt" in entry:
            compiled_text = catalogue.pgettext(entry["msgctxt"], entry["msgid"])
        elif "msgid_plural" in entry:
            compiled_text = catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1)
        else:
            compiled_text = catalogue.gettext(entry["msgid"])
        if compiled_text != translation(entry):
            stale.append(entry["msgid"])
    assert stale == [], "run `make messages`"
