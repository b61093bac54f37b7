"""The house-style source line of a citation in NLM order: ``PubMed, Chest, 2019 Dec;156(6):1.``."""

from __future__ import annotations

from ..model.fields import ISO_DATE, MONTHS
from ..model.records import Citation


def format_date(value: str) -> str:
    """``2018-06-01`` as NLM writes it, ``2018 Jun 1``; anything unparsable is shown as written."""
    match = ISO_DATE.fullmatch(value)
    if not match:
        return value
    year, month, day = match.groups()
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return value
    text = f"{year} {MONTHS[int(month) - 1]}"
    return f"{text} {int(day)}" if day else text


def locator(citation: Citation) -> str:
    """Date, volume, issue and pages as NLM joins them: ``2018 Jun;64(6):433-438``."""
    date = format_date(citation.get("date") or "")
    volume = citation.get("volume") or ""
    issue = citation.get("issue") or ""
    pages = citation.get("pages") or ""
    text = date
    if volume or issue:
        text += (";" if text else "") + volume + (f"({issue})" if issue else "")
    if pages:
        text += (":" if text else "") + pages
    return text


def source_line(citation: Citation) -> str:
    """The whole source line, ending in one full stop: ``PubMed, Chest, 2018 Jun;64(6):43-8.``."""
    parts = [p for p in (citation.get("outlet"), citation.get("journal"), locator(citation)) if p]
    if not parts:
        return ""
    text = ", ".join(parts)
    return text if text.endswith(".") else text + "."
