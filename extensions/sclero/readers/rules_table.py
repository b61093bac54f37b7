"""The ``sclero-rules`` directive: the list of rules, generated from ``model/rules.py``."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..model.rules import SUBTYPES, WARNING_TYPE


class RulesTableDirective(SphinxDirective):
    """One entry per subtype: name, default severity, meaning, fix (cannot drift from the code)."""

    def run(self) -> list[nodes.Node]:
        """A definition list, in the order the subtypes are declared."""
        items = nodes.definition_list(classes=["sclero-rules"])
        for subtype, info in SUBTYPES.items():
            term = nodes.term()
            term += nodes.literal(text=f"{WARNING_TYPE}.{subtype.value}")
            term += nodes.Text(f" ({info.severity})")
            body = nodes.definition()
            body += nodes.paragraph(text=info.meaning)
            body += nodes.paragraph(text=f"Fix: {info.fix}")
            items += nodes.definition_list_item("", term, body)
        return [items]
