"""A legacy page as blocks, each at its legacy line, with every defect of the legacy text.

Blocks are headings, definitions, entries, patient stories, the "Go to" link, and what could
not be placed (kept for review, never dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..checks.legacy import Defect, entry_defects, text_defects
from ..model.legacy_grammar import Parsed, parse_entry

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
        page.defects += list(text_defects(flat, line))
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
