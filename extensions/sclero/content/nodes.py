"""The entry's nodes that other parts find or fill: the entry itself and its COinS span."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeGuard

from docutils import nodes

# The class that marks a container as one citation entry (its anchor is its first id).
ENTRY_CLASS = "sclero-citation"


def is_entry(node: nodes.Node) -> TypeGuard[nodes.container]:
    """Whether ``node`` is a citation entry with an anchor."""
    return isinstance(node, nodes.container) and ENTRY_CLASS in node["classes"]


def citation_entries(doctree: nodes.Node) -> Iterator[tuple[str, nodes.container]]:
    """Every citation entry in ``doctree`` with its anchor."""
    for entry in doctree.findall(nodes.container):
        if ENTRY_CLASS in entry["classes"] and entry["ids"]:
            yield entry["ids"][0], entry


class coins(nodes.Inline, nodes.Element):  # noqa: N801 (docutils node naming)
    """An empty ``span.Z3988`` whose title carries the citation as an OpenURL query."""


def make_coins() -> coins:
    """The node for one citation, filled when the page is written (with its verification)."""
    return coins("", title="")


def skip_node(self: object, node: nodes.Node) -> None:
    """Builders other than HTML have no use for the HTML-only nodes (COinS, Cite, links)."""
    raise nodes.SkipNode
