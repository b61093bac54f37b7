"""What one build carries from event to event: held by the domain, never pickled."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model.records import Finding

if TYPE_CHECKING:
    from ..linkcheck.run import LinkCheck
    from ..model.jsontext import Encoded
    from ..readers.notices import Verification
    from ..reporting.report import Report
    from ..reporting.warning_log import LoggedWarning


@dataclass
class BuildState:
    """Per-build state of the extension (module globals would leak between builds)."""

    # The pages this build reads: only their citation files can change.
    pages_read: set[str] = field(default_factory=set)
    # Pages not read again whose entries' verification changed (written again too).
    pages_reverified: set[str] = field(default_factory=set)
    # Pages not read again whose backlinks changed (written again too).
    pages_relinked: set[str] = field(default_factory=set)
    # Topics whose download files would overwrite another's (see downloads.py).
    export_blocked: set[str] = field(default_factory=set)
    # Findings made after reading (links, records, the cache), reported with all the others.
    late_findings: list[Finding] = field(default_factory=list)
    # The link check under way, from the end of reading to the end of the build.
    link_check: LinkCheck | None = None
    # (docname, citation anchor) -> what readers are told about the entry's identifiers.
    verification: dict[tuple[str, str], Verification] = field(default_factory=dict)
    # (docname, citation anchor) -> the citation formatted for the Cite control.
    cite_texts: dict[tuple[str, str], str] = field(default_factory=dict)
    # Every link occurrence with its outcome, for link-report.json.
    link_rows: list[Encoded] = field(default_factory=list)
    link_summary: dict[str, Any] = field(default_factory=dict)
    # What an offline build did not check: link occurrences and identifiers, counted.
    not_checked: Counter[str] = field(default_factory=Counter)
    # The findings of the build, once judged.
    report: Report | None = None
    # Warnings of other tools (MyST, docutils, Sphinx), as data for the JSON report.
    logged_warnings: list[LoggedWarning] = field(default_factory=list)
