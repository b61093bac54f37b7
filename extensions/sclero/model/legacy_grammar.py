"""The legacy entry grammar: ``Title. Summary. Source, Journal, date;locators. (Also see ...)``.

Deterministic: the source is one of the names the legacy site used, found from the end of the
paragraph; the date is one of its three forms. Whatever the grammar cannot place is returned
as unplaced, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fields import MONTHS, NUMERIC_DATE, numeric_readings
from .kinds import Kind

# Where an entry came from, as the legacy pages named it, and what kind of entry that makes.
_SOURCE_KINDS = {
    "PubMed": "article", "PubMed Central": "article", "Wiley Online Library": "article",
    "Oxford Journals Rheumatology": "article", "ScienceDirect": "article",
    "Medscape": "news", "Reuters Health": "news", "Reuters": "news", "New York Times": "news",
    "BBC News": "news", "HealthDay": "news", "Science Daily": "news", "ScienceDaily": "news",
    "Medical News Today": "news", "Washington Post": "news", "NPR": "news", "CNN": "news",
    "The Guardian": "news", "MedPage Today": "news", "Healio": "news", "EurekAlert": "news",
    "Mayo Clinic": "web", "WebMD": "web", "MedlinePlus": "web", "NIH": "web", "NIAMS": "web",
    "Arthritis Foundation": "web", "Scleroderma Foundation": "web", "Cleveland Clinic": "web",
}  # fmt: skip
SOURCES: dict[str, Kind] = {name: Kind(kind) for name, kind in _SOURCE_KINDS.items()}
_SOURCE = "|".join(re.escape(s) for s in sorted(SOURCES, key=len, reverse=True))
_MONTH = "|".join(MONTHS)
# The three date forms, with what may follow each.
_NUMERIC = r"(?P<numeric>[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})"
_NLM = rf"(?P<nlm>[0-9]{{4}}(?: (?:{_MONTH})(?: [0-9]{{1,2}})?)?)"
_LOCATOR = (
    r"(?:;(?P<volume>[0-9A-Za-z ]+?)(?:\((?P<issue>[^()]+)\))?(?::(?P<pages>[A-Za-z0-9-]+))?)?"
)
_TAIL = re.compile(
    rf"(?P<source>{_SOURCE})(?P<comma>,\s*|\s*$|\.)"
    rf"(?:(?P<journal>[^,;]+?),\s*)??"
    rf"(?:{_NUMERIC}|{_NLM}{_LOCATOR})?\.?"
    r"(?:\s*\(Also see (?P<also>[^\n]*?)\)?)?\s*$"
)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[\"'“(]?[A-Z0-9])")


@dataclass
class Parsed:
    """One entry as the grammar read it (values as found), or why it could not."""

    title: str = ""
    summary: str = ""
    source: str = ""
    kind: Kind | None = None  # None: the grammar could not place the entry
    journal: str = ""
    date_text: str = ""  # the date as printed
    volume: str = ""
    issue: str = ""
    pages: str = ""
    also_see: list[str] = field(default_factory=list)
    also_see_text: str = ""
    source_text: str = ""  # the whole source line as printed
    unplaced: str = ""  # why the grammar could not place the paragraph, if it could not
    notes: list[str] = field(default_factory=list)  # what the editor must look at


def split_names(text: str) -> list[str]:
    """``Osteoporosis and Glucocorticoids, Steroids (Prednisone)`` -> two names."""
    names, depth, current = [], 0, ""
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth <= 0:
            names.append(current.strip())
            current = ""
        else:
            current += ch
    names.append(current.strip())
    return [n for n in names if n]


def parse_entry(paragraph: str) -> Parsed:
    """Read one legacy paragraph as an entry; ``unplaced`` says why when it is not one."""
    text = " ".join(paragraph.split())
    found = None
    for match in re.finditer(rf"(?<![\w])(?:{_SOURCE})(?=\s*[,.]|\s*$)", text):
        tail = _TAIL.fullmatch(text, match.start())
        if tail:
            found = tail
    if found is None:
        return Parsed(unplaced="no source (PubMed, Reuters Health ...) followed by a date")
    head = text[: found.start()].strip()
    parsed = Parsed(
        source=found["source"],
        kind=SOURCES[found["source"]],
        journal=(found["journal"] or "").strip(),
        source_text=text[found.start() :].split(" (Also see")[0].strip(),
        date_text=found["numeric"] or found["nlm"] or "",
        volume=(found["volume"] or "").strip(),
        issue=(found["issue"] or "").strip(),
        pages=(found["pages"] or "").strip(),
    )
    if found["also"] is not None:
        parsed.also_see_text = found["also"].strip()
        parsed.also_see = split_names(parsed.also_see_text)
    if not head:
        return Parsed(unplaced="a source with no title before it")
    sentences = _SENTENCE_END.split(head, maxsplit=1)
    parsed.title = sentences[0].strip()
    parsed.summary = sentences[1].strip() if len(sentences) > 1 else ""
    if not parsed.summary:
        parsed.notes.append(
            "no full stop between title and summary: the title holds both; split it by hand"
        )
    return parsed


def iso_date(text: str) -> str | None:
    """The ISO form of a legacy date when only one reading exists, else None."""
    if NUMERIC_DATE.fullmatch(text):
        readings = numeric_readings(text)
        # Two readings: written as found, and reported; never one of them picked.
        return readings[0] if len(readings) == 1 else None
    if m := re.fullmatch(rf"([0-9]{{4}})(?: ({_MONTH})(?: ([0-9]{{1,2}}))?)?", text):
        year, month_name, day = m.groups()
        if not month_name:
            return year
        iso = f"{year}-{MONTHS.index(month_name) + 1:02d}"
        return f"{iso}-{int(day):02d}" if day else iso
    return None
