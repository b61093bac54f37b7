"""A legacy page as blocks, each at its legacy line, with every defect of the legacy text.

Blocks are headings, definitions, entries, patient stories, the "Go to" link, and what could
not be placed (kept for review, never dropped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..checks.dates import check_date
from ..checks.journals import PLATFORMS, journal_key
from ..checks.text import check_brackets, check_dashes, check_mojibake
from ..model.fields import NUMERIC_DATE, numeric_readings
from ..model.rules import Subtype
from .grammar import Parsed, iso_date, parse_entry

# The legacy site's chrome: donor lines, the footer, the address; dropped, and counted.
CHROME = re.compile(
    r"We have the world's best supporters|SCLERO\.ORG is the world's leading nonprofit|"
    r"Donations may also be mailed|^International Scleroderma Network \(ISN\)\s*$|"
    r"^\d+ France Ave|Edina, MN|Privacy Policy|The most important thing in the world to know|"
    r"Meet Our Team",
    re.MULTILINE,
)
_GO_TO = re.compile(r"Go to (?P<name>[^.]+?)\.?$")
_HEADING_WORDS = 8
# Only the shape of a date is checked here; whether it is in the future is the build's rule.
_FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class Defect:
    """A problem of the legacy text, at its legacy line, with the rule that names it."""

    line: int
    subtype: Subtype
    message: str


@dataclass
class Block:
    """One piece of the page; ``kind`` says which, ``line`` where it was on the legacy page."""

    kind: str  # heading, definition, entry, story, next, author, review
    line: int
    text: str = ""
    entry: Parsed | None = None
    source: str = ""  # who wrote a definition ("ISN"), when the legacy page says
    links: list[str] = field(default_factory=list)  # hrefs (HTML pages only)
    reason: str = ""  # why a block is left for review


@dataclass
class LegacyPage:
    """What the importer read: the title, the blocks, the defects and what was dropped."""

    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    defects: list[Defect] = field(default_factory=list)
    dropped: int = 0  # chrome paragraphs left out


def _defects_of_text(text: str, line: int) -> Iterable[Defect]:
    for rule in (check_mojibake, check_dashes, check_brackets):
        for subtype, message in rule(text):
            yield Defect(line, subtype, message)


def entry_defects(entry: Parsed, line: int, page_dates: list[str]) -> list[Defect]:
    """Every legacy defect of one entry, in the build's words and subtypes."""
    found: list[Defect] = []
    for part in (entry.title, entry.summary):
        found += _defects_of_text(part, line)
    if entry.also_see_text:
        for subtype, message in check_brackets(entry.also_see_text):
            found.append(Defect(line, subtype, f"also see: {message}"))
    if journal_key(entry.source) in PLATFORMS and not entry.journal and entry.kind == "article":
        found.append(
            Defect(
                line,
                Subtype.journal_platform,
                f"the source names the platform {entry.source!r} where the journal "
                "belongs; name the journal",
            )
        )
    if entry.journal and journal_key(entry.journal) in PLATFORMS:
        found.append(
            Defect(
                line,
                Subtype.journal_platform,
                f"journal {entry.journal!r} is a platform or database",
            )
        )
    if match := re.search(r",(?=\S)", entry.source_text):
        found.append(
            Defect(
                line,
                Subtype.spaces,
                f"no space after the comma in {entry.source_text[: match.end() + 10]!r}",
            )
        )
    if NUMERIC_DATE.fullmatch(entry.date_text) and len(numeric_readings(entry.date_text)) == 2:
        [(subtype, message)] = check_date(entry.date_text, _FAR_FUTURE)
        evidence = next((d for d in page_dates if len(numeric_readings(d)) == 1), None)
        hint = (
            (
                f" (the page's {evidence} can only be month first; that is the page's habit, "
                "not proof for this date)"
            )
            if evidence
            else ""
        )
        found.append(Defect(line, subtype, message + hint))
    if entry.date_text and (entry.volume or entry.pages):
        iso = iso_date(entry.date_text) or ""
        if iso.count("-") == 2:
            found.append(
                Defect(
                    line,
                    Subtype.date_form,
                    f"a day-level date ({entry.date_text}) with volume and pages: an "
                    "electronic date mixed with a print citation (unless the journal is weekly)?",
                )
            )
    if entry.kind == "article" and NUMERIC_DATE.fullmatch(entry.date_text or ""):
        found.append(
            Defect(
                line,
                Subtype.date_form,
                f"the date {entry.date_text} has no volume or pages: often the "
                "electronic date; the issue date and locators are in the record",
            )
        )
    for note in entry.notes:
        found.append(Defect(line, Subtype.summary, note))
    return found


def _is_heading(text: str) -> bool:
    words = text.split()
    return (
        "\n" not in text.strip()
        and 0 < len(words) <= _HEADING_WORDS
        and not text.rstrip().endswith((".", ",", ";", ":", "…"))
        and text.strip()[0].isupper()
    )


class Classifier:
    """Reads paragraphs in page order and says what each is (it keeps the section it is in)."""

    def __init__(self, page_dates: list[str] | None = None) -> None:
        """``page_dates``: every date the page prints, as evidence in ambiguity reports."""
        self.page = LegacyPage()
        self.section = ""
        self.after_go_to = False
        self.page_dates = page_dates or []

    def add(self, line: int, text: str, links: list[str] | None = None) -> Block | None:
        """The block of one paragraph (None for the title or dropped chrome)."""
        page = self.page
        flat = " ".join(text.split())
        if not flat:
            return None
        if not page.title:
            page.title = flat
            return None
        if CHROME.search(text):
            page.dropped += 1
            return None
        block = self._block(line, text, flat, links or [])
        page.blocks.append(block)
        return block

    def _block(self, line: int, text: str, flat: str, links: list[str]) -> Block:
        page = self.page
        if flat.startswith("Author:"):
            # The author line; the section list printed under it is navigation Sphinx builds.
            return Block("author", line, text.strip().splitlines()[0].strip())
        if go_to := _GO_TO.fullmatch(flat):
            self.after_go_to = True
            return Block("next", line, go_to["name"])
        if self.after_go_to:
            reason = "text after the page's 'Go to' link that is not the site's footer"
            return Block("review", line, flat, reason=reason)
        entry = parse_entry(text)
        if not entry.unplaced:
            if not entry.title.endswith("..."):
                entry.title = entry.title.removesuffix(".")
            page.defects += entry_defects(entry, line, self.page_dates)
            return Block("entry", line, flat, entry=entry, links=links)
        page.defects += list(_defects_of_text(flat, line))
        if _is_heading(flat):
            self.section = flat
            return Block("heading", line, flat)
        if self.section.lower() == "patient stories":
            return Block("story", line, flat)
        if flat.endswith(" ISN."):
            return Block("definition", line, flat.removesuffix(" ISN."), source="ISN")
        reason = "a paragraph with no source: who wrote it (ISN, or a site it quotes)?"
        return Block("review", line, flat, reason=reason)


def paragraphs_of_text(text: str) -> list[tuple[int, str]]:
    """``(first line, text)`` of each blank-line separated paragraph of a text page."""
    found: list[tuple[int, str]] = []
    start, lines = 0, list[str]()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line)
        elif lines:
            found.append((start, "\n".join(lines)))
            lines = []
    if lines:
        found.append((start, "\n".join(lines)))
    return found
