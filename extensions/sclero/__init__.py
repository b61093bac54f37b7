"""SCLERO topic pages: the citation directive, the topic role, backlinks and citation checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .content.domain import ScleroDomain
from .content.setup import setup_content
from .model.topics import TOPIC_PREFIX
from .readers.about_page import DISCLOSURE_SETTINGS
from .readers.setup import setup_readers
from .reporting.setup import setup_reporting

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the domain, directive, role, transforms, events and config values."""
    app.add_config_value("sclero_topic_prefix", TOPIC_PREFIX, "env", types=frozenset({str}))
    app.add_config_value("sclero_pmid_max", 60_000_000, "env", types=frozenset({int}))
    app.add_config_value("sclero_today", "", "env", types=frozenset({str}))
    app.add_config_value("sclero_severity", {}, "", types=frozenset({dict}))
    app.add_config_value("sclero_review_max_days", 730, "env", types=frozenset({int}))
    app.add_config_value("sclero_disclaimer_doc", "disclaimer", "env", types=frozenset({str}))
    # Disclosure on every topic page (the JAMA benchmarks): who runs the site, its funding,
    # its advertising, and where to report a problem. Unset, a page says "not stated".
    for name in DISCLOSURE_SETTINGS:
        app.add_config_value(name, "", "env", types=frozenset({str}))
    # Each part registers its own handlers; the order of their events is the pipeline table
    # of the contributor guide (tests/test_architecture.py compares the two).
    # External links and identifiers: their own extension, with their own settings.
    app.setup_extension("sclero.linkcheck")
    setup_content(app)
    setup_readers(app)
    setup_reporting(app)

    return {
        "version": __version__,
        "env_version": ScleroDomain.data_version,
        # Reading records into the domain, merged per docname; writing only renders.
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
