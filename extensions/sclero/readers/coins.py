"""COinS (OpenURL ContextObject in a span): the per-entry metadata Zotero and others read."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from docutils import nodes

from ..content.nodes import coins
from .formats import Exported, kev_pairs

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator


def fill_coins(entry: nodes.Element, exported: Exported) -> None:
    """Write the citation, as readers are told of it, into the entry's COinS span."""
    for span in entry.findall(coins):
        span["title"] = urlencode(kev_pairs(exported))


def visit_coins_html(self: HTML5Translator, node: coins) -> None:
    """Write the span; ``starttag`` escapes the attribute, so hostile text stays text."""
    self.body.append(self.starttag(node, "span", "", CLASS="Z3988", title=node["title"]))
    self.body.append("</span>")
    raise nodes.SkipNode
