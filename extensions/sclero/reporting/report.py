"""Apply waivers and severities, emit every open finding on every build, and write the report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.logging import is_suppressed_warning

from ..checks.across import check_across, check_home_cards
from ..checks.links import not_checked_notes
from ..checks.waivers import check_unused_waivers
from ..content.domain import ScleroDomain, sclero_domain
from ..model.jsontext import report_text
from ..model.records import Finding, PageTally
from ..model.report_schema import (
    REPORT_NAME,
    CitationReportJSON,
    FindingJSON,
    FindingSeverity,
    LoggedWarning,
    Report,
    TotalsJSON,
    finding_order,
)
from ..model.rules import WARNING_TYPE, Severity, Subtype, parse_subtype
from .terminal import one_line

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


logger = logging.getLogger(__name__)


def check_severity_config(app: Sphinx, config: Config) -> None:
    """``sclero_severity`` maps rule names to "error" or "note" (config-inited)."""
    overrides = config.sclero_severity
    if not isinstance(overrides, dict):
        raise ConfigError("sclero_severity must be a dict of rule name to 'error' or 'note'")
    for name, severity in overrides.items():
        if parse_subtype(str(name)) is None:
            raise ConfigError(f"sclero_severity: {name!r} is not a rule name")
        if severity not in ("error", "warning", "note"):
            raise ConfigError(f"sclero_severity[{name!r}] must be 'error', 'warning' or 'note'")


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
    # A suppressed rule is switched off: its findings are neither shown nor counted. Sphinx's
    # own matcher decides, so "sclero", "sclero.*" and "sclero.<rule>" all mean what they do
    # for every other warning.
    root = config.root_doc
    suppressed = list(config.suppress_warnings)
    # Decided once per rule, not once per finding (tens of thousands on a large site).
    shown = {s for s in Subtype if not is_suppressed_warning(WARNING_TYPE, s.value, suppressed)}
    severity = {s: severity_of(s, config) for s in shown}
    findings = sorted(
        (
            f
            for f in [f for page in domain.findings.values() for f in page]
            + check_across(domain.conflicts(), domain.topic_refs, domain.topic_index)
            + check_home_cards(domain.topics, domain.cards(root), root)
            + (extra or [])
            if f.subtype in shown
        ),
        key=finding_order,
    )
    tallies: dict[str, PageTally] = domain.data["tallies"]
    # Only pages with a waiver are read for their waivers.
    waiving = [
        c
        for docname in sorted(tallies)
        if tallies[docname].with_waivers
        for c in domain.citations.get(docname, ())
        if c.waivers
    ]
    waivers = {(c.docname, c.anchor): dict(c.waivers) for c in waiving}
    used: set[tuple[str, str, Subtype]] = set()
    for finding in findings:
        reason = waivers.get((finding.docname, finding.citation), {}).get(finding.subtype)
        if reason is not None:
            report.waived.append((finding, reason))
            used.add((finding.docname, finding.citation, finding.subtype))
            continue
        {"error": report.errors, "warning": report.warnings, "note": report.notes}[
            severity[finding.subtype]
        ].append(finding)
    if Subtype.waiver in shown:
        report.errors += check_unused_waivers(waiving, used)
    report.errors.sort(key=finding_order)
    report.counts = {
        "citations": sum(t.citations for t in tallies.values()),
        "with_pmid": sum(t.with_pmid for t in tallies.values()),
        "with_doi": sum(t.with_doi for t in tallies.values()),
        "with_neither": sum(t.with_neither for t in tallies.values()),
        "pages": sum(1 for t in tallies.values() if t.citations),
    }
    return report


def emit_findings(app: Sphinx, exception: Exception | None) -> None:
    """Report every open finding, including those of pages not re-read (build-finished).

    Findings wait for the link check so that all of them come out together, sorted by
    file and line, and so that a waiver of a link rule is judged against its answer.
    """
    if exception is not None:
        return
    domain = sclero_domain(app.env)
    report = build_report(domain, app.config, domain.build.late_findings())
    report.not_checked = {
        k: domain.build.verify.not_checked[k] for k in ("links", "identifiers", "searches")
    }
    domain.build.reporting.report = report
    for finding in report.failing:
        logger.warning(
            one_line(finding.message),
            location=_location(finding),
            type=WARNING_TYPE,
            subtype=finding.subtype.value,
        )
    # An offline build says in one line what it did not check, not once per link or
    # identifier (link-report.json has each link; each entry says "not yet verified").
    suppressed = list(app.config.suppress_warnings)
    not_checked = domain.build.verify.not_checked
    for subtype, text in not_checked_notes(dict(not_checked)):
        if not is_suppressed_warning(WARNING_TYPE, subtype, suppressed):
            logger.info(f"note: {text} [{WARNING_TYPE}.{subtype.value}]")
    for finding in report.notes:
        logger.info(
            f"note: {one_line(finding.message)} [{WARNING_TYPE}.{finding.subtype.value}]",
            location=_location(finding),
        )


def _location(finding: Finding) -> tuple[str, int] | nodes.Element:
    """Where a finding is: its page and line, or (for the link cache) the file itself."""
    if finding.docname:
        return finding.docname, finding.lineno
    where = nodes.Element()
    where.source, where.line = finding.path, None
    return where


def report_as_json(
    report: Report, env: BuildEnvironment, logged: list[LoggedWarning] | None = None
) -> CitationReportJSON:
    """The report in the shape written to ``citation-report.json``."""
    files: dict[str, str] = {}

    def file_of(finding: Finding) -> str:
        if not finding.docname:
            return finding.path
        return page_file(finding.docname)

    def page_file(docname: str) -> str:
        # One path computation per page, not per finding (thousands on a large site).
        if docname not in files:
            path = Path(env.doc2path(docname))
            root = env.srcdir.parent
            files[docname] = str(path.relative_to(root) if path.is_relative_to(root) else path)
        return files[docname]

    def entry(
        finding: Finding, severity: FindingSeverity, reason: str | None = None
    ) -> FindingJSON:
        data: FindingJSON = {
            "file": file_of(finding),
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
    kinds = (("errors", report.errors), ("warnings", report.warnings), ("notes", report.notes))
    for kind, items in kinds:
        for finding in items:
            per_rule.setdefault(finding.subtype.value, Counter())[kind] += 1
    for finding, _ in report.waived:
        per_rule.setdefault(finding.subtype.value, Counter())["waived"] += 1
    return {
        "counts": report.counts,
        "totals": {
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "notes": len(report.notes),
            "waived": len(report.waived),
        },
        "not_checked": report.not_checked,
        "per_rule": {
            rule: TotalsJSON(
                errors=counter["errors"],
                warnings=counter["warnings"],
                notes=counter["notes"],
                waived=counter["waived"],
            )
            for rule, counter in sorted(per_rule.items())
        },
        "findings": [entry(f, "error") for f in report.errors]
        + [entry(f, "warning") for f in report.warnings]
        + [entry(f, "note") for f in report.notes]
        + [entry(f, "waived", reason) for f, reason in report.waived],
        # Other tools' warnings (MyST, docutils, Sphinx), as data: pull-request mode reads
        # these, never the warning text.
        "other_warnings": [
            {"file": _relative(w.path, env), "line": w.line, "rule": w.rule, "message": w.message}
            for w in logged or []
        ],
    }


def _relative(path: str, env: BuildEnvironment) -> str:
    root = env.srcdir.parent
    candidate = Path(path)
    return str(candidate.relative_to(root)) if path and candidate.is_relative_to(root) else path


def write_report(app: Sphinx, exception: Exception | None) -> None:
    """Print a one-screen summary and write the JSON report (build-finished)."""
    report = sclero_domain(app.env).build.reporting.report
    if exception is not None or report is None:
        return
    data = report_as_json(report, app.env, sclero_domain(app.env).build.reporting.logged_warnings)
    out = Path(app.outdir) / REPORT_NAME
    out.write_text(report_text(data), encoding="utf-8")
    counts, totals = data["counts"], data["totals"]
    logger.info("")
    logger.info(
        f"citations checked: {counts['citations']} on {counts['pages']} pages "
        f"(PMID {counts['with_pmid']}, DOI {counts['with_doi']}, "
        f"neither {counts['with_neither']})"
    )
    logger.info(
        f"findings: {totals['errors']} errors, {totals['warnings']} warnings, "
        f"{totals['notes']} notes, {totals['waived']} waived"
    )
    for rule, numbers in data["per_rule"].items():
        logger.info(
            f"  {WARNING_TYPE}.{rule:<20} errors {numbers['errors']:>4}  "
            f"warnings {numbers['warnings']:>4}  notes {numbers['notes']:>4}  "
            f"waived {numbers['waived']:>4}"
        )
    logger.info(f"citation report: {out}")
