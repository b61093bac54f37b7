"""``python -m sclero.summary _build/html``: the one line a build ends with, from its report.

With ``--rule <name>`` it lists that rule's findings instead (``make suggest-ids``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model.report_schema import REPORT_NAME, CitationReportJSON, read_citation_report
from .pullrequest.findings import relative
from .terminal import one_line

# What an offline build counts as not verified: report key, then the noun in the singular
# and the plural.
_NOT_CHECKED = (
    ("links", "link", "links"),
    ("identifiers", "identifier", "identifiers"),
)


def summary_line(data: CitationReportJSON) -> str:
    """``6 problems; make check fails on them (3 notes)`` or ``No problems (3 notes)``.

    What the build did not verify (offline, or out of time) is said on the same line: "No
    problems" must never read as "everything was verified".
    """
    totals = data["totals"]
    problems = totals["errors"] + totals["warnings"] + len(data["other_warnings"])
    notes = totals["notes"]
    tail = f" ({notes} note{'s' if notes != 1 else ''}; see citation-report.json)"
    unchecked = [
        f"{count} {one if count == 1 else many}"
        for key, one, many in _NOT_CHECKED
        if (count := data["not_checked"].get(key, 0))
    ]
    if unchecked:
        tail += f"; not verified: {', '.join(unchecked)} (make check verifies them online)"
    # Searching for a PMID is discovery, not verification: make check does not wait for it.
    if searches := data["not_checked"].get("searches", 0):
        articles = "article" if searches == 1 else "articles"
        tail += f"; {searches} {articles} not searched for a PMID (make suggest-ids searches)"
    if not problems:
        return "No problems" + tail
    if problems == 1:
        return "1 problem; make check fails on it" + tail
    return f"{problems} problems; make check fails on them" + tail


def main(argv: list[str] | None = None) -> int:
    """Print the summary line (or one rule's findings); exit 0 either way."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("html", type=Path)
    parser.add_argument("--rule", help="list this rule's findings, e.g. id_candidate")
    parser.add_argument("--file", help="list the findings of this page, e.g. docs/topics/x.md")
    args = parser.parse_args(argv)
    path = args.html / REPORT_NAME
    if not path.exists():
        sys.stderr.write(f"{path} is missing: the build did not finish\n")
        return 1
    data = read_citation_report(path)
    if args.rule or args.file:
        rule = "sclero." + args.rule.removeprefix("sclero.") if args.rule else None
        page = relative(args.file, Path.cwd()) if args.file else None
        found = [
            f
            for f in data["findings"]
            if f["severity"] != "waived"
            and (rule is None or f["rule"] == rule)
            and (page is None or f["file"] == page)
        ]
        for f in found:
            sys.stdout.write(
                one_line(f"{f['file']}:{f['line']}: {f['severity']}: {f['message']} [{f['rule']}]")
                + "\n"
            )
        sys.stdout.write(f"{len(found)} finding(s) of {rule or page}\n")
        return 0
    sys.stdout.write(summary_line(data) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
