"""The reports a build writes, as data: their names, the build's findings, others' warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

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
