"""SCLERO topic pages: the citation directive, the topic role, backlinks and citation checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .content.after_reading import note_duplicates, note_pages_read
from .content.citation_directive import CitationDirective
from .content.definition_directive import DefinitionDirective
from .content.domain import ScleroDomain
from .content.encoding import skip_undecodable
from .content.nodes import coins, skip_node
from .content.permalink import permalink, visit_permalink_html
from .content.sanitise import SanitiseContent
from .content.topic_role import TopicRole, quiet_missing_topic
from .readers.backlinks import (
    backlinks_placeholder,
    insert_placeholder,
    pages_to_rewrite,
    render_backlinks,
)
from .readers.cite import (
    add_static_path,
    cite_control,
    format_all,
    render_cite_controls,
    visit_cite_html,
)
from .readers.coins import visit_coins_html
from .readers.downloads import (
    check_collisions,
    download_link,
    downloads_placeholder,
    render_downloads,
    visit_download_html,
    write_exports,
)
from .readers.html_translator import AccessibleHTMLTranslator
from .readers.listings import (
    BibliographyDirective,
    RecentDirective,
    listing_placeholder,
    render_listings,
    reread_listings,
)
from .readers.notices import render_verification
from .readers.rules_table import RulesTableDirective
from .readers.search_box import SearchBoxDirective, render_search_box, search_placeholder
from .readers.sitemap import write_sitemap
from .readers.topic_page import decorate_topic_page, mark_stub_cards
from .reporting.report import check_severity_config, emit_findings, write_report
from .reporting.warning_log import collect_warnings

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"


def _noop_visit(self: object, node: object) -> None:
    """Placeholders are replaced before writing; any left over render as nothing."""


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the domain, directive, role, transforms, events and config values."""
    app.add_config_value("sclero_topic_prefix", "topics/", "env", types=frozenset({str}))
    app.add_config_value("sclero_pmid_max", 60_000_000, "env", types=frozenset({int}))
    app.add_config_value("sclero_today", "", "env", types=frozenset({str}))
    app.add_config_value("sclero_severity", {}, "", types=frozenset({dict}))
    app.add_config_value("sclero_review_max_days", 730, "env", types=frozenset({int}))
    app.add_config_value("sclero_disclaimer_doc", "disclaimer", "env", types=frozenset({str}))
    # External links and identifiers: their own extension, with their own settings.
    app.setup_extension("sclero.linkcheck")

    app.add_domain(ScleroDomain)
    app.set_translator("html", AccessibleHTMLTranslator)
    app.set_translator("dirhtml", AccessibleHTMLTranslator)
    app.add_directive("citation", CitationDirective)
    app.add_directive("definition", DefinitionDirective)
    app.add_directive("sclero-rules", RulesTableDirective)
    app.add_directive("sclero-bibliography", BibliographyDirective)
    app.add_directive("sclero-recent", RecentDirective)
    app.add_directive("sclero-search", SearchBoxDirective)
    app.add_role("topic", TopicRole())
    app.add_transform(SanitiseContent)
    placeholders = (
        backlinks_placeholder,
        downloads_placeholder,
        listing_placeholder,
        search_placeholder,
    )
    for placeholder in placeholders:
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

    app.connect("config-inited", check_severity_config)
    app.connect("config-inited", add_static_path)
    app.add_js_file("sclero-cite.js")
    app.connect("builder-inited", collect_warnings)
    app.connect("doctree-read", insert_placeholder)
    app.connect("doctree-read", decorate_topic_page)
    app.connect("doctree-read", note_duplicates)
    app.connect("env-get-outdated", reread_listings)
    app.connect("env-before-read-docs", skip_undecodable)
    app.connect("env-before-read-docs", note_pages_read)
    app.connect("env-updated", pages_to_rewrite)
    app.connect("env-updated", check_collisions)
    # After the link check (600): the entries' verification gives the record's author.
    app.connect("env-updated", format_all, priority=700)
    app.connect("warn-missing-reference", quiet_missing_topic)
    app.connect("doctree-resolved", render_backlinks)
    app.connect("doctree-resolved", render_downloads)
    app.connect("doctree-resolved", render_listings)
    app.connect("doctree-resolved", render_search_box)
    app.connect("doctree-resolved", render_verification)
    app.connect("doctree-resolved", render_cite_controls)
    # After sphinx-design's cards have their links resolved (default priority).
    app.connect("doctree-resolved", mark_stub_cards, priority=600)
    # After the link check is judged (350), before the reports are written (500).
    app.connect("build-finished", emit_findings, priority=400)
    app.connect("build-finished", write_report)
    app.connect("build-finished", write_exports)
    app.connect("build-finished", write_sitemap)

    return {
        "version": __version__,
        "env_version": ScleroDomain.data_version,
        # Reading records into the domain, merged per docname; writing only renders.
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
