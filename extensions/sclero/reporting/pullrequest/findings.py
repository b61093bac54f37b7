"""Every finding of a build, read from the structured report (never from warning text)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...model.report_schema import read_citation_report
from ..terminal import one_line


@dataclass(frozen=True, order=True)
class CiFinding:
    """One finding, located relative to the repository root."""

    path: str
    line: int
    rule: str
    severity: str  # "error" or "warning" (fail on changed lines) or "note" (never fails)
    message: str


def relative(path: str, root: Path) -> str:
    """``path`` relative to ``root`` when it lies inside it."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix()


def from_report(report: Path, root: Path, srcdir: Path) -> list[CiFinding]:
    """Our findings and other tools' warnings from ``citation-report.json``.

    Waived findings are not findings. Every text is made one line here, whatever wrote it.
    """
    data = read_citation_report(report)
    found = []
    for item in data["findings"]:
        if item["severity"] == "waived":
            continue
        path = relative(str(srcdir.parent / item["file"]), root)
        found.append(
            CiFinding(path, int(item["line"]), item["rule"], item["severity"],
                      one_line(item["message"]))
        )  # fmt: skip
    for other in data["other_warnings"]:
        path = relative(str(srcdir.parent / other["file"]), root) if other["file"] else ""
        found.append(
            CiFinding(path, int(other["line"]), other["rule"], "error", one_line(other["message"]))
        )
    return found
