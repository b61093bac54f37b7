"""The reports a build writes: their names, their JSON shapes, the build's findings.

The writers (reporting/report.py, linkcheck/report.py) and the readers (pull-request mode,
the summary line, bench/) all type their data with the shapes below, so a key renamed in
one place is a type error in every other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NotRequired, TypedDict, cast

from .records import Finding

REPORT_NAME = "citation-report.json"
LINK_REPORT_NAME = "link-report.json"


@dataclass
class Report:
    """What one build found: open findings by severity, waived ones, and citation counts."""

    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    waived: list[tuple[Finding, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # What an offline build did not check (links, identifiers), counted rather than listed.
    not_checked: dict[str, int] = field(default_factory=dict)

    @property
    def failing(self) -> list[Finding]:
        """Errors and warnings: what a strict build fails on."""
        return sorted(self.errors + self.warnings, key=finding_order)


def finding_order(finding: Finding) -> tuple[str, int, str, str]:
    """File, line, rule, message: the order Finding compares in, as a cheaper key."""
    return finding.docname, finding.lineno, finding.subtype.value, finding.message


@dataclass(frozen=True)
class LoggedWarning:
    """One warning another tool (Sphinx, MyST, docutils) emitted."""

    path: str
    line: int
    rule: str  # "myst.xref_missing", "docutils", or "sphinx" when untyped
    message: str


# -- citation-report.json ------------------------------------------------------------------

FindingSeverity = Literal["error", "warning", "note", "waived"]


class FindingJSON(TypedDict):
    """One finding: where, which rule, how bad, and what it says."""

    file: str  # relative to the project root
    docname: str
    line: int
    rule: str  # "sclero.<subtype>"
    severity: FindingSeverity
    message: str
    citation: str  # the entry's anchor, or ""
    waiver_reason: NotRequired[str]


class OtherWarningJSON(TypedDict):
    """A warning another tool (Sphinx, MyST, docutils) emitted."""

    file: str
    line: int
    rule: str
    message: str


class TotalsJSON(TypedDict):
    """Findings counted by severity."""

    errors: int
    warnings: int
    notes: int
    waived: int


class CitationReportJSON(TypedDict):
    """The whole of ``citation-report.json``."""

    counts: dict[str, int]  # citations, with_pmid, with_doi, with_neither, pages
    totals: TotalsJSON
    not_checked: dict[str, int]
    per_rule: dict[str, TotalsJSON]
    findings: list[FindingJSON]
    other_warnings: list[OtherWarningJSON]


# -- link-report.json ----------------------------------------------------------------------


class CheckedJSON(TypedDict):
    """What was checked for an occurrence: the URL itself or an identifier it carries."""

    kind: str  # a TargetKind value
    value: str


class LinkRowJSON(TypedDict):
    """One occurrence of one link, with its outcome."""

    url: str
    docname: str
    lineno: int
    citation: str
    checked: CheckedJSON
    outcome: str
    status: int
    detail: str
    new_url: str
    missing_anchors: list[str]
    rule: str  # "sclero.<subtype>", or "" when the link is fine


class LinkReportJSON(TypedDict):
    """The whole of ``link-report.json`` (rows are written pre-encoded, see jsontext)."""

    mode: str
    requests: int
    checked: int
    occurrences: list[LinkRowJSON]


def read_citation_report(path: Path) -> CitationReportJSON:
    """``citation-report.json`` as written by the build (its writer is this shape)."""
    return cast(CitationReportJSON, json.loads(path.read_text(encoding="utf-8")))


def read_link_report(path: Path) -> LinkReportJSON:
    """``link-report.json`` as written by the build."""
    return cast(LinkReportJSON, json.loads(path.read_text(encoding="utf-8")))
