"""``python -m sclero.pullrequest --base origin/main``: the pull-request check (CI or laptop)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from .changes import changed_lines
from .findings import CiFinding, from_report, from_warning_file
from .formats import github_annotations, junit, markdown_summary, sarif


def split(
    findings: list[CiFinding], changed: dict[str, set[int]] | None
) -> tuple[list[CiFinding], list[CiFinding]]:
    """Errors on changed lines (all errors when ``changed`` is None); everything else notices."""
    errors: list[CiFinding] = []
    notices: list[CiFinding] = []
    for finding in sorted(set(findings)):
        touched = changed is None or finding.line in changed.get(finding.path, set())
        (errors if finding.severity == "error" and touched else notices).append(finding)
    return errors, notices


def build(root: Path, out: Path, mode: str) -> Path:
    """Build the site (not strict: every finding is collected); returns the warning file."""
    out.mkdir(parents=True, exist_ok=True)
    warnings = out / "warnings.txt"
    env = {**os.environ, "SCLERO_LINKCHECK": mode}
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-n", "-c", str(root),
         "-d", str(out / "doctrees"), "-w", str(warnings), str(root / "docs"), str(out / "html")],
        env=env, check=False, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return warnings


def main(argv: list[str] | None = None) -> int:
    """Build, classify, write every format; exit 1 when the change introduced an error."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", help="git revision the change is compared with (PR mode)")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--out", type=Path, default=Path("_build/ci"))
    parser.add_argument("--mode", default="budget", choices=("offline", "budget", "full"))
    args = parser.parse_args(argv)
    root = args.root.resolve()
    out = args.out if args.out.is_absolute() else root / args.out
    warnings = build(root, out, args.mode)
    report = out / "html" / "citation-report.json"
    if not report.exists():
        sys.stderr.write(f"the build did not finish; see {warnings}\n")
        return 2
    findings = from_report(report, root, root / "docs") + from_warning_file(warnings, root)
    changed = changed_lines(root, args.base) if args.base else None
    errors, notices = split(findings, changed)

    sys.stdout.write(github_annotations(errors, notices))
    summary = markdown_summary(errors, notices)
    (out / "summary.md").write_text(summary, encoding="utf-8")
    if step_summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(summary)
    (out / "findings.sarif").write_text(
        json.dumps(sarif(errors, notices), indent=2) + "\n", encoding="utf-8"
    )
    (out / "junit.xml").write_text(junit(errors, notices), encoding="utf-8")
    sys.stderr.write(
        f"pull-request check: {len(errors)} error(s) in changed lines, "
        f"{len(notices)} notice(s) elsewhere; outputs in {out}\n"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
