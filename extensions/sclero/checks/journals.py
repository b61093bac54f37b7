"""Journal names: NLM abbreviations from the shipped catalogue, full titles, and platforms."""

from __future__ import annotations

import csv
import difflib
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from ..model.records import Citation, Finding
from ..model.rules import Subtype
from .context import CheckContext, finding

Problem = tuple[Subtype, str]

CATALOGUE = Path(__file__).parent.parent / "model" / "data" / "nlm-journal-abbreviations.tsv"

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
    path: Path

    @cached_property
    def rows(self) -> tuple[tuple[str, str], ...]:
        """Abbreviation and title of each journal, read when a name is not an abbreviation."""
        return _parse(self.path)

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
    """The catalogue's abbreviations, once per process; titles wait until a name needs them."""
    abbreviations = _read_parsed(path)
    if abbreviations is None:
        abbreviations = frozenset(a for a, _ in _parse(path))
        _keep_parsed(path, abbreviations)
    return JournalCatalogue(abbreviations, path)


def _parsed_file(path: Path) -> Path:
    """Where the parsed abbreviations of this file are kept (the user's cache directory).

    Named by the file's path, size and modification time and by the marshal format, so an
    edited catalogue or another Python is parsed again.
    """
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{sys.version}|{marshal.version}"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "sclero" / f"journals-{hashlib.sha256(key.encode()).hexdigest()[:16]}.marshal"


def _read_parsed(path: Path) -> frozenset[str] | None:
    """The kept abbreviations, or None (absent, unreadable or not what was written)."""
    try:
        kept = marshal.loads(_parsed_file(path).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return kept if isinstance(kept, frozenset) else None


def _keep_parsed(path: Path, abbreviations: frozenset[str]) -> None:
    """Keep them for the next build; a cache that cannot be written is no problem."""
    try:
        target = _parsed_file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(abbreviations))
        partial.replace(target)  # whole or not at all, even with builds side by side
    except OSError:
        pass


def _parse(path: Path) -> tuple[tuple[str, str], ...]:
    """Read the TSV (38,000 rows): abbreviation and title of each journal."""
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
    return tuple(rows)


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
