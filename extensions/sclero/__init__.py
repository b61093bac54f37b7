"""SCLERO topic pages: the citation directive, the topic role, backlinks and citation checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .backlinks import backlinks_placeholder, insert_placeholder, pages_to_rewrite, render_backlinks
from .directive import CitationDirective
from .domain import ScleroDomain
from .report import check_severity_config, emit_findings, write_report
from .roles import TopicRole
from .rules_table import RulesTableDirective
from .security import SanitiseContent

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

    app.add_domain(ScleroDomain)
    app.add_directive("citation", CitationDirective)
    app.add_directive("sclero-rules", RulesTableDirective)
    app.add_role("topic", TopicRole())
    app.add_transform(SanitiseContent)
    app.add_node(
        backlinks_placeholder,
        html=(_noop_visit, _noop_visit),
        latex=(_noop_visit, _noop_visit),
        text=(_noop_visit, _noop_visit),
    )

    app.connect("config-inited", check_severity_config)
    app.connect("doctree-read", insert_placeholder)
    # Order matters: backlinks first (they decide what to rewrite), then the findings.
    app.connect("env-updated", pages_to_rewrite)
    app.connect("env-updated", emit_findings)
    app.connect("doctree-resolved", render_backlinks)
    app.connect("build-finished", write_report)

    return {
        "version": __version__,
        "env_version": ScleroDomain.data_version,
        # Reading records into the domain, merged per docname; writing only renders.
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
