"""Apply waivers and severities, emit every open finding on every build, and write the report."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx.errors import ConfigError
from sphinx.util import logging

from .checks.across import check_across
from .linkcheck.runner import abandon_linkcheck, finish_linkcheck
from .records import Finding
from .subtypes import WARNING_TYPE, Severity, Subtype, parse_subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from .domain import ScleroDomain

logger = logging.getLogger(__name__)
REPORT_NAME = "citation-report.json"


@dataclass
class Report:
    """What one build found: open findings by severity, waived ones, and citation counts."""

    errors: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    waived: list[tuple[Finding, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


_REPORTS: WeakKeyDictionary[Sphinx, Report] = WeakKeyDictionary()


def check_severity_config(app: Sphinx, config: Config) -> None:
    """``sclero_severity`` maps rule names to "error" or "note" (config-inited)."""
    overrides = config.sclero_severity
    if not isinstance(overrides, dict):
        raise ConfigError("sclero_severity must be a dict of rule name to 'error' or 'note'")
    for name, severity in overrides.items():
        if parse_subtype(str(name)) is None:
            raise ConfigError(f"sclero_severity: {name!r} is not a rule name")
        if severity not in ("error", "note"):
            raise ConfigError(f"sclero_severity[{name!r}] must be 'error' or 'note'")


def severity_of(subtype: Subtype, config: Config) -> Severity:
    """The configured severity of a rule, else its default."""
    for name, severity in config.sclero_severity.items():
        if parse_subtype(name) is subtype:
            return severity  # type: ignore[no-any-return]
    return subtype.info.severity


def build_report(
    domain: ScleroDomain, config: Config, extra: list[Finding] | None = None
) -> Report:
    """Every finding of the site (and ``extra`` ones), waivers applied, sorted by file, line."""
    report = Report()
    # A suppressed rule is switched off: its findings are neither shown nor counted.
    suppressed = set(config.suppress_warnings)
    findings = sorted(
        f
        for f in [f for page in domain.findings.values() for f in page]
        + check_across(domain)
        + (extra or [])
        if not {WARNING_TYPE, f"{WARNING_TYPE}.{f.subtype.value}"} & suppressed
    )
    waivers = {
        (c.docname, c.anchor): dict(c.waivers)
        for page in domain.citations.values()
        for c in page
        if c.waivers
    }
    used: set[tuple[str, str, Subtype]] = set()
    for finding in findings:
        reason = waivers.get((finding.docname, finding.citation), {}).get(finding.subtype)
        if reason is not None:
            report.waived.append((finding, reason))
            used.add((finding.docname, finding.citation, finding.subtype))
        elif severity_of(finding.subtype, config) == "error":
            report.errors.append(finding)
        else:
            report.notes.append(finding)
    # A waiver that waives nothing hides the next real problem of that kind: report it.
    for page in domain.citations.values():
        for citation in page:
            for subtype, _ in citation.waivers:
                if (citation.docname, citation.anchor, subtype) not in used:
                    report.errors.append(
                        Finding(
                            citation.docname,
                            citation.line_of("waive"),
                            Subtype.waiver,
                            f"waiver of {subtype.value!r} is unused: the rule finds nothing "
                            "in this citation; delete it",
                            citation=citation.anchor,
                        )
                    )
    report.errors.sort()
    all_citations = [c for page in domain.citations.values() for c in page]
    report.counts = {
        "citations": len(all_citations),
        "with_pmid": sum(1 for c in all_citations if c.get("pmid")),
        "with_doi": sum(1 for c in all_citations if c.get("doi")),
        "with_neither": sum(1 for c in all_citations if not c.get("pmid") and not c.get("doi")),
        "pages": len(domain.citations),
    }
    return report


def emit_findings(app: Sphinx, exception: Exception | None) -> None:
    """Report every open finding, including those of pages not re-read (build-finished).

    Findings wait for the link check so that all of them come out together, sorted by
    file and line, and so that a waiver of a link rule is judged against its answer.
    """
    if exception is not None:
        abandon_linkcheck(app)
        return
    env = app.env
    domain: ScleroDomain = env.domains["sclero"]  # type: ignore[assignment]
    report = build_report(domain, app.config, finish_linkcheck(app, env))
    _REPORTS[app] = report
    for finding in report.errors:
        logger.warning(
            finding.message,
            location=(finding.docname, finding.lineno),
            type=WARNING_TYPE,
            subtype=finding.subtype.value,
        )
    # One line for links an offline build has not checked, not one per link (they are all
    # in link-report.json); every other note is listed at its place.
    unchecked = [f for f in report.notes if f.subtype is Subtype.link_unchecked]
    if unchecked:
        logger.info(
            f"note: {len(unchecked)} external link occurrences not checked yet (offline build; "
            f"make check or make linkcheck checks them) [{WARNING_TYPE}.link_unchecked]"
        )
    for finding in report.notes:
        if finding.subtype is Subtype.link_unchecked:
            continue
        logger.info(
            f"note: {finding.message} [{WARNING_TYPE}.{finding.subtype.value}]",
            location=(finding.docname, finding.lineno),
        )


def report_as_json(report: Report, env: BuildEnvironment) -> dict[str, Any]:
    """The report in the shape written to ``citation-report.json``."""
    files: dict[str, str] = {}

    def file_of(docname: str) -> str:
        # One path computation per page, not per finding (thousands on a large site).
        if docname not in files:
            path = Path(env.doc2path(docname))
            root = env.srcdir.parent
            files[docname] = str(path.relative_to(root) if path.is_relative_to(root) else path)
        return files[docname]

    def entry(finding: Finding, severity: str, reason: str | None = None) -> dict[str, Any]:
        data = {
            "file": file_of(finding.docname),
            "docname": finding.docname,
            "line": finding.lineno,
            "rule": f"{WARNING_TYPE}.{finding.subtype.value}",
            "severity": severity,
            "message": finding.message,
            "citation": finding.citation,
        }
        if reason is not None:
            data["waiver_reason"] = reason
        return data

    per_rule: dict[str, Counter[str]] = {}
    for kind, items in (("errors", report.errors), ("notes", report.notes)):
        for finding in items:
            per_rule.setdefault(finding.subtype.value, Counter())[kind] += 1
    for finding, _ in report.waived:
        per_rule.setdefault(finding.subtype.value, Counter())["waived"] += 1
    return {
        "counts": report.counts,
        "totals": {
            "errors": len(report.errors),
            "notes": len(report.notes),
            "waived": len(report.waived),
        },
        "per_rule": {
            rule: {k: counter.get(k, 0) for k in ("errors", "notes", "waived")}
            for rule, counter in sorted(per_rule.items())
        },
        "findings": [entry(f, "error") for f in report.errors]
        + [entry(f, "note") for f in report.notes]
        + [entry(f, "waived", reason) for f, reason in report.waived],
    }


def write_report(app: Sphinx, exception: Exception | None) -> None:
    """Print a one-screen summary and write the JSON report (build-finished)."""
    report = _REPORTS.get(app)
    if exception is not None or report is None:
        return
    data = report_as_json(report, app.env)
    out = Path(app.outdir) / REPORT_NAME
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    counts, totals = data["counts"], data["totals"]
    logger.info("")
    logger.info(
        f"citations checked: {counts['citations']} on {counts['pages']} pages "
        f"(PMID {counts['with_pmid']}, DOI {counts['with_doi']}, "
        f"neither {counts['with_neither']})"
    )
    logger.info(
        f"findings: {totals['errors']} errors, {totals['notes']} notes, {totals['waived']} waived"
    )
    for rule, numbers in data["per_rule"].items():
        logger.info(
            f"  {WARNING_TYPE}.{rule:<20} errors {numbers['errors']:>4}  "
            f"notes {numbers['notes']:>4}  waived {numbers['waived']:>4}"
        )
    logger.info(f"citation report: {out}")
