"""Text hygiene of title and summary: encoding damage, invisible characters, brackets, spacing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..model.records import Citation, Finding
from ..model.rules import Subtype
from ..model.titles import clip
from .context import CheckContext, finding

Problem = tuple[Subtype, str]

# UTF-8 read as Windows-1252 / Latin-1 leaves these pairs ("â€™" for "'", "Ã©" for "é").
_MOJIBAKE = re.compile(r"â€|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]|\ufffd|»(?=\s*\d)")
_INVISIBLE = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "byte-order mark",
    "\u00ad": "soft hyphen",
    "\u00a0": "no-break space",
    "\u202f": "narrow no-break space",
}
_DASH_IN_WORD = re.compile(r"(?<=\w)[\u2013\u2014](?=\w)")
_PAIRS = {")": "(", "]": "[", "}": "{"}


def _around(text: str, start: int, end: int) -> str:
    """Up to ten characters either side of ``text[start:end]``, for a message."""
    return text[max(0, start - 10) : end + 10].strip()


def _repair(text: str) -> str | None:
    """The text as it was before UTF-8 was misread as Windows-1252, if that round-trips."""
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if fixed != text else None


def check_mojibake(text: str) -> list[Problem]:
    """Encoding damage, with the likely original where it can be recovered."""
    match = _MOJIBAKE.search(text)
    if not match:
        return []
    found = match.group(0)
    if found == "»":
        hint = "; did you mean '>'?"
    elif found == "\ufffd":
        hint = " (U+FFFD, a character lost in conversion); retype it"
    else:
        repaired = _repair(text[max(0, match.start() - 10) : match.end() + 10].strip())
        hint = f"; did you mean {repaired!r}?" if repaired else ""
    context = text[max(0, match.start() - 15) : match.end() + 15].strip()
    return [(Subtype.mojibake, f"encoding damage {found!r} in '…{context}…'{hint}")]


def check_invisible(text: str) -> list[Problem]:
    """Invisible and control characters."""
    # Every character looked for is one str.isprintable() rejects: most texts stop here.
    if text.replace("\n", "").replace("\t", "").isprintable():
        return []
    for index, ch in enumerate(text):
        name = _INVISIBLE.get(ch)
        if name is None and unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t":
            name = f"control character U+{ord(ch):04X}"
        if name is not None:
            context = text[max(0, index - 15) : index + 15].replace(ch, "⟦·⟧")
            return [(Subtype.invisible, f"invisible character ({name}) at '…{context}…'")]
    return []


def check_brackets(text: str) -> list[Problem]:
    """Every ( [ { is closed, in order."""
    stack: list[tuple[str, int]] = []
    for index, ch in enumerate(text):
        if ch in "([{":
            stack.append((ch, index))
        elif ch in _PAIRS:
            if not stack or stack[-1][0] != _PAIRS[ch]:
                return [
                    (
                        Subtype.brackets,
                        f"unmatched {ch!r} at '…{text[max(0, index - 20) : index + 1]}'",
                    )
                ]
            stack.pop()
    if stack:
        ch, index = stack[-1]
        return [(Subtype.brackets, f"{ch!r} is never closed: '{text[index : index + 30]}…'")]
    return []


def check_spaces(text: str) -> list[Problem]:
    """Doubled spaces and space before punctuation."""
    if match := re.search(r"\S(  +)\S", text):
        return [
            (
                Subtype.spaces,
                f"doubled space in '…{_around(text, match.start(), match.end())}…'",
            )
        ]
    if match := re.search(r"\w( +)[,;.](?!\d)", text):
        return [
            (
                Subtype.spaces,
                f"space before punctuation in '…{_around(text, match.start(), match.end())}…'",
            )
        ]
    return []


def check_dashes(text: str) -> list[Problem]:
    """An en or em dash joining two words is a damaged hyphen."""
    if match := _DASH_IN_WORD.search(text):
        start = text.rfind(" ", 0, match.start()) + 1
        end = text.find(" ", match.end())
        word = text[start : end if end != -1 else len(text)]
        return [
            (
                Subtype.dash_in_word,
                f"dash inside the word {word!r}; did you mean {_DASH_IN_WORD.sub('-', word)!r}?",
            )
        ]
    return []


def check_title_shape(title: str) -> list[Problem]:
    """Final punctuation the renderer would double, and titles in capitals."""
    problems: list[Problem] = []
    if title.endswith((".", ",", ";", ":")) and not title.endswith("..."):
        problems.append(
            (
                Subtype.trailing_punct,
                f"title ends with {title[-1]!r}, which the renderer adds itself; "
                f"write {title.rstrip('.,;:')!r}",
            )
        )
    letters = [ch for ch in title if ch.isalpha()]
    if len(title.split()) >= 3 and len(letters) >= 10 and all(ch.isupper() for ch in letters):
        problems.append((Subtype.all_caps, f"title is in capitals: {clip(title, 40)!r}"))
    return problems


def check_summary_shape(summary: str) -> list[Problem]:
    """A summary is one or more sentences: a capital or digit first, a stop last."""
    if not summary.strip():
        return [(Subtype.summary, "summary is empty; write one sentence on what the study found")]
    first, last = summary.strip()[0], summary.strip()[-1]
    if not (first.isupper() or first.isdigit() or not first.isalpha()):
        return [(Subtype.summary, f"summary does not start a sentence: {clip(summary, 30)!r}")]
    if last not in ".?!…\"'”’)":
        return [(Subtype.summary, f"summary does not end with a full stop: '…{summary[-30:]}'")]
    return []


_TEXT_RULES = (check_mojibake, check_invisible, check_brackets, check_spaces, check_dashes)


def check_text(citation: Citation, ctx: CheckContext) -> Iterator[Finding]:
    """Title and summary hygiene, located at the title's or the summary's first line."""
    for name, text in (("title", citation.title), ("summary", citation.summary)):
        for rule in _TEXT_RULES:
            for subtype, message in rule(text):
                yield finding(citation, name, subtype, f"{name}: {message}")
    for subtype, message in check_title_shape(citation.title):
        yield finding(citation, "title", subtype, message)
    for subtype, message in check_summary_shape(citation.summary):
        yield finding(citation, "summary", subtype, message)
