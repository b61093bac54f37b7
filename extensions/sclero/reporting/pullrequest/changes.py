"""Which lines a change added or modified: committed, staged, unstaged or in a new file.

The build reads the files as they are on disk, so the change is the working tree against the
merge base (in CI the working tree is the pull request's head), plus every line of each file
git does not track yet (what ``make new-topic`` and ``make import`` leave).
"""

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
    """For each file (relative to the repository root), the lines the change touched."""
    diff = subprocess.run(
        ["git", "diff", "--unified=0", "--no-color", "--no-renames", merge_base(root, base)],
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
    for path in _untracked(root):
        try:
            count = len((root / path).read_bytes().splitlines())
        except OSError:
            continue
        changed[path] = set(range(1, count + 1))
    return {path: lines for path, lines in changed.items() if lines}


def _untracked(root: Path) -> list[str]:
    """Files git does not track and does not ignore (a new page not yet added)."""
    listing = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "-z"],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [path for path in listing.split("\0") if path]
