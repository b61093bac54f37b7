"""What pages declare, wired into Sphinx: the domain, the directives, the role and the guards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .after_reading import (
    compare_works,
    note_page,
    note_pages_read,
)
from .citation_directive import CitationDirective
from .collector import setup_build_memory
from .definition_directive import DefinitionDirective
from .domain import ScleroDomain
from .sanitise import SanitiseContent, no_file_insertion
from .topic_role import TopicRole, quiet_missing_topic
from .unreadable import skip_unreadable

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_content(app: Sphinx) -> None:
    """Register the domain, the ``citation`` and ``definition`` directives, the ``topic`` role."""
    app.add_domain(ScleroDomain)
    app.add_directive("citation", CitationDirective)
    app.add_directive("definition", DefinitionDirective)
    app.add_role("topic", TopicRole())
    app.add_transform(SanitiseContent)
    # Pages that are not UTF-8 leave the build before pages_read is noted: they are not read.
    app.connect("env-before-read-docs", no_file_insertion)
    app.connect("env-before-read-docs", skip_unreadable)
    app.connect("env-before-read-docs", note_pages_read)
    app.connect("doctree-read", note_page)
    app.connect("env-updated", compare_works)
    app.connect("warn-missing-reference", quiet_missing_topic)
    # Registered after the handlers above, so that each runs last of its event.
    setup_build_memory(app)
