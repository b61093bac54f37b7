"""``python -m sclero.pullrequest --base origin/main``: the pull-request check (CI or laptop)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from ...model.report_schema import REPORT_NAME
from ...model.targets import LinkMode
from ..terminal import one_line
from .changes import BaseError, changed_lines, check_base
from .findings import CiFinding, from_report
from .formats import (
    OUTAGE_RULES,
    github_annotations,
    junit,
    markdown_summary,
    outage_text,
    plain_lines,
    sarif,
)


def split(
    findings: list[CiFinding], changed: dict[str, set[int]] | None
) -> tuple[list[CiFinding], list[CiFinding]]:
    """Problems on changed lines (all, when ``changed`` is None) fail; the rest are notices."""
    failing: list[CiFinding] = []
    notices: list[CiFinding] = []
    for finding in sorted(set(findings)):
        touched = changed is None or finding.line in changed.get(finding.path, set())
        severe = finding.severity in ("error", "warning")
        (failing if severe and touched else notices).append(finding)
    return failing, notices


def build(root: Path, out: Path, mode: str) -> Path:
    """Build the site (not strict: every finding is collected); returns Sphinx's log file.

    Sphinx's own output goes to the log file, never to the job log: a page's text must not
    reach a place where GitHub reads workflow commands.
    """
    out.mkdir(parents=True, exist_ok=True)
    log = out / "sphinx.log"
    env = {**os.environ, "SCLERO_LINKCHECK": mode}
    with log.open("w", encoding="utf-8") as handle:
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-n", "-c", str(root),
             "-d", str(out / "doctrees"), str(root / "docs"), str(out / "html")],
            env=env, check=False, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return log


def main(argv: list[str] | None = None) -> int:
    """Build, classify, write every format; exit 1 when the change introduced a problem."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", help="git revision the change is compared with (PR mode)")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--out", type=Path, default=Path("_build/ci"))
    modes = [mode.value for mode in LinkMode]
    parser.add_argument("--mode", default=LinkMode.budget.value, choices=modes)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    out = args.out if args.out.is_absolute() else root / args.out
    if args.base:
        # Before the build: a wrong base is known at once, not after minutes of building.
        try:
            check_base(root, args.base)
        except BaseError as error:
            sys.stderr.write(f"pull-request check: {one_line(str(error))}\n")
            return 2
    log = build(root, out, args.mode)
    report = out / "html" / REPORT_NAME
    if not report.exists():
        sys.stderr.write(f"pull-request check: the build did not finish; see {log}\n")
        return 2
    findings = from_report(report, root, root / "docs")
    changed = changed_lines(root, args.base) if args.base else None
    if changed == {}:
        sys.stderr.write(
            f"pull-request check: nothing differs from BASE {one_line(args.base)!r} (no commit, "
            "edit or new file since it), so every finding is a notice\n"
        )
    failing, notices = split(findings, changed)
    # Links and identifiers a network or server fault left unverified: nobody can act on them
    # in this change, so they are counted in one line instead of listed.
    outages = [n for n in notices if n.rule in OUTAGE_RULES]
    notices = [n for n in notices if n.rule not in OUTAGE_RULES]

    # In GitHub Actions: workflow commands (each message encoded, so it stays one command).
    # Elsewhere: one plain line per finding, printed once.
    if os.environ.get("GITHUB_ACTIONS") == "true":
        sys.stdout.write(github_annotations(failing, notices))
    else:
        sys.stdout.write(plain_lines(failing, notices))
    summary = markdown_summary(failing, notices, len(outages))
    (out / "summary.md").write_text(summary, encoding="utf-8")
    if step_summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(summary)
    (out / "findings.sarif").write_text(
        json.dumps(sarif(failing, notices), indent=2) + "\n", encoding="utf-8"
    )
    (out / "junit.xml").write_text(junit(failing, notices), encoding="utf-8")
    sys.stderr.write(
        f"pull-request check: {len(failing)} problem(s) in changed lines, "
        f"{len(notices)} notice(s){outage_text(len(outages))}; outputs in {out}\n"
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
