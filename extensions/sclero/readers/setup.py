"""What readers get, wired into Sphinx: nodes, page furniture, and the files beside the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..content.nodes import coins, skip_node
from ..content.permalink import permalink, visit_permalink_html
from .about_page import note_disclosure
from .backlinks import backlinks_placeholder, insert_placeholder, pages_to_rewrite, render_backlinks
from .cite import add_static_path, cite_control, format_all, render_cite_controls, visit_cite_html
from .coins import visit_coins_html
from .downloads import (
    check_collisions,
    download_link,
    downloads_placeholder,
    render_downloads,
    visit_download_html,
    write_exports,
)
from .evidence import count_evidence, render_evidence
from .html_translator import AccessibleHTMLTranslator
from .listings import (
    BibliographyDirective,
    RecentDirective,
    listing_placeholder,
    render_listings,
    reread_listings,
)
from .notices import render_verification
from .rules_table import RulesTableDirective
from .search_box import SearchBoxDirective, render_search_box, search_placeholder
from .sitemap import write_sitemap
from .topic_page import decorate_topic_page, mark_stub_cards

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _noop_visit(self: object, node: nodes.Node) -> None:
    """Placeholders are replaced before writing; any left over render as nothing."""


def setup_readers(app: Sphinx) -> None:
    """Register the nodes, directives and handlers of everything readers see."""
    app.set_translator("html", AccessibleHTMLTranslator)
    app.set_translator("dirhtml", AccessibleHTMLTranslator)
    app.add_directive("sclero-rules", RulesTableDirective)
    app.add_directive("sclero-bibliography", BibliographyDirective)
    app.add_directive("sclero-recent", RecentDirective)
    app.add_directive("sclero-search", SearchBoxDirective)
    for placeholder in (
        backlinks_placeholder,
        downloads_placeholder,
        listing_placeholder,
        search_placeholder,
    ):
        app.add_node(
            placeholder,
            html=(_noop_visit, _noop_visit),
            latex=(_noop_visit, _noop_visit),
            text=(_noop_visit, _noop_visit),
        )
    # Nodes that only mean something in HTML; every other builder skips them.
    html_only = (
        (cite_control, visit_cite_html),
        (permalink, visit_permalink_html),
        (coins, visit_coins_html),
        (download_link, visit_download_html),
    )
    for node, visit_html in html_only:
        app.add_node(
            node,
            html=(visit_html, None),
            latex=(skip_node, None),
            text=(skip_node, None),
            man=(skip_node, None),
            texinfo=(skip_node, None),
        )
    app.connect("config-inited", add_static_path)
    app.add_js_file("sclero-cite.js")
    app.connect("doctree-read", insert_placeholder)
    app.connect("doctree-read", decorate_topic_page)
    app.connect("env-get-outdated", reread_listings)
    # Before the link check (600), which adds the pages whose verification changed.
    app.connect("env-updated", pages_to_rewrite)
    app.connect("env-updated", check_collisions)
    app.connect("env-updated", note_disclosure)
    # After the link check (600): the entries' verification gives the record's author.
    app.connect("env-updated", format_all, priority=700)
    # After the verification (start_linkcheck, 600): the kinds come from the records.
    app.connect("env-updated", count_evidence, priority=650)
    app.connect("doctree-resolved", render_backlinks)
    app.connect("doctree-resolved", render_downloads)
    app.connect("doctree-resolved", render_listings)
    app.connect("doctree-resolved", render_search_box)
    # The verification line goes in before the Cite control: both insert before the COinS
    # span, so this order is their order on the page.
    app.connect("doctree-resolved", render_evidence)
    app.connect("doctree-resolved", render_verification, priority=510)
    app.connect("doctree-resolved", render_cite_controls, priority=520)
    # After sphinx-design's cards have their links resolved (default priority).
    app.connect("doctree-resolved", mark_stub_cards, priority=600)
    app.connect("build-finished", write_exports)
    app.connect("build-finished", write_sitemap)
