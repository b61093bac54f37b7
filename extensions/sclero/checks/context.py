"""What the rules need besides the citation: today's date, limits, and a finding factory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model.records import Citation, Finding
from ..model.rules import Subtype


@dataclass(frozen=True)
class CheckContext:
    """Settings every rule sees."""

    today: date
    pmid_max: int


def finding(citation: Citation, field: str, subtype: Subtype, message: str) -> Finding:
    """A finding about ``field`` of ``citation``, located at that field's own line."""
    return Finding(
        citation.docname,
        citation.line_of(field),
        subtype,
        message,
        citation=citation.anchor,
        field=field,
    )
