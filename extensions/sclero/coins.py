"""COinS (OpenURL ContextObject in a span): the per-entry metadata Zotero and others read."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from docutils import nodes

from .exports import Exported, kev_pairs

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator


class coins(nodes.Inline, nodes.Element):  # noqa: N801 (docutils node naming)
    """An empty ``span.Z3988`` whose title carries the citation as an OpenURL query."""


def make_coins(entry: Exported) -> coins:
    """The node for one citation (its verification is added when the page is written)."""
    return coins("", title=urlencode(kev_pairs(entry)))


def visit_coins_html(self: HTML5Translator, node: coins) -> None:
    """Write the span; ``starttag`` escapes the attribute, so hostile text stays text."""
    self.body.append(self.starttag(node, "span", "", CLASS="Z3988", title=node["title"]))
    self.body.append("</span>")
    raise nodes.SkipNode


def skip_node(self: object, node: nodes.Node) -> None:
    """Other builders have no use for COinS."""
    raise nodes.SkipNode
