"""A topic page's source as an editor's tool reads it: its entries, sections and identifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model.fences import Block, directive_blocks
from ..model.identifier_input import IdentifierInputError, parse_identifier
from ..model.targets import Target

_OPTION = re.compile(r"^:(?P<name>[a-z][a-z-]*):[ \t]*(?P<value>.*)$")
_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
IDENTIFIER_FIELDS = ("pmid", "pmcid", "doi")


@dataclass(frozen=True)
class Entry:
    """One citation block of a page: where it is, and its options by line."""

    block: Block
    title: str
    options: list[tuple[int, str, str]]  # (line index, name, value) of each option line


def page_problem(project: Path, page: Path) -> str | None:
    """Why ``page`` may not be written by an editor's tool: only pages under docs/ may."""
    docs = (project / "docs").resolve()
    resolved = (project / page).resolve()
    if resolved.suffix != ".md" or not resolved.is_relative_to(docs):
        return f"PAGE: {str(page)!r} is not a page under docs/ (a .md file)"
    return None


def entries(lines: list[str]) -> list[Entry]:
    """Every top-level citation block, with the option lines at its head."""
    found = []
    for block in directive_blocks(lines):
        if block.name != "citation" or block.depth != 1:
            continue
        title = lines[block.start].split("}", 1)[1].strip()
        options = []
        for index in range(block.start + 1, block.end):
            match = _OPTION.match(lines[index])
            if match is None:
                break  # options end at the first line that is not one (the blank line)
            options.append((index, match["name"], match["value"].strip()))
        found.append(Entry(block, title, options))
    return found


def cited(lines: list[str]) -> dict[Target, int]:
    """Each identifier the page's entries give, with its 1-based line."""
    where: dict[Target, int] = {}
    for entry in entries(lines):
        for index, name, value in entry.options:
            if name in IDENTIFIER_FIELDS and value:
                try:
                    where.setdefault(parse_identifier(f"{name}:{value}"), index + 1)
                except IdentifierInputError:
                    continue  # the build reports a malformed identifier at its line
    return where


def insertion_point(lines: list[str], section: str | None) -> int | None:
    """The line index to insert at: the end of ``section`` (or of the page); None if absent."""
    if section is None:
        return len(lines)
    wanted = " ".join(section.split()).casefold()
    inside: int | None = None
    in_block = {i for b in directive_blocks(lines) for i in range(b.start, b.end + 1)}
    for index, line in enumerate(lines):
        heading = _HEADING.match(line) if index not in in_block else None
        if heading is None:
            continue
        level = len(heading["marks"])
        if inside is not None and level <= inside:
            return _before_blank_run(lines, index)
        if " ".join(heading["title"].split()).casefold() == wanted:
            inside = level
    return len(lines) if inside is not None else None


def _before_blank_run(lines: list[str], index: int) -> int:
    while index > 0 and not lines[index - 1].strip():
        index -= 1
    return index


def insert(lines: list[str], at: int, text: str) -> list[str]:
    """``lines`` with ``text`` inserted at ``at``, set off by one blank line on each side."""
    before = lines[:at]
    while before and not before[-1].strip():
        before.pop()
    after = lines[at:]
    while after and not after[0].strip():
        after.pop(0)
    block = text.rstrip("\n").split("\n")
    return [*before, "", *block, *(["", *after] if after else [])]
