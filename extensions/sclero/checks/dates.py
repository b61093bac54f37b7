"""Dates (calendar, not future, not before 1800) and the locators volume, issue and pages."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date

from ..model.fields import MONTHS, PAGE, PAGE_RANGE, numeric_readings
from ..model.records import Citation, Finding
from ..model.rules import SUBTYPES, Subtype
from .context import CheckContext, finding

Problem = tuple[Subtype, str]

_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
_US = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_NLM = re.compile(r"([0-9]{4}) ([A-Z][a-z]{2})(?: ([0-9]{1,2}))?")
EARLIEST_YEAR = 1800


def _iso_hint(value: str) -> str:
    """The hint for a date in a legacy form: its ISO form if certain, else both readings.

    07/25/2019 can only be July 25; 03/11/2016 reads both ways, and no reading is guessed.
    """
    if _US.fullmatch(value):
        readings = numeric_readings(value)
        if len(readings) == 2:
            return (
                f"; it reads both ways: {readings[0]} (month first) or {readings[1]} (day "
                "first): check the source"
            )
        return f"; did you mean {readings[0]}?" if readings else ""
    suggestion = _nlm_suggestion(value)
    return f"; did you mean {suggestion}?" if suggestion else ""


def _nlm_suggestion(value: str) -> str | None:
    """The ISO form of an NLM date (2019 Jul 25, 2019 Jul)."""
    if (m := _NLM.fullmatch(value)) and m.group(2) in MONTHS:
        text = f"{m.group(1)}-{MONTHS.index(m.group(2)) + 1:02d}"
        return f"{text}-{int(m.group(3)):02d}" if m.group(3) else text
    return None


# What to write instead, said in the message itself (the rule's fix, from the catalogue).
_FIX = "; " + SUBTYPES[Subtype.date].fix.rstrip(".").replace("Write", "write", 1)


def check_date(value: str, today: date) -> list[Problem]:
    """Problems with a publication date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    match = _ISO.fullmatch(value)
    if not match or any(g is not None and len(g) != 2 for g in match.groups()[1:]):
        hint = _iso_hint(value)
        return [(Subtype.date, f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD{hint}")]
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None  # the pattern requires it
    if month is not None and not 1 <= month <= 12:
        return [(Subtype.date, f"date {value} is not a calendar date (no month {month}){_FIX}")]
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1] if year >= 1 else 31
        if not 1 <= day <= last:
            return [
                (
                    Subtype.date,
                    f"date {value} is not a calendar date "
                    f"({calendar.month_name[month]} {year} has {last} days){_FIX}",
                )
            ]
    if year < EARLIEST_YEAR:
        return [(Subtype.date_early, f"date {value} is before {EARLIEST_YEAR}; check the year")]
    # Compare at the date's own precision: "2026-11" is not future during November 2026.
    given = (year, month or 0, day or 0)
    now = (today.year, today.month if month else 0, today.day if day else 0)
    if given > now:
        return [(Subtype.date_future, f"date {value} is in the future (today is {today})")]
    return []


def expand_range(start: str, end: str) -> str:
    """The end of an elided NLM page range in full: ``106-13`` ends at ``113``."""
    if end.isdigit() and start.isdigit() and len(end) < len(start):
        return start[: len(start) - len(end)] + end
    return end


_SINGLE = re.compile(PAGE)
_VOLUME = re.compile(r"[0-9]+[A-Za-z]?(?: (?:Suppl|Pt) ?[0-9]*[A-Za-z]?)?")
_ISSUE = re.compile(
    r"(?:[0-9]+[A-Za-z]?(?:-[0-9]+[A-Za-z]?)?|Suppl ?[0-9]*|Spec No ?[0-9]*)"
    r"(?: (?:Suppl|Pt) ?[0-9]*)?"
)
# No page, volume or article number runs to more than this many digits.
MAX_DIGITS = 10


def check_pages(value: str) -> list[Problem]:
    """Problems with pages: a page, a range (elided allowed), an e-locator, an article number."""
    if "–" in value or "—" in value:
        fixed = value.replace("–", "-").replace("—", "-")
        return [(Subtype.pages, f"pages {value!r} use a dash; write a hyphen: {fixed}")]
    if any(len(run) > MAX_DIGITS for run in re.findall(r"[0-9]+", value)):
        return [(Subtype.pages, f"pages {value[:24]!r}… have a number longer than any page")]
    if _SINGLE.fullmatch(value):
        return []
    match = PAGE_RANGE.fullmatch(value)
    if not match:
        return [
            (
                Subtype.pages,
                f"pages {value!r} are not a page, a range like 433-438, an e-locator like "
                "e4912, or an article number",
            )
        ]
    start_prefix, start, end_prefix, end = match.groups()
    if end_prefix and end_prefix != start_prefix:
        return [
            (
                Subtype.pages,
                f"pages {value}: the range starts with {start_prefix or 'a number'} "
                f"and ends with {end_prefix}",
            )
        ]
    full_end = expand_range(start, end)
    if int(full_end) <= int(start):
        return [
            (
                Subtype.pages,
                f"pages {value}: the range ends at {start_prefix}{full_end}, not after its "
                f"start {start_prefix}{start}",
            )
        ]
    return []


def check_citation_dates(citation: Citation, ctx: CheckContext) -> Iterator[Finding]:
    """The ``date`` field."""
    value = citation.get("date")
    if value:
        for subtype, message in check_date(value, ctx.today):
            yield finding(citation, "date", subtype, message)


def check_locators(citation: Citation, ctx: CheckContext) -> Iterator[Finding]:
    """The ``volume``, ``issue`` and ``pages`` fields."""
    volume, issue, pages = citation.get("volume"), citation.get("issue"), citation.get("pages")
    if volume and not _VOLUME.fullmatch(volume):
        hint = ""
        if m := re.fullmatch(r"([0-9]+)\s*\((.+)\)", volume):
            hint = f"; did you mean :volume: {m.group(1)} and :issue: {m.group(2)}?"
        yield finding(
            citation, "volume", Subtype.volume, f"volume {volume!r} is not a volume number{hint}"
        )
    if issue and not _ISSUE.fullmatch(issue.strip("()")):
        yield finding(citation, "issue", Subtype.issue, f"issue {issue!r} is not an issue number")
    elif issue and issue != issue.strip("()"):
        yield finding(
            citation,
            "issue",
            Subtype.issue,
            f"issue {issue!r}: write it without parentheses: {issue.strip('()')}",
        )
    if pages:
        for subtype, message in check_pages(pages):
            yield finding(citation, "pages", subtype, message)
