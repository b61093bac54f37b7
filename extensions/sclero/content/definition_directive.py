"""The ``definition`` directive: a paragraph of explanatory text, credited to who wrote it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .citation_directive import legacy_value
from .entry import legacy_note

if TYPE_CHECKING:
    from collections.abc import Callable


def source_name(value: str | None) -> str:
    """Option converter: who wrote the text (ISN, or the site it is quoted from)."""
    text = " ".join((value or "").split())
    if not text:
        raise ValueError("name who wrote the text, e.g. ISN or Answers.com")
    return text


class DefinitionDirective(SphinxDirective):
    """``{definition}`` with ``:source: ISN`` (the network's own words) or a quoted site."""

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "source": source_name,
        "legacy-text": legacy_value,
        "legacy-source": legacy_value,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        """The text, its credit line, and what differs from the legacy page."""
        box = nodes.container(classes=["sclero-definition", *self.options.get("class", [])])
        self.set_source_info(box)
        self.state.nested_parse(self.content, self.content_offset, box)
        source = self.options.get("source")
        if source is None:
            # Unattributed text is exactly what the legacy page failed at: say so.
            raise self.error("a definition needs :source: (who wrote it: ISN, or the site quoted)")
        credit = nodes.paragraph(classes=["sclero-credit"])
        if source == "ISN":
            credit += nodes.Text("— International Scleroderma Network (ISN)")
        else:
            credit += nodes.Text(f"— Quoted from {source}")
        box += credit
        changes = [
            (name, *self.options[f"legacy-{name}"])
            for name in ("text", "source")
            if f"legacy-{name}" in self.options
        ]
        if changes:
            box += legacy_note(changes)
        return [box]
