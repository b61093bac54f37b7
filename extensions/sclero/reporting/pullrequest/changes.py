"""Which lines a change added or modified, from ``git diff`` against the merge base."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class BaseError(Exception):
    """The base revision cannot be used (unknown, or git is missing)."""


def check_base(root: Path, base: str) -> None:
    """Raise ``BaseError`` unless ``base`` names a commit of the repository at ``root``."""
    try:
        subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"],
            cwd=root, capture_output=True, text=True, check=True,
        )  # fmt: skip
        merge_base(root, base)
    except (subprocess.CalledProcessError, OSError) as error:
        raise BaseError(
            f"BASE {base!r} is not a commit of this repository (fetch it first, e.g. "
            "git fetch origin main)"
        ) from error


def merge_base(root: Path, base: str) -> str:
    """The commit the change started from."""
    return subprocess.run(
        ["git", "merge-base", base, "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def changed_lines(root: Path, base: str) -> dict[str, set[int]]:
    """For each file (relative to the repository root), the new-side lines the change touched."""
    diff = subprocess.run(
        [
            "git",
            "diff",
            "--unified=0",
            "--no-color",
            "--no-renames",
            merge_base(root, base),
            "HEAD",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    changed: dict[str, set[int]] = {}
    current: str | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            current = target[2:] if target.startswith("b/") else None
        elif current is not None and (match := _HUNK.match(line)):
            start, count = int(match.group(1)), int(match.group(2) or "1")
            changed.setdefault(current, set()).update(range(start, start + count))
    return changed
