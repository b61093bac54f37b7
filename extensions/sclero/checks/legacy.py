"""Rules on the entries of a legacy page as the importer reads them, at their legacy lines."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..model.fields import NUMERIC_DATE, numeric_readings
from ..model.kinds import Kind
from ..model.legacy_grammar import Parsed, iso_date
from ..model.rules import Subtype
from .dates import check_date
from .journals import PLATFORMS, journal_key
from .text import check_brackets, check_dashes, check_mojibake

# Only the shape of a date is checked here; whether it is in the future is the build's rule.
_FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class Defect:
    """A problem of the legacy text, at its legacy line, with the rule that names it."""

    line: int
    subtype: Subtype
    message: str


def text_defects(text: str, line: int) -> Iterable[Defect]:
    for rule in (check_mojibake, check_dashes, check_brackets):
        for subtype, message in rule(text):
            yield Defect(line, subtype, message)


def entry_defects(entry: Parsed, line: int, page_dates: list[str]) -> list[Defect]:
    """Every legacy defect of one entry, in the build's words and subtypes."""
    found: list[Defect] = []
    for part in (entry.title, entry.summary):
        found += text_defects(part, line)
    if entry.also_see_text:
        for subtype, message in check_brackets(entry.also_see_text):
            found.append(Defect(line, subtype, f"also see: {message}"))
    if journal_key(entry.source) in PLATFORMS and not entry.journal and entry.kind is Kind.article:
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
    if entry.kind is Kind.article and NUMERIC_DATE.fullmatch(entry.date_text or ""):
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
