"""Rules on where an entry stands and how it is named: its page, its anchor, its fields."""

from __future__ import annotations

from collections.abc import Iterable

from ..model.records import Citation, Finding
from ..model.rules import Subtype


def check_placement(citation: Citation, line: int, on_topic_page: bool) -> list[Finding]:
    """A citation outside a topic page is not exported, listed or linked back."""
    if on_topic_page:
        return []
    return [
        Finding(citation.docname, line, Subtype.placement,
                "citation outside a topic page: it is not exported, listed or linked "
                "back; move it under the topic folder", citation=citation.anchor)
    ]  # fmt: skip


def check_anchor_clash(citation: Citation, line: int, clash: str) -> list[Finding]:
    """An explicit ``:id:`` already used on the page (a derived one is the duplicate rule's)."""
    return [
        Finding(
            citation.docname,
            line,
            Subtype.duplicate_id,
            f"anchor {clash!r} is already used on this page; this entry is "
            f"{citation.anchor!r}, give it an explicit :id:",
            citation=citation.anchor,
        )
    ]


def check_repeated_fields(citation: Citation, options: Iterable[tuple[str, int]]) -> list[Finding]:
    """A field given twice: docutils keeps one value and drops the other without a word."""
    seen: set[str] = set()
    found = []
    for name, line in options:
        if name in seen:
            found.append(
                Finding(
                    citation.docname,
                    line,
                    Subtype.duplicate_option,
                    f"field :{name}: is given again; only one value is kept: delete one",
                    citation=citation.anchor,
                    field=name,
                )
            )
        seen.add(name)
    return found
