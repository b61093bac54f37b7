"""The "#" link beside each citation title: one node, written by the HTML builder only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

LABEL = "Permalink to this citation"


class permalink(nodes.Inline, nodes.Element):  # noqa: N801 (docutils node naming)
    """A link to the entry's own anchor.

    One childless node rather than a reference with two inlines: every transform and the
    search indexer walk each node of every page, and the label is no text to search for.
    """


def make_permalink(anchor: str) -> permalink:
    """The node for the entry anchored at ``anchor``."""
    return permalink("", anchor=anchor)


def visit_permalink_html(self: HTML5Translator, node: permalink) -> None:
    """Sphinx's headerlink markup; ``starttag`` escapes the attributes."""
    self.body.append(
        self.starttag(
            node,
            "a",
            "",
            CLASS="headerlink sclero-permalink reference internal",
            href=f"#{node['anchor']}",
            title=LABEL,
        )
    )
    # The visible "#" is decoration; screen readers get link text that makes sense alone.
    self.body.append('<span class="sclero-permalink-mark">#</span>')
    self.body.append(f'<span class="sclero-sr-only"> {LABEL}</span></a>')
    raise nodes.SkipNode
