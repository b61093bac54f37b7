"""The entry against the records its identifiers name: title, journal, year and locators.

Also identifiers that name different papers. Never a rewrite: each finding shows both values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..model.fields import date_parts, first_page
from ..model.records import Citation, Finding
from ..model.registry_record import Record, author_names
from ..model.rules import Subtype
from ..model.titles import clip, differs_by_parentheticals, titles_match
from .context import finding
from .journals import journal_key, load_catalogue

if TYPE_CHECKING:
    from ..model.registry_record import CitationRecords, Identified


def _name(identified: Identified) -> str:
    return str(identified.target)


def check_titles(citation: Citation, found: CitationRecords) -> Iterator[Finding]:
    """Each record's title is the entry's (Citation bot's rule; see titles.py)."""
    for identified, record in found.records:
        if not record.title or titles_match(citation.title, record.title):
            continue
        if differs_by_parentheticals(citation.title, record.title):
            yield finding(
                citation,
                "title",
                Subtype.record_title_edited,
                f'{_name(identified)} is "{clip(record.title)}" ({record.source}); this '
                "entry's title adds an abbreviation in parentheses",
            )
            continue
        yield finding(
            citation,
            identified.field,
            Subtype.record_title,
            f'{_name(identified)} is "{clip(record.title)}" ({record.source}), not this '
            f'entry\'s title "{clip(citation.title)}"',
        )


def check_conflicts(citation: Citation, found: CitationRecords) -> Iterator[Finding]:
    """A record of the entry's paper that lists another PMID, PMCID or DOI than the entry."""
    reported: set[str] = set()
    for identified, record in found.records:
        if not found.describes(record):
            continue  # another paper: its title finding says so
        for name in ("pmid", "pmcid", "doi"):
            written = (citation.get(name) or "").strip()
            listed = getattr(record, name)
            if name == identified.field or not written or not listed or name in reported:
                continue
            if written.lower() != listed.lower():
                reported.add(name)
                other = found.get(name)
                lists = (
                    f"{_name(identified)}'s record ({record.source}) lists {name.upper()} {listed}"
                )
                if other is not None and other.missing:
                    # The entry's identifier names nothing: the record's is the paper's.
                    message = f"{name.upper()} {written} does not exist; {lists}"
                elif other is not None and other.exists:
                    message = (
                        f"{lists}, not this entry's {written}: the identifiers name different "
                        "records"
                    )
                else:
                    message = f"{lists}, not this entry's {written}"
                yield finding(citation, name, Subtype.identifier_conflict, message)


def _same_journal(written: str, record: Record) -> bool | None:
    """Whether the entry's journal is the record's; None when the record cannot tell."""
    if record.source in ("PubMed", "PMC") and record.journal:
        return journal_key(written) == journal_key(record.journal)
    names = [n for n in (record.journal, record.journal_full) if n]
    if not names:
        return None
    catalogue = load_catalogue()
    for name in names:
        if journal_key(written) == journal_key(name):
            return True
        # Crossref gives the publisher's title; the NLM catalogue maps it to the abbreviation.
        if catalogue.by_key.get(journal_key(name)) == written:
            return True
    return None if record.source == "Crossref" else False


def check_details(citation: Citation, found: CitationRecords) -> Iterator[Finding]:
    """Journal, year (one year's gap is a note), volume, issue and first page."""
    matching = found.matching
    if not matching:
        return
    record = matching[0]
    where = f"{record.source} record {record.identifier}"
    journal = citation.get("journal")
    if journal and _same_journal(journal, record) is False:
        yield finding(
            citation,
            "journal",
            Subtype.record_journal,
            f"the {where} gives journal {record.journal!r}, not {journal!r}",
        )
    parts = date_parts(citation.get("date"))
    years = record.years()
    if parts and years and parts[0] not in years:
        gap = min(abs(parts[0] - y) for y in years)
        recorded = " or ".join(str(y) for y in sorted(years))
        subtype = Subtype.record_year_gap if gap == 1 else Subtype.record_year
        yield finding(
            citation, "date", subtype, f"the {where} gives year {recorded}, not {parts[0]}"
        )
    written_authors = citation.get("authors")
    problem = _authors_differ(written_authors, record.authors) if written_authors else None
    if problem and record.authors:
        yield finding(citation, "authors", Subtype.record_authors, f"the {where} {problem}")
    for name, recorded_value, written in (
        ("volume", record.volume, citation.get("volume")),
        ("issue", record.issue, citation.get("issue")),
        ("pages", first_page(record.pages), first_page(citation.get("pages"))),
    ):
        if recorded_value and written and recorded_value.lower() != written.lower():
            label = "first page" if name == "pages" else name
            yield finding(
                citation,
                name,
                Subtype.record_locator,
                f"the {where} gives {label} {recorded_value!r}, not {written!r}",
            )


def _authors_differ(written: str, recorded: tuple[str, ...]) -> str | None:
    """How ``:authors:`` differs from the record's names (compared without case), or None."""
    names, more = author_names(written)
    for index, (name, theirs) in enumerate(zip(names, recorded, strict=False)):
        if name.casefold() != theirs.casefold():
            return f"names author {index + 1} {theirs!r}, not {name!r}"
    if len(names) > len(recorded):
        return f"names {len(recorded)} author(s), not {len(names)}"
    if len(names) < len(recorded) and not more:
        return f"names {len(recorded)} authors; end the list with 'et al.' or give them all"
    return None


def check_record(citation: Citation, found: CitationRecords) -> list[Finding]:
    """Every difference between the entry and its records."""
    return [
        *check_titles(citation, found),
        *check_conflicts(citation, found),
        *check_details(citation, found),
    ]


def check_unverified(citation: Citation, found: CitationRecords, offline: bool) -> list[Finding]:
    """A note for each identifier a registry could not answer for (never a failure)."""
    notes = []
    for identified in found.identifiers:
        if identified.unverified and not (offline and identified.record is not None):
            notes.append(
                finding(
                    citation,
                    identified.field,
                    Subtype.unverified,
                    f"{identified.target} not verified: {identified.unverified}",
                )
            )
    return notes


def check_candidate(citation: Citation, found: dict[str, object] | None) -> list[Finding]:
    """The note naming a candidate PMID for an article without identifiers, if one is known."""
    if found is None:
        return []
    return [
        finding(
            citation,
            "title",
            Subtype.id_candidate,
            f'PubMed record {found["pmid"]} ("{clip(str(found.get("title", "")))}", found by '
            f"{found.get('via', 'a search')}) agrees with this entry's title, journal and year: "
            "a candidate PMID, please confirm on its PubMed page before adding :pmid:",
        )
    ]
