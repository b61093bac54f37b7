"""The ``sclero-search`` directive: a search form in the page body (phones hide the sidebar)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class search_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils style)
    """Where the form goes; its action URL depends on the page's path, known when writing."""


class SearchBoxDirective(SphinxDirective):
    """Leave a placeholder for the form."""

    def run(self) -> list[nodes.Node]:
        """One placeholder; the form is fixed markup added when writing HTML."""
        return [search_placeholder()]


def render_search_box(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the placeholder with the form (doctree-resolved); no contributor text in it."""
    for placeholder in list(doctree.findall(search_placeholder)):
        if app.builder.format != "html":
            placeholder.parent.remove(placeholder)
            continue
        action = html.escape(app.builder.get_relative_uri(docname, "search"), quote=True)
        form = (
            f'<form class="sclero-search" action="{action}" method="get" role="search">'
            '<label for="sclero-search-q">Search topics and citations</label> '
            '<input type="search" id="sclero-search-q" name="q" autocomplete="off"> '
            '<button type="submit">Search</button></form>'
        )
        placeholder.replace_self(nodes.raw("", form, format="html"))
