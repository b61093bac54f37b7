"""Journal names: NLM abbreviations from the shipped catalogue, full titles, and platforms."""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from ..records import Citation, Finding
from ..subtypes import Subtype
from .context import CheckContext, finding

Problem = tuple[Subtype, str]

CATALOGUE = Path(__file__).parent.parent / "data" / "nlm-journal-abbreviations.tsv"

# Hosting platforms and databases that legacy pages named where the journal belongs.
PLATFORMS = frozenset(
    {
        "wiley online library", "sciencedirect", "science direct", "springerlink",
        "springer link", "pubmed", "pubmed central", "pmc", "medline", "europe pmc",
        "google scholar", "researchgate", "semantic scholar", "jstor", "ovid", "ebsco",
        "scopus", "web of science", "taylor & francis online", "tandfonline", "medscape",
        "sage journals", "oxford academic", "cochrane library", "karger", "thieme connect",
    }
)  # fmt: skip


def journal_key(name: str) -> str:
    """A loose comparison key: case, periods, '&'/'and', 'The' and spacing ignored."""
    name = name.lower().replace("&", " and ").replace(".", " ")
    name = re.sub(r"[^\w()]+", " ", name)
    return " ".join(w for w in name.split() if w != "the")


# eq=False keeps identity hashing, so the catalogue can key the suggestion cache.
@dataclass(frozen=True, eq=False)
class JournalCatalogue:
    """NLM abbreviations, and (built on first need) the abbreviation of each title and spelling."""

    abbreviations: frozenset[str]
    rows: tuple[tuple[str, str], ...]

    @cached_property
    def by_key(self) -> dict[str, str]:
        """Loose key -> abbreviation; only a journal that is not an exact match needs it."""
        by_key: dict[str, str] = {}
        for abbreviation, title in self.rows:
            by_key.setdefault(journal_key(abbreviation), abbreviation)
            by_key.setdefault(journal_key(title), abbreviation)
            # NLM titles carry subtitles ("Osteoporosis international : a journal ..."):
            # contributors write the main title alone.
            by_key.setdefault(journal_key(re.split(r" [:=/] ", title, maxsplit=1)[0]), abbreviation)
        return by_key

    def closest(self, name: str) -> list[str]:
        """Up to three abbreviations that look like ``name``."""
        return difflib.get_close_matches(name, sorted(self.abbreviations), n=3, cutoff=0.85)


@cache
def load_catalogue(path: Path = CATALOGUE) -> JournalCatalogue:
    """Read the TSV once per process (38,000 rows); the loose index waits until needed."""
    rows: list[tuple[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        # csv.reader, not DictReader: a dict per row was most of the load time.
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, [])
        a, t = header.index("abbreviation"), header.index("title")
        for row in reader:
            abbreviation = row[a].strip() if len(row) > a else ""
            if abbreviation:
                rows.append((abbreviation, row[t] if len(row) > t else ""))
    return JournalCatalogue(frozenset(a for a, _ in rows), tuple(rows))


def check_journal_name(value: str, catalogue: JournalCatalogue) -> list[Problem]:
    """Is ``value`` an NLM abbreviation? If not, what it probably should be."""
    if journal_key(value) in PLATFORMS:
        return [
            (
                Subtype.journal_platform,
                f"journal {value!r} is a platform or database, not a journal; name the journal",
            )
        ]
    if value in catalogue.abbreviations:
        return []
    if suggestion := catalogue.by_key.get(journal_key(value)):
        return [
            (
                Subtype.journal_full_title,
                f"journal {value!r} is not the NLM abbreviation; did you mean {suggestion!r}?",
            )
        ]
    close = _closest_cached(value, catalogue)
    hint = f"; closest: {', '.join(repr(c) for c in close)}" if close else ""
    return [
        (Subtype.journal_unknown, f"journal {value!r} is not in the NLM catalogue (2021){hint}")
    ]


@cache
def _closest_cached(value: str, catalogue: JournalCatalogue) -> tuple[str, ...]:
    return tuple(catalogue.closest(value))


def check_journal(citation: Citation, ctx: CheckContext) -> Iterator[Finding]:
    """The ``journal`` field, and a platform given as the outlet of an article."""
    value = citation.get("journal")
    if value:
        for subtype, message in check_journal_name(value, load_catalogue()):
            yield finding(citation, "journal", subtype, message)
