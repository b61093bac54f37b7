"""External links and identifiers, as an extension of its own (``sclero.linkcheck``).

Collected while reading, checked politely, judged per occurrence, reported at file and line.
As in ``sphinx.ext.intersphinx``, this module only wires ``setup``; the work lives in collect,
plan, fetch, verify, judge, run and report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .collect import collect_links
from .report import write_link_report
from .run import check_link_config, finish_linkcheck, start_linkcheck

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

NUMBER = frozenset({int, float})
TEXT = frozenset({str})


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the link-check settings and the hooks of its life cycle."""
    # None of these change what is read: rebuild "" (no re-reading when they change).
    app.add_config_value("sclero_linkcheck_mode", "offline", "", types=TEXT)
    app.add_config_value("sclero_linkcheck_backend", "builtin", "", types=TEXT)
    app.add_config_value("sclero_linkcheck_budget", 60.0, "", types=NUMBER)
    app.add_config_value("sclero_linkcheck_deadline", 1800.0, "", types=NUMBER)
    app.add_config_value("sclero_linkcheck_timeout", 10.0, "", types=NUMBER)
    app.add_config_value("sclero_linkcheck_retry_after_cap", 30.0, "", types=NUMBER)
    app.add_config_value("sclero_linkcheck_damping_hours", 4.0, "", types=NUMBER)
    app.add_config_value("sclero_linkcheck_cache", "", "", types=TEXT)
    app.add_config_value("sclero_linkcheck_contact", "", "", types=TEXT)
    app.add_config_value("sclero_linkcheck_allowed_hosts", [], "", types=frozenset({list, tuple}))
    app.add_config_value("sclero_linkcheck_profiles", {}, "", types=frozenset({dict}))
    app.add_config_value("sclero_linkcheck_ignore", [], "", types=frozenset({list, tuple}))
    app.add_config_value("sclero_linkcheck_now", 0.0, "", types=NUMBER)
    app.add_config_value("sclero_contact_email", "", "", types=TEXT)
    # The registries identifiers are verified at (tests point them at local servers).
    app.add_config_value("sclero_doi_api", "https://doi.org/api/handles/", "", types=TEXT)
    app.add_config_value("sclero_crossref", "https://api.crossref.org/", "", types=TEXT)
    app.add_config_value(
        "sclero_eutils", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", "", types=TEXT
    )
    app.connect("config-inited", check_link_config)
    app.connect("doctree-read", collect_links)
    # After the backlinks' handler (default priority), which decides pages to rewrite too.
    app.connect("env-updated", start_linkcheck, priority=600)
    # Before the findings are emitted (400) and the reports written (500).
    app.connect("build-finished", finish_linkcheck, priority=350)
    app.connect("build-finished", write_link_report)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
