"""Template text left on a page: the new-topic template's placeholders are never content."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.records import Citation, Finding
from ..model.rules import Subtype
from ..model.template import PLACEHOLDERS, TOPIC_INTRO
from ..model.titles import clip
from .context import CheckContext, finding


def _normal(text: str) -> str:
    # Smart quotes have made the template's apostrophes typographic by now.
    return " ".join(text.replace("\u2019", "'").split())


def _placeholder(text: str) -> str | None:
    """What to write instead, when ``text`` is a placeholder of the template."""
    return PLACEHOLDERS.get(_normal(text))


def check_placeholders(citation: Citation, ctx: CheckContext) -> Iterator[Finding]:
    """A title, summary or field that is still the template's placeholder."""
    places = [("title", citation.title), ("summary", citation.summary), *citation.fields]
    for name, value in places:
        if instead := _placeholder(value):
            message = f"{name} is the template's placeholder {clip(value, 50)!r}: write {instead}"
            yield finding(citation, name, Subtype.placeholder, message)


def placeholder_paragraph(docname: str, line: int, text: str) -> Finding | None:
    """The template's introduction paragraph, still on a page."""
    if _normal(text) != TOPIC_INTRO:
        return None
    return Finding(
        docname,
        line,
        Subtype.placeholder,
        f"the introduction is the template's placeholder: write {PLACEHOLDERS[TOPIC_INTRO]}",
    )
