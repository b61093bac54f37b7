"""What one build carries from event to event: held by the domain, never pickled.

Each part keeps its own sub-state and is its only writer; the contributor guide's pipeline
table says which handler writes and reads what, in which order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from ..model.records import Finding

if TYPE_CHECKING:
    from ..model.evidence import Evidence
    from ..model.report_schema import LoggedWarning, Report
    from ..model.verification import Verification
    from ..net.store import Store

Part = TypeVar("Part")


@dataclass
class ReadState:
    """Written while pages are read (content/): what this build reads, and what it could not."""

    # The pages this build reads: only their citation files can change.
    pages_read: set[str] = field(default_factory=set)
    # Works of the pages forgotten before reading (re-read or removed): compared again.
    works_changed: set[tuple[str, str]] = field(default_factory=set)
    # Pages left unread (not UTF-8, nested too deep), at their line (content/unreadable.py).
    findings: list[Finding] = field(default_factory=list)


@dataclass
class VerifyState:
    """Written by the link check (linkcheck/run.py): what readers are told of identifiers."""

    # (docname, citation anchor) -> what readers are told about the entry's identifiers.
    verification: dict[tuple[str, str], Verification] = field(default_factory=dict)
    # Pages not read again whose entries' verification changed (written again too).
    pages_reverified: set[str] = field(default_factory=set)
    # The persistent store of this build (the Cite control keeps its formatted text there).
    store: Store | None = None
    # What an offline build did not check: link occurrences, identifiers, searches, counted.
    not_checked: Counter[str] = field(default_factory=Counter)
    # Findings of links, identifiers and the store, made after reading.
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ReaderState:
    """Written by readers/ after reading: pages to write again, blocked exports, Cite texts."""

    # Pages not read again whose backlinks changed (readers/backlinks.py).
    pages_relinked: set[str] = field(default_factory=set)
    # Topics whose download files would overwrite another's (readers/downloads.py).
    export_blocked: set[str] = field(default_factory=set)
    # (docname, citation anchor) -> the citation formatted for the Cite control (readers/cite.py).
    cite_texts: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # Each topic page's evidence, counted after verification (readers/evidence.py).
    evidence: dict[str, Evidence] = field(default_factory=dict)
    # Export collisions (readers/downloads.py) and old reviews (readers/evidence.py).
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ReportState:
    """Written by reporting/: the judged findings, and other tools' warnings as data."""

    report: Report | None = None
    logged_warnings: list[LoggedWarning] = field(default_factory=list)


@dataclass
class BuildState:
    """Per-build state of the extension (module globals would leak between builds)."""

    read: ReadState = field(default_factory=ReadState)
    verify: VerifyState = field(default_factory=VerifyState)
    readers: ReaderState = field(default_factory=ReaderState)
    reporting: ReportState = field(default_factory=ReportState)
    # The sub-states of parts above content (the link check's), keyed by their class.
    parts: dict[type, object] = field(default_factory=dict)

    def part(self, kind: type[Part]) -> Part:
        """The sub-state of type ``kind``, made on first use; its module is its only writer."""
        value = self.parts.get(kind)
        if value is None:
            value = self.parts[kind] = kind()
        assert isinstance(value, kind)
        return value

    def late_findings(self) -> list[Finding]:
        """Findings made outside the pages' own reading, reported with all the others."""
        return [*self.read.findings, *self.verify.findings, *self.readers.findings]
