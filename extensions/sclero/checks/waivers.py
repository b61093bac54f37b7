"""The rule on waivers themselves: a waiver that waives nothing hides the next real problem."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model.records import Citation, Finding
from ..model.rules import Subtype
from .context import finding


def check_unused_waivers(
    citations: Iterable[Citation], used: set[tuple[str, str, Subtype]]
) -> Iterator[Finding]:
    """Each waiver of a rule that found nothing in its citation (``used`` lists the rest)."""
    for citation in citations:
        for subtype, _ in citation.waivers:
            if (citation.docname, citation.anchor, subtype) not in used:
                yield finding(
                    citation,
                    "waive",
                    Subtype.waiver,
                    f"waiver of {subtype.value!r} is unused: the rule finds nothing in this "
                    "citation; delete it",
                )
