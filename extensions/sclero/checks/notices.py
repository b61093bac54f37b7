"""Retractions, expressions of concern and corrections the registries record for an entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..model.records import Citation, Finding
from ..model.registry_record import NOTICE_INFO, Notice, NoticeKind
from ..model.rules import Subtype
from .context import finding

if TYPE_CHECKING:
    from ..model.registry_record import CitationRecords

_SUBTYPES = {
    NoticeKind.retraction: Subtype.retracted,
    NoticeKind.concern: Subtype.concern,
    NoticeKind.correction: Subtype.corrected,
}


def notices_of(found: CitationRecords) -> list[Notice]:
    """Every notice of the entry's records, once each (PubMed and Crossref often both have it).

    A record marked retracted without a linked notice still counts as a retraction.
    """
    notices: dict[str, Notice] = {}
    for record in found.matching:
        for notice in record.notices:
            notices.setdefault(notice.url or f"{notice.kind}:{notice.label}", notice)
        if record.retracted and not any(n.kind is NoticeKind.retraction for n in notices.values()):
            marked = Notice(NoticeKind.retraction, "Retracted Publication", source=record.source)
            notices.setdefault("retracted", marked)
    order = list(NoticeKind)
    return sorted(notices.values(), key=lambda n: (order.index(n.kind), n.url or ""))


def check_notices(citation: Citation, found: CitationRecords) -> Iterator[Finding]:
    """One finding per notice, at the title's line, with the notice's address."""
    for notice in notices_of(found):
        where = f" ({notice.label}: {notice.url})" if notice.url else f" ({notice.label})"
        yield finding(
            citation,
            "title",
            _SUBTYPES[notice.kind],
            f"this article {NOTICE_INFO[notice.kind].finding} according to {notice.source}{where}",
        )
