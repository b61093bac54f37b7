"""Where MyST directive blocks open and close in a page's text, read line by line.

A light reading of MyST's fences (backticks or colons, then ``{name}``), enough to find the
directives written inside a citation's summary and how deeply a page nests them, before
docutils parses anything (a parser that recurses per level must not meet 400 levels).
Code blocks are skipped whole: nothing inside them is a directive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,}|~{3,})\s*(?P<info>\S*)")
_CLOSE = re.compile(r"^(?P<fence>`{3,}|:{3,}|~{3,})\s*$")
# What may stand before a fence: indentation, list markers, block quote markers. A fence in
# a list item or a quote is a directive all the same (and nests inside them).
_CONTAINERS = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+|[ \t]*>[ \t]?)*[ \t]*")
_NAME = re.compile(r"\{(?P<name>[^{}\s]+)\}")


@dataclass(frozen=True)
class Block:
    """One directive block: its name, first and last line (0-based, inclusive), its depth."""

    name: str
    start: int
    end: int
    depth: int  # 1 at the top of the text


def directive_blocks(lines: list[str]) -> list[Block]:
    """Every directive block of ``lines``, outer ones first; an unclosed one runs to the end."""
    blocks: list[Block] = []
    # Open fences: (fence character, length, directive name or "" for a code block, start).
    stack: list[tuple[str, int, str, int]] = []
    for number, raw in enumerate(lines):
        line = raw[_CONTAINERS.match(raw).end() :]  # type: ignore[union-attr]  # always matches
        if stack and stack[-1][2] == "":  # inside a code block: only its own fence closes it
            closing = _CLOSE.match(line)
            char, length = stack[-1][0], stack[-1][1]
            if closing and closing["fence"][0] == char and len(closing["fence"]) >= length:
                stack.pop()
            continue
        closing = _CLOSE.match(line)
        if closing and stack:
            fence = closing["fence"]
            char, length, name, start = stack[-1]
            if fence[0] == char and len(fence) >= length:
                stack.pop()
                blocks.append(Block(name, start, number, len(stack) + 1))
                continue
        opening = _OPEN.match(line)
        if opening and not closing:
            fence = opening["fence"]
            directive = _NAME.match(opening["info"])
            if directive is None and fence[0] == ":":
                continue  # a colon line that opens nothing (MyST needs {name} after colons)
            stack.append((fence[0], len(fence), directive["name"] if directive else "", number))
    while stack:  # unclosed: MyST runs them to the end of the text
        char, length, name, start = stack.pop()
        if name:
            blocks.append(Block(name, start, len(lines) - 1, len(stack) + 1))
    blocks = [b for b in blocks if b.name]
    return sorted(blocks, key=lambda b: (b.start, b.depth))


def nesting_of(line: str) -> int:
    """How many containers a line's prefix opens: list items, quotes, indentation by 4."""
    prefix = _CONTAINERS.match(line).group(0)  # type: ignore[union-attr]  # always matches
    markers = len(re.findall(r"[-*+>]|\d{1,9}[.)]", prefix))
    return max(markers, len(prefix.expandtabs(4)) // 4)


def first_too_deep(lines: list[str], most: int) -> tuple[Block, int] | None:
    """The first block (or line) nested deeper than ``most``, and the deepest depth; or None.

    Directive fences count, and so do list items, quotes and indentation (an rST block in
    ``{eval-rst}`` nests by indentation alone).
    """
    blocks = directive_blocks(lines)
    over = next((b for b in blocks if b.depth > most), None)
    deepest = max((b.depth for b in blocks), default=0)
    if over is not None:
        return over, deepest
    for number, line in enumerate(lines):
        if (depth := nesting_of(line)) > most:
            return Block("indentation", number, number, depth), max(deepest, depth)
    return None
