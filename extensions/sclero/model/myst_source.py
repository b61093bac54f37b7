"""A citation entry written as MyST source, the way the contributor guide shows it."""

from __future__ import annotations

from collections.abc import Iterable


def wrap_text(text: str, width: int = 92) -> str:
    """Text wrapped at word boundaries (a page's source reads like the others)."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return "\n".join(lines)


def citation_source(title: str, fields: Iterable[tuple[str, str]], summary: str) -> str:
    """One ``citation`` directive: title, one option per line, a blank line, the summary."""
    options = "".join(f":{name}: {value}\n" for name, value in fields)
    return f"```{{citation}} {title}\n{options}\n{wrap_text(summary)}\n```\n"
