"""Sphinx's HTML translator with one accessibility fix: toctree captions get an aria-level."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator


class AccessibleHTMLTranslator(HTML5Translator):
    """Sphinx 9 writes toctree captions as ``<p role="heading">`` with no ``aria-level``.

    ARIA requires the level for role="heading" (axe-core rule aria-required-attr, critical);
    screen readers otherwise announce the sidebar's section names as level-2 headings only by
    accident. Everything else is Sphinx's own rendering.
    """

    def visit_title(self, node: nodes.title) -> None:
        """Toctree captions: the same markup plus ``aria-level="2"``; all else unchanged."""
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            # "aria-level" is not a Python name, hence the dict; the stub types **kwargs as
            # the 'empty' flag's bool.
            aria = {"aria-level": "2"}
            tag = self.starttag(node, "p", "", CLASS="caption", ROLE="heading", **aria)  # type: ignore[arg-type]
            self.body.append(tag)
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)
