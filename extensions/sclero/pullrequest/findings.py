"""Every finding of a build, from the citation report and the warning file, as one list."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_WARNING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d*):? (?P<level>WARNING|ERROR|CRITICAL): (?P<message>.*?)"
    r"(?: \[(?P<rule>[\w.-]+)\])?$"
)


@dataclass(frozen=True, order=True)
class CiFinding:
    """One finding, located relative to the repository root."""

    path: str
    line: int
    rule: str
    severity: str  # "error" (fails a build) or "note" (maintenance, never fails)
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
    """Errors and notes of ``citation-report.json`` (waived findings are not findings)."""
    data = json.loads(report.read_text(encoding="utf-8"))
    found = []
    for item in data["findings"]:
        if item["severity"] == "waived":
            continue
        path = relative(str(srcdir.parent / item["file"]), root)
        found.append(CiFinding(path, item["line"], item["rule"], item["severity"], item["message"]))
    return found


def from_warning_file(warnings: Path, root: Path) -> list[CiFinding]:
    """Other tools' warnings (MyST, docutils, Sphinx); ours are taken from the report."""
    found = []
    for raw in warnings.read_text(encoding="utf-8").splitlines():
        match = _WARNING.match(raw.strip())
        if not match or (match.group("rule") or "").startswith("sclero."):
            continue
        found.append(
            CiFinding(
                relative(match.group("path"), root),
                int(match.group("line") or 0),
                match.group("rule") or "sphinx",
                "error",
                match.group("message"),
            )
        )
    return found
